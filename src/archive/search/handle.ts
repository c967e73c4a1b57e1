/**
 * The index handle every room of search works through: the store's database with search's own prepared statements,
 * the index's stemmer, the tuning overrides tests pass, and the counts read once and kept (pages in the archive, the
 * words typo correction must not offer).
 */
import type Database from 'better-sqlite3';
import { type ArchiveStore, statementCache } from '../store.js';
import { Stemmer } from './stemmer.js';

/**
 * Overrides of search's tuning, for tests and benchmarks.
 * `frequentPages`: the page count above which a word counts as frequent (default: 5% of pages, at least 2,000).
 * `lineCandidates`: pages checked per FTS5 query for a copied line (default 200; tests make it small).
 * `rankedStories`: the most stories BM25 ranks by title, author and summary (default 500).
 * `lineBudgetMs`: the time a search may spend on a copied line (default LINE_BUDGET_MS), on the clock `now`
 * (default performance.now; tests give their own).
 */
export interface SearchTuning {
	frequentPages?: number;
	lineCandidates?: number;
	rankedStories?: number;
	samplePerWindow?: number;
	lineBudgetMs?: number;
	now?: () => number;
}

export class SearchIndex {
	readonly db: Database.Database;
	/** A statement per SQL text, prepared once. */
	readonly statement: (sql: string) => Database.Statement;
	readonly stemmer = new Stemmer();
	/** Corrections that are words as typed (one edit away), not index terms (typos.ts). */
	readonly respelled = new Set<string>();
	/** The index terms of function words, once stemmed (typos.ts). */
	functionTerms: Set<string> | undefined;
	private pageTotal: number | undefined;

	constructor(
		readonly store: ArchiveStore,
		readonly tuning: SearchTuning = {},
	) {
		this.db = store.db;
		// Its own statements: some are set to pluck, which would change the store's statements of the same text.
		this.statement = statementCache(store.db);
	}

	close(): void {
		this.stemmer.close();
	}

	/** Pages in the index (for what counts as a frequent word): summed per story, not counted row by row (350 ms at 1 GB). */
	pages(): number {
		this.pageTotal ??= this.store.totals().pages || 1;
		return this.pageTotal;
	}

	/** How many pages hold a word (its stems: the rarest of them), from the vocabulary table. */
	pageCount(word: string): number {
		const stems = this.stemmer.stems(word);
		if (!stems.length) return 0;
		let fewest = Number.POSITIVE_INFINITY;
		for (const stem of stems) {
			const n = (this.statement('SELECT pages FROM vocabulary WHERE term = ?').pluck().get(stem) as number) ?? 0;
			fewest = Math.min(fewest, n);
		}
		return fewest;
	}

	/**
	 * The pages each of these terms is on, for those in the index: in one statement (a thousand lookups one by one
	 * cost ten times as much, most of it in crossing into SQLite and back).
	 */
	termPages(terms: readonly string[]): Map<string, number> {
		const rows = this.statement(
			'SELECT term, pages FROM vocabulary WHERE term IN (SELECT value FROM json_each(?))',
		).all(JSON.stringify([...new Set(terms)])) as { term: string; pages: number }[];
		return new Map(rows.map((r) => [r.term, r.pages]));
	}

	/** A page's text, by its row id. */
	pageText(rowid: number): string | undefined {
		return this.statement('SELECT text FROM pages WHERE id = ?').pluck().get(rowid) as string | undefined;
	}
}
