/**
 * Ranking by rare words: which of a query's words are rare enough for BM25 (the vocabulary table knows every term's
 * page count), and the pages BM25 ranks by them, checked against the whole query.
 */
import type { SearchIndex } from './handle.js';
import { partPages } from './prefixes.js';
import { type ParsedQuery, type QueryTerm, toFtsMatch } from './query.js';

/**
 * A word on more than this share of pages (or this many) is "frequent": too costly to rank with BM25, which walks
 * its whole page list. Past FREQUENT_MAX pages a word is ranked on a sample however large the archive.
 */
export const FREQUENT_SHARE = 0.05;
const FREQUENT_MIN = 2000;
const FREQUENT_MAX = 4000;
/**
 * A prefix whose words, or a phrase whose rarest word, are on more pages than these is ranked like a frequent word
 * (on a sample): BM25 over a phrase checks its words' positions on every page holding its rarest word, twice.
 */
const RANKED_PREFIX = 2000;
const RANKED_PHRASE = 300;
/** Candidates ranked by the index at most, for the rare words of a query: more reach further down, at BM25's cost. */
const RANKED_CANDIDATES = 400;
/**
 * A whole query matching at most this many pages has them all ranked (one unranked FTS5 query fetches them, about
 * 1.3 µs a page at 1 GB); past it, each ranked page is checked alone (about 0.1 ms each when another word is on
 * every page: 400 checks for "the bronze" took 40 ms). Above the most pages a rare word is on (FREQUENT_MAX),
 * so a query with one is always fetched whole.
 */
const FULL_MATCH_CAP = 8000;

/**
 * The page count above which a word is frequent: BM25 costs by the pages it scores, not by their share ('window' is
 * on 2.8% of 650,000 pages: 90 ms to rank them all).
 */
export function frequentPages(ix: SearchIndex): number {
	return ix.tuning.frequentPages ?? Math.min(FREQUENT_MAX, Math.max(FREQUENT_MIN, ix.pages() * FREQUENT_SHARE));
}

/**
 * A query's words and phrases that BM25 may rank. A prefix or a phrase only when on few pages: BM25 walks the page
 * lists of each of a prefix's words, and checks a phrase's word positions on every page that holds its words.
 */
export function rareParts(
	ix: SearchIndex,
	query: ParsedQuery,
	frequent: number,
): { terms: QueryTerm[]; phrases: string[] } {
	const terms = query.terms.filter(
		(t) => partPages(ix, t.text, t.prefix) <= (t.expansion ? Math.min(frequent, RANKED_PREFIX) : frequent),
	);
	const phrases = query.phrases.filter((p) => ix.pageCount(p) <= Math.min(frequent, RANKED_PHRASE));
	return { terms, phrases };
}

/**
 * Pages ranked by BM25 over the rare words only (their page lists are short), in order, each that matches the whole
 * query with its score. The whole query's matches are fetched once, unranked (intersecting page lists is cheap), and
 * the ranked pages are checked against them; when few pages match it, every one is a candidate, ranked by its rare
 * words' BM25 when known (below all of those when not).
 */
export function rankRareWords(
	ix: SearchIndex,
	query: ParsedQuery,
	match: string,
	rare: { terms: QueryTerm[]; phrases: string[] },
): { rowid: number; score: number }[] {
	const rareMatch = toFtsMatch({ ...query, terms: rare.terms, phrases: rare.phrases, excluded: [] }) as string;
	const ranked = ix
		.statement('SELECT rowid, rank FROM pages_fts WHERE pages_fts MATCH ? ORDER BY rank LIMIT ?')
		.all(rareMatch, RANKED_CANDIDATES) as { rowid: number; rank: number }[];
	const full = rareMatch === match ? null : matchingRowids(ix, match, FULL_MATCH_CAP);
	const bm25 = new Map<number, number>();
	for (const r of ranked) bm25.set(r.rowid, -r.rank);
	const floor = Math.min(0, ...bm25.values()) - 1;
	if (full) return full.map((rowid) => ({ rowid, score: bm25.get(rowid) ?? floor }));
	const check = ix.statement('SELECT 1 FROM pages_fts WHERE pages_fts MATCH ? AND rowid = CAST(? AS INTEGER)').pluck();
	return ranked
		.filter(({ rowid }) => rareMatch === match || check.get(match, rowid))
		.map(({ rowid, rank }) => ({ rowid, score: -rank }));
}

/** The page row ids matching an FTS5 expression, unranked; null when there are more than `cap`. */
function matchingRowids(ix: SearchIndex, match: string, cap: number): number[] | null {
	const rows = ix
		.statement('SELECT rowid FROM pages_fts WHERE pages_fts MATCH ? LIMIT ?')
		.pluck()
		.all(match, cap + 1) as number[];
	return rows.length > cap ? null : rows;
}
