/**
 * What the search benchmark times: an engine answers a query with its top pages. Ours (ArchiveSearch) and raw
 * FTS5 ranking on the same store are here; the in-memory peers are in peers.ts.
 */
import type Database from 'better-sqlite3';
import type { ArchiveSearch, SearchResults } from '../../src/archive/search/index.js';
import { parseQuery, toFtsMatch } from '../../src/archive/search/query.js';
import { pageRowid } from '../../src/archive/store.js';
import type { QueryClass } from './classes.js';
import type { KnownItemScore } from './known-items.js';
import type { ClassTiming } from './timing.js';

/** Pages asked of every engine. */
export const TOP = 10;

/** How an engine is asked: a class's queries, or the known-item lines with a typo. */
export type Mode = QueryClass | 'known-item-typo';

export interface Engine {
	name: string;
	/** The top pages (page row ids, best first) for a query, or null when the engine cannot run it. */
	run(query: string, mode: Mode): number[] | null;
	/** Classes the engine cannot run, with why. */
	cannot?: Partial<Record<QueryClass, string>>;
}

/** An engine's figures at one size. */
export interface EngineResult {
	name: string;
	classes: Map<QueryClass, ClassTiming>;
	exact?: KnownItemScore;
	typo?: KnownItemScore;
	buildSeconds?: number;
	heapBytes?: number;
	diskBytes?: number;
	note?: string;
	skipped?: string;
}

/** Our search, keeping its last results for the diagnostics. */
export class Ours implements Engine {
	readonly name = 'ours';
	last: SearchResults | undefined;

	constructor(private readonly search: ArchiveSearch) {}

	run(query: string): number[] {
		this.last = this.search.search(query, { limit: TOP });
		return this.last.hits.map((h) => pageRowid(h.storyId, h.page));
	}
}

export function rawFts(db: Database.Database): Engine {
	const ranked = db.prepare('SELECT rowid FROM pages_fts WHERE pages_fts MATCH ? ORDER BY rank LIMIT ?').pluck();
	return {
		name: 'FTS5 rank',
		cannot: { 'filter-only': 'no text', 'tag-filter': 'no text', 'tag-filter-words': 'no tags' },
		run(query) {
			const match = toFtsMatch(parseQuery(query));
			return match === null ? null : (ranked.all(match, TOP) as number[]);
		},
	};
}
