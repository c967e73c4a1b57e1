/**
 * Stories for a text query, best first, each with its best page: one ranking strategy chosen by the query (a copied
 * line, character names, rare words, a sample), title, author and summary matches added, one page per story.
 */
import { PAGE_ROWID_SHIFT } from '../store.js';
import { bestPages, scorePages } from './best-page.js';
import type { CopiedLine } from './copied-line.js';
import type { StorySet } from './filters.js';
import type { SearchIndex } from './handle.js';
import { type SearchClock, UNBOUNDED } from './line-budget.js';
import { findLine } from './lines.js';
import { characterNames, namesPage, rankByNames, STORIES_BY_NAME } from './names.js';
import { type ParsedQuery, queryWords, toFtsMatch } from './query.js';
import { frequentPages, rankRareWords, rareParts } from './rare-words.js';
import { rankSampled } from './sampled.js';
import type { Snippet } from './snippet.js';
import { storyFieldMatches } from './story-fields.js';
import type { TypoBudget } from './typo-budget.js';

/** The words of a prefix that samples and best pages look for: its most common (each costs a lookup per segment). */
const SAMPLE_TERMS = 8;

/** A story ranked for a query, at the page it opens. */
export interface Scored {
	storyId: number;
	page: number;
	score: number;
	/** Its snippet, when not made from the query's match. */
	snippet?: Snippet;
}

/**
 * Stories for a text query, best first, each with its best page; at least `wanted` when there are. Finding matches
 * is cheap in FTS5; ranking is what costs (BM25 walks each term's whole list of pages), so no query ranks every
 * matching page: a copied line is found through its rarest words (lines.ts); a query of character names by how
 * central they are (names.ts); the rare words of a query by BM25 (rare-words.ts); frequent words only on a sample
 * (sampled.ts).
 */
export function rankStories(
	ix: SearchIndex,
	query: ParsedQuery,
	match: string,
	allowed: StorySet | null,
	wanted: number,
	line: CopiedLine | null = null,
	budget: TypoBudget | null = null,
	clock: Pick<SearchClock, 'spent'> = UNBOUNDED,
): { stories: Scored[]; respelled?: Map<string, string> } {
	const frequent = frequentPages(ix);
	const rare = rareParts(ix, query, frequent);
	// Stories and their scores first; a story's best page is read only for the stories that are shown.
	const stories = new Map<number, { page?: number; score: number; titleOnly?: boolean; snippet?: Snippet }>();
	const add = (storyId: number, page: number | undefined, score: number, snippet?: Snippet) => {
		if (allowed && !allowed.has(storyId)) return;
		const current = stories.get(storyId);
		if (!current || score > current.score)
			stories.set(storyId, { score, ...(page === undefined ? {} : { page }), ...(snippet ? { snippet } : {}) });
	};
	const place = (rowid: number, score: number, snippet?: Snippet) =>
		add(Math.floor(rowid / PAGE_ROWID_SHIFT), rowid % PAGE_ROWID_SHIFT, score, snippet);
	// The matching pages of each story that a sample found: its best page is chosen among them.
	const sampledRows = new Map<number, number[]>();
	// Samples and best pages look for a prefix's most common words only (each term costs a lookup per index
	// segment and query); every page they find matches the prefix all the same.
	const sampleMatch =
		toFtsMatch({
			...query,
			terms: query.terms.map((t) => (t.expansion ? { ...t, expansion: t.expansion.slice(0, SAMPLE_TERMS) } : t)),
		}) ?? match;

	// A query of character names ("buffy", "buffy joyce"), one of them frequent: stories where they are central.
	// Words can be names in some stories and not others ("price", "land"): too few such stories, and the
	// query is ranked as words.
	const names = line ? null : characterNames(ix, query);
	// With a filter, only the stories it allows count: too few of them among those ranked by name, and the
	// query is ranked as words (which reads on for the filter's stories).
	const byCharacter = (
		names && ix.pageCount(names.at(-1) as string) > frequent
			? rankByNames(ix, names, allowed ? STORIES_BY_NAME : wanted)
			: []
	).filter(({ storyId }) => !allowed || allowed.has(storyId));
	// A copied line: the pages holding it (or most of it), found through its rarest words. When there are
	// any, they are the results, and the costlier ranking below is not needed.
	const found = line ? findLine(ix, line, wanted, budget, clock) : null;
	const lineHits = found?.hits ?? [];
	for (const h of lineHits) place(h.rowid, h.score, h.snippet);
	if (lineHits.length) {
		// Found: those are the results.
	} else if (line && clock.spent()) {
		// Out of time for this line: the ranking below walks the page lists of its words (a line of frequent words).
	} else if (byCharacter.length >= wanted) {
		for (const { storyId, score } of byCharacter) add(storyId, undefined, score);
	} else if (rare.terms.length || rare.phrases.length) {
		for (const { rowid, score } of rankRareWords(ix, query, match, rare)) place(rowid, score);
	} else {
		for (const { storyId, score, rows } of rankSampled(ix, sampleMatch, allowed, wanted)) {
			add(storyId, undefined, score);
			if (rows) sampledRows.set(storyId, rows);
		}
	}
	// Titles, authors and summaries weigh more than a page's text: their matches lead.
	for (const { storyId, bonus } of storyFieldMatches(ix, query, match, line)) {
		if (allowed && !allowed.has(storyId)) continue;
		const current = stories.get(storyId);
		if (current) current.score += bonus;
		else stories.set(storyId, { score: bonus, titleOnly: true });
	}

	const words = queryWords(query);
	const ranked: Scored[] = [];
	for (const [storyId, s] of [...stories].sort(([a, x], [b, y]) => y.score - x.score || a - b)) {
		if (ranked.length >= wanted) break;
		let page = s.page;
		let snippet = s.snippet;
		// A story found by names (or by title, for names) opens where they are, unless words are left out.
		const atNames = page === undefined && names && !query.excluded.length ? namesPage(ix, storyId, names) : undefined;
		if (atNames) ({ page, snippet } = atNames);
		if (page === undefined) {
			// A story that matches by title shows its best matching page, or its first.
			const rows = sampledRows.get(storyId);
			let best = rows ? scorePages(ix, rows, words, 1) : bestPages(ix, storyId, sampleMatch, words, 1);
			// (A story found by title alone may show its first page rather than pay for every word of a prefix,
			// unless the query excludes words: then the page shown must be one without them, or none.)
			const excludes = query.excluded.length > 0;
			if (!best.length && (excludes || (sampleMatch !== match && !s.titleOnly))) {
				best = bestPages(ix, storyId, match, words, 1);
			}
			page = best[0]?.page ?? (s.titleOnly && !excludes ? 1 : undefined);
			if (page === undefined) continue;
		}
		ranked.push({ storyId, page, score: s.score, ...(snippet ? { snippet } : {}) });
	}
	return { stories: ranked, ...(found?.respelled ? { respelled: found.respelled } : {}) };
}
