/**
 * Prefixes (`spik*`): the index terms a prefix stands for, found in the vocabulary tables, and a query's prefixes
 * replaced by them.
 */
import type { SearchIndex } from './handle.js';
import type { ParsedQuery } from './query.js';

/** The indexes a prefix can stand for words of: the pages', or the titles', authors' and summaries'. */
export type PrefixIndex = 'pages' | 'stories';
const VOCABULARY: Record<PrefixIndex, string> = { pages: 'vocabulary', stories: 'story_vocabulary' };

/**
 * The most index terms a prefix stands for (those on most pages): more find a rarer word that starts so, at the cost
 * of a lookup per term in every index segment on each query.
 */
const PREFIX_TERMS = 32;
/**
 * Endings that complete a word a prefix may be the start of, to find the index terms of such words: "movi" may be
 * "moving" (term "move"), "slipp" "slipped" ("slip"), "definitel" "definitely" ("definit"). A prefix's last
 * letters up to ENDING_MAX may be the start of one: more letters find longer endings, at more terms to look up.
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

/** How many pages hold a word (see SearchIndex.pageCount), or a prefix's words, from the vocabulary table. */
export function partPages(ix: SearchIndex, word: string, prefix = false): number {
	if (!prefix) return ix.pageCount(word);
	const stems = ix.stemmer.stems(word);
	if (!stems.length) return 0;
	const { starts, terms } = prefixTerms(ix, word) ?? { starts: [stems.at(-1) as string], terms: [] };
	const sum = ix.statement('SELECT coalesce(sum(pages), 0) FROM vocabulary WHERE term >= ? AND term < ?').pluck();
	const pages = ix.statement('SELECT pages FROM vocabulary WHERE term = ?').pluck();
	return (
		starts.reduce((n, start) => n + (sum.get(start, `${start}\uffff`) as number), 0) +
		terms.reduce((n, term) => n + ((pages.get(term) as number | undefined) ?? 0), 0)
	);
}

/**
 * The index terms a prefix stands for: those that start with it as typed (case and accents folded), since the
 * term of a word mostly starts as the word does ("sunny" → "sunnydal"); those that start with its stem, as FTS5
 * would take it ("leave" → "leav"); and the terms of the words it may be the start of, which it can run past
 * ("movi" of "moving": "move"). `starts` are where ranges of terms start (none the start of another), `terms`
 * single terms outside them. Null for a prefix of several tokens.
 */
export function prefixTerms(
	ix: SearchIndex,
	prefix: string,
	index: PrefixIndex = 'pages',
): { starts: string[]; terms: string[] } | null {
	const stems = ix.stemmer.stems(prefix);
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
	const exists = ix.statement(`SELECT 1 FROM ${VOCABULARY[index]} WHERE term = ?`).pluck();
	const terms = [...new Set(ix.stemmer.stemEach([...words]))].filter(
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
export function expandPrefixes(
	ix: SearchIndex,
	query: ParsedQuery,
	notes?: string[],
	index: PrefixIndex = 'pages',
): ParsedQuery {
	if (!query.terms.some((t) => t.prefix)) return query;
	const terms = query.terms.map((t) => {
		// A prefix of several tokens ("e-ma*") is a phrase ending in a prefix: left to FTS5.
		const stands = t.prefix ? prefixTerms(ix, t.text, index) : null;
		if (!stands) return t;
		// (Terms are ranked by the pages, or the stories' fields, that hold them.)
		const [table, count] = [VOCABULARY[index], index === 'pages' ? 'pages' : 'sum(stories)'];
		const range = ix.statement(
			`SELECT term, ${count} AS pages FROM ${table} WHERE term >= ? AND term < ? GROUP BY term
					ORDER BY pages DESC, term LIMIT ?`,
		);
		const single = ix.statement(`SELECT term, ${count} AS pages FROM ${table} WHERE term = ? GROUP BY term`);
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
		const expansion = ix.stemmer.spellings(found);
		if (expansion.some((w) => w === undefined)) return t;
		return { ...t, expansion: expansion as string[] };
	});
	return { ...query, terms };
}
