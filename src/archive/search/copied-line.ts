/**
 * A query that is a line copied from a story: when a query counts as one, a long one cut to its rarest words in a
 * row, and the line as its pages are checked for it (words, sentences, text as typed with and without its quotes).
 */
import type { SearchIndex } from './handle.js';
import { LINE_WORDS_MAX, lineWindow } from './line-budget.js';
import { characterNames } from './names.js';
import { FILTER_TOKEN, LINE_WORDS, type ParsedQuery, wordCount } from './query.js';
import { phraseLiteral, wordPattern } from './words.js';

/** A query that looks like a line copied from a story. */
export interface CopiedLine {
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

/** Double quote marks: a text in them, and those at its ends with the spaces inside them. */
const QUOTE_MARKS = '"“”„«»＂';
const QUOTED = new RegExp(`^[${QUOTE_MARKS}].*[${QUOTE_MARKS}]$`, 'u');
const EDGE_QUOTES = new RegExp(`^[${QUOTE_MARKS}]+\\s*|\\s*[${QUOTE_MARKS}]+$`, 'gu');

/**
 * Whether a query looks like a line copied from a story: five words or more, no prefix, nothing left out, and not
 * a list of characters ("buffy willow xander giles anya": the stories they are all in, not a page saying that).
 */
export function isCopiedLine(ix: SearchIndex, query: ParsedQuery): boolean {
	return (
		wordCount(query) >= LINE_WORDS &&
		!query.terms.some((t) => t.prefix) &&
		!query.excluded.length &&
		!characterNames(ix, query)
	);
}

/** A copied line of more than LINE_WORDS_MAX words cut to its rarest words in a row (filters kept); else null. */
export function longLineWindow(ix: SearchIndex, input: string, parsed: ParsedQuery): string | null {
	if (wordCount(parsed) <= LINE_WORDS_MAX || !isCopiedLine(ix, parsed)) return null;
	const keep = [...input.matchAll(FILTER_TOKEN)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
	return lineWindow(input, (word) => ix.pageCount(word), ix.pages(), keep);
}

/** The line a query as typed holds: typos corrected, filters out, cut at the words that match nothing. */
export function copiedLine(
	input: string,
	corrected: Map<string, string> | undefined,
	unknown: Set<string>,
): CopiedLine {
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

/** Whitespace collapsed, lower-cased. */
const flatten = (text: string) => text.replace(/\s+/g, ' ').trim().toLowerCase();
