/**
 * Ranking on a sample: a query of frequent words only (not names), a common prefix or phrase, is matched in windows
 * of pages spread over the archive, and stories are ranked by the share of their sampled pages that match.
 */
import { PAGE_ROWID_SHIFT } from '../store.js';
import type { StorySet } from './filters.js';
import type { SearchIndex } from './handle.js';

/**
 * Windows of pages sampled (spread over the archive), and matches read per window: more windows spread the sample
 * wider, more per window rank a story on more of its pages; each costs a seek of every word's page list.
 */
const SAMPLE_WINDOWS = 16;
const SAMPLE_PER_WINDOW = 25;
/**
 * Fewer matches than this in the first window sampled, and the rest of the archive is read in two queries, not window
 * by window (each window seeks every word's page list in every index segment).
 */
const SAMPLE_RARE = 5;
/** Stories a sample stops at (or twice those wanted, if more): more rank better, at more windows read. */
const SAMPLE_STORIES = 20;
/** Stories a sample ranks, at most: enough for a filter to drop some, no sorting of every story sampled past it. */
const SAMPLED_RANKED = 300;
/**
 * Matches read on, past the windows, when a filter left the sample short of stories it allows: more find the
 * stories of a narrower filter, at a longer walk of the words' page lists (a filter of few stories is instead
 * looked up story by story).
 */
const FILTERED_ROWS = 4000;
/** Stories of a filter of few looked up one by one, at most (each a seek of every word's page list). */
const FILTERED_STORIES = 300;

/** A story a sample found: its score, and its matching pages sampled (its best page is chosen among them). */
export interface SampledStory {
	storyId: number;
	score: number;
	rows?: number[];
}

/**
 * Stories to rank for a query made only of frequent words (not all names): pages sampled in windows spread
 * over the archive, stories ranked by the share of their sampled pages that match.
 */
export function rankSampled(ix: SearchIndex, match: string, allowed: StorySet | null, wanted: number): SampledStory[] {
	// Two subqueries: SQLite answers a lone min() or max() from the index, but not both in one select.
	const { lo, hi } = ix
		.statement('SELECT (SELECT min(id) FROM pages) AS lo, (SELECT max(id) FROM pages) AS hi')
		.get() as { lo: number; hi: number };
	const step = Math.max(1, Math.ceil((hi - lo + 1) / SAMPLE_WINDOWS));
	const sampled = new Map<number, number[]>();
	const seen = new Set<number>();
	const perWindow = ix.tuning.samplePerWindow ?? SAMPLE_PER_WINDOW;
	const window = ix
		.statement(
			'SELECT rowid FROM pages_fts WHERE pages_fts MATCH ? AND rowid BETWEEN CAST(? AS INTEGER) AND CAST(? AS INTEGER) LIMIT ?',
		)
		.pluck();
	// Windows in an order that spreads any first few over the archive (0, 8, 4, 12, 2, …); the sample stops
	// once it holds enough stories, since a window of rare matches (a phrase of common words: "coming is a")
	// costs a walk through every page list of its words in that window.
	let allowedFound = 0;
	const enough = () => allowedFound >= Math.max(SAMPLE_STORIES, 2 * wanted);
	const take = (rowid: number) => {
		if (seen.has(rowid)) return;
		seen.add(rowid);
		const storyId = Math.floor(rowid / PAGE_ROWID_SHIFT);
		const rows = sampled.get(storyId);
		if (rows) rows.push(rowid);
		else {
			sampled.set(storyId, [rowid]);
			if (!allowed || allowed.has(storyId)) allowedFound++;
		}
	};
	/** Takes the matches from one row id to another until enough; whether there are enough. */
	const readUntilEnough = (from: number, to: number, most = SAMPLE_WINDOWS * perWindow): boolean => {
		if (from > to) return false;
		for (const rowid of window.iterate(match, from, to, most) as Iterable<number>) {
			take(rowid);
			if (enough()) return true;
		}
		return false;
	};
	for (const w of spreadOrder(SAMPLE_WINDOWS)) {
		const start = lo + w * step;
		if (start > hi) continue;
		const rowids = window.all(match, start, start + step - 1, perWindow) as number[];
		for (const rowid of rowids) take(rowid);
		if (enough()) break;
		if (w === 0 && rowids.length < SAMPLE_RARE) {
			// Few matches in the first window: few in the others ("giles saved the", words on most pages, is on
			// 11 of 650,000), and reading them window by window seeks every word's page list in every index
			// segment for each. The rest in two halves instead, the far one first, each read until enough.
			const half = lo + Math.floor((hi - lo) / 2);
			if (!readUntilEnough(Math.max(half, start + step), hi)) readUntilEnough(start + step, half - 1);
			break;
		}
	}
	if (allowed && !enough()) {
		// A filter left the sample short: the windows held too few of the stories it allows. A filter of few
		// stories (a set) has each looked up by its pages' row ids; any other reads on through the archive.
		if (allowed instanceof Set) {
			let looked = 0;
			for (const storyId of allowed as ReadonlySet<number>) {
				if (sampled.has(storyId)) continue;
				if (++looked > FILTERED_STORIES) break;
				const from = storyId * PAGE_ROWID_SHIFT;
				for (const rowid of window.all(match, from, from + PAGE_ROWID_SHIFT - 1, perWindow) as number[]) take(rowid);
				if (enough()) break;
			}
		} else readUntilEnough(lo, hi, FILTERED_ROWS);
	}
	const pageCount = ix.statement('SELECT page_count FROM stories WHERE id = ?').pluck();
	return [...sampled]
		.filter(([id]) => !allowed || allowed.has(id))
		.map(([storyId, rows]) => ({ storyId, score: rows.length / ((pageCount.get(storyId) as number) || 1), rows }))
		.sort((a, b) => b.score - a.score || a.storyId - b.storyId)
		.slice(0, SAMPLED_RANKED);
}

/** 0 … n-1 (n a power of two) in bit-reversed order: any first few are spread over the range. */
function spreadOrder(n: number): number[] {
	const bits = Math.round(Math.log2(n));
	return Array.from({ length: n }, (_, i) =>
		Number.parseInt(i.toString(2).padStart(bits, '0').split('').reverse().join(''), 2),
	);
}
