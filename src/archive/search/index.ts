/**
 * The archive's search, its public entry: `ArchiveSearch` answers /search (search), a story's matching pages
 * (pagesOf) and autocomplete (suggest) over the index handle, with the rooms of this folder doing the work. A query
 * goes: parsed (query.ts) → a long copied line cut to its rarest words (copied-line.ts) → typos corrected
 * (typos.ts) and prefixes expanded (prefixes.ts) → filters (filters.ts) → stories ranked (rank.ts: lines.ts,
 * names.ts, rare-words.ts, sampled.ts, story-fields.ts, best-page.ts) → hits with snippets (hits.ts) → notes
 * (leave-out.ts, typos.ts). Design: docs/search.md.
 */
import type { ArchiveStore } from '../store.js';
import { PAGE_ROWID_SHIFT } from '../store.js';
import { RATINGS, type Rating } from '../types.js';
import { bestPages } from './best-page.js';
import { copiedLine, isCopiedLine, longLineWindow } from './copied-line.js';
import { allowedStories, filteredStories, type StoryFilter, type StorySet, storyFilter } from './filters.js';
import { SearchIndex, type SearchTuning } from './handle.js';
import { hit, narrowed, pageSnippet, type SearchHit, snippetGroups } from './hits.js';
import { leaveOut, withoutPart, withoutWords } from './leave-out.js';
import { LINE_BUDGET_MS, LINE_WORDS_MAX, SearchClock } from './line-budget.js';
import { findLine } from './lines.js';
import { expandPrefixes } from './prefixes.js';
import { contradicts, type ParsedQuery, parseQuery, queryWords, toFtsMatch } from './query.js';
import { rankStories } from './rank.js';
import { FREQUENT_SHARE } from './rare-words.js';
import { suggestStories } from './suggest.js';
import { tagParts } from './tags.js';
import { TypoBudget, type TypoScope } from './typo-budget.js';
import { correctTypos, displayCorrection, noStoryHas } from './typos.js';

export type { StoryFilter } from './filters.js';
export { storyFilter } from './filters.js';
export type { SearchTuning } from './handle.js';
export type { SearchHit, SnippetPart } from './hits.js';
export { editDistance } from './typos.js';

export interface SearchResults {
	hits: SearchHit[];
	/** Whether there are more stories after these. */
	more: boolean;
	/** The query as searched when a word matched nothing and was replaced ("Showing results for …"). */
	corrected?: string;
	/** What the user should know about the query (ignored parts, unknown rating, …). */
	notes: string[];
	/** When nothing matched because no page has all the words: the query without the one to leave out. */
	instead?: { query: string; without: string };
	/**
	 * A copied line's search ran out of its time (LINE_BUDGET_MS) before it tried all it could: the hits are what it
	 * had found by then.
	 */
	cutShort?: true;
}

export interface SearchOptions {
	offset?: number;
	limit?: number;
	/**
	 * The ratings whose text may be shown where the results go (the rating gate's): typo correction takes words only
	 * from stories of these ratings (and of the query's filters). Absent: every rating. Hits are not filtered by it
	 * (their titles are shown everywhere; the renderer hides the text).
	 */
	textRatings?: readonly Rating[];
}

/**
 * A phrase of at least this many words that matches nothing is tried again as its words: a pasted line often carries
 * its quote marks.
 */
const LOOSE_PHRASE_WORDS = 6;
/**
 * Stories whose pages holding a copied line are read, at most, when listing one story's pages for it: more find the
 * story's pages among more that hold the line, at more pages read.
 */
const STORY_LINE_STORIES = 25;
/** A story's matching pages read, at most, to list its best ("more from this story"): more choose better, a page read each. */
const STORY_PAGE_CANDIDATES = 40;

/**
 * Full-text search over the store. Finding matches is cheap in FTS5; ranking is what costs (BM25 walks each
 * term's whole list of pages), so no query ranks every matching page:
 * - the query's rare words (the vocabulary table knows every term's page count) are ranked by BM25 alone, a
 *   few hundred candidates, which are then checked against the whole query;
 * - a query of frequent words only is ranked by story first: for character names, by how central the
 *   character is to each story (precomputed at import); otherwise on a sample spread over the archive (so are
 *   prefixes and phrases on many pages);
 * - a prefix stands for its words in the vocabulary; a word that matches nothing for the word one typo away;
 * - a copied line is found through its rarest words, and checked in the text of the few pages holding them;
 * - one hit per story, its best page; titles, authors and summaries count above page text.
 */
export class ArchiveSearch {
	private readonly ix: SearchIndex;

	/** `options`: tuning overrides for tests and benchmarks (see SearchTuning). */
	constructor(store: ArchiveStore, options: SearchTuning = {}) {
		this.ix = new SearchIndex(store, options);
	}

