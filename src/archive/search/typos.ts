/**
 * Typo correction: a word that matches nothing replaced by the word one edit away on most pages, taken apart when it
 * is words run together, or else the closest index term; and the correction as the user is shown it.
 */
import { PAGE_ROWID_SHIFT, pageRowid } from '../store.js';
import type { SearchIndex } from './handle.js';
import type { ParsedQuery } from './query.js';
import { CLOSE, OPEN } from './snippet.js';
import { TypoBudget } from './typo-budget.js';
import { phraseLiteral, wordPattern } from './words.js';

/**
 * Words that carry no subject, of 3 letters or more (typo correction offers nothing shorter): a query corrected to
 * one finds everything. Only a copied line, which holds them word for word, may be corrected to one.
 */
const FUNCTION_WORDS = `
	the and but nor for yet not are was were been being has had have does did can could will would shall should may
	might must its his her hers him she they them their theirs you your yours our ours who whom whose which what when
	where why how this that these those then than there here with from into onto upon over under off out about after
	before again also any all each both some such only own same too very just one
`
	.trim()
	.split(/\s+/);
/** Corrections kept as words as typed (for `displayCorrection`) before the memory starts again: bounds its size. */
const RESPELLED_KEPT = 10_000;
/**
 * A word's pages read, at most, to find one of a story in the budget's scope (TypoScope): in index order, so a word
 * on more pages than this, all of the first of them out of the scope, counts as out of it (a correction missed, not
 * one from outside the scope).
 */
const SCOPE_PAGES = 2000;
export const NOTHING: ReadonlySet<string> = new Set();

/**
 * Words that match nothing replaced by the archive's closest frequent word (edit distance 1, or 2 for
 * longer words): "spkie" → "spike". Returns the query to run and the replacements made. Only in a copied line
 * may a word be corrected to a function word ("iwth" to "with"): the line holds it, word for word.
 */
