/**
 * Leaving words out of a query: which one to leave out when no page has them all (and the query as typed without
 * it, for "Search without …"), and a copied line without the words that match nothing.
 */
import type { SearchIndex } from './handle.js';
import { partPages } from './prefixes.js';
import { type ParsedQuery, toFtsMatch } from './query.js';
import { escapeRegExp, wordPattern } from './words.js';

/**
 * A query of more parts than this (words and phrases) that matches nothing is not told which to leave out: each part
 * tried costs an FTS5 query, and with many parts no one of them is to blame.
 */
const LEAVE_OUT_PARTS = 6;

/**
 * For a query of words (and phrases) that no page holds all of, the rarest whose leaving out finds pages
 * ("sunnydale"; a phrase in quotes, a prefix with its star). Null when none does, or the query has one part or
 * many.
 */
export function leaveOut(ix: SearchIndex, query: ParsedQuery): string | null {
	if (query.terms.length + query.phrases.length < 2 || query.terms.length + query.phrases.length > LEAVE_OUT_PARTS)
		return null;
	const parts = [
		...query.terms.map((t, i) => ({
			shown: t.prefix ? `${t.text}*` : t.text,
			i,
			phrase: false,
			pages: partPages(ix, t.text, t.prefix),
		})),
		...query.phrases.map((p, i) => ({ shown: `"${p}"`, i, phrase: true, pages: ix.pageCount(p) })),
	].sort((a, b) => a.pages - b.pages);
	const any = ix.statement('SELECT 1 FROM pages_fts WHERE pages_fts MATCH ? LIMIT 1').pluck();
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
 * A query as typed without one of its parts (a word, a `prefix*` or a `"phrase"`, as `leaveOut` shows it), spaces
 * collapsed; undefined when it is not there as typed (a corrected word, a phrase typed with other spacing).
 */
export function withoutPart(input: string, part: string): string | undefined {
	// (A prefix is followed by its star, not by the end of a word.)
	const pattern = part.endsWith('*') ? new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(part)}`, 'iu') : wordPattern(part);
	if (!pattern.test(input)) return undefined;
	const rest = input.replace(pattern, ' ').replace(/\s+/g, ' ').trim();
	return rest || undefined;
}

/** A query without some of its words (as terms, or inside phrases: a phrase's words then count one by one). */
export function withoutWords(query: ParsedQuery, words: Set<string>): ParsedQuery {
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