	close(): void {
		this.ix.close();
	}

	search(typed: string, options: SearchOptions = {}): SearchResults {
		const ix = this.ix;
		const clock = this.clock();
		const offset = Math.max(0, options.offset ?? 0);
		const limit = Math.min(Math.max(1, options.limit ?? 5), 25);
		// A long copied line (a pasted paragraph) is searched by its rarest words in a row: more only cost.
		const whole = parseQuery(typed);
		const windowed = longLineWindow(ix, typed, whole);
		const input = windowed ?? typed;
		const parsed = windowed ? parseQuery(windowed) : whole;
		const notes = [...whole.notes];
		if (windowed)
			notes.push(`A long line: searched for the ${LINE_WORDS_MAX} of its words in a row that fewest pages hold.`);
		// It leaves out a word it asks for (the notes say so): there is nothing to look for.
		if (contradicts(parsed)) return { hits: [], more: false, notes };
		// A character on many pages is checked story by story; a rare one is looked up once. So are tags.
		const filter = storyFilter(
			parsed,
			(name) => ix.pageCount(name) > ix.pages() * FREQUENT_SHARE,
			tagParts(ix, parsed, notes, toFtsMatch(parsed) === null ? offset + limit + 1 : 0),
		);
		const scope = typoScope(ix, filter, options.textRatings);
		const { isLine, query, corrected, unknown, budget } = prepare(ix, parsed, notes, scope);
		const match = toFtsMatch(query);
		// Elsewhere every word must match: one that matches nothing is why there are no results (and in a line of
		// nothing but such words, there is nothing left to look for).
		if (unknown.size && (!isLine || !match)) notes.push(noStoryHas([...unknown]));
		if (!match) {
			if (!filter) {
				if (!notes.length) notes.push('Type some words to search for, or a filter such as author:name.');
				return { hits: [], more: false, notes };
			}
			const rows = filteredStories(ix, filter, limit, offset);
			return { hits: rows.slice(0, limit).map((id) => hit(ix, id, 1, 0, null)), more: rows.length > limit, notes };
		}
		const allowed = filter ? allowedStories(ix, filter) : null;
		if (allowed instanceof Set && allowed.size === 0) return { hits: [], more: false, notes };
		const line = isLine ? copiedLine(input, corrected, unknown) : null;
		const ranked = rankStories(ix, query, match, allowed, offset + limit + 1, line, budget, clock);
		let scored = ranked.stories;
		// A copied line found once a word of it was respelled: that word was a typo too, shown as corrected.
		const fixed = ranked.respelled ? new Map([...(corrected ?? []), ...ranked.respelled]) : corrected;
		let matched = match;
		let matchedQuery = query;
		if (!scored.length && !(line && clock.spent()) && query.phrases.join(' ').split(' ').length >= LOOSE_PHRASE_WORDS) {
			// A pasted line often carries its quote marks: nothing as phrases, so try its words.
			const words = query.phrases.flatMap((p) => p.split(' ')).map((text) => ({ text, prefix: false }));
			const loose = { ...query, terms: [...query.terms, ...words], phrases: [] };
			const looseMatch = toFtsMatch(loose);
			if (looseMatch) {
				scored = rankStories(ix, loose, looseMatch, allowed, offset + limit + 1).stories;
				matched = looseMatch;
				matchedQuery = loose;
			}
		}
		// Snippets mark what the hits matched: the words, when the retry found them.
		const page = scored.slice(offset, offset + limit);
		const groups = snippetGroups(ix, matchedQuery);
		const hits = page.map((s) =>
			hit(
				ix,
				s.storyId,
				s.page,
				s.score,
				s.snippet ??
					pageSnippet(ix, groups, s.storyId, s.page) ??
					narrowed(ix, matchedQuery, s.storyId, s.page) ??
					matched,
			),
		);
		// Words each on some page but never all on one: which to leave out (not for a line, which allows for that).
		const leftOut = !hits.length && !offset && !line && !filter && !unknown.size ? leaveOut(ix, query) : null;
		if (leftOut) notes.push(`No page has all of these words; without “${leftOut}”, some do.`);
		const instead = leftOut ? withoutPart(input, leftOut) : undefined;
		if (clock.stopped && !hits.length)
			notes.push('This line took too long to look for: try a shorter part of it, or its rarer words.');
		return {
			hits,
			more: scored.length > offset + limit,
			// (Spelled as a hit of the scope spells it: hits out of it are of stories whose text is hidden here.)
			...(fixed
				? {
						corrected: displayCorrection(
							ix,
							input,
							fixed,
							hits.find((h) => scope?.stories.has(h.storyId) ?? true),
						),
					}
				: {}),
			notes,
			...(leftOut && instead ? { instead: { query: instead, without: leftOut } } : {}),
			...(clock.stopped ? { cutShort: true as const } : {}),
		};
	}