export function correctTypos(
	ix: SearchIndex,
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
	const avoid = line ? NOTHING : functionStems(ix);
	const fix = (word: string): string => {
		// A word of a title, an author's name or a summary is no typo, even when no page holds it ("night owl").
		if (ix.pageCount(word) > 0 || inStoryFields(ix, word)) return word;
		const replacement = respell(ix, word.toLowerCase(), avoid, budget);
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
function respell(ix: SearchIndex, word: string, avoid: ReadonlySet<string>, budget: TypoBudget): string | null {
	const letters = /^\p{L}{3,}$/u.test(word) && TypoBudget.fits(word);
	const respelled = letters ? respellOneEdit(ix, word, avoid, budget) : null;
	const joined = splitJoined(ix, word, budget);
	if (
		joined &&
		(!respelled || (joined.plain && joined.pages > ix.pageCount(respelled) && onSomePage(ix, joined.words, budget)))
	)
		return joined.words;
	if (respelled) {
		rememberRespelled(ix, respelled);
		return respelled;
	}
	return letters ? closestTerm(ix, word, avoid, budget) : null;
}

/**
 * A word that matches nothing as the two or three words it may be, run together ("sixfootthree" copied from
 * "six-foot-three", "goodtempered", "andand"): the fewest words, each on a page (two letters at least, or a
 * number), those on most pages, with the pages the rarest of them is on. Null when there are none; each piece
 * looked up counts against the budget.
 */
function splitJoined(
	ix: SearchIndex,
	word: string,
	budget: TypoBudget,
): { words: string; pages: number; plain: boolean } | null {
	if (word.length < 4 || !TypoBudget.fits(word) || !/^[\p{L}\p{N}]+$/u.test(word)) return null;
	const pieces: string[] = [];
	for (let i = 0; i < word.length; i++)
		for (let j = i + 2; j <= word.length; j++) if (j - i < word.length) pieces.push(word.slice(i, j));
	for (let i = 0; i < word.length; i++) if (/^\p{N}$/u.test(word.charAt(i))) pieces.push(word.charAt(i));
	if (!budget.candidates(pieces.length)) return null;
	const stems = ix.stemmer.stemEach(pieces);
	const pagesOf = ix.termPages(stems.filter((stem) => stem !== undefined));
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
	// Each a word of the stories corrections may come from.
	if (found && budget.scope && !found.words.every((piece) => inScope(ix, phraseLiteral(piece), budget))) return null;
	return found && { words: found.words.join(' '), pages: found.pages, plain };
}

/** Whether a page holds these words in a row (a page of a story in the budget's scope, when it has one). */
function onSomePage(ix: SearchIndex, words: string, budget: TypoBudget): boolean {
	if (budget.scope) return inScope(ix, phraseLiteral(words), budget);
	return (
		ix.statement('SELECT 1 FROM pages_fts WHERE pages_fts MATCH ? LIMIT 1').get(phraseLiteral(words)) !== undefined
	);
}

/**
 * Whether an FTS5 query (a word's literal) finds a page of a story in the budget's scope: always, without a scope;
 * never once the budget's checks are spent. One statement: the first SCOPE_PAGES pages' stories, each looked up by
 * its id (the join in that order, not the other way round along an index of the stories).
 */
export function inScope(ix: SearchIndex, literal: string, budget: TypoBudget): boolean {
	const scope = budget.scope;
	if (!scope) return true;
	if (!budget.check()) return false;
	const found = ix
		.statement(
			`SELECT 1 FROM (SELECT rowid / ${PAGE_ROWID_SHIFT} AS story FROM pages_fts WHERE pages_fts MATCH ? LIMIT ${SCOPE_PAGES}) AS found
				CROSS JOIN stories ON stories.id = found.story WHERE ${scope.filter.where} LIMIT 1`,
		)
		.get(literal, ...scope.filter.params);
	return found !== undefined;
}

/** Notes a correction that is a word as typed, not an index term (shown as it is: `displayCorrection`). */
export function rememberRespelled(ix: SearchIndex, word: string): void {
	ix.respelled.add(word);
	if (ix.respelled.size > RESPELLED_KEPT) ix.respelled.clear();
}

/**
 * The index terms of English function words: not what a misspelt word of a query is corrected to. They are on
 * nearly every page, so a query corrected to one ("the end" to "the and", where no page says "end") finds
 * everything.
 */
function functionStems(ix: SearchIndex): Set<string> {
	ix.functionTerms ??= new Set(ix.stemmer.stemEach(FUNCTION_WORDS).filter((t) => t !== undefined));
	return ix.functionTerms;
}

/** Whether a word is in any story's title, author or summary. */
function inStoryFields(ix: SearchIndex, word: string): boolean {
	const literal = `"${word.replace(/"/g, '""')}"`;
	return ix.statement('SELECT 1 FROM stories_fts WHERE stories_fts MATCH ? LIMIT 1').get(literal) !== undefined;
}

/** The word one edit away on most pages (see respell); null when none, or past the budget. */
export function respellOneEdit(
	ix: SearchIndex,
	word: string,
	avoid: ReadonlySet<string>,
	budget: TypoBudget,
): string | null {
	if (!TypoBudget.fits(word)) return null;
	// A short word is not respelled shorter still: "owl" is not a typo of "ow".
	for (const kind of oneEdit(word)) {
		if (!budget.candidates(kind.most)) return null;
		const candidates = kind.make().filter((c) => c.length >= 3);
		const stems = ix.stemmer.stemEach(candidates);
		const pagesOf = ix.termPages(stems.filter((stem) => stem !== undefined));
		const found: { word: string; pages: number }[] = [];
		for (const [i, stem] of stems.entries()) {
			if (stem === undefined || avoid.has(stem)) continue;
			const pages = pagesOf.get(stem) ?? 0;
			if (pages > 0) found.push({ word: candidates[i] as string, pages });
		}
		// On most pages first (the first of equals first); with a scope, the first that is a word of its stories.
		found.sort((a, b) => b.pages - a.pages);
		for (const { word } of found) if (inScope(ix, phraseLiteral(word), budget)) return word;
	}
	return null;
}

/** The most frequent vocabulary term within edit distance of a word that is not in the index. */
function closestTerm(ix: SearchIndex, word: string, avoid: ReadonlySet<string>, budget: TypoBudget): string | null {
	if (!budget.scan()) return null;
	// Two edits only in a longer word: "happy" is not a typo of "happen".
	const maxDistance = word.length <= 5 ? 1 : 2;
	const stem = ix.stemmer.stems(word)[0] ?? word;
	const near: { term: string; distance: number; pages: number }[] = [];
	// Typos rarely change the first letter; looking only among terms that start with it (or with the first two
	// letters swapped: "rpoteomic") keeps this two small range scans.
	const range = ix.statement(
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
			if (!budget.term()) return closestInScope(ix, near, budget);
			const distance = editDistance(stem, term, maxDistance);
			// Only terms the tokenizer keeps as they are: a term it would stem again ("applaus" → "applau")
			// finds nothing once put back into a query.
			if (distance <= maxDistance && ix.stemmer.stems(term)[0] !== term) continue;
			if (distance > maxDistance || avoid.has(term)) continue;
			near.push({ term, distance, pages });
		}
	}
	return closestInScope(ix, near, budget);
}

/** Of terms near a word, the closest on most pages (the first of equals first) that is a word of the budget's scope. */
function closestInScope(
	ix: SearchIndex,
	near: { term: string; distance: number; pages: number }[],
	budget: TypoBudget,
): string | null {
	near.sort((a, b) => a.distance - b.distance || b.pages - a.pages);
	for (const { term } of near) {
		if (inScope(ix, phraseLiteral(term), budget)) return term;
		if (!budget.scope) break;
	}
	return null;
}

/** "Showing results for …": what the user typed, each replaced word spelled as the first hit spells it. */
export function displayCorrection(
	ix: SearchIndex,
	input: string,
	corrected: Map<string, string>,
	first: { storyId: number; page: number } | undefined,
): string {
	let shown = input.trim();
	for (const [typed, stem] of corrected) {
		let word = stem;
		// A respelled word is shown as it is; an index term (a stem: "applaud") as the hit spells it.
		if (first && ix.stemmer.stems(stem)[0] === stem && !ix.respelled.has(stem)) {
			const text = ix
				.statement(
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

/** The note for words that match nothing: the first few named. */
export function noStoryHas(words: readonly string[]): string {
	const quoted = words.slice(0, 5).map((w) => `“${w}”`);
	if (words.length === 1) return `No story has the word ${quoted[0]}.`;
	const more = words.length - quoted.length;
	const list = more ? `${quoted.join(', ')} and ${more} more` : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
	return `No story has the words ${list}.`;
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
