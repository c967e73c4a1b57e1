/**
 * A story's best page for a query: its matching pages scored by how often the query's words occur in their text,
 * for a story ranked without a page of its own (by names, on a sample, by its title) and for a story's page list.
 */
import { PAGE_ROWID_SHIFT, pageRowid } from '../store.js';
import type { SearchIndex } from './handle.js';

/** A shown story's matching pages read, at most, to choose its best page: more choose better, a page read each. */
const BEST_PAGE_CANDIDATES = 16;

/** A story's matching pages, scored by how often the query's stems occur on them (read from the pages). */
export function bestPages(
	ix: SearchIndex,
	storyId: number,
	match: string,
	words: string[],
	limit: number,
	candidates = BEST_PAGE_CANDIDATES,
): { page: number; score: number }[] {
	const rows = ix
		.statement(
			'SELECT rowid FROM pages_fts WHERE pages_fts MATCH ? AND rowid BETWEEN CAST(? AS INTEGER) AND CAST(? AS INTEGER) LIMIT ?',
		)
		.pluck()
		.all(match, pageRowid(storyId, 0), pageRowid(storyId, PAGE_ROWID_SHIFT - 1), candidates) as number[];
	return scorePages(ix, rows, words, limit);
}

/** Pages (row ids) scored by how often the query's stems occur on them, best first. */
export function scorePages(
	ix: SearchIndex,
	rows: readonly number[],
	words: string[],
	limit: number,
): { page: number; score: number }[] {
	if (!rows.length) return [];
	// What each word's forms begin with in the text: its stem, cut to what the word shares with it ("buffy" is
	// stemmed "buffi": "buff").
	const stems = words.flatMap((w) =>
		ix.stemmer.stems(w).map((stem) => {
			let shared = 0;
			while (shared < stem.length && stem[shared] === w[shared]) shared++;
			return shared >= 3 ? stem.slice(0, shared) : stem;
		}),
	);
	return rows
		.map((rowid) => {
			const page = (ix.pageText(rowid) as string).toLowerCase();
			// Each word found counts most; its repeats a little, up to a point ("the" is on every line).
			let score = 0;
			for (const stem of stems) {
				let n = 0;
				for (let i = page.indexOf(stem); i >= 0 && n < 20; i = page.indexOf(stem, i + stem.length)) n++;
				if (n) score += 10 + n;
			}
			return { page: rowid % PAGE_ROWID_SHIFT, score: score / (1 + page.length / 2000) };
		})
		.sort((a, b) => b.score - a.score || a.page - b.page)
		.slice(0, limit);
}
