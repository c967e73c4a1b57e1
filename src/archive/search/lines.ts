/**
 * Finding the pages that hold a copied line, or most of it: FTS5 queries through the line's rarest words (near each
 * other, then wider and looser fallbacks, a typo'd key respelled), each page read checked in its text, all within
 * the line's time and page budgets.
 */
import { PAGE_ROWID_SHIFT } from '../store.js';
import type { CopiedLine } from './copied-line.js';
import type { SearchIndex } from './handle.js';
import type { SearchClock } from './line-budget.js';
import { type LinePages, linePages, type PageCheck, QUOTES_ASIDE_BONUS } from './line-pages.js';
import type { Snippet } from './snippet.js';
import type { TypoBudget } from './typo-budget.js';
import { NOTHING, rememberRespelled, respellOneEdit } from './typos.js';
import { phraseLiteral, wordPattern } from './words.js';

/**
 * What holding a copied line word for word adds to a page's score: above any BM25 score, so such pages lead; a page
 * holding most of it gets that share of it.
 */
export const LINE_BONUS = 50;
/**
 * Pages checked for holding a copied line (or most of it), at most per FTS5 query: more find a line repeated on many
 * pages in one query, at up to about 0.1 ms a page read and checked at 1 GB.
 */
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
/**
 * A copied line's rarest words that must all be on a candidate page, at most: more narrow the candidates further, at
 * a page list walked per key.
 */
const LINE_KEYS = 4;
/** A copied line's rarest words that must be near each other, when its keys are too common: one list more than LINE_KEYS. */
const NEAR_KEYS = 5;
/**
 * How many times more pages a word one edit from a copied line's key must be on for the key to be taken for a typo
 * of it, when no page holds the line as typed ("ese", index term "es", on 38 pages: "see" on 20,000). Lower takes
 * more rare real words for typos.
 */
const RESPELL_FACTOR = 20;
/**
 * The share of a line's word pairs a page must hold to be shown for it when no page holds it all: lower shows pages
 * that merely share a phrase with it.
 */
const NEAR_SHARE = 0.5;

/** A page found for a copied line: its row id, its score, and its snippet when the page's text was checked. */
export interface LineHit {
	rowid: number;
	score: number;
	snippet?: Snippet;
}

/** The pages holding a copied line, or most of it; and the respelling it took to find it, if one did. */
export interface LineFound {
	hits: LineHit[];
	/** Word as typed → the word it was respelled to. */
	respelled?: Map<string, string>;
}

/** What one FTS5 query for a line read. */
interface LineRead {
	candidates: LineHit[];
	capped: boolean;
	/** Whether `wanted` stories hold the line as typed (reading stopped there). */
	enough: boolean;
	/** The last row id read. */
	last: number;
}

/**
 * Pages holding a copied line, or most of it, each scored: LINE_BONUS for the line word for word (more when
 * as typed, punctuation too), a share of it for most of it. FTS5 finds candidates through the line's rarest
 * words (cheap: few pages hold them all), and the candidates' text is checked here (a phrase query of common
 * words walks their long page lists in every index segment). A key that may be a typo is respelled within
 * `budget`; not at all without one. The first query always runs (its first LINE_FIRST_PAGES pages at least); the
 * rest of it and the fallbacks after it only while `clock` has time left: past it, the pages found so far.
 */
export function findLine(
	ix: SearchIndex,
	line: CopiedLine,
	wanted: number,
	budget: TypoBudget | null,
	clock: Pick<SearchClock, 'spent'>,
): LineFound {
	const counted = line.words
		.map((word, at) => ({ word, at, pages: ix.pageCount(word) }))
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
	const pages = linePages(ix, line);
	const near = (words: string[]) => `NEAR(${words.join(' ')}, ${line.words.length + 2})`;
	// (Its first LINE_FIRST_PAGES pages are read whatever the time.)
	const first = { spent: () => pages.read() >= LINE_FIRST_PAGES && clock.spent() };
	const close = lineCandidates(ix, near(keys), wanted, pages, first);
	if ((close.enough || !close.capped) && close.candidates.some(holds)) return { hits: close.candidates.filter(holds) };
	// Past the first query, each fallback runs only while there is time left; when out of it, what was found.
	const sofar: LineHit[] = [...close.candidates];
	const outOfTime = () => ({ hits: sofar.some(holds) ? sofar.filter(holds) : sofar });
	// (A query already run is not run again: the five rarest words can be the keys and the word most lacking.)
	const ran = new Map<string, LineRead>([[`${near(keys)} 1 0`, close]]);
	const more = (match: string, batches = 1, after = 0) => {
		const known = ran.get(`${match} ${batches} ${after}`);
		if (known) return known;
		if (clock.spent()) return null;
		const read = lineCandidates(ix, match, wanted, pages, clock, batches, after);
		ran.set(`${match} ${batches} ${after}`, read);
		sofar.push(...read.candidates);
		return read;
	};
	// On no page: a typo may have made a word of it another, rarer word, and so a key ("see" typed "ese" is the
	// index's "es", on a few dozen pages). The line with that word respelled, when then it is on a page.
	const respelled = budget && !close.candidates.some(holds) ? respellings(ix, line, keyWords, budget, clock) : [];
	// (A respelling is a correction: found on a page of a story corrections may come from, when they are scoped.)
	const inScope = (h: LineHit) => budget?.scope?.stories.has(Math.floor(h.rowid / PAGE_ROWID_SHIFT)) ?? true;
	for (const respelling of respelled) {
		const again = findLine(ix, respelling.line, wanted, null, clock);
		if (again.hits.some((h) => holds(h) && inScope(h))) {
			for (const word of respelling.words.values()) rememberRespelled(ix, word);
			return { hits: again.hits.filter(holds), respelled: respelling.words };
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
	if (distinct?.candidates.some(asTyped)) return { hits: [...close.candidates, ...distinct.candidates].filter(holds) };
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
function* respellings(
	ix: SearchIndex,
	line: CopiedLine,
	keys: readonly string[],
	budget: TypoBudget,
	clock: Pick<SearchClock, 'spent'>,
): Generator<{ line: CopiedLine; words: Map<string, string> }> {
	for (const typed of keys.slice(0, 2)) {
		if (clock.spent()) return;
		// (No word is on many times more pages than one on a large share of them already.)
		const pages = ix.pageCount(typed);
		if (!/^\p{L}{2,}$/u.test(typed) || pages * RESPELL_FACTOR > ix.pages()) continue;
		const word = respellOneEdit(ix, typed, NOTHING, budget);
		if (!word || ix.pageCount(word) < RESPELL_FACTOR * pages) continue;
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
function lineCandidates(
	ix: SearchIndex,
	match: string,
	wanted: number,
	pages: LinePages,
	clock: Pick<SearchClock, 'spent'>,
	batches = 1,
	after = 0,
): LineRead {
	const batch = ix.tuning.lineCandidates ?? LINE_CANDIDATES;
	const read = ix
		.statement('SELECT rowid FROM pages_fts WHERE pages_fts MATCH ? AND rowid > CAST(? AS INTEGER) LIMIT ?')
		.pluck();
	const candidates: LineHit[] = [];
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
