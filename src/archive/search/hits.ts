/**
 * Hits and their snippets: a ranked story at its page, with the page's text around what the query matched, cut from
 * the page's text where it can be (a query of words and phrases, prefixes), else by FTS5, else the page's start.
 */
import { pageRowid } from '../store.js';
import type { Markup, Rating } from '../types.js';
import type { SearchIndex } from './handle.js';
import { prefixTerms } from './prefixes.js';
import { type ParsedQuery, toFtsMatch } from './query.js';
import {
	CLOSE,
	cutSnippet,
	markedParts,
	OPEN,
	SNIPPET_MARKS,
	type Snippet,
	type SnippetGroups,
	type SnippetPart,
} from './snippet.js';
import { escapeRegExp } from './words.js';

export interface SearchHit {
	storyId: number;
	title: string;
	author: string | null;
	rating: Rating;
	/** The best matching page (1-based). */
	page: number;
	/** Higher is better; comparable within one search only. */
	score: number;
	/** About 200 characters of the page around what the query matched, on one line: the story's text, in parts. */
	snippet: SnippetPart[];
	/** How the story's text is written: a Markdown story's snippet holds its emphasis markers. */
	markup: Markup;
}

/** Characters of a page's start shown when nothing on it can be shown matched: as long as a snippet, no longer. */
const START_SHOWN = 200;
/** Tokens of a snippet FTS5 cuts: about 200 characters, what a result's field shows well (snippet.ts cuts as many). */
const SNIPPET_TOKENS = 36;

/**
 * A hit with its snippet: already made (`{ parts }`), made by FTS5 from a match expression (a string or
 * `{ match }`), or else the start of the page (or the summary). The text is the story's own: how a front end shows
 * it (escaped, matches in bold, a Markdown story's emphasis) is the front end's.
 */
export function hit(
	ix: SearchIndex,
	storyId: number,
	page: number,
	score: number,
	made: Snippet | string | null,
): SearchHit {
	const story = ix
		.statement('SELECT title, author, rating, summary, markup FROM stories WHERE id = ?')
		.get(storyId) as {
		title: string;
		author: string | null;
		rating: Rating;
		summary: string | null;
		markup: Markup;
	};
	const match = typeof made === 'string' ? made : made && 'match' in made ? made.match : null;
	let parts = made && typeof made === 'object' && 'parts' in made ? made.parts : undefined;
	if (!parts?.length && match) {
		const raw = ix
			.statement(
				`SELECT snippet(pages_fts, 0, '${OPEN}', '${CLOSE}', '…', ${SNIPPET_TOKENS}) FROM pages_fts WHERE pages_fts MATCH ? AND rowid = CAST(? AS INTEGER)`,
			)
			.pluck()
			.get(match, pageRowid(storyId, page)) as string | undefined;
		if (raw) parts = markedParts(raw);
	}
	if (!parts?.length) {
		const text = ix.pageText(pageRowid(storyId, page)) ?? story.summary ?? '';
		const start = clip(text, START_SHOWN);
		parts = start ? [{ text: start, match: false }] : [];
	}
	return {
		storyId,
		title: story.title,
		author: story.author,
		rating: story.rating,
		page,
		score,
		snippet: parts,
		markup: story.markup,
	};
}

/**
 * What the hits' snippets look for, cut from their pages' text rather than by FTS5 (which looks each term up in
 * every index segment): each word's and phrase's index terms. Null for a query with prefixes (their snippets
 * are cut by `narrowed`) or without words.
 */
export function snippetGroups(ix: SearchIndex, query: ParsedQuery): SnippetGroups | null {
	if (query.terms.some((t) => t.prefix)) return null;
	const groups = [...query.terms.map((t) => t.text), ...query.phrases]
		.map((words) => ix.stemmer.stems(words))
		.filter((stems) => stems.length > 0)
		.map((stems) => [stems]);
	return groups.length ? groups : null;
}

/** A hit's snippet cut from its page's text; undefined when the text does not show the words (FTS5 then cuts it). */
export function pageSnippet(
	ix: SearchIndex,
	groups: SnippetGroups | null,
	storyId: number,
	page: number,
): Snippet | undefined {
	if (!groups) return undefined;
	const text = ix.pageText(pageRowid(storyId, page));
	if (text === undefined) return undefined;
	const raw = cutSnippet(text, groups, (words) => ix.stemmer.stemEach(words), SNIPPET_MARKS);
	return raw === undefined ? undefined : { parts: markedParts(raw) };
}

/**
 * A query's match for one page, its prefixes standing only for the terms found in the page's text (for the
 * snippet: each term FTS5 is given costs a lookup in every index segment). Null when nothing to narrow.
 */
export function narrowed(ix: SearchIndex, query: ParsedQuery, storyId: number, page: number): string | Snippet | null {
	if (!query.terms.some((t) => (t.expansion?.length ?? 0) > 1)) return null;
	const text = ix.pageText(pageRowid(storyId, page)) ?? '';
	if (!query.phrases.length && query.terms.every((t) => t.expansion?.length)) {
		// Prefixes alone: the snippet is cut here, around the words that start with them.
		const starts = query.terms.flatMap((t) => {
			const stands = prefixTerms(ix, t.text);
			return stands ? [...stands.starts, ...stands.terms] : [ix.stemmer.stems(t.text)[0] ?? t.text];
		});
		const snippet = prefixSnippet(text, starts);
		if (snippet) return snippet;
	}
	const lower = text.toLowerCase();
	const terms = query.terms.map((t) => {
		const found = t.expansion?.filter((word) => lower.includes(ix.stemmer.stems(word)[0] ?? word));
		return found?.length ? { ...t, expansion: found } : t;
	});
	return toFtsMatch({ ...query, terms });
}

/** About 200 characters from the first word in a page's text that starts with one of the prefixes, those matched. */
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
	return { parts: markedParts(`${start > 0 ? '…' : ''}${window}${end < page.length ? '…' : ''}`) };
}

/** A text's start, on one line, cut at a word within `max` characters, with an ellipsis when it goes on. */
function clip(text: string, max: number): string {
	const flat = text.replace(/\s+/g, ' ').trim();
	if (flat.length <= max) return flat;
	const cut = flat.lastIndexOf(' ', max - 1);
	return `${flat.slice(0, cut > max / 2 ? cut : max - 1)}…`;
}

export type { SnippetPart };
