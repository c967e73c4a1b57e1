/**
 * Titles, authors and summaries: the stories whose fields match a query, ranked by BM25 and scored above any page's
 * text (for a copied line, only when they hold it word for word, and below a page that does).
 */
import type { CopiedLine } from './copied-line.js';
import type { SearchIndex } from './handle.js';
import { expandPrefixes } from './prefixes.js';
import { type ParsedQuery, toFtsMatch } from './query.js';

/** What a title, author or summary match adds to a story's score: above any page's BM25, so such stories lead. */
const TITLE_BONUS = 100;
/** What a title or summary holding a copied line adds: less than a page holding it (the line is from a page). */
const LINE_TITLE_BONUS = 20;
/**
 * Stories that BM25 ranks by title, author and summary at most (it scores every story that matches): a word in more
 * stories' fields than this is not looked for there (or only in titles and authors).
 */
const STORY_RANKED = 500;
/** Stories whose fields match that are scored, at most. */
const STORY_MATCHES = 50;

/**
 * The stories whose titles, authors or summaries match a query (a copied line: hold it word for word), each with what
 * it adds to the story's score, best first. A prefix stands there for that index's own words (titles hold words no
 * page does).
 */
export function storyFieldMatches(
	ix: SearchIndex,
	query: ParsedQuery,
	match: string,
	line: CopiedLine | null,
): { storyId: number; bonus: number }[] {
	const typed = expandPrefixes(
		ix,
		{ ...query, terms: query.terms.map(({ expansion: _, ...t }) => t), excluded: [] },
		undefined,
		'stories',
	);
	const fieldMatch = line ? line.phrase : storyMatch(ix, typed, match);
	const boosted = fieldMatch
		? (ix
				.statement(
					`SELECT rowid, bm25(stories_fts, 10.0, 5.0, 2.0) AS rank FROM stories_fts WHERE stories_fts MATCH ? ORDER BY rank LIMIT ${STORY_MATCHES}`,
				)
				.all(fieldMatch) as { rowid: number; rank: number }[])
		: [];
	return boosted.map(({ rowid, rank }) => ({ storyId: rowid, bonus: (line ? LINE_TITLE_BONUS : TITLE_BONUS) - rank }));
}

/**
 * What a query is looked for as in titles, authors and summaries, where BM25 scores every story that matches:
 * all three when a word of it is in few stories there (the matches are no more than those), titles and
 * authors alone when a word is in few titles and authors ("buffy" is in a tenth of all summaries), else not
 * at all. A query with a prefix, always: that index is small.
 */
function storyMatch(ix: SearchIndex, typed: ParsedQuery, match: string): string | null {
	const whole = toFtsMatch(typed) ?? match;
	if (typed.terms.some((t) => t.prefix)) return whole;
	const counts = [...typed.terms.map((t) => t.text), ...typed.phrases].map((words) => storyCount(ix, words));
	const ranked = ix.tuning.rankedStories ?? STORY_RANKED;
	if (counts.some((c) => c.all <= ranked)) return whole;
	if (counts.some((c) => c.named <= ranked)) return `{title author} : (${whole})`;
	return null;
}

/** How many stories hold a word (or a phrase's rarest word) in their titles or authors, and in any field (at most). */
function storyCount(ix: SearchIndex, words: string): { named: number; all: number } {
	let named = Number.POSITIVE_INFINITY;
	let all = Number.POSITIVE_INFINITY;
	for (const stem of ix.stemmer.stems(words)) {
		const rows = ix.statement('SELECT col, stories FROM story_vocabulary WHERE term = ?').all(stem) as {
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
