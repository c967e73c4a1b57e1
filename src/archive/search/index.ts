import type Database from 'better-sqlite3';
import { escapeMarkdown } from '../markdown.js';
import { type ArchiveStore, PAGE_ROWID_SHIFT, pageRowid, statementCache } from '../store.js';
import type { Rating } from '../types.js';
import { LINE_BUDGET_MS, LINE_WORDS_MAX, lineWindow, SearchClock, UNBOUNDED } from './line-budget.js';
import {
	contradicts,
	LINE_WORDS,
	type ParsedQuery,
	parseQuery,
	queryWords,
	ratingsAllowed,
	toFtsMatch,
	wordCount,
} from './query.js';
import { cutSnippet, type SnippetGroups } from './snippet.js';
import { Stemmer } from './stemmer.js';
import { TypoBudget } from './typo-budget.js';

export interface SearchHit {
	storyId: number;
	title: string;
	author: string | null;
	rating: Rating;
	/** The best matching page (1-based). */
	page: number;
	/** Higher is better; comparable within one search only. */
	score: number;
	/** About 200 characters around the match, Discord markdown escaped, the matched words in **bold**. */
	snippet: string;
}

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
}

/** The indexes a prefix can stand for words of: the pages', or the titles', authors' and summaries'. */
type PrefixIndex = 'pages' | 'stories';
const VOCABULARY: Record<PrefixIndex, string> = { pages: 'vocabulary', stories: 'story_vocabulary' };

/** Stories matched by the words typed that autocomplete sorts by title, at most. */
const SUGGEST_SORTED = 2000;
/** Candidates ranked by the index at most, for the rare words of a query. */
const RANKED_CANDIDATES = 400;
/** A word on more than this share of pages (or this many) is "frequent": too costly to rank with BM25. */
const FREQUENT_SHARE = 0.05;
const FREQUENT_MIN = 2000;
const FREQUENT_MAX = 4000;
/** Stories of a character read at most to rank a query of names. */
const CHARACTER_SCAN = 1000;
/** Stories ranked for a query of names, at most. */
const STORIES_BY_NAME = 300;
/** Stories that BM25 ranks by title, author and summary at most (it scores every story that matches). */
const STORY_RANKED = 500;
/** A shown story's matching pages read, at most, to choose its best page. */
const BEST_PAGE_CANDIDATES = 16;
/** Pages sampled (spread over the archive) for queries made only of frequent words that are not names. */
const SAMPLE_WINDOWS = 16;
const SAMPLE_PER_WINDOW = 25;
/** A query of more parts than this (words and phrases) that matches nothing is not told which to leave out. */
const LEAVE_OUT_PARTS = 6;
/** Fewer matches than this in the first window sampled, and the rest of the archive is read in two queries. */
const SAMPLE_RARE = 5;
/** Stories a sample stops at (or twice those wanted, if more). */
const SAMPLE_STORIES = 20;

// FTS5 ignores `rowid = ?` when the value is bound as a REAL, and better-sqlite3 binds every JS number as one,
// and it cannot seek for `rowid BETWEEN` REALs (SQLite filters every row after): row-id parameters are cast.
/** What holding a copied line word for word adds to a page's score. */
const LINE_BONUS = 50;
/** What holding a copied line exactly as typed (punctuation too, case aside) adds. */
const EXACT_BONUS = 10;
/** What holding it as typed but for quote marks around it all adds ("the end of the world" typed in quotes). */
const QUOTES_ASIDE_BONUS = 9;
/** Pages checked for holding a copied line (or most of it), at most per FTS5 query. */
const LINE_CANDIDATES = 200;
/**
 * Batches of LINE_CANDIDATES read of the pages holding a copied line's keys near each other, while none read holds the
 * line: more find a line most of which is repeated on many pages (issue 25, eight words of ten in a row on hundreds of
 * pages, the ten on one), at up to about 0.1 ms a page read and checked at 1 GB when there are that many.
 */
const LINE_BATCHES = 5;
/**
 * Pages read and checked for one copied line, at most, over all its queries (about 0.1 ms each at 1 GB): a line of
 * frequent words that no page holds read 718 pages in six queries, 0.8 s on a loaded machine. Past it, what was found.
 */
const LINE_PAGES_MAX = 600;
/**
 * Pages of a copied line's first query read and checked whatever the time (past them, while the search has time
 * left): where nearly every line that is on a page is found, at about 0.1-0.2 ms a page at 1 GB.
 */
const LINE_FIRST_PAGES = 50;
/** A copied line's rarest words that must all be on a candidate page, at most. */
const LINE_KEYS = 4;
/** A copied line's rarest words that must be near each other, when its keys are too common. */
const NEAR_KEYS = 5;
/** Stories whose pages holding a copied line are read, at most, when listing one story's pages for it. */
const STORY_LINE_STORIES = 25;
/**
 * How many times more pages a word one edit from a copied line's key must be on for the key to be taken for a typo
 * of it, when no page holds the line as typed ("ese", index term "es", on 38 pages: "see" on 20,000).
 */
const RESPELL_FACTOR = 20;
/** The share of a line's word pairs a page must hold to be shown for it when no page holds it all. */
const NEAR_SHARE = 0.5;
/**
 * A whole query matching at most this many pages has them all ranked (one unranked FTS5 query fetches them, about
 * 1.3 µs a page at 1 GB); past it, each ranked page is checked alone (about 0.1 ms each when another word is on
 * every page: 400 checks for "the bronze" took 40 ms). Above the most pages a rare word is on (FREQUENT_MAX),
 * so a query with one is always fetched whole.
 */
const FULL_MATCH_CAP = 8000;
/** What a title, author or summary match adds to a story's score: above any page's BM25. */
const TITLE_BONUS = 100;
/** The most index terms a prefix stands for (those on most pages). */
const PREFIX_TERMS = 32;
/**
 * A prefix whose words, or a phrase whose rarest word, are on more pages than these is ranked like a frequent word
 * (on a sample): BM25 over a phrase checks its words' positions on every page holding its rarest word, twice.
 */
const RANKED_PREFIX = 2000;
const RANKED_PHRASE = 300;
/**
 * Endings that complete a word a prefix may be the start of, to find the index terms of such words: "movi" may be
 * "moving" (term "move"), "slipp" "slipped" ("slip"), "definitel" "definitely" ("definit"). A prefix's last
 * letters up to ENDING_MAX may be the start of one.
 */
const ENDINGS = [
	's',
	'es',
	'ed',
	'ing',
	'e',
	'y',
	'ly',
	'ely',
	'ally',
	'ically',
	'ously',
	'fully',
	'ingly',
	'edly',
	'er',
	'est',
	'ies',
	'ied',
	'al',
	'ion',
	'ation',
	'ate',
	'ize',
	'ise',
	'ment',
	'ness',
	'iness',
	'ful',
	'ous',
	'ive',
	'ative',
	'ively',
	'ity',
	'ence',
	'ance',
	'able',
	'ible',
	'ism',
	'ist',
	'ent',
	'ant',
];
const ENDING_MAX = 5;
/** The words of a prefix that samples and best pages look for: its most common. */
const SAMPLE_TERMS = 8;
/** What a title or summary holding a copied line adds: less than a page holding it (the line is from a page). */
const LINE_TITLE_BONUS = 20;
/** Words that carry no subject, of 3 letters or more (typo correction offers nothing shorter). */
const FUNCTION_WORDS = `
	the and but nor for yet not are was were been being has had have does did can could will would shall should may
	might must its his her hers him she they them their theirs you your yours our ours who whom whose which what when
	where why how this that these those then than there here with from into onto upon over under off out about after
	before again also any all each both some such only own same too very just one
`
	.trim()
	.split(/\s+/);
