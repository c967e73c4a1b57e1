/** The query language readers type → a parsed query, and that → a safe FTS5 expression (the language below). */
import type { FacetKind, NumberRange } from '../facets.js';
import { normalizeRating } from '../parse/normalize.js';
import { RATINGS, type Rating } from '../types.js';

/**
 * The `/search` query language:
 *
 *   spike crypt            every word must match
 *   "exact phrase"         a phrase; an unclosed quote runs to the end of the query
 *   spik*                  a prefix (at least 2 letters before the *)
 *   -word  -"a phrase"     leave out pages with that word or phrase
 *   author:name  author:"two words"  title:word (repeatable)  character:dawn (repeatable)
 *   rating:teen  rating:<=teen  rating:>=mature  rating:<mature  rating:>general
 *   fandom:buffy  ship:spike/buffy (relationship:)  tag:angst  warning:"major character death"  (repeatable;
 *   -fandom:, -ship:, -tag:, -warning: leave out)  complete:yes|no  words:>10000  words:<=5k  chapters:1
 *
 * Anything else is text: AND/OR/NOT/NEAR are ordinary words, punctuation around words and brackets are ignored,
 * and a token with no letter or digit is dropped. Parsing never throws, and toFtsMatch only ever emits user text
 * inside FTS5 string literals, so no query can be an FTS5 syntax error.
 */

export interface QueryTerm {
	text: string;
	prefix: boolean;
	/**
	 * For a prefix: the index terms it stands for, searched instead of the prefix (FTS5 would merge the page lists of
	 * every term with the prefix on each query). Empty: no term has the prefix.
	 */
	expansion?: string[];
}

export interface RatingFilter {
	op: '=' | '<=' | '>=' | '<' | '>';
	rating: Rating;
}

/** A tag filter as typed: the value is matched to the archive's tags of its kind when searched. */
export interface TagFilter {
	kind: Exclude<FacetKind, 'character'>;
	value: string;
	/** Leave out stories with it (-warning:…). */
	negated: boolean;
}

export interface ParsedQuery {
	/** Words that must all match. */
	terms: QueryTerm[];
	/** Each an exact phrase, words separated by single spaces. */
	phrases: string[];
	/** Excluded words or phrases. */
	excluded: string[];
	author?: string;
	titleWords: string[];
	characters: string[];
	rating?: RatingFilter;
	/** fandom:, ship:, tag:, warning: (and their -), when the query has any. */
	tags?: TagFilter[];
	/** words: and chapters: comparisons, when the query has any: all must hold. */
	words?: NumberRange[];
	chapters?: NumberRange[];
	/** complete:yes|no, when the query has it. */
	complete?: boolean;
	/** Short messages for the user about what was ignored or changed. */
	notes: string[];
}

export const MAX_QUERY_LENGTH = 500;

/** Words (and phrases' words) from which a query is taken for a line copied from a story. */
export const LINE_WORDS = 5;

/** How many words a query asks for, its phrases' words one by one. */
export const wordCount = (query: Pick<ParsedQuery, 'terms' | 'phrases'>) =>
	query.terms.length + query.phrases.join(' ').split(' ').filter(Boolean).length;

/** A query's wanted words and phrases (prefixes aside), lower-cased. */
const wantedWords = (query: Pick<ParsedQuery, 'terms' | 'phrases'>) =>
	new Set([
		...query.terms.filter((t) => !t.prefix).map((t) => t.text.toLowerCase()),
		...query.phrases.map((p) => p.toLowerCase()),
	]);

/** Whether a query leaves out something it also asks for: then nothing can match, and there is nothing to run. */
export const contradicts = (query: ParsedQuery) => {
	const wanted = wantedWords(query);
	return query.excluded.some((value) => wanted.has(value.toLowerCase()));
};

/** FTS5 nests each NOT one level deeper and refuses trees deeper than 256; this keeps well clear of it. */
const MAX_EXCLUDED = 100;