	/** Every page of one story that matches, best first (the "more from this story" view). */
	pagesOf(storyId: number, typed: string, limit = 25): SearchHit[] {
		const ix = this.ix;
		const clock = this.clock();
		const whole = parseQuery(typed);
		const windowed = longLineWindow(ix, typed, whole);
		const input = windowed ?? typed;
		// Corrections from this story's words alone: its pages are all this looks at.
		const only: StoryFilter = { where: 'id = ?', params: [storyId], few: true };
		const scope = { filter: only, stories: new Set([storyId]) };
		const { isLine, query, corrected, unknown, budget } = prepare(
			ix,
			windowed ? parseQuery(windowed) : whole,
			undefined,
			scope,
		);
		const match = toFtsMatch(query);
		if (!match) return [];
		// A copied line: first the story's pages holding it (or most of it, past a typo), as search() found them.
		const lined = isLine
			? findLine(ix, copiedLine(input, corrected, unknown), STORY_LINE_STORIES, budget, clock)
					.hits.filter((h) => Math.floor(h.rowid / PAGE_ROWID_SHIFT) === storyId)
					.sort((a, b) => b.score - a.score || a.rowid - b.rowid)
					.map((h) => hit(ix, storyId, h.rowid % PAGE_ROWID_SHIFT, h.score, h.snippet ?? match))
			: [];
		const words = queryWords(query);
		const groups = snippetGroups(ix, query);
		const rest = bestPages(ix, storyId, match, words, limit, STORY_PAGE_CANDIDATES)
			.filter((p) => !lined.some((h) => h.page === p.page))
			.map((p) =>
				hit(
					ix,
					storyId,
					p.page,
					p.score,
					pageSnippet(ix, groups, storyId, p.page) ?? narrowed(ix, query, storyId, p.page) ?? match,
				),
			);
		return [...lined, ...rest].slice(0, limit);
	}

	/**
	 * Stories for autocomplete, at most 25: titles that start with what is typed, then stories where each typed word
	 * starts a word of the title or of the author's name, each group in title order (suggest.ts).
	 */
	suggest(prefix: string, limit = 25): { id: number; title: string; author: string | null }[] {
		return suggestStories(this.ix, prefix, limit);
	}

	/** A search's time budget for a copied line, from now. */
	private clock(): SearchClock {
		return new SearchClock(this.ix.tuning.lineBudgetMs ?? LINE_BUDGET_MS, this.ix.tuning.now);
	}
}

/**
 * A parsed query as it is searched: typos corrected, prefixes expanded (`notes` told of what they leave out), and
 * in a line copied from a story (five words or more: pages holding it word for word come first), a word that
 * matches nothing and has no correction left out rather than emptying the results.
 */
function prepare(
	ix: SearchIndex,
	parsed: ParsedQuery,
	notes?: string[],
	scope: TypoScope | null = null,
): {
	isLine: boolean;
	query: ParsedQuery;
	corrected?: Map<string, string>;
	unknown: Set<string>;
	/** What typo correction may still do for this query (a copied line's keys may be respelled later). */
	budget: TypoBudget;
} {
	const isLine = isCopiedLine(ix, parsed);
	const budget = new TypoBudget(scope);
	const { query: typed, corrected, unknown } = correctTypos(ix, parsed, budget, isLine);
	const query = expandPrefixes(ix, isLine && unknown.size ? withoutWords(typed, unknown) : typed, notes);
	return { isLine, query, ...(corrected ? { corrected } : {}), unknown, budget };
}

/**
 * The stories typo correction may take words from: those the query's filters allow, of the ratings whose text may be
 * shown where the results go. Null when that is every story (no check at all).
 */
function typoScope(ix: SearchIndex, filter: StoryFilter | null, ratings?: readonly Rating[]): TypoScope | null {
	const rated = ratings && !RATINGS.every((r) => ratings.includes(r));
	if (!filter && !rated) return null;
	const where = [
		...(filter ? [filter.where] : []),
		...(rated ? [`rating IN (${ratings.map(() => '?').join(', ') || 'NULL'})`] : []),
	];
	const scoped: StoryFilter = {
		where: where.join(' AND '),
		params: [...(filter?.params ?? []), ...(rated ? ratings : [])],
		few: filter?.few ?? false,
	};
	// (Its stories as a set only when asked for: most searches correct nothing.)
	let stories: StorySet | undefined;
	return {
		filter: scoped,
		get stories() {
			stories ??= allowedStories(ix, scoped);
			return stories;
		},
	};
}
