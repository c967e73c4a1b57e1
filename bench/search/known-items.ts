/**
 * Known-item scoring: whether an engine's top pages hold the line a reader copied (as text, or as its words in
 * order), the mean reciprocal rank over the lines as they are and with a typo, and how often the first hit is in
 * the line's own story.
 */
import type Database from 'better-sqlite3';
import { PAGE_ROWID_SHIFT } from '../../src/archive/store.js';
import type { QueryClass } from './classes.js';
import { type Engine, TOP } from './engines.js';
import { COPY_LOSES } from './lines.js';
import type { Queries } from './queries.js';
import { type ClassTiming, runQueries } from './timing.js';

export interface KnownItemScore {
	mrr: number;
	found: number;
	/** Per line: the rank of the first page holding it (1-based), 0 when not in the top 10. */
	ranks: number[];
	/** The same when a page only needs to hold the line's words in order (punctuation ignored). */
	wordRanks: number[];
	wordMrr: number;
	wordFound: number;
	/** The share of lines whose first hit is a page of the story the line was drawn from. */
	storyFirst: number;
}

/** Whitespace collapsed, case folded. */
const normalize = (text: string) => text.replace(/\s+/g, ' ').trim().toLowerCase();

/** Whether a page holds a line: as text (whitespace collapsed, case folded), or as words (punctuation ignored). */
export class PageCheck {
	private readonly text = new Map<number, { text: string; words: string }>();
	private readonly read: Database.Statement;

	constructor(db: Database.Database) {
		this.read = db.prepare('SELECT text FROM pages WHERE id = ?').pluck();
	}

	private page(id: number): { text: string; words: string } {
		let page = this.text.get(id);
		if (!page) {
			// (As the lines were drawn: without what a reader's copy loses.)
			const raw = ((this.read.get(id) as string | undefined) ?? '').replace(COPY_LOSES, '');
			page = { text: normalize(raw), words: words(raw) };
			this.text.set(id, page);
		}
		return page;
	}

	/** The 1-based ranks of the first page holding the line, as text and as words; 0 when none does. */
	ranks(ids: readonly number[], line: string): { text: number; words: number } {
		const text = normalize(line);
		const lineWords = words(line);
		const top = ids.slice(0, TOP);
		return {
			text: top.findIndex((id) => this.page(id).text.includes(text)) + 1,
			words: top.findIndex((id) => this.page(id).words.includes(lineWords)) + 1,
		};
	}
}

/** Letters and digits only, each word between spaces. */
const words = (text: string) => ` ${(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).join(' ')} `;
const reciprocal = (ranks: readonly number[]) =>
	ranks.reduce((s, r) => s + (r ? 1 / r : 0), 0) / Math.max(1, ranks.length);

function score(
	ids: readonly number[][],
	lines: readonly string[],
	stories: readonly number[],
	check: PageCheck,
): KnownItemScore {
	const ranks: number[] = [];
	const wordRanks: number[] = [];
	for (const [i, line] of lines.entries()) {
		const rank = check.ranks(ids[i] ?? [], line);
		ranks.push(rank.text);
		wordRanks.push(rank.words);
	}
	return {
		mrr: reciprocal(ranks),
		found: ranks.filter((r) => r > 0).length,
		ranks,
		wordRanks,
		wordMrr: reciprocal(wordRanks),
		wordFound: wordRanks.filter((r) => r > 0).length,
		storyFirst:
			lines.filter((_, i) => {
				const first = ids[i]?.[0];
				return first !== undefined && Math.floor(first / PAGE_ROWID_SHIFT) === stories[i];
			}).length / Math.max(1, lines.length),
	};
}

/**
 * Known-item MRR over the lines, asked as they are and with a typo each; the known-item class's latency is that
 * of the lines as they are. `after` sees each typo'd line's query just run.
 */
export function knownItems(
	engine: Engine,
	queries: Queries,
	check: PageCheck,
	classes: Map<QueryClass, ClassTiming>,
	after?: (i: number) => void,
): { exact: KnownItemScore; typo: KnownItemScore } {
	const exact = runQueries(engine, queries.lines, 'known-item');
	const typo = runQueries(engine, queries.typoLines, 'known-item-typo', after);
	classes.set('known-item', exact.timing);
	return {
		exact: score(exact.ids, queries.lines, queries.lineStories, check),
		typo: score(typo.ids, queries.lines, queries.lineStories, check),
	};
}