const QUOTE = /["“”„＂]/;
/** Characters that end a word outside quotes: whitespace and brackets (brackets are otherwise ignored). */
const SEPARATOR = /[\s()[\]{}]/;
const WORD_CHAR = /[\p{L}\p{N}]/u;
/** A word's core: from its first letter or digit to its last letter, digit or combining mark. */
const CORE = /[\p{L}\p{N}](?:.*[\p{L}\p{N}\p{M}])?/su;
const CONTROL_OR_LONE_SURROGATE = /\p{Cc}|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/gu;
const KEYS = 'author|title|character|rating|fandom|ship|relationship|tag|warning|complete|words|chapters';
const FILTER = new RegExp(`^(${KEYS}):(.*)$`, 'is');
/** A filter as typed anywhere in a query, with its value (quoted or not): what a copied line leaves out. */
export const FILTER_TOKEN = new RegExp(`(?<!\\S)-?(?:${KEYS}):(?:["“”„＂][^"“”„＂]*["“”„＂]?|\\S*)`, 'gi');
const FILTER_BEFORE_QUOTE = new RegExp(`^(${KEYS}):(<=|>=|<|>|=|≤|≥)?$`, 'i');
const OPERATORS = new Set(['AND', 'OR', 'NOT', 'NEAR']);
const ORDERED: readonly Rating[] = RATINGS.filter((r) => r !== 'Not Rated');
/** normalizeRating's codes for Not Rated, which it also returns for anything it does not know. */
const NOT_RATED_CODES = new Set(['nr', 'notrated', 'unrated', 'none']);

const FILTER_EXAMPLES: Record<FilterKey, string> = {
	author: 'author:"Jane Doe"',
	title: 'title:gift',
	character: 'character:dawn',
	rating: 'rating:teen or rating:<=teen',
	fandom: 'fandom:"Buffy the Vampire Slayer"',
	ship: 'ship:spike/buffy',
	relationship: 'relationship:"Buffy Summers/Spike"',
	tag: 'tag:angst',
	warning: 'warning:"major character death"',
	complete: 'complete:yes or complete:no',
	words: 'words:>10000 or words:<=5k',
	chapters: 'chapters:1 or chapters:>=3',
};

type FilterKey =
	| 'author'
	| 'title'
	| 'character'
	| 'rating'
	| 'fandom'
	| 'ship'
	| 'relationship'
	| 'tag'
	| 'warning'
	| 'complete'
	| 'words'
	| 'chapters';

/** The tag filters' keys and the kind of tag each matches (ship: and relationship: are one). */
const TAG_KEYS: Partial<Record<FilterKey, TagFilter['kind']>> = {
	fandom: 'fandom',
	ship: 'relationship',
	relationship: 'relationship',
	tag: 'tag',
	warning: 'warning',
};
/** A filter's values at most (FTS5 aside, each is a condition on every story checked). */
const MAX_TAG_FILTERS = 20;

type Token =
	| { kind: 'word'; raw: string }
	| { kind: 'phrase'; text: string; negated: boolean; closed: boolean; raw: string }
	| { kind: 'filter'; key: FilterKey; value: string; quoted: boolean; closed: boolean; negated: boolean; raw: string };

const isSeparator = (ch: string) => SEPARATOR.test(ch);
const isQuote = (ch: string) => QUOTE.test(ch);
const hasWordChar = (s: string) => WORD_CHAR.test(s);

/** User text as shown in a note: short and on one line. */
function shown(text: string): string {
	const chars = Array.from(text);
	return `“${chars.length > 30 ? `${chars.slice(0, 29).join('')}…` : text}”`;
}

/** Splits a word into its core and what follows the core; null when it has no letter or digit. */
function core(text: string): { core: string; after: string } | null {
	const m = CORE.exec(text);
	return m ? { core: m[0], after: text.slice(m.index + m[0].length) } : null;
}

/** A phrase's words, punctuation around each dropped, joined by single spaces. */
function cleanPhrase(text: string): string {
	return text
		.split(/[\s()[\]{}]+/)
		.map((w) => core(w)?.core ?? '')
		.filter(Boolean)
		.join(' ');
}

/** Control characters and broken surrogates out, whitespace trimmed, cut to MAX_QUERY_LENGTH at a word boundary. */
function prepare(input: string): { text: string; cut: boolean } {
	const text = (typeof input === 'string' ? input : '').replace(CONTROL_OR_LONE_SURROGATE, ' ').trim();
	if (text.length <= MAX_QUERY_LENGTH) return { text, cut: false };
	let end = MAX_QUERY_LENGTH;
	while (end > 0 && !/\s/.test(text.charAt(end))) end--;
	if (end === 0) {
		// One huge word: cut it, but not between the halves of a surrogate pair.
		end = MAX_QUERY_LENGTH;
		const code = text.charCodeAt(end - 1);
		if (code >= 0xd800 && code <= 0xdbff) end--;
	}
	return { text: text.slice(0, end).trimEnd(), cut: true };
}

/** Reads a quoted string starting just after its opening quote; any quote character closes it. */
function readQuoted(text: string, start: number): { value: string; closed: boolean; end: number } {
	let end = start;
	while (end < text.length && !isQuote(text.charAt(end))) end++;
	const closed = end < text.length;
	return { value: text.slice(start, end), closed, end: closed ? end + 1 : end };
}

function* tokens(text: string): Generator<Token> {
	let i = 0;
	while (i < text.length) {
		const ch = text.charAt(i);
		if (isSeparator(ch)) {
			i++;
			continue;
		}
		if (isQuote(ch)) {
			const q = readQuoted(text, i + 1);
			yield { kind: 'phrase', text: q.value, negated: false, closed: q.closed, raw: text.slice(i, q.end) };
			i = q.end;
			continue;
		}
		let j = i;
		while (j < text.length && !isSeparator(text.charAt(j)) && !isQuote(text.charAt(j))) j++;
		const run = text.slice(i, j);
		const negated = run.startsWith('-');
		const body = run.replace(/^-+/, '');
		if (j < text.length && isQuote(text.charAt(j))) {
			// A quote right after "-" or "key:" quotes that exclusion's or filter's value.
			const filter = FILTER_BEFORE_QUOTE.exec(body);
			if (body === '' || filter) {
				const q = readQuoted(text, j + 1);
				const raw = text.slice(i, q.end);
				if (filter) {
					const key = (filter[1] ?? '').toLowerCase() as FilterKey;
					yield {
						kind: 'filter',
						key,
						value: (filter[2] ?? '') + q.value,
						quoted: true,
						closed: q.closed,
						negated,
						raw,
					};
				} else yield { kind: 'phrase', text: q.value, negated: true, closed: q.closed, raw };
				i = q.end;
				continue;
			}
		}
		const filter = FILTER.exec(body);
		if (filter) {
			const key = (filter[1] ?? '').toLowerCase() as FilterKey;
			yield { kind: 'filter', key, value: filter[2] ?? '', quoted: false, closed: true, negated, raw: run };
		} else yield { kind: 'word', raw: run };
		i = j;
	}
}

/** Reads a rating filter's value ("<=teen", "pg13", "not rated"); a string is a note about why it was ignored. */
function parseRating(value: string, raw: string): RatingFilter | string {
	const m = /^\s*(<=|>=|<|>|=|≤|≥)?\s*([\s\S]*?)\s*$/.exec(value);
	const op = ({ '≤': '<=', '≥': '>=' } as Record<string, RatingFilter['op']>)[m?.[1] ?? ''] ?? m?.[1] ?? '=';
	const name = m?.[2] ?? '';
	if (!hasWordChar(name)) return `rating: needs a value, like ${FILTER_EXAMPLES.rating}.`;
	const lower = name.toLowerCase();
	let rating: Rating | undefined = RATINGS.find((r) => r.toLowerCase() === lower);
	if (!rating && NOT_RATED_CODES.has(lower.replace(/[\s._-]+/g, ''))) rating = 'Not Rated';
	if (!rating) {
		const normalized = normalizeRating(name);
		if (normalized !== 'Not Rated') rating = normalized;
	}
	if (!rating) return `Unknown rating ${shown(name)}: use general, teen, mature, explicit or "not rated".`;
	const filter: RatingFilter = { op: op as RatingFilter['op'], rating };
	if (rating === 'Not Rated' && filter.op !== '=')
		return `Ignored ${shown(raw)}: Not Rated has no place on the scale, so it can only be matched exactly (rating:nr).`;
	if (ratingsAllowed(filter).length === 0) return `Ignored ${shown(raw)}: no rating fits it.`;
	return filter;
}

/** "10k" → 10000, "1,500" → 1500, "2.5k" → 2500; NaN for anything else. */
function amount(text: string): number {
	const m = /^(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*([km]?)$/i.exec(text.trim());
	if (!m) return Number.NaN;
	const scale = { '': 1, k: 1000, m: 1_000_000 }[(m[2] ?? '').toLowerCase()] ?? 1;
	return Math.round(Number((m[1] ?? '').replaceAll(',', '')) * scale);
}

/** Reads words: or chapters:'s value (">10000", "<=5k", "3"); a string is a note about why it was ignored. */
function parseRange(key: 'words' | 'chapters', value: string): NumberRange | string {
	const m = /^\s*(<=|>=|<|>|=|≤|≥)?\s*(.*?)\s*$/s.exec(value);
	const op = ({ '≤': '<=', '≥': '>=' } as Record<string, NumberRange['op']>)[m?.[1] ?? ''] ?? m?.[1] ?? '=';
	const n = amount(m?.[2] ?? '');
	if (!Number.isFinite(n) || n > 1e9)
		return `${key}: needs a number, like ${FILTER_EXAMPLES[key]}; ignored ${shown(`${key}:${value}`)}.`;
	return { op: op as NumberRange['op'], value: n };
}

/** Reads complete:'s value; undefined for anything but a yes or a no. */
function parseComplete(value: string): boolean | undefined {
	const v = value.trim().toLowerCase();
	if (['yes', 'y', 'true', 'complete', 'completed', 'finished', 'done'].includes(v)) return true;
	if (['no', 'n', 'false', 'wip', 'incomplete', 'unfinished', 'ongoing', 'in progress'].includes(v)) return false;
	return undefined;
}

export function parseQuery(input: string): ParsedQuery {
	const query: ParsedQuery = { terms: [], phrases: [], excluded: [], titleWords: [], characters: [], notes: [] };
	const notes = new Set<string>();
	const symbols: string[] = [];
	const seen = { terms: new Set<string>(), phrases: new Set<string>(), excluded: new Set<string>() };
	const seenTitle = new Set<string>();
	const seenCharacter = new Set<string>();
	let operatorWord = false;
	let droppedExcluded = 0;

	const { text, cut } = prepare(input);
	if (cut)
		notes.add(`Your search was over ${MAX_QUERY_LENGTH} characters, so only the first ${text.length} were used.`);

	const exclude = (value: string) => {
		const key = value.toLowerCase();
		if (seen.excluded.has(key)) return;
		if (query.excluded.length >= MAX_EXCLUDED) {
			droppedExcluded++;
			return;
		}
		seen.excluded.add(key);
		query.excluded.push(value);
	};

	for (const token of tokens(text)) {
		if (token.kind === 'word') {
			const negated = token.raw.startsWith('-');
			const body = token.raw.replace(/^-+/, '');
			const word = core(body);
			if (!word) {
				if (body.includes('*')) notes.add(`Ignored ${shown(token.raw)}: put * after at least 2 letters, like spik*.`);
				else symbols.push(token.raw);
				continue;
			}
			const prefix = word.after.includes('*');
			if (prefix && negated) {
				notes.add(`Ignored ${shown(token.raw)}: only whole words can be left out, not prefixes.`);
			} else if (prefix && (word.core.match(/[\p{L}\p{N}]/gu)?.length ?? 0) < 2) {
				notes.add(`Ignored ${shown(token.raw)}: put * after at least 2 letters, like spik*.`);
			} else if (negated) {
				exclude(word.core);
			} else {
				const key = `${word.core.toLowerCase()}${prefix ? '*' : ''}`;
				if (seen.terms.has(key)) continue;
				seen.terms.add(key);
				query.terms.push({ text: word.core, prefix });
				if (!prefix && OPERATORS.has(word.core)) operatorWord = true;
			}
			continue;
		}

		const missingQuote = 'Added the missing closing quote.';
		if (token.kind === 'phrase') {
			const phrase = cleanPhrase(token.text);
			if (!phrase) {
				if (hasWordChar(token.text) || token.text.trim() === '') notes.add('Ignored an empty or unmatched quote.');
				else symbols.push(token.raw);
				continue;
			}
			if (!token.closed) notes.add(missingQuote);
			if (token.negated) exclude(phrase);
			else if (!seen.phrases.has(phrase.toLowerCase())) {
				seen.phrases.add(phrase.toLowerCase());
				query.phrases.push(phrase);
			}
			continue;
		}

		// A filter.
		const tagKind = TAG_KEYS[token.key];
		if (token.negated && !tagKind) {
			notes.add(
				`Ignored ${shown(token.raw)}: only words can be left out (and fandom:, ship:, tag:, warning: filters), not ${token.key}: filters.`,
			);
			continue;
		}
		if (token.key === 'rating') {
			const rating = parseRating(token.value, token.raw);
			if (typeof rating === 'string') notes.add(rating);
			else {
				if (!token.closed) notes.add(missingQuote);
				if (query.rating && (query.rating.op !== rating.op || query.rating.rating !== rating.rating))
					notes.add(`Only one rating filter is used; kept the last, ${shown(token.raw)}.`);
				query.rating = rating;
			}
			continue;
		}
		if (token.key === 'words' || token.key === 'chapters') {
			const range = parseRange(token.key, token.value);
			if (typeof range === 'string') notes.add(range);
			else {
				if (!token.closed) notes.add(missingQuote);
				query[token.key] ??= [];
				const list = query[token.key] as NumberRange[];
				if (!list.some((r) => r.op === range.op && r.value === range.value)) list.push(range);
			}
			continue;
		}
		if (token.key === 'complete') {
			const complete = parseComplete(token.value);
			if (complete === undefined) notes.add(`complete: takes yes or no; ignored ${shown(token.raw)}.`);
			else {
				if (query.complete !== undefined && query.complete !== complete)
					notes.add(`Only one complete: filter is used; kept the last, ${shown(token.raw)}.`);
				query.complete = complete;
			}
			continue;
		}
		const value = token.quoted ? token.value.replace(/\s+/g, ' ').trim() : (core(token.value)?.core ?? '');
		if (!hasWordChar(value)) {
			notes.add(`${token.key}: needs a value, like ${FILTER_EXAMPLES[token.key]}.`);
			continue;
		}
		if (!token.closed) notes.add(missingQuote);
		if (tagKind) {
			query.tags ??= [];
			const tags = query.tags;
			const same = (t: TagFilter) => t.kind === tagKind && t.value.toLowerCase() === value.toLowerCase();
			if (tags.some((t) => same(t) && t.negated === token.negated)) continue;
			if (tags.some(same))
				notes.add(`${shown(token.raw)} both asks for and leaves out a ${token.key}: nothing can match.`);
			if (tags.length >= MAX_TAG_FILTERS) {
				notes.add(`Only the first ${MAX_TAG_FILTERS} tag filters were used.`);
				continue;
			}
			tags.push({ kind: tagKind, value, negated: token.negated });
		} else if (token.key === 'author') {
			if (query.author !== undefined && query.author.toLowerCase() !== value.toLowerCase())
				notes.add(`Only one author filter is used; kept the last, ${shown(value)}.`);
			query.author = value;
		} else {
			const [list, seenValues] =
				token.key === 'title' ? [query.titleWords, seenTitle] : [query.characters, seenCharacter];
			if (seenValues.has(value.toLowerCase())) continue;
			seenValues.add(value.toLowerCase());
			list.push(value);
		}
	}

	if (symbols.length > 0) {
		const listed = symbols.slice(0, 5).map(shown).join(', ');
		const more = symbols.length > 5 ? ` and ${symbols.length - 5} more` : '';
		notes.add(`Ignored ${listed}${more}: search needs letters or digits.`);
	}
	if (droppedExcluded > 0) notes.add(`Only the first ${MAX_EXCLUDED} left-out words were used.`);
	if (operatorWord)
		notes.add(
			'AND, OR, NOT and NEAR are searched as ordinary words: all words must match, and -word leaves a word out.',
		);
	const wanted = wantedWords(query);
	const contradicting = query.excluded.filter((value) => wanted.has(value.toLowerCase()));
	if (contradicting.length && wordCount(query) >= LINE_WORDS) {
		// In a pasted line ("with oil (-he he, right)") a dash before a word the line also holds is punctuation.
		query.excluded = query.excluded.filter((value) => !wanted.has(value.toLowerCase()));
	} else {
		for (const value of contradicting) notes.add(`${shown(value)} is both wanted and left out, so nothing can match.`);
	}
	const positive = query.terms.length + query.phrases.length;
	if (positive === 0 && query.excluded.length > 0) notes.add('Say what to look for, not only what to leave out.');
	const anyFilter =
		query.author !== undefined ||
		query.rating !== undefined ||
		query.titleWords.length + query.characters.length > 0 ||
		query.tags !== undefined ||
		query.words !== undefined ||
		query.chapters !== undefined ||
		query.complete !== undefined;
	if (positive === 0 && query.excluded.length === 0 && !anyFilter) notes.add('Nothing to search for: type some words.');

	query.notes = [...notes];
	return query;
}

/** An FTS5 string literal: the text in double quotes, internal quotes doubled, control characters blanked. */
function literal(text: string): string {
	return `"${text.replace(/\p{Cc}/gu, ' ').replaceAll('"', '""')}"`;
}

/** The FTS5 MATCH expression for the page index, or null when the query has no words or phrases to match. */
export function toFtsMatch(query: ParsedQuery): string | null {
	const term = (t: QueryTerm) => {
		if (t.prefix && t.expansion?.length) return `(${t.expansion.map(literal).join(' OR ')})`;
		return t.prefix ? `${literal(t.text)} *` : literal(t.text);
	};
	const positive = [
		...query.terms.filter((t) => hasWordChar(t.text)).map(term),
		...query.phrases.filter(hasWordChar).map(literal),
	];
	if (positive.length === 0) return null;
	const excluded = query.excluded
		.filter(hasWordChar)
		.slice(0, MAX_EXCLUDED)
		.map((e) => ` NOT ${literal(e)}`);
	return positive.join(' AND ') + excluded.join('');
}

/** The ratings a filter allows (for SQL `rating IN (...)`). */
export function ratingsAllowed(filter: RatingFilter): Rating[] {
	if (filter.rating === 'Not Rated') return filter.op === '=' ? ['Not Rated'] : [];
	const at = ORDERED.indexOf(filter.rating);
	const fits: Record<RatingFilter['op'], (i: number) => boolean> = {
		'=': (i) => i === at,
		'<=': (i) => i <= at,
		'>=': (i) => i >= at,
		'<': (i) => i < at,
		'>': (i) => i > at,
	};
	// An unknown rating or operator (from a hand-built filter) allows nothing rather than everything.
	const allows = Object.hasOwn(fits, filter.op) ? fits[filter.op] : undefined;
	return at < 0 || !allows ? [] : ORDERED.filter((_, i) => allows(i));
}

/** The words to look for, in order, for typo correction and highlighting: terms and phrase words, lower-cased. */
export function queryWords(query: ParsedQuery): string[] {
	const words = [...query.terms.map((t) => t.text), ...query.phrases.flatMap((p) => p.split(' '))]
		.map((w) => w.toLowerCase())
		.filter(Boolean);
	return [...new Set(words)];
}