const OPEN = '\u0001';
const CLOSE = '\u0002';
const SNIPPET_MARKS = { open: OPEN, close: CLOSE, ellipsis: '…' };
const NOTHING: ReadonlySet<string> = new Set();

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
	private readonly db: Database.Database;
	private readonly statement: (sql: string) => Database.Statement;
	private readonly stemmer = new Stemmer();
	private pageTotal: number | undefined;
	/** Corrections that are words as typed (one edit away), not index terms. */
	private readonly respelled = new Set<string>();
	private functionTerms: Set<string> | undefined;

	/**
	 * `frequentPages`: the page count above which a word counts as frequent (default: 5% of pages, at least 2,000).
	 * `lineCandidates`: pages checked per FTS5 query for a copied line (default 200; tests make it small).
	 * `rankedStories`: the most stories BM25 ranks by title, author and summary (default 500).
	 * `lineBudgetMs`: the time a search may spend on a copied line (default LINE_BUDGET_MS), on the clock `now`
	 * (default performance.now; tests give their own).
	 */
	constructor(
		private readonly store: ArchiveStore,
		private readonly options: {
			frequentPages?: number;
			lineCandidates?: number;
			rankedStories?: number;
			lineBudgetMs?: number;
			now?: () => number;
		} = {},
	) {
		this.db = store.db;
		// Its own statements: some are set to pluck, which would change the store's statements of the same text.
		this.statement = statementCache(store.db);
	}

	close(): void {
		this.stemmer.close();
	}

	search(typed: string, options: SearchOptions = {}): SearchResults {
		const clock = this.clock();
		const offset = Math.max(0, options.offset ?? 0);
		const limit = Math.min(Math.max(1, options.limit ?? 5), 25);
		// A long copied line (a pasted paragraph) is searched by its rarest words in a row: more only cost.
		const whole = parseQuery(typed);
		const windowed = this.lineWindow(typed, whole);
		const input = windowed ?? typed;
		const parsed = windowed ? parseQuery(windowed) : whole;
		const notes = [...whole.notes];
		if (windowed)
			notes.push(`A long line: searched for the ${LINE_WORDS_MAX} of its words in a row that fewest pages hold.`);
		// It leaves out a word it asks for (the notes say so): there is nothing to look for.
		if (contradicts(parsed)) return { hits: [], more: false, notes };
		// A character on many pages is checked story by story; a rare one is looked up once.
		const filter = storyFilter(parsed, (name) => this.pageCount(name) > this.pages() * FREQUENT_SHARE);
		const { isLine, query, corrected, unknown, budget } = this.prepare(parsed, notes);
		const match = toFtsMatch(query);
		// Elsewhere every word must match: one that matches nothing is why there are no results (and in a line of
		// nothing but such words, there is nothing left to look for).
		if (unknown.size && (!isLine || !match)) notes.push(noStoryHas([...unknown]));
		if (!match) {
			if (!filter) {
				if (!notes.length) notes.push('Type some words to search for, or a filter such as author:name.');
				return { hits: [], more: false, notes };
			}
			// Filters alone: one ordered, paged query along the listing index, which stops after one page of results
			// when the filter is common; no set of every allowed story is built.
			const rows = this.statement(
				`SELECT id FROM stories INDEXED BY stories_listing WHERE ${filter.where} ORDER BY title COLLATE NOCASE, id LIMIT ? OFFSET ?`,
			)
				.pluck()
				.all(...filter.params, limit + 1, offset) as number[];
			return { hits: rows.slice(0, limit).map((id) => this.hit(id, 1, 0, null)), more: rows.length > limit, notes };
		}
		const allowed = filter ? this.allowedStories(filter) : null;
		if (allowed instanceof Set && allowed.size === 0) return { hits: [], more: false, notes };
		const line = isLine ? copiedLine(input, corrected, unknown) : null;
		const ranked = this.rankStories(query, match, allowed, offset + limit + 1, line, budget, clock);
		let scored = ranked.stories;
		// A copied line found once a word of it was respelled: that word was a typo too, shown as corrected.
		const fixed = ranked.respelled ? new Map([...(corrected ?? []), ...ranked.respelled]) : corrected;
		let matched = match;
		let matchedQuery = query;
		if (!scored.length && !(line && clock.spent()) && query.phrases.join(' ').split(' ').length >= 6) {
			// A pasted line often carries its quote marks: nothing as phrases, so try its words.
			const words = query.phrases.flatMap((p) => p.split(' ')).map((text) => ({ text, prefix: false }));
			const loose = { ...query, terms: [...query.terms, ...words], phrases: [] };
			const looseMatch = toFtsMatch(loose);
			if (looseMatch) {
				scored = this.rankStories(loose, looseMatch, allowed, offset + limit + 1).stories;
				matched = looseMatch;
				matchedQuery = loose;
			}
		}
		// Snippets bold what the hits matched: the words, when the retry found them.
		const page = scored.slice(offset, offset + limit);
		const groups = this.snippetGroups(matchedQuery);
		const hits = page.map((s) =>
			this.hit(
				s.storyId,
				s.page,
				s.score,
				s.snippet ??
					this.pageSnippet(groups, s.storyId, s.page) ??
					this.narrowed(matchedQuery, s.storyId, s.page) ??
					matched,
			),
		);
		// Words each on some page but never all on one: which to leave out (not for a line, which allows for that).
		const leftOut = !hits.length && !offset && !line && !filter && !unknown.size ? this.leaveOut(query) : null;
		if (leftOut) notes.push(`No page has all of these words; without “${leftOut}”, some do.`);
		const instead = leftOut ? withoutPart(input, leftOut) : undefined;
		if (clock.stopped && !hits.length)
			notes.push('This line took too long to look for: try a shorter part of it, or its rarer words.');
		return {
			hits,
			more: scored.length > offset + limit,
			...(fixed ? { corrected: this.displayCorrection(input, fixed, hits[0]) } : {}),
			notes,
			...(leftOut && instead ? { instead: { query: instead, without: leftOut } } : {}),
			...(clock.stopped ? { cutShort: true as const } : {}),
		};
	}

	/** A search's time budget for a copied line, from now. */
	private clock(): SearchClock {
		return new SearchClock(this.options.lineBudgetMs ?? LINE_BUDGET_MS, this.options.now);
	}

	/** A copied line of more than LINE_WORDS_MAX words cut to its rarest words in a row (filters kept); else null. */
	private lineWindow(input: string, parsed: ParsedQuery): string | null {
		if (wordCount(parsed) <= LINE_WORDS_MAX || !this.isCopiedLine(parsed)) return null;
		const keep = [...input.matchAll(FILTER_TOKEN)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
		return lineWindow(input, (word) => this.pageCount(word), this.pages(), keep);
	}

	/**
	 * A parsed query as it is searched: typos corrected, prefixes expanded (`notes` told of what they leave out), and
	 * in a line copied from a story (five words or more: pages holding it word for word come first), a word that
	 * matches nothing and has no correction left out rather than emptying the results.
	 */
	private prepare(
		parsed: ParsedQuery,
		notes?: string[],
	): {
		isLine: boolean;
		query: ParsedQuery;
		corrected?: Map<string, string>;
		unknown: Set<string>;
		/** What typo correction may still do for this query (a copied line's keys may be respelled later). */
		budget: TypoBudget;
	} {
		const isLine = this.isCopiedLine(parsed);
		const budget = new TypoBudget();
		const { query: typed, corrected, unknown } = this.correctTypos(parsed, budget, isLine);
		const query = this.expandPrefixes(isLine && unknown.size ? withoutWords(typed, unknown) : typed, notes);
		return { isLine, query, ...(corrected ? { corrected } : {}), unknown, budget };
	}

	/**
	 * Whether a query looks like a line copied from a story: five words or more, no prefix, nothing left out, and not
	 * a list of characters ("buffy willow xander giles anya": the stories they are all in, not a page saying that).
	 */
	private isCopiedLine(query: ParsedQuery): boolean {
		return (
			wordCount(query) >= LINE_WORDS &&
			!query.terms.some((t) => t.prefix) &&
			!query.excluded.length &&
			!this.characterNames(query)
		);
	}

	/**
	 * For a query of words (and phrases) that no page holds all of, the rarest whose leaving out finds pages
	 * ("sunnydale"; a phrase in quotes, a prefix with its star). Null when none does, or the query has one part or
	 * many.
	 */
	private leaveOut(query: ParsedQuery): string | null {
		if (query.terms.length + query.phrases.length < 2 || query.terms.length + query.phrases.length > LEAVE_OUT_PARTS)
			return null;
		const parts = [
			...query.terms.map((t, i) => ({
				shown: t.prefix ? `${t.text}*` : t.text,
				i,
				phrase: false,
				pages: this.pageCount(t.text, t.prefix),
			})),
			...query.phrases.map((p, i) => ({ shown: `"${p}"`, i, phrase: true, pages: this.pageCount(p) })),
		].sort((a, b) => a.pages - b.pages);
		const any = this.statement('SELECT 1 FROM pages_fts WHERE pages_fts MATCH ? LIMIT 1').pluck();
		for (const part of parts) {
			const rest = toFtsMatch({
				...query,
				terms: part.phrase ? query.terms : query.terms.filter((_, i) => i !== part.i),
				phrases: part.phrase ? query.phrases.filter((_, i) => i !== part.i) : query.phrases,
			});
			if (rest && any.get(rest) !== undefined) return part.shown;
		}
		return null;
	}

	/**
	 * A query's match for one page, its prefixes standing only for the terms found in the page's text (for the
	 * snippet: each term FTS5 is given costs a lookup in every index segment). Null when nothing to narrow.
	 */
	private narrowed(query: ParsedQuery, storyId: number, page: number): string | Snippet | null {
		if (!query.terms.some((t) => (t.expansion?.length ?? 0) > 1)) return null;
		const text = this.pageText(pageRowid(storyId, page)) ?? '';
		if (!query.phrases.length && query.terms.every((t) => t.expansion?.length)) {
			// Prefixes alone: the snippet is cut here, around the words that start with them.
			const starts = query.terms.flatMap((t) => {
				const stands = this.prefixTerms(t.text);
				return stands ? [...stands.starts, ...stands.terms] : [this.stemmer.stems(t.text)[0] ?? t.text];
			});
			const snippet = prefixSnippet(text, starts);
			if (snippet) return snippet;
		}
		const lower = text.toLowerCase();
		const terms = query.terms.map((t) => {
			const found = t.expansion?.filter((word) => lower.includes(this.stemmer.stems(word)[0] ?? word));
			return found?.length ? { ...t, expansion: found } : t;
		});
		return toFtsMatch({ ...query, terms });
	}

	/**
	 * What the hits' snippets look for, cut from their pages' text rather than by FTS5 (which looks each term up in
	 * every index segment): each word's and phrase's index terms. Null for a query with prefixes (their snippets
	 * are cut by `narrowed`) or without words.
	 */
	private snippetGroups(query: ParsedQuery): SnippetGroups | null {
		if (query.terms.some((t) => t.prefix)) return null;
		const groups = [...query.terms.map((t) => t.text), ...query.phrases]
			.map((words) => this.stemmer.stems(words))
			.filter((stems) => stems.length > 0)
			.map((stems) => [stems]);
		return groups.length ? groups : null;
	}

	/** A hit's snippet cut from its page's text; undefined when the text does not show the words (FTS5 then cuts it). */
	private pageSnippet(groups: SnippetGroups | null, storyId: number, page: number): Snippet | undefined {
		if (!groups) return undefined;
		const text = this.pageText(pageRowid(storyId, page));
		if (text === undefined) return undefined;
		const raw = cutSnippet(text, groups, (words) => this.stemmer.stemEach(words), SNIPPET_MARKS);
		return raw === undefined ? undefined : { text: formatSnippet(raw) };
	}

	/** A page's text, by its row id. */
	private pageText(rowid: number): string | undefined {
		return this.statement('SELECT text FROM pages WHERE id = ?').pluck().get(rowid) as string | undefined;
	}

	/** Every page of one story that matches, best first (the "more from this story" view). */
	pagesOf(storyId: number, typed: string, limit = 25): SearchHit[] {
		const clock = this.clock();
		const whole = parseQuery(typed);
		const windowed = this.lineWindow(typed, whole);
		const input = windowed ?? typed;
		const { isLine, query, corrected, unknown, budget } = this.prepare(windowed ? parseQuery(windowed) : whole);
		const match = toFtsMatch(query);
		if (!match) return [];
		// A copied line: first the story's pages holding it (or most of it, past a typo), as search() found them.
		const lined = isLine
			? this.findLine(copiedLine(input, corrected, unknown), STORY_LINE_STORIES, budget, clock)
					.hits.filter((h) => Math.floor(h.rowid / PAGE_ROWID_SHIFT) === storyId)
					.sort((a, b) => b.score - a.score || a.rowid - b.rowid)
					.map((h) => this.hit(storyId, h.rowid % PAGE_ROWID_SHIFT, h.score, h.snippet ?? match))
			: [];
		const words = queryWords(query);
		const groups = this.snippetGroups(query);
		const rest = this.bestPages(storyId, match, words, limit, 40)
			.filter((p) => !lined.some((h) => h.page === p.page))
			.map((p) =>
				this.hit(
					storyId,
					p.page,
					p.score,
					this.pageSnippet(groups, storyId, p.page) ?? this.narrowed(query, storyId, p.page) ?? match,
				),
			);
		return [...lined, ...rest].slice(0, limit);
	}

	/**
	 * Stories for autocomplete, at most 25: titles that start with what is typed, then stories where each typed word
	 * starts a word of the title or of the author's name ("sunny" finds Bleeding Sunnydale, "sarah" Sarah Sinclair's),
	 * each group in title order.
	 */
	suggest(prefix: string, limit = 25): { id: number; title: string; author: string | null }[] {
		type Row = { id: number; title: string; author: string | null };
		const text = prefix.trim().slice(0, 100);
		const max = Math.min(limit, 25);
		if (!text) {
			return this.statement('SELECT id, title, author FROM stories ORDER BY title COLLATE NOCASE, id LIMIT ?').all(
				max,
			) as Row[];
		}
		// One range of the listing index (titles in order, case aside), however many stories there are.
		const rows = this.statement(
			`SELECT id, title, author FROM stories INDEXED BY stories_listing
				WHERE title >= ? COLLATE NOCASE AND title < ? COLLATE NOCASE ORDER BY title COLLATE NOCASE, id LIMIT ?`,
		).all(text, `${text}\uffff`, max) as Row[];
		const words = text
			.split(/\s+/)
			.filter((word) => /[\p{L}\p{N}]/u.test(word))
			.map((word) => `"${word.replaceAll('"', '""')}" *`);
		if (rows.length < max && words.length) {
			const seen = new Set(rows.map((r) => r.id));
			// In title order: at most the first SUGGEST_SORTED stories that match (by id) are read and sorted, so a
			// short start of a common name costs no more than that (more letters narrow it).
			const more = this.statement(
				`SELECT s.id, s.title, s.author
					FROM (SELECT rowid FROM story_words WHERE story_words MATCH ? LIMIT ${SUGGEST_SORTED}) w
					JOIN stories s ON s.id = w.rowid ORDER BY s.title COLLATE NOCASE, s.id LIMIT ?`,
			).all(`{title author} : (${words.join(' AND ')})`, max + rows.length) as Row[];
			for (const row of more) if (!seen.has(row.id) && rows.length < max) rows.push(row);
		}
		return rows;
	}

	/**
	 * The stories a filter allows, for checking text hits against. A filter with a part that names few stories (a
	 * rare character, title words) is looked up once, as a set. Any other (a rating, an author, a common character) is
	 * checked story by story as hits come, each story once: its set would be most of the archive, 10 to 70 ms to
	 * build at 1 GB for the few hundred stories a query looks at.
	 */
	private allowedStories(filter: StoryFilter): StorySet {
		if (filter.few) {
			return new Set(
				this.statement(`SELECT id FROM stories WHERE ${filter.where}`)
					.pluck()
					.all(...filter.params) as number[],
			);
		}
		const check = this.statement(`SELECT 1 FROM stories WHERE id = ? AND ${filter.where}`).pluck();
		const known = new Map<number, boolean>();
		return {
			has(storyId) {
				let allowed = known.get(storyId);
				if (allowed === undefined) {
					allowed = check.get(storyId, ...filter.params) === 1;
					known.set(storyId, allowed);
				}
				return allowed;
			},
		};
	}

	/** Pages in the index (for what counts as a frequent word): summed per story, not counted row by row (350 ms at 1 GB). */
	private pages(): number {
		this.pageTotal ??= this.store.totals().pages || 1;
		return this.pageTotal;
	}

	/** How many pages hold a word (its stems: the rarest of them), or a prefix's words, from the vocabulary table. */
	private pageCount(word: string, prefix = false): number {
		const stems = this.stemmer.stems(word);
		if (!stems.length) return 0;
		if (prefix) {
			const { starts, terms } = this.prefixTerms(word) ?? { starts: [stems.at(-1) as string], terms: [] };
			const sum = this.statement('SELECT coalesce(sum(pages), 0) FROM vocabulary WHERE term >= ? AND term < ?').pluck();
			const pages = this.statement('SELECT pages FROM vocabulary WHERE term = ?').pluck();
			return (
				starts.reduce((n, start) => n + (sum.get(start, `${start}\uffff`) as number), 0) +
				terms.reduce((n, term) => n + ((pages.get(term) as number | undefined) ?? 0), 0)
			);
		}
		let fewest = Number.POSITIVE_INFINITY;
		for (const stem of stems) {
			const n = (this.statement('SELECT pages FROM vocabulary WHERE term = ?').pluck().get(stem) as number) ?? 0;
			fewest = Math.min(fewest, n);
		}
		return fewest;
	}

	/**
	 * The index terms a prefix stands for: those that start with it as typed (case and accents folded), since the
	 * term of a word mostly starts as the word does ("sunny" → "sunnydal"); those that start with its stem, as FTS5
	 * would take it ("leave" → "leav"); and the terms of the words it may be the start of, which it can run past
	 * ("movi" of "moving": "move"). `starts` are where ranges of terms start (none the start of another), `terms`
	 * single terms outside them. Null for a prefix of several tokens.
	 */
	private prefixTerms(prefix: string, index: PrefixIndex = 'pages'): { starts: string[]; terms: string[] } | null {
		const stems = this.stemmer.stems(prefix);
		if (stems.length !== 1) return null;
		const stem = stems[0] as string;
		const typed = prefix.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
		if (!/^\p{L}+$/u.test(typed)) return { starts: [stem], terms: [] };
		const starts = typed.startsWith(stem) ? [stem] : stem.startsWith(typed) ? [typed] : [stem, typed];
		// Words it may be the start of: its last letters (or none) as the start of an ending, the ending completed.
		const words = new Set<string>();
		for (let cut = Math.max(1, typed.length - ENDING_MAX); cut <= typed.length; cut++) {
			const partial = typed.slice(cut);
			for (const ending of ENDINGS) if (ending.startsWith(partial)) words.add(typed.slice(0, cut) + ending);
		}
		const exists = this.statement(`SELECT 1 FROM ${VOCABULARY[index]} WHERE term = ?`).pluck();
		const terms = [...new Set(this.stemmer.stemEach([...words]))].filter(
			(term): term is string =>
				term !== undefined && !starts.some((s) => term.startsWith(s)) && exists.get(term) !== undefined,
		);
		return { starts, terms };
	}

	/**
	 * Prefixes replaced by the index terms they stand for, from the vocabulary table (see prefixTerms): all of them,
	 * or the PREFIX_TERMS on most pages (with a note) when there are more. Without FTS5 merging every term's page
	 * list on each query, and with the words FTS5's own prefix query misses ("sunny*" is "sunni*" to it).
	 */
	private expandPrefixes(query: ParsedQuery, notes?: string[], index: PrefixIndex = 'pages'): ParsedQuery {
		if (!query.terms.some((t) => t.prefix)) return query;
		const terms = query.terms.map((t) => {
			// A prefix of several tokens ("e-ma*") is a phrase ending in a prefix: left to FTS5.
			const stands = t.prefix ? this.prefixTerms(t.text, index) : null;
			if (!stands) return t;
			// (Terms are ranked by the pages, or the stories' fields, that hold them.)
			const [table, count] = [VOCABULARY[index], index === 'pages' ? 'pages' : 'sum(stories)'];
			const range = this.statement(
				`SELECT term, ${count} AS pages FROM ${table} WHERE term >= ? AND term < ? GROUP BY term
					ORDER BY pages DESC, term LIMIT ?`,
			);
			const single = this.statement(`SELECT term, ${count} AS pages FROM ${table} WHERE term = ? GROUP BY term`);
			const found = (
				[
					...stands.starts.flatMap((start) => range.all(start, `${start}\uffff`, PREFIX_TERMS + 1)),
					...stands.terms.map((term) => single.get(term)),
				] as { term: string; pages: number }[]
			)
				.sort((a, b) => b.pages - a.pages || (a.term < b.term ? -1 : 1))
				.map((r) => r.term);
			if (found.length > PREFIX_TERMS) {
				found.length = PREFIX_TERMS;
				notes?.push(`${t.text}* stands for more than ${PREFIX_TERMS} words: searched the ${PREFIX_TERMS} most common.`);
			}
			// Each term as a word that the tokenizer stems to it; a term with no such word leaves the prefix to FTS5.
			const expansion = this.stemmer.spellings(found);
			if (expansion.some((w) => w === undefined)) return t;
			return { ...t, expansion: expansion as string[] };
		});
		return { ...query, terms };
	}

	/**
	 * Words that match nothing replaced by the archive's closest frequent word (edit distance 1, or 2 for
	 * longer words): "spkie" → "spike". Returns the query to run and the replacements made. Only in a copied line
	 * may a word be corrected to a function word ("iwth" to "with"): the line holds it, word for word.
	 */
	private correctTypos(
		query: ParsedQuery,
		budget: TypoBudget,
		line = false,
	): {
		query: ParsedQuery;
		corrected?: Map<string, string>;
		/** Words that match nothing and have no correction. */
		unknown: Set<string>;
	} {
		const corrected = new Map<string, string>();
		const unknown = new Set<string>();
		const avoid = line ? NOTHING : this.functionStems();
		const fix = (word: string): string => {
			// A word of a title, an author's name or a summary is no typo, even when no page holds it ("night owl").
			if (this.pageCount(word) > 0 || this.inStoryFields(word)) return word;
			const replacement = this.respell(word.toLowerCase(), avoid, budget);
			if (!replacement) {
				unknown.add(word);
				return word;
			}
			corrected.set(word, replacement);
			return replacement;
		};
		const terms = query.terms.map((t) => (t.prefix ? t : { ...t, text: fix(t.text) }));
		const phrases = query.phrases.map((p) => p.split(' ').map(fix).join(' '));
		if (!corrected.size) return { query, unknown };
		return { query: { ...query, terms, phrases }, corrected, unknown };
	}

	/**
	 * The word a typed word that matches nothing most likely meant. The commonest typos are one edit away from
	 * the word, so those candidates are looked up first (each stemmed, as the index would, and found in the
	 * vocabulary): two neighbouring letters swapped, then a letter dropped, then one replaced or added. Within one
	 * kind of edit the candidate on most pages wins. Words run together ("sixfootthree", as a copy that lost the
	 * hyphens has them) are taken apart instead when each is a word as the index keeps it, the rarest of them is on
	 * more pages than that candidate and a page has them in a row ("andand": "and and", not the name "anand"; but
	 * "belivee" is "believe", not "be livee", whose "livee" the index would take for "live"). Failing all of them, the closest index term (edit distance 2).
	 * Never one of the index terms to `avoid`. Null also when the query's budget for corrections is spent.
	 */
	private respell(word: string, avoid: ReadonlySet<string>, budget: TypoBudget): string | null {
		const letters = /^\p{L}{3,}$/u.test(word) && TypoBudget.fits(word);
		const respelled = letters ? this.respellOneEdit(word, avoid, budget) : null;
		const joined = this.splitJoined(word, budget);
		if (
			joined &&
			(!respelled || (joined.plain && joined.pages > this.pageCount(respelled) && this.onSomePage(joined.words)))
		)
			return joined.words;
		if (respelled) {
			this.rememberRespelled(respelled);
			return respelled;
		}
		return letters ? this.closestTerm(word, avoid, budget) : null;
	}

	/**
	 * A word that matches nothing as the two or three words it may be, run together ("sixfootthree" copied from
	 * "six-foot-three", "goodtempered", "andand"): the fewest words, each on a page (two letters at least, or a
	 * number), those on most pages, with the pages the rarest of them is on. Null when there are none; each piece
	 * looked up counts against the budget.
	 */
	private splitJoined(word: string, budget: TypoBudget): { words: string; pages: number; plain: boolean } | null {
		if (word.length < 4 || !TypoBudget.fits(word) || !/^[\p{L}\p{N}]+$/u.test(word)) return null;
		const pieces: string[] = [];
		for (let i = 0; i < word.length; i++)
			for (let j = i + 2; j <= word.length; j++) if (j - i < word.length) pieces.push(word.slice(i, j));
		for (let i = 0; i < word.length; i++) if (/^\p{N}$/u.test(word.charAt(i))) pieces.push(word.charAt(i));
		if (!budget.candidates(pieces.length)) return null;
		const stems = this.stemmer.stemEach(pieces);
		const pagesOf = this.termPages(stems.filter((stem) => stem !== undefined));
		const pages = new Map(pieces.map((piece, i) => [piece, pagesOf.get(stems[i] ?? '') ?? 0]));
		const on = (piece: string) => pages.get(piece) ?? 0;
		let best: { words: string[]; pages: number } | null = null;
		const consider = (words: string[]) => {
			const fewest = Math.min(...words.map(on));
			if (
				fewest > 0 &&
				(!best || words.length < best.words.length || (words.length === best.words.length && fewest > best.pages))
			)
				best = { words, pages: fewest };
		};
		for (let i = 1; i < word.length; i++) consider([word.slice(0, i), word.slice(i)]);
		// (Three words only of three letters or more each: "spokesibrd" is not "spokes ib rd".)
		const long = (piece: string) => piece.length >= 3 || /^\p{N}+$/u.test(piece);
		if (!best)
			for (let i = 3; i < word.length; i++)
				for (let j = i + 1; j < word.length; j++) {
					const three = [word.slice(0, i), word.slice(i, j), word.slice(j)];
					if (three.every(long)) consider(three);
				}
		const found = best as { words: string[]; pages: number } | null;
		// Whether each is its own index term ("six", "foot"; not "livee", which the index keeps as "live").
		const plain = found?.words.every((piece) => stems[pieces.indexOf(piece)] === piece) ?? false;
		return found && { words: found.words.join(' '), pages: found.pages, plain };
	}

	/** Whether a page holds these words in a row. */
	private onSomePage(words: string): boolean {
		return (
			this.statement('SELECT 1 FROM pages_fts WHERE pages_fts MATCH ? LIMIT 1').get(phraseLiteral(words)) !== undefined
		);
	}

	/** Notes a correction that is a word as typed, not an index term (shown as it is: `displayCorrection`). */
	private rememberRespelled(word: string): void {
		this.respelled.add(word);
		if (this.respelled.size > 10_000) this.respelled.clear();
	}

	/**
	 * The index terms of English function words: not what a misspelt word of a query is corrected to. They are on
	 * nearly every page, so a query corrected to one ("the end" to "the and", where no page says "end") finds
	 * everything.
	 */
	private functionStems(): Set<string> {
		this.functionTerms ??= new Set(this.stemmer.stemEach(FUNCTION_WORDS).filter((t) => t !== undefined));
		return this.functionTerms;
	}

	/** Whether a word is in any story's title, author or summary. */
	private inStoryFields(word: string): boolean {
		const literal = `"${word.replace(/"/g, '""')}"`;
		return this.statement('SELECT 1 FROM stories_fts WHERE stories_fts MATCH ? LIMIT 1').get(literal) !== undefined;
	}

	/** The word one edit away on most pages (see respell); null when none, or past the budget. */
	private respellOneEdit(word: string, avoid: ReadonlySet<string>, budget: TypoBudget): string | null {
		if (!TypoBudget.fits(word)) return null;
		// A short word is not respelled shorter still: "owl" is not a typo of "ow".
		for (const kind of oneEdit(word)) {
			if (!budget.candidates(kind.most)) return null;
			const candidates = kind.make().filter((c) => c.length >= 3);
			const stems = this.stemmer.stemEach(candidates);
			const pagesOf = this.termPages(stems.filter((stem) => stem !== undefined));
			let best: { word: string; pages: number } | null = null;
			for (const [i, stem] of stems.entries()) {
				if (stem === undefined || avoid.has(stem)) continue;
				const pages = pagesOf.get(stem) ?? 0;
				if (pages > (best?.pages ?? 0)) best = { word: candidates[i] as string, pages };
			}
			if (best) return best.word;
		}
		return null;
	}

	/**
	 * The pages each of these terms is on, for those in the index: in one statement (a thousand lookups one by one
	 * cost ten times as much, most of it in crossing into SQLite and back).
	 */
	private termPages(terms: readonly string[]): Map<string, number> {
		const rows = this.statement(
			'SELECT term, pages FROM vocabulary WHERE term IN (SELECT value FROM json_each(?))',
		).all(JSON.stringify([...new Set(terms)])) as { term: string; pages: number }[];
		return new Map(rows.map((r) => [r.term, r.pages]));
	}

	/** The most frequent vocabulary term within edit distance of a word that is not in the index. */
	private closestTerm(word: string, avoid: ReadonlySet<string>, budget: TypoBudget): string | null {
		if (!budget.scan()) return null;
		// Two edits only in a longer word: "happy" is not a typo of "happen".
		const maxDistance = word.length <= 5 ? 1 : 2;
		const stem = this.stemmer.stems(word)[0] ?? word;
		let best: { term: string; distance: number; pages: number } | null = null;
		// Typos rarely change the first letter; looking only among terms that start with it (or with the first two
		// letters swapped: "rpoteomic") keeps this two small range scans.
		const range = this.statement(
			'SELECT term, pages FROM vocabulary WHERE term >= ? AND term < ? AND length(term) BETWEEN ? AND ?',
		);
		// Nor two letters dropped or added: "pancakes" (its term "pancak") is no typo of "packing" ("pack").
		// Each term compared is spent from the budget; past it, the best found so far.
		const swapped = stem.charAt(1) + stem.charAt(0);
		for (const start of new Set([stem.charAt(0), swapped])) {
			const rows = range.iterate(start, `${start}\uffff`, stem.length - 1, stem.length + 1) as Iterable<{
				term: string;
				pages: number;
			}>;
			for (const { term, pages } of rows) {
				if (!budget.term()) return best?.term ?? null;
				const distance = editDistance(stem, term, maxDistance);
				// Only terms the tokenizer keeps as they are: a term it would stem again ("applaus" → "applau")
				// finds nothing once put back into a query.
				if (distance <= maxDistance && this.stemmer.stems(term)[0] !== term) continue;
				if (distance > maxDistance || avoid.has(term)) continue;
				if (!best || distance < best.distance || (distance === best.distance && pages > best.pages)) {
					best = { term, distance, pages };
				}
			}
		}
		return best?.term ?? null;
	}

	/** "Showing results for …": what the user typed, each replaced word spelled as the first hit spells it. */
	private displayCorrection(input: string, corrected: Map<string, string>, first: SearchHit | undefined): string {
		let shown = input.trim();
		for (const [typed, stem] of corrected) {
			let word = stem;
			// A respelled word is shown as it is; an index term (a stem: "applaud") as the hit spells it.
			if (first && this.stemmer.stems(stem)[0] === stem && !this.respelled.has(stem)) {
				const text = this.statement(
					`SELECT highlight(pages_fts, 0, '${OPEN}', '${CLOSE}') FROM pages_fts WHERE pages_fts MATCH ? AND rowid = CAST(? AS INTEGER)`,
				)
					.pluck()
					.get(`"${stem}"`, pageRowid(first.storyId, first.page)) as string | undefined;
				const found = text?.match(new RegExp(`${OPEN}([^${CLOSE}]+)${CLOSE}`))?.[1];
				if (found) word = found.toLowerCase();
			}
			shown = shown.replace(wordPattern(typed, 'g'), word);
		}
		return shown;
	}

	/** Stories for a text query, best first, each with its best page; at least `wanted` when there are. */
	private rankStories(
		query: ParsedQuery,
		match: string,
		allowed: StorySet | null,
		wanted: number,
		line: CopiedLine | null = null,
		budget: TypoBudget | null = null,
		clock: Pick<SearchClock, 'spent'> = UNBOUNDED,
	): { stories: Scored[]; respelled?: Map<string, string> } {
		// BM25 costs by the pages it scores, not by their share: past FREQUENT_MAX pages a word is ranked on a
		// sample however large the archive ('window' is on 2.8% of 650,000 pages: 90 ms to rank them all).
		const frequent =
			this.options.frequentPages ?? Math.min(FREQUENT_MAX, Math.max(FREQUENT_MIN, this.pages() * FREQUENT_SHARE));
		// A prefix or a phrase is ranked by BM25 only when on few pages: BM25 walks the page lists of each of a
		// prefix's words, and checks a phrase's word positions on every page that holds its words.
		const rareTerms = query.terms.filter(
			(t) => this.pageCount(t.text, t.prefix) <= (t.expansion ? Math.min(frequent, RANKED_PREFIX) : frequent),
		);
		const rarePhrases = query.phrases.filter((p) => this.pageCount(p) <= Math.min(frequent, RANKED_PHRASE));
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
		// Pages ranked by BM25 (rare words), and a score below all of them.
		const bm25 = new Map<number, number>();
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
		const names = line ? null : this.characterNames(query);
		const byCharacter =
			names && this.pageCount(names.at(-1) as string) > frequent
				? this.storiesByCharacters(names, allowed ? STORIES_BY_NAME : wanted)
				: [];
		// A copied line: the pages holding it (or most of it), found through its rarest words. When there are
		// any, they are the results, and the costlier ranking below is not needed.
		const found = line ? this.findLine(line, wanted, budget, clock) : null;
		const lineHits = found?.hits ?? [];
		for (const h of lineHits) place(h.rowid, h.score, h.snippet);
		if (lineHits.length) {
			// Found: those are the results.
		} else if (line && clock.spent()) {
			// Out of time for this line: the ranking below walks the page lists of its words (a line of frequent words).
		} else if (byCharacter.length >= wanted) {
			for (const { storyId, score } of byCharacter) add(storyId, undefined, score);
		} else if (rareTerms.length || rarePhrases.length) {
			// BM25 over the rare words only (their page lists are short). The whole query's matches are fetched
			// once, unranked (intersecting page lists is cheap), and the ranked pages are checked against them.
			const rare = toFtsMatch({ ...query, terms: rareTerms, phrases: rarePhrases, excluded: [] }) as string;
			const ranked = this.statement(
				'SELECT rowid, rank FROM pages_fts WHERE pages_fts MATCH ? ORDER BY rank LIMIT ?',
			).all(rare, RANKED_CANDIDATES) as { rowid: number; rank: number }[];
			const full = rare === match ? null : this.matchingRowids(match, FULL_MATCH_CAP);
			for (const r of ranked) bm25.set(r.rowid, -r.rank);
			const floor = Math.min(0, ...bm25.values()) - 1;
			if (full) {
				// Few pages match the whole query: every one is a candidate, ranked by its rare words' BM25 when known.
				for (const rowid of full) place(rowid, bm25.get(rowid) ?? floor);
			} else {
				const check = this.statement(
					'SELECT 1 FROM pages_fts WHERE pages_fts MATCH ? AND rowid = CAST(? AS INTEGER)',
				).pluck();
				for (const { rowid, rank } of ranked) {
					if (rare === match || check.get(match, rowid)) place(rowid, -rank);
				}
			}
		} else {
			for (const { storyId, score, rows } of this.storiesForFrequentWords(sampleMatch, allowed, wanted)) {
				add(storyId, undefined, score);
				if (rows) sampledRows.set(storyId, rows);
			}
		}
		// Titles, authors and summaries weigh more than a page's text: their matches lead. For a copied line they
		// count only when they hold it word for word, and less than a page that holds it: the line is from a page.
		// (A prefix stands there for that index's own words: titles hold words no page does.)
		const typed = this.expandPrefixes(
			{ ...query, terms: query.terms.map(({ expansion: _, ...t }) => t), excluded: [] },
			undefined,
			'stories',
		);
		const storyMatch = line ? line.phrase : this.storyMatch(typed, match);
		const boosted = storyMatch
			? (this.statement(
					'SELECT rowid, bm25(stories_fts, 10.0, 5.0, 2.0) AS rank FROM stories_fts WHERE stories_fts MATCH ? ORDER BY rank LIMIT 50',
				).all(storyMatch) as { rowid: number; rank: number }[])
			: [];
		for (const { rowid, rank } of boosted) {
			if (allowed && !allowed.has(rowid)) continue;
			const current = stories.get(rowid);
			const bonus = (line ? LINE_TITLE_BONUS : TITLE_BONUS) - rank;
			if (current) current.score += bonus;
			else stories.set(rowid, { score: bonus, titleOnly: true });
		}

		const words = queryWords(query);
		const ranked: Scored[] = [];
		for (const [storyId, s] of [...stories].sort(([a, x], [b, y]) => y.score - x.score || a - b)) {
			if (ranked.length >= wanted) break;
			let page = s.page;
			let snippet = s.snippet;
			// A story found by names (or by title, for names) opens where they are, unless words are left out.
			const atNames =
				page === undefined && names && !query.excluded.length ? this.namesPage(storyId, names) : undefined;
			if (atNames) ({ page, snippet } = atNames);
			if (page === undefined) {
				// A story that matches by title shows its best matching page, or its first.
				const rows = sampledRows.get(storyId);
				let best = rows ? this.scorePages(rows, words, 1) : this.bestPages(storyId, sampleMatch, words, 1);
				// (A story found by title alone may show its first page rather than pay for every word of a prefix,
				// unless the query excludes words: then the page shown must be one without them, or none.)
				const excludes = query.excluded.length > 0;
				if (!best.length && (excludes || (sampleMatch !== match && !s.titleOnly))) {
					best = this.bestPages(storyId, match, words, 1);
				}
				page = best[0]?.page ?? (s.titleOnly && !excludes ? 1 : undefined);
				if (page === undefined) continue;
			}
			ranked.push({ storyId, page, score: s.score, ...(snippet ? { snippet } : {}) });
		}
		return { stories: ranked, ...(found?.respelled ? { respelled: found.respelled } : {}) };
	}

	/**
	 * Pages holding a copied line, or most of it, each scored: LINE_BONUS for the line word for word (more when
	 * as typed, punctuation too), a share of it for most of it. FTS5 finds candidates through the line's rarest
	 * words (cheap: few pages hold them all), and the candidates' text is checked here (a phrase query of common
	 * words walks their long page lists in every index segment). A key that may be a typo is respelled within
	 * `budget`; not at all without one. The first query always runs (its first LINE_FIRST_PAGES pages at least); the
	 * rest of it and the fallbacks after it only while `clock` has time left: past it, the pages found so far.
	 */
	private findLine(
		line: CopiedLine,
		wanted: number,
		budget: TypoBudget | null,
		clock: Pick<SearchClock, 'spent'>,
	): LineFound {
		const counted = line.words
			.map((word, at) => ({ word, at, pages: this.pageCount(word) }))
			.filter((w) => w.pages > 0)
			.sort((a, b) => a.pages - b.pages || a.at - b.at);
		// Its keys: the rarest word of each sentence the line touches, then of each third of it (a line can join
		// the end of a sentence repeated on hundreds of pages to the start of one that is not: each part needs a
		// key), then its rarest words; four, rarest first.
		const rarestOf = (part: (w: { at: number }) => number, parts: number) =>
			Array.from({ length: parts }, (_, p) => counted.find((w) => part(w) === p))
				.filter((w) => w !== undefined)
				.sort((a, b) => a.pages - b.pages || a.at - b.at);
		const literals = (list: { word: string }[]) => [...new Set(list.map((w) => phraseLiteral(w.word)))];
		// (Not the stub of a sentence, "… slip away! It": three words at least.)
		const sentenceOf = (w: { at: number }) => {
			const sentence = line.sentence[w.at] ?? 0;
			return line.sentence.filter((s) => s === sentence).length >= 3 ? sentence : -1;
		};
		const sentences = rarestOf(sentenceOf, (line.sentence.at(-1) ?? 0) + 1);
		const thirds = rarestOf((w) => Math.floor((3 * w.at) / line.words.length), 3);
		const keyWords = [...new Set([...sentences, ...thirds, ...counted].map((w) => w.word))].slice(0, LINE_KEYS);
		const keys = keyWords.map(phraseLiteral);
		if (keys.length < 2) return { hits: [] };
		const holds = (c: { score: number }) => c.score >= LINE_BONUS;
		const asTyped = (c: { score: number }) => c.score >= LINE_BONUS + QUOTES_ASIDE_BONUS;
		// A page that holds the line holds its keys within the line's length of each other: NEAR finds those
		// pages and few others, where AND finds every page with the keys anywhere (hundreds, each read and
		// checked, for a line of common words). When NEAR finds the line, on every page it could (not cut short)
		// or in as many stories as are wanted, that is all.
		const pages = this.linePages(line);
		const near = (words: string[]) => `NEAR(${words.join(' ')}, ${line.words.length + 2})`;
		// (Its first LINE_FIRST_PAGES pages are read whatever the time.)
		const first = { spent: () => pages.read() >= LINE_FIRST_PAGES && clock.spent() };
		const close = this.lineCandidates(near(keys), wanted, pages, first);
		if ((close.enough || !close.capped) && close.candidates.some(holds))
			return { hits: close.candidates.filter(holds) };
		// Past the first query, each fallback runs only while there is time left; when out of it, what was found.
		const sofar: { rowid: number; score: number; snippet?: Snippet }[] = [...close.candidates];
		const outOfTime = () => ({ hits: sofar.some(holds) ? sofar.filter(holds) : sofar });
		// (A query already run is not run again: the five rarest words can be the keys and the word most lacking.)
		const ran = new Map<string, ReturnType<ArchiveSearch['lineCandidates']>>([[`${near(keys)} 1 0`, close]]);
		const more = (match: string, batches = 1, after = 0) => {
			const known = ran.get(`${match} ${batches} ${after}`);
			if (known) return known;
			if (clock.spent()) return null;
			const read = this.lineCandidates(match, wanted, pages, clock, batches, after);
			ran.set(`${match} ${batches} ${after}`, read);
			sofar.push(...read.candidates);
			return read;
		};
		// On no page: a typo may have made a word of it another, rarer word, and so a key ("see" typed "ese" is the
		// index's "es", on a few dozen pages). The line with that word respelled, when then it is on a page.
		const respellings = budget && !close.candidates.some(holds) ? this.respellings(line, keyWords, budget, clock) : [];
		for (const respelled of respellings) {
			const again = this.findLine(respelled.line, wanted, null, clock);
			if (again.hits.some(holds)) {
				for (const word of respelled.words.values()) this.rememberRespelled(word);
				return { hits: again.hits.filter(holds), respelled: respelled.words };
			}
		}
		// More pages hold those keys near each other than were read, and none of those read holds the line as typed: a
		// line of common words, or half of it a sentence repeated across the archive. Its five rarest words near each
		// other find far fewer pages: one more query, where the fallbacks below take up to three.
		const rarest = literals(counted).slice(0, NEAR_KEYS);
		const wider =
			close.capped && !close.candidates.some(asTyped) && rarest.some((k) => !keys.includes(k))
				? more(near(rarest))
				: null;
		if (wider?.candidates.some(asTyped)) return { hits: [...close.candidates, ...wider.candidates].filter(holds) };
		// Still none: the line may join text repeated on hundreds of pages to a few words of its own ('Xander snapped,
		// "He starred solo & directed before being paired…"', the quote on 300 pages). The pages read lack those
		// words: the one they lack most, near the keys.
		const apart = close.capped && !close.candidates.some(asTyped) ? pages.apart(keyWords) : undefined;
		const distinct = apart ? more(near([...keys, phraseLiteral(apart)])) : null;
		if (distinct?.candidates.some(asTyped))
			return { hits: [...close.candidates, ...distinct.candidates].filter(holds) };
		const found = more(keys.join(' AND '));
		if (!found) return outOfTime();
		const candidates = new Map(found.candidates.map((c) => [c.rowid, c]));
		let paired = found;
		if (!found.candidates.some(holds) && keys.length > 2) {
			// On no page: a typo may have made one of those words another real word, one that respelling does not
			// undo ("chain" for "chair"). All the keys but one near each other, each in turn: a page holding the rest
			// of the line holds those (any two keys anywhere on a page, as common words are, say little).
			const allButOne = keys.map((_, i) => near(keys.filter((_, j) => j !== i)));
			const read = more(allButOne.join(' OR '));
			if (!read) return outOfTime();
			paired = read;
			for (const c of paired.candidates) candidates.set(c.rowid, c);
		}
		// Its keys on more pages than were read, and none of those holds the line as typed: its rarest words near
		// each other, within the line's length (a phrase query of common words would walk their long page lists;
		// NEAR with a few of them costs less): the query above, when it was made.
		if (found.capped && paired.capped && ![...candidates.values()].some(asTyped)) {
			const nearby = wider ?? more(near(rarest));
			if (!nearby) return outOfTime();
			for (const c of nearby.candidates) candidates.set(c.rowid, c);
		}
		// None of the pages read holds it, and more hold its keys near each other: the line may be on one of those, most
		// of it repeated on the pages read (eight words of ten). Read on, last (the queries above find most such
		// lines sooner), and only for the line as typed (not again for each respelling of it).
		const all = [...candidates.values()];
		if (budget && close.capped && !all.some(holds)) {
			const further = more(near(keys), LINE_BATCHES, close.last);
			if (further?.candidates.some(holds)) return { hits: further.candidates.filter(holds) };
		}
		return { hits: all };
	}

	/**
	 * A copied line with one of its two rarest keys respelled to a word one edit away that is on many times more
	 * pages, for each that has one: what a typo that made a real but rare word most likely meant.
	 */
	private *respellings(
		line: CopiedLine,
		keys: readonly string[],
		budget: TypoBudget,
		clock: Pick<SearchClock, 'spent'>,
	): Generator<{ line: CopiedLine; words: Map<string, string> }> {
		for (const typed of keys.slice(0, 2)) {
			if (clock.spent()) return;
			// (No word is on many times more pages than one on a large share of them already.)
			const pages = this.pageCount(typed);
			if (!/^\p{L}{2,}$/u.test(typed) || pages * RESPELL_FACTOR > this.pages()) continue;
			const word = this.respellOneEdit(typed, NOTHING, budget);
			if (!word || this.pageCount(word) < RESPELL_FACTOR * pages) continue;
			const pattern = wordPattern(typed, 'g');
			const words = line.words.map((w) => (w === typed ? word : w));
			yield {
				line: {
					phrase: line.phrase === null ? null : phraseLiteral(words.join(' ')),
					text: line.text.map((part) => part.replace(pattern, word)),
					unquoted: line.unquoted?.map((part) => part.replace(pattern, word)) ?? null,
					words,
					sentence: line.sentence,
				},
				words: new Map([[typed, word]]),
			};
		}
	}

	/**
	 * The pages an FTS5 expression finds, scored as holding a line, or most of it (the rest are left out). Reading
	 * stops once `wanted` stories hold the line as typed (a line can be on hundreds of pages). `pages` checks them;
	 * reading stops too when `clock` runs out (checked before each page and batch after the first read).
	 */
	private lineCandidates(
		match: string,
		wanted: number,
		pages: LinePages,
		clock: Pick<SearchClock, 'spent'>,
		batches = 1,
		after = 0,
	): {
		candidates: { rowid: number; score: number; snippet?: Snippet }[];
		capped: boolean;
		/** Whether `wanted` stories hold the line as typed (reading stopped there). */
		enough: boolean;
		/** The last row id read. */
		last: number;
	} {
		const batch = this.options.lineCandidates ?? LINE_CANDIDATES;
		const read = this.statement(
			'SELECT rowid FROM pages_fts WHERE pages_fts MATCH ? AND rowid > CAST(? AS INTEGER) LIMIT ?',
		).pluck();
		const candidates: { rowid: number; score: number; snippet?: Snippet }[] = [];
		const others: { rowid: number; check: PageCheck & { holds: false } }[] = [];
		const exactly = new Set<number>();
		// Batch after batch in row-id order (up to `batches`), while no page read holds the line but some hold most of
		// it: a line most of which is on many pages ("Willow looked at Spike. Spike looked at Willow." on hundreds, the
		// line going on "Based on" on one) may yet be on a page further on, and then those holding most of it must not
		// lead. (A line of frequent words that no page holds most of is not read on: 1,000 pages cost 0.1 s at 1 GB.)
		const mostly = () => others.some((o) => pages.share(o.check) >= NEAR_SHARE);
		let capped = false;
		let last = after;
		const readOn = () => capped && !candidates.length && mostly() && !clock.spent();
		for (let b = 0; b < batches && (b === 0 || readOn()); b++) {
			// Row by row: FTS5 finds the next row only when asked (a NEAR of frequent words checks word positions on
			// every page it passes), so stopping early stops its work too.
			let rows = 0;
			capped = false;
			for (const rowid of read.iterate(match, last, batch) as Iterable<number>) {
				if (pages.read() >= LINE_PAGES_MAX || (rows > 0 && clock.spent())) {
					capped = true;
					break;
				}
				rows++;
				last = rowid;
				const found = pages.check(rowid);
				if (!found.holds) {
					others.push({ rowid, check: found });
					continue;
				}
				candidates.push({ rowid, score: LINE_BONUS + found.exact, snippet: found.snippet });
				if (found.exact) exactly.add(Math.floor(rowid / PAGE_ROWID_SHIFT));
				if (exactly.size >= wanted) {
					capped = true;
					break;
				}
			}
			if (rows >= batch) capped = true;
		}
		if (!candidates.length) {
			// None holds it all: those holding most of its word pairs.
			for (const { rowid, check: other } of others) {
				const share = pages.share(other);
				if (share >= NEAR_SHARE) candidates.push({ rowid, score: LINE_BONUS * share, snippet: { match } });
			}
		}
		return { candidates, capped, enough: exactly.size >= wanted, last };
	}

	/**
	 * Checks pages for a copied line, each page read and checked once however many of the line's queries find it:
	 * whether it holds the line (as typed, or as words), and if not, what share of it.
	 */
	private linePages(line: CopiedLine): LinePages {
		// Most pages read lack a word of the line: a plain search of the lower-cased text for each word tells at once.
		const mayHold = (lower: string) => line.words.every((word) => lower.includes(word));
		// As typed: punctuation too (a typo corrected; around a word that matches nothing). Each part's longest
		// run without spaces first, which again rules out most pages at once.
		const holdsAll = (parts: readonly string[]) => {
			const runs = parts.map((part) => part.split(' ').reduce((a, b) => (b.length > a.length ? b : a)));
			return (lower: string) =>
				runs.every((run) => lower.includes(run)) && parts.every((part) => includesSpaced(lower, part));
		};
		const typed = holdsAll(line.text);
		// Quote marks around it all may be the query's ("the end of the world" in quotes): as typed but for those,
		// it counts a little less than with them (a line pasted with the story's own marks).
		const quotesAside = line.unquoted ? holdsAll(line.unquoted) : () => false;
		const exactly = (lower: string) => (typed(lower) ? EXACT_BONUS : quotesAside(lower) ? QUOTES_ASIDE_BONUS : 0);
		const pairs = line.words.slice(1).map((w, i) => [line.words[i] as string, w] as const);
		const checked = new Map<number, PageCheck>();
		const pageText = (rowid: number) => this.pageText(rowid) as string;
		return {
			read: () => checked.size,
			check(rowid) {
				let known = checked.get(rowid);
				if (!known) {
					const page = pageText(rowid);
					const lower = page.toLowerCase();
					const found = mayHold(lower) ? findWords(page, lower, line.words) : null;
					known = found
						? { holds: true, exact: exactly(lower), snippet: lineSnippet(page, found) }
						: { holds: false, lower };
					checked.set(rowid, known);
				}
				return known;
			},
			share(other) {
				if (other.share === undefined) {
					const held = pairs.filter(([a, b]) => adjacent(other.lower, a, b)).length;
					other.share = (held + (exactly(other.lower) ? 1 : 0)) / (pairs.length + 1);
				}
				return other.share;
			},
			apart(besides) {
				const words = [...new Set(line.words)].filter((w) => !besides.includes(w));
				const lacking = new Map<string, number>();
				for (const known of checked.values()) {
					if (known.holds) continue;
					for (const word of words) if (!known.lower.includes(word)) lacking.set(word, (lacking.get(word) ?? 0) + 1);
				}
				return [...lacking].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
			},
		};
	}

	/** The page row ids matching an FTS5 expression, unranked; null when there are more than `cap`. */
	private matchingRowids(match: string, cap: number): number[] | null {
		const rows = this.statement('SELECT rowid FROM pages_fts WHERE pages_fts MATCH ? LIMIT ?')
			.pluck()
			.all(match, cap + 1) as number[];
		return rows.length > cap ? null : rows;
	}

	/**
	 * What a query is looked for as in titles, authors and summaries, where BM25 scores every story that matches:
	 * all three when a word of it is in few stories there (the matches are no more than those), titles and
	 * authors alone when a word is in few titles and authors ("buffy" is in a tenth of all summaries), else not
	 * at all. A query with a prefix, always: that index is small.
	 */
	private storyMatch(typed: ParsedQuery, match: string): string | null {
		const whole = toFtsMatch(typed) ?? match;
		if (typed.terms.some((t) => t.prefix)) return whole;
		const counts = [...typed.terms.map((t) => t.text), ...typed.phrases].map((words) => this.storyCount(words));
		const ranked = this.options.rankedStories ?? STORY_RANKED;
		if (counts.some((c) => c.all <= ranked)) return whole;
		if (counts.some((c) => c.named <= ranked)) return `{title author} : (${whole})`;
		return null;
	}

	/** How many stories hold a word (or a phrase's rarest word) in their titles or authors, and in any field (at most). */
	private storyCount(words: string): { named: number; all: number } {
		let named = Number.POSITIVE_INFINITY;
		let all = Number.POSITIVE_INFINITY;
		for (const stem of this.stemmer.stems(words)) {
			const rows = this.statement('SELECT col, stories FROM story_vocabulary WHERE term = ?').all(stem) as {
				col: string;
				stories: number;
			}[];
			named = Math.min(
				named,
				rows.reduce((n, r) => n + (r.col === 'summary' ? 0 : r.stories), 0),
			);
			all = Math.min(
				all,
				rows.reduce((n, r) => n + r.stories, 0),
			);
		}
		return { named, all };
	}

	/**
	 * The query's words as character names, as the archive spells them, rarest (on fewest pages) first, when it
	 * is nothing but names ("buffy", "spike buffy"); else null.
	 */
	private characterNames(query: ParsedQuery): string[] | null {
		if (!query.terms.length || query.phrases.length || query.terms.some((t) => t.prefix)) return null;
		const names: string[] = [];
		for (const t of query.terms) {
			const name = this.statement('SELECT name FROM characters WHERE name = ? COLLATE NOCASE LIMIT 1')
				.pluck()
				.get(t.text) as string | undefined;
			if (name === undefined) return null;
			names.push(name);
		}
		const pages = new Map(names.map((name) => [name, this.pageCount(name)]));
		return names.sort((a, b) => (pages.get(a) as number) - (pages.get(b) as number));
	}

	/**
	 * Stories where characters are most central (mentions per thousand words, from import), among those where all
	 * of them are characters (`names` rarest first, as characterNames gives them): read in the order of the
	 * rarest name's weight, the others checked per story.
	 * `wanted` stories are ranked from a few times as many (all STORIES_BY_NAME when a filter will drop some).
	 */
	private storiesByCharacters(names: readonly string[], wanted: number): { storyId: number; score: number }[] {
		const [rarest, ...others] = names;
		// The rarest name's first stories only, as many as will do: the others are checked per story, and a word
		// that is a name in some stories ("price") may share few with them (then more are read). The others as
		// spelled in the archive (characterNames gives them so): each check is one lookup of the table's key.
		const read = (scan: number) =>
			this.statement(
				`SELECT story_id AS storyId, weight AS score FROM (SELECT story_id, weight FROM characters
					WHERE name = ? COLLATE NOCASE ORDER BY weight DESC LIMIT ${scan}) c${others.length ? ' WHERE' : ''}${others
						.map(() => ' EXISTS (SELECT 1 FROM characters o WHERE o.story_id = c.story_id AND o.name = ?)')
						.join(' AND')} ORDER BY weight DESC LIMIT ${STORIES_BY_NAME}`,
			).all(rarest, ...others) as { storyId: number; score: number }[];
		const first = read(Math.min(Math.max(4 * wanted, 40), STORIES_BY_NAME));
		return first.length < wanted ? read(CHARACTER_SCAN) : first;
	}

	/**
	 * Where a story found by its characters opens, with its snippet, without its pages being scored: of the pages
	 * that mention the rarest of the names (listed at import, most mentions for their length first), the first
	 * that the other names' lists hold too. A name that is no character of the story (found by its title, "Angel's
	 * Chains" for "buffy angel") is left out. Undefined when none is a character or their lists share no page.
	 */
	private namesPage(storyId: number, names: readonly string[]): { page: number; snippet: Snippet } | undefined {
		const listed = this.statement(
			'SELECT pages FROM characters WHERE story_id = ? AND name = ? COLLATE NOCASE',
		).pluck();
		const present: string[] = [];
		const lists: string[][] = [];
		for (const name of names) {
			const pages = listed.get(storyId, name) as string | null | undefined;
			if (!pages) continue;
			present.push(name);
			lists.push(pages.split(' '));
		}
		const [rarest, ...others] = lists;
		const shared = others.map((list) => new Set(list));
		const page = rarest?.find((p) => shared.every((set) => set.has(p)));
		if (!page) return undefined;
		const text = this.pageText(pageRowid(storyId, Number(page)));
		const snippet = text === undefined ? undefined : namesSnippet(text, present);
		return snippet && { page: Number(page), snippet };
	}

	/**
	 * Stories to rank for a query made only of frequent words (not all names): pages sampled in windows spread
	 * over the archive, stories ranked by the share of their sampled pages that match.
	 */
	private storiesForFrequentWords(
		match: string,
		allowed: StorySet | null,
		wanted: number,
	): { storyId: number; score: number; rows?: number[] }[] {
		// Two subqueries: SQLite answers a lone min() or max() from the index, but not both in one select.
		const { lo, hi } = this.statement(
			'SELECT (SELECT min(id) FROM pages) AS lo, (SELECT max(id) FROM pages) AS hi',
		).get() as { lo: number; hi: number };
		const step = Math.max(1, Math.ceil((hi - lo + 1) / SAMPLE_WINDOWS));
		const sampled = new Map<number, number[]>();
		const window = this.statement(
			'SELECT rowid FROM pages_fts WHERE pages_fts MATCH ? AND rowid BETWEEN CAST(? AS INTEGER) AND CAST(? AS INTEGER) LIMIT ?',
		).pluck();
		// Windows in an order that spreads any first few over the archive (0, 8, 4, 12, 2, …); the sample stops
		// once it holds enough stories, since a window of rare matches (a phrase of common words: "coming is a")
		// costs a walk through every page list of its words in that window.
		let allowedFound = 0;
		const enough = () => allowedFound >= Math.max(SAMPLE_STORIES, 2 * wanted);
		const take = (rowid: number) => {
			const storyId = Math.floor(rowid / PAGE_ROWID_SHIFT);
			const rows = sampled.get(storyId);
			if (rows) rows.push(rowid);
			else {
				sampled.set(storyId, [rowid]);
				if (!allowed || allowed.has(storyId)) allowedFound++;
			}
		};
		/** Takes the matches from one row id to another until enough; whether there are enough. */
		const readUntilEnough = (from: number, to: number): boolean => {
			if (from > to) return false;
			for (const rowid of window.iterate(match, from, to, SAMPLE_WINDOWS * SAMPLE_PER_WINDOW) as Iterable<number>) {
				take(rowid);
				if (enough()) return true;
			}
			return false;
		};
		for (const w of spreadOrder(SAMPLE_WINDOWS)) {
			const start = lo + w * step;
			if (start > hi) continue;
			const rowids = window.all(match, start, start + step - 1, SAMPLE_PER_WINDOW) as number[];
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
		const pageCount = this.statement('SELECT page_count FROM stories WHERE id = ?').pluck();
		return [...sampled]
			.filter(([id]) => !allowed || allowed.has(id))
			.map(([storyId, rows]) => ({ storyId, score: rows.length / ((pageCount.get(storyId) as number) || 1), rows }))
			.sort((a, b) => b.score - a.score || a.storyId - b.storyId)
			.slice(0, 300);
	}

	/** A story's matching pages, scored by how often the query's stems occur on them (read from the pages). */
	private bestPages(
		storyId: number,
		match: string,
		words: string[],
		limit: number,
		candidates = BEST_PAGE_CANDIDATES,
	): { page: number; score: number }[] {
		const rows = this.statement(
			'SELECT rowid FROM pages_fts WHERE pages_fts MATCH ? AND rowid BETWEEN CAST(? AS INTEGER) AND CAST(? AS INTEGER) LIMIT ?',
		)
			.pluck()
			.all(match, pageRowid(storyId, 0), pageRowid(storyId, PAGE_ROWID_SHIFT - 1), candidates) as number[];
		return this.scorePages(rows, words, limit);
	}

	/** Pages (row ids) scored by how often the query's stems occur on them, best first. */
	private scorePages(rows: readonly number[], words: string[], limit: number): { page: number; score: number }[] {
		if (!rows.length) return [];
		// What each word's forms begin with in the text: its stem, cut to what the word shares with it ("buffy" is
		// stemmed "buffi": "buff").
		const stems = words.flatMap((w) =>
			this.stemmer.stems(w).map((stem) => {
				let shared = 0;
				while (shared < stem.length && stem[shared] === w[shared]) shared++;
				return shared >= 3 ? stem.slice(0, shared) : stem;
			}),
		);
		return rows
			.map((rowid) => {
				const page = (this.pageText(rowid) as string).toLowerCase();
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

	/**
	 * A hit with its snippet: already made (`{ text }`), made by FTS5 from a match expression (a string or
	 * `{ match }`), or else the start of the page. A story kept as Discord markdown (AO3, EPUB, Markdown files)
	 * has its own italics and bold escaped in the snippet, where they would show as stray asterisks: dropped,
	 * the match's bold kept.
	 */
	private hit(storyId: number, page: number, score: number, made: Snippet | string | null): SearchHit {
		const story = this.statement('SELECT title, author, rating, summary, markup FROM stories WHERE id = ?').get(
			storyId,
		) as { title: string; author: string | null; rating: Rating; summary: string | null; markup: string };
		const match = typeof made === 'string' ? made : made && 'match' in made ? made.match : null;
		let snippet = made && typeof made === 'object' && 'text' in made ? made.text : undefined;
		if (!snippet && match) {
			const raw = this.statement(
				`SELECT snippet(pages_fts, 0, '${OPEN}', '${CLOSE}', '…', 36) FROM pages_fts WHERE pages_fts MATCH ? AND rowid = CAST(? AS INTEGER)`,
			)
				.pluck()
				.get(match, pageRowid(storyId, page)) as string | undefined;
			if (raw) snippet = formatSnippet(raw);
		}
		if (!snippet) {
			const text = this.pageText(pageRowid(storyId, page)) ?? story.summary ?? '';
			snippet = escapeMarkdown(clip(text, 200));
		}
		if (story.markup === 'markdown') snippet = unescapeEmphasis(snippet);
		return { storyId, title: story.title, author: story.author, rating: story.rating, page, score, snippet };
	}
}

interface Scored {
	storyId: number;
	page: number;
	score: number;
	/** Its snippet, when not made from the query's match. */
	snippet?: Snippet;
}

/** A snippet: made by FTS5 from an expression, or already made. */
type Snippet = { match: string } | { text: string };

/** About 200 characters from the first word in a page's text that starts with one of the prefixes, those in bold. */
function prefixSnippet(page: string, prefixes: readonly string[]): Snippet | undefined {
	const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${prefixes.map(escapeRegExp).join('|')})[\\p{L}\\p{N}]*`, 'giu');
	const first = pattern.exec(page);
	if (!first) return undefined;
	let start = Math.max(0, first.index - 60);
	let end = Math.min(page.length, start + 200);
	// Cut at word boundaries, with an ellipsis where the page goes on.
	if (start > 0) start = page.indexOf(' ', start) + 1 || first.index;
	if (end < page.length) end = Math.max(first.index + first[0].length, page.lastIndexOf(' ', end));
	const window = page.slice(start, end).replace(pattern, (word) => `${OPEN}${word}${CLOSE}`);
	return { text: formatSnippet(`${start > 0 ? '…' : ''}${window}${end < page.length ? '…' : ''}`) };
}

/**
 * About 200 characters of a page around the names (whole words, any case), every name in it in bold: the first
 * stretch that shows the most of them. Undefined unless the page holds them all. FTS5's snippet() would give
 * much the same, at a lookup of the words in every index segment per hit.
 */
function namesSnippet(page: string, names: readonly string[]): Snippet | undefined {
	const lower = page.toLowerCase();
	// (Lower-casing that changes the length, as of "İ", would put the bold in the wrong places.)
	if (lower.length !== page.length) return undefined;
	const words = names.map((name) => name.toLowerCase());
	const mentions = words.flatMap((word, name) => {
		const found: { at: number; name: number }[] = [];
		for (let at = wholeWordAt(lower, word, 0); at !== -1; at = wholeWordAt(lower, word, at + 1))
			found.push({ at, name });
		return found;
	});
	if (new Set(mentions.map((m) => m.name)).size < words.length) return undefined;
	mentions.sort((a, b) => a.at - b.at);
	// Each mention as the first in view: how many of the names the next 140 characters show.
	const shown = (from: number) =>
		new Set(mentions.filter((m) => m.at >= from && m.at < from + 140).map((m) => m.name)).size;
	let first = (mentions[0] as { at: number }).at;
	for (const { at } of mentions) if (shown(at) > shown(first)) first = at;
	let start = Math.max(0, first - 60);
	let end = Math.min(page.length, start + 200);
	// Cut at word boundaries, with an ellipsis where the page goes on.
	if (start > 0) start = page.indexOf(' ', start) + 1 || first;
	if (end < page.length) end = Math.max(first + 1, page.lastIndexOf(' ', end));
	const bold: [number, number][] = [];
	for (const word of words)
		for (let at = wholeWordAt(lower, word, start); at !== -1 && at < end; at = wholeWordAt(lower, word, at + 1))
			bold.push([at, Math.min(end, at + word.length)]);
	bold.sort((a, b) => a[0] - b[0]);
	let text = '';
	let from = start;
	for (const [a, b] of bold) {
		if (a < from) continue;
		text += `${page.slice(from, a)}${OPEN}${page.slice(a, b)}${CLOSE}`;
		from = b;
	}
	text += page.slice(from, end);
	return { text: formatSnippet(`${start > 0 ? '…' : ''}${text}${end < page.length ? '…' : ''}`) };
}

/** The note for words that match nothing: the first few named. */
function noStoryHas(words: readonly string[]): string {
	const quoted = words.slice(0, 5).map((w) => `“${w}”`);
	if (words.length === 1) return `No story has the word ${quoted[0]}.`;
	const more = words.length - quoted.length;
	const list = more ? `${quoted.join(', ')} and ${more} more` : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
	return `No story has the words ${list}.`;
}

/** 0 … n-1 (n a power of two) in bit-reversed order: any first few are spread over the range. */
function spreadOrder(n: number): number[] {
	const bits = Math.round(Math.log2(n));
	return Array.from({ length: n }, (_, i) =>
		Number.parseInt(i.toString(2).padStart(bits, '0').split('').reverse().join(''), 2),
	);
}

/**
 * Where a page holds a line's words, whole, in order, with anything but letters and digits between them (case
 * aside): [start, end), or null. Plain string search on the lower-cased page: a regular expression of Unicode
 * classes, case-insensitive, took about 0.3 ms a page in V8.
 */
function findWords(page: string, lower: string, words: readonly string[]): [number, number] | null {
	const first = words[0] ?? '';
	const rest = words.slice(1);
	if (!first) return null;
	// (Lower-casing that changes the length, as of "İ", leaves the pattern to find it.)
	if (lower.length !== page.length) {
		const found = linePattern(words).exec(page);
		return found && [found.index, found.index + found[0].length];
	}
	next: for (let at = wholeWordAt(lower, first, 0); at !== -1; at = wholeWordAt(lower, first, at + 1)) {
		let end = at + first.length;
		for (const word of rest) {
			let next = end;
			while (next < lower.length && !wordCharAt(lower, next)) next++;
			if (next === end || !lower.startsWith(word, next) || wordCharAt(lower, next + word.length)) continue next;
			end = next + word.length;
		}
		return [at, end];
	}
	return null;
}

/** A line's words, whole, in order, with anything but letters and digits between them; case aside. */
const linePattern = (words: readonly string[]) =>
	new RegExp(`(?<![\\p{L}\\p{N}])${words.map(escapeRegExp).join('[^\\p{L}\\p{N}]+')}(?![\\p{L}\\p{N}])`, 'iu');

/** About 200 characters around a line found in a page's text, the line in bold. */
function lineSnippet(page: string, [start, end]: [number, number]): Snippet {
	const room = Math.max(20, (200 - (end - start)) / 2);
	let before = page.slice(Math.max(0, start - room), start);
	let after = page.slice(end, end + room);
	// Cut at word boundaries, with an ellipsis where the page goes on.
	if (start > before.length) before = `…${before.replace(/^\S*\s/, '')}`;
	if (end + after.length < page.length) after = `${after.replace(/\s\S*$/, '')}…`;
	return { text: formatSnippet(`${before}${OPEN}${page.slice(start, end)}${CLOSE}${after}`) };
}

/** What one page holds of a copied line: all of it (as typed, or as words), or not (then how much, once asked). */
/** `exact`: what holding the line as typed adds to the page's score (0 when it holds only its words). */
type PageCheck = { holds: true; exact: number; snippet: Snippet } | { holds: false; lower: string; share?: number };

/** A copied line's page checks (ArchiveSearch.linePages). */
interface LinePages {
	/** Pages read and checked so far. */
	read(): number;
	check(rowid: number): PageCheck;
	/** The share of the line's word pairs (and the line as typed) on a page that does not hold it all. */
	share(page: PageCheck & { holds: false }): number;
	/**
	 * The line's word (other than `besides`) that the pages read so far without the line lack most often, if any
	 * lacks one: what sets the line apart from the text it shares with them.
	 */
	apart(besides: readonly string[]): string | undefined;
}

/** The pages holding a copied line, or most of it; and the respelling it took to find it, if one did. */
interface LineFound {
	hits: { rowid: number; score: number; snippet?: Snippet }[];
	/** Word as typed → the word it was respelled to. */
	respelled?: Map<string, string>;
}

/** A query that looks like a line copied from a story. */
interface CopiedLine {
	/** The line as one FTS5 phrase, typos corrected; null when a word of it matches nothing. */
	phrase: string | null;
	/**
	 * As typed (filters aside, typos corrected), whitespace collapsed and lower-cased, in parts cut at the words
	 * that match nothing: to find it exactly.
	 */
	text: string[];
	/** The same without the quote marks around it all, when it is in quote marks; else null. */
	unquoted: string[] | null;
	/** Its words, lower-cased, typos corrected. */
	words: string[];
	/** For each word, the sentence of the line it is in (0, 1, …): a new one after `.`, `!`, `?` or `…`. */
	sentence: number[];
}

const FILTER_TOKEN = /(?<!\S)-?(?:author|title|character|rating):(?:["“”„＂][^"“”„＂]*["“”„＂]?|\S*)/gi;

function copiedLine(input: string, corrected: Map<string, string> | undefined, unknown: Set<string>): CopiedLine {
	const typed = input.replace(FILTER_TOKEN, ' ');
	let text = typed;
	for (const [word, replacement] of corrected ?? []) text = text.replace(wordPattern(word, 'g'), replacement);
	// Cut at the words that match nothing.
	const partsOf = (flat: string) =>
		[...unknown]
			.reduce((parts, word) => parts.flatMap((p) => p.split(wordPattern(word))), [flat])
			.map((p) => p.trim())
			.filter(Boolean);
	const flat = flatten(text);
	const unquoted = QUOTED.test(flat) ? flat.replace(EDGE_QUOTES, '') : flat;
	const words: string[] = [];
	const sentence: number[] = [];
	let current = 0;
	for (const [token] of text.toLowerCase().matchAll(/[\p{L}\p{N}]+|[.!?…]/gu)) {
		if (/^[.!?…]$/.test(token)) {
			if (sentence.at(-1) === current) current++;
		} else {
			words.push(token);
			sentence.push(current);
		}
	}
	return {
		phrase: unknown.size || !words.length ? null : phraseLiteral(words.join(' ')),
		text: partsOf(flat),
		unquoted: unquoted === flat ? null : partsOf(unquoted),
		words,
		sentence,
	};
}

/**
 * A query as typed without one of its parts (a word, a `prefix*` or a `"phrase"`, as `leaveOut` shows it), spaces
 * collapsed; undefined when it is not there as typed (a corrected word, a phrase typed with other spacing).
 */
function withoutPart(input: string, part: string): string | undefined {
	// (A prefix is followed by its star, not by the end of a word.)
	const pattern = part.endsWith('*') ? new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(part)}`, 'iu') : wordPattern(part);
	if (!pattern.test(input)) return undefined;
	const rest = input.replace(pattern, ' ').replace(/\s+/g, ' ').trim();
	return rest || undefined;
}

/** Double quote marks: a text in them, and those at its ends with the spaces inside them. */
const QUOTE_MARKS = '"“”„«»＂';
const QUOTED = new RegExp(`^[${QUOTE_MARKS}].*[${QUOTE_MARKS}]$`, 'u');
const EDGE_QUOTES = new RegExp(`^[${QUOTE_MARKS}]+\\s*|\\s*[${QUOTE_MARKS}]+$`, 'gu');

/** A query without some of its words (as terms, or inside phrases: a phrase's words then count one by one). */
function withoutWords(query: ParsedQuery, words: Set<string>): ParsedQuery {
	const terms = query.terms.filter((t) => !words.has(t.text));
	const phrases: string[] = [];
	for (const phrase of query.phrases) {
		const parts = phrase.split(' ');
		if (parts.some((w) => words.has(w)))
			terms.push(...parts.filter((w) => !words.has(w)).map((text) => ({ text, prefix: false })));
		else phrases.push(phrase);
	}
	return { ...query, terms, phrases };
}

/**
 * Words one edit from a word, by kind of edit: neighbours swapped; a letter dropped; a letter replaced or added. Each
 * kind with how many words it makes at most, made only when asked for (a long word's replacements are thousands).
 */
function oneEdit(word: string): { most: number; make: () => string[] }[] {
	const letters = new Set([...'abcdefghijklmnopqrstuvwxyz', ...word]);
	const swapped = () => {
		const words = new Set<string>();
		for (let i = 0; i + 1 < word.length; i++)
			if (word[i] !== word[i + 1])
				words.add(word.slice(0, i) + word.charAt(i + 1) + word.charAt(i) + word.slice(i + 2));
		return [...words];
	};
	const dropped = () => {
		const words = new Set<string>();
		for (let i = 0; i < word.length; i++) words.add(word.slice(0, i) + word.slice(i + 1));
		return [...words].filter((w) => w.length >= 2);
	};
	const changed = () => {
		const words = new Set<string>();
		for (let i = 0; i < word.length; i++) {
			for (const letter of letters) {
				if (letter !== word[i]) words.add(word.slice(0, i) + letter + word.slice(i + 1));
				words.add(word.slice(0, i) + letter + word.slice(i));
			}
		}
		for (const letter of letters) words.add(word + letter);
		return [...words];
	};
	return [
		{ most: Math.max(0, word.length - 1), make: swapped },
		{ most: word.length, make: dropped },
		{ most: letters.size * (2 * word.length + 1), make: changed },
	];
}

/** An FTS5 string literal. */
const phraseLiteral = (text: string) => `"${text.replaceAll('"', '""')}"`;
/** Whitespace collapsed, lower-cased. */
const flatten = (text: string) => text.replace(/\s+/g, ' ').trim().toLowerCase();
/** A text's words (letters and digits), lower-cased, each between single spaces. */
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;

/** Whether the character at `at` is a letter or digit (`\p{L}`, `\p{N}`): ASCII without a regular expression. */
function wordCharAt(text: string, at: number): boolean {
	const code = text.charCodeAt(at);
	if (code < 128) return (code >= 48 && code <= 57) || ((code | 32) >= 97 && (code | 32) <= 122);
	if (Number.isNaN(code)) return false;
	// The second half of a character outside the BMP: the character is the pair.
	const start = code >= 0xdc00 && code <= 0xdfff && at > 0 ? at - 1 : at;
	return LETTER_OR_DIGIT.test(String.fromCodePoint(text.codePointAt(start) as number));
}

const isSpace = (code: number) =>
	code === 32 || (code >= 9 && code <= 13) || (code >= 128 && /\s/.test(String.fromCharCode(code)));

/** Whether `text` holds `part` (single spaces, no space at either end) with any run of whitespace for each space. */
function includesSpaced(text: string, part: string): boolean {
	const space = part.indexOf(' ');
	const head = space === -1 ? part : part.slice(0, space);
	for (let i = text.indexOf(head); i !== -1; i = text.indexOf(head, i + 1)) {
		let a = i + head.length;
		let b = head.length;
		while (b < part.length && a < text.length) {
			if (part[b] === ' ') {
				if (!isSpace(text.charCodeAt(a))) break;
				while (a < text.length && isSpace(text.charCodeAt(a))) a++;
				b++;
			} else if (part[b] === text[a]) {
				a++;
				b++;
			} else break;
		}
		if (b === part.length) return true;
	}
	return false;
}

/** Where `lower` holds the word whole, from `from` on: letters and digits on neither side ("buffy" in "buffy’s" too). */
function wholeWordAt(lower: string, word: string, from: number): number {
	for (let i = lower.indexOf(word, from); i !== -1; i = lower.indexOf(word, i + 1)) {
		if (!(i > 0 && wordCharAt(lower, i - 1)) && !wordCharAt(lower, i + word.length)) return i;
	}
	return -1;
}

/** Whether `lower` holds the words a and b as whole words, one after the other (anything but letters between). */
function adjacent(lower: string, a: string, b: string): boolean {
	for (let i = lower.indexOf(a); i !== -1; i = lower.indexOf(a, i + 1)) {
		let j = i + a.length;
		if ((i > 0 && wordCharAt(lower, i - 1)) || j >= lower.length || wordCharAt(lower, j)) continue;
		while (j < lower.length && !wordCharAt(lower, j)) j++;
		if (lower.startsWith(b, j) && !wordCharAt(lower, j + b.length)) return true;
	}
	return false;
}

/** Stories as a search checks them against a filter: a set, or a check per story. */
type StorySet = Pick<ReadonlySet<number>, 'has'>;

/** A query's filters as SQL over the stories table. */
export interface StoryFilter {
	where: string;
	params: (string | number)[];
	/** Whether a part of it (a rare character, title words) names stories few enough to look up as a set. */
	few: boolean;
}

/**
 * A query's filters as SQL, or null when it has none. A character `common` says is on many pages is checked in
 * each story's own characters (by their primary key: the index by name would walk every story the name is in);
 * a rare one is looked up once by name.
 */
export function storyFilter(query: ParsedQuery, common: (character: string) => boolean): StoryFilter | null {
	const where: string[] = [];
	const params: (string | number)[] = [];
	let few = false;
	if (query.author) {
		where.push("author LIKE ? ESCAPE '\\'");
		params.push(`%${escapeLike(query.author)}%`);
	}
	if (query.rating) {
		const ratings = ratingsAllowed(query.rating);
		where.push(`rating IN (${ratings.map(() => '?').join(', ') || 'NULL'})`);
		params.push(...ratings);
	}
	for (const name of query.characters) {
		const isCommon = common(name);
		// (`+c.name`: a name compared without its case cannot use the primary key's name; left bare, it makes
		// SQLite pick the index by name, which holds every story the name is in.)
		where.push(
			isCommon
				? 'EXISTS (SELECT 1 FROM characters c WHERE c.story_id = stories.id AND +c.name = ? COLLATE NOCASE)'
				: 'id IN (SELECT story_id FROM characters WHERE name = ? COLLATE NOCASE)',
		);
		params.push(name);
		few ||= !isCommon;
	}
	if (query.titleWords.length) {
		where.push('id IN (SELECT rowid FROM stories_fts WHERE stories_fts MATCH ?)');
		params.push(`title : (${query.titleWords.map((w) => `"${w.replaceAll('"', '""')}"`).join(' AND ')})`);
		few = true;
	}
	return where.length ? { where: where.join(' AND '), params, few } : null;
}

/** FTS5's snippet with its markers → Discord text: story markdown escaped, matches bold, one line. */
export function formatSnippet(raw: string): string {
	const flat = raw.replace(/\s+/g, ' ').trim();
	// Neighbouring matches make one bold run: "**ten miles**", not "**ten** **miles**".
	return escapeMarkdown(flat)
		.replaceAll(`${CLOSE} ${OPEN}`, ' ')
		.replaceAll(OPEN, '**')
		.replaceAll(CLOSE, '**')
		.replaceAll('****', '');
}

function clip(text: string, max: number): string {
	const flat = text.replace(/\s+/g, ' ').trim();
	if (flat.length <= max) return flat;
	const cut = flat.lastIndexOf(' ', max - 1);
	return `${flat.slice(0, cut > max / 2 ? cut : max - 1)}…`;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, '\\$&');
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A word on its own (not inside another), case-insensitive. */
const wordPattern = (word: string, flags = '') =>
	new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(word)}(?![\\p{L}\\p{N}])`, `iu${flags}`);

/** Damerau-Levenshtein (optimal string alignment) distance, giving up past `max`. */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
	if (Math.abs(a.length - b.length) > max) return max + 1;
	const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
	for (let i = 1; i <= a.length; i++) {
		const row = [i];
		let rowMin = i;
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			let d = Math.min((rows[i - 1]?.[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (rows[i - 1]?.[j - 1] ?? 0) + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
				d = Math.min(d, (rows[i - 2]?.[j - 2] ?? 0) + 1);
			row.push(d);
			rowMin = Math.min(rowMin, d);
		}
		if (rowMin > max) return max + 1;
		rows.push(row);
	}
	return rows[a.length]?.[b.length] ?? max + 1;
}

/** Drops escaped emphasis markers (\\*, \\_, \\~, \\|) from a snippet, keeping the match's own bold. */
export const unescapeEmphasis = (snippet: string) => snippet.replace(/\\([*_~|])/g, '');
