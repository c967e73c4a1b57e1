/**
 * The search benchmark's queries, drawn from a store of the synthetic archive with a seeded PRNG: a list per query
 * class, the typo class with the words it misspells, and known-item lines drawn as readers copy them (each with
 * the story it came from) and the same lines with one typo each. Kept apart from bench/search.ts so that other
 * scripts (old and new code side by side, interleaved) can time the same queries.
 */
import type Database from 'better-sqlite3';
import { Stemmer } from '../src/archive/search/stemmer.js';
import { PAGE_ROWID_SHIFT } from '../src/archive/store.js';
import { Rng } from './synth.js';

export const SEED = 1;
/** Queries drawn per class. */
export const PER_CLASS = 50;
/** Known-item lines drawn (all are timed as the known-item class, and scored). */
export const KNOWN_ITEMS = 200;

export const CLASSES = [
	'rare',
	'frequent-name',
	'two-common',
	'phrase',
	'prefix',
	'typo',
	'filter-only',
	'known-item',
] as const;
export type QueryClass = (typeof CLASSES)[number];

/** What a reader's copy of a line loses: quote marks, and `*()^:-` (issue 25's lines were drawn so). */
export const COPY_LOSES = /["“”„«»＂*()^:-]/g;
/** Words a reader copies: the first ten of a paragraph. */
const COPIED_WORDS = 10;

/** A paragraph's start as a reader copies it; undefined when it has fewer than five words with letters. */
export function readerCopy(paragraph: string): string | undefined {
	const tokens = paragraph.replace(COPY_LOSES, '').split(/\s+/).filter(Boolean).slice(0, COPIED_WORDS);
	return tokens.filter((t) => /\p{L}/u.test(t)).length >= 5 ? tokens.join(' ') : undefined;
}

export interface TypoQuery {
	query: string;
	original: string;
	/** Where the swapped pair starts (0: the first two letters). */
	at: number;
}

export interface Queries {
	byClass: Map<QueryClass, string[]>;
	/** The typo class with the words they misspell. */
	typos: TypoQuery[];
	/** Known-item lines (the known-item class), the story each was drawn from, and the same lines with one typo each. */
	lines: string[];
	lineStories: number[];
	/** Inputs made to cost as much as a query can (issue 19): each should answer as fast as any other. */
	worst: { name: string; query: string }[];
	typoLines: string[];
}

/** The one run of ASCII letters in a token ("Spike," → "spike"), or undefined ("don't", "1542", "e-mail"). */
function letters(token: string): string | undefined {
	return /^[^A-Za-z]*([A-Za-z]+)[^A-Za-z]*$/.exec(token)?.[1]?.toLowerCase();
}

/** A word with two adjacent, different letters swapped, from position `at`; undefined when no pair differs. */
function swapAdjacent(word: string, rng: Rng, from = 0): { word: string; at: number } | undefined {
	const positions: number[] = [];
	for (let i = from; i + 1 < word.length; i++) if (word[i] !== word[i + 1]) positions.push(i);
	if (!positions.length) return undefined;
	const at = rng.pick(positions);
	return { word: word.slice(0, at) + word.charAt(at + 1) + word.charAt(at) + word.slice(at + 2), at };
}

/** A line with one typo: two adjacent letters swapped in its longest word. */
function typoLine(line: string, rng: Rng): string {
	const tokens = line.split(' ');
	let best = -1;
	let bestRun: RegExpExecArray | undefined;
	for (const [i, token] of tokens.entries()) {
		for (const run of token.matchAll(/\p{L}+/gu))
			if (!bestRun || run[0].length > bestRun[0].length) {
				best = i;
				bestRun = run;
			}
	}
	if (!bestRun) return line;
	const swapped = swapAdjacent(bestRun[0], rng);
	if (!swapped) return line;
	const token = tokens[best] as string;
	tokens[best] = token.slice(0, bestRun.index) + swapped.word + token.slice(bestRun.index + bestRun[0].length);
	return tokens.join(' ');
}

class Corpus {
	readonly pageIds: number[];
	private readonly textOf: Database.Statement;
	private readonly vocabulary: Database.Statement;
	private readonly stemmer = new Stemmer();
	private readonly counts = new Map<string, number>();

	constructor(
		readonly db: Database.Database,
		private readonly rng: Rng,
	) {
		this.pageIds = db.prepare('SELECT id FROM pages ORDER BY id').pluck().all() as number[];
		this.textOf = db.prepare('SELECT text FROM pages WHERE id = ?').pluck();
		this.vocabulary = db.prepare('SELECT pages FROM vocabulary WHERE term = ?').pluck();
	}

	close(): void {
		this.stemmer.close();
	}

	text(id: number): string {
		return (this.textOf.get(id) as string | undefined) ?? '';
	}

	/** A random page's paragraphs, each as its whitespace-separated tokens. */
	paragraphs(): string[][] {
		return this.page().paragraphs;
	}

	/** A random page: its row id and its paragraphs, each as its whitespace-separated tokens. */
	page(): { id: number; paragraphs: string[][] } {
		const id = this.rng.pick(this.pageIds);
		const paragraphs = this.text(id)
			.split(/\n\s*\n/)
			.map((p) => p.trim().split(/\s+/))
			.filter((tokens) => tokens.length > 0 && tokens[0] !== '');
		return { id, paragraphs };
	}

	/** A random word of a random page, lower-cased letters only, at least minLength long. */
	word(minLength: number): string | undefined {
		const paragraph = this.rng.pick(this.paragraphs());
		const word = paragraph && letters(this.rng.pick(paragraph));
		return word && word.length >= minLength ? word : undefined;
	}

	/** Pages holding the word (its index term, from the vocabulary table); -1 when it is not one index term. */
	pages(word: string): number {
		let n = this.counts.get(word);
		if (n === undefined) {
			const stems = this.stemmer.stems(word);
			n = stems.length === 1 ? ((this.vocabulary.get(stems[0]) as number | undefined) ?? 0) : -1;
			this.counts.set(word, n);
		}
		return n;
	}

	/** Distinct words found by `draw` that pass `keep`, up to `count`, giving up after `tries` draws. */
	collect(count: number, tries: number, draw: () => string | undefined, keep: (w: string) => boolean): string[] {
		const found = new Set<string>();
		for (let i = 0; i < tries && found.size < count; i++) {
			const w = draw();
			if (w !== undefined && !found.has(w) && keep(w)) found.add(w);
		}
		return [...found];
	}
}

export function generateQueries(db: Database.Database): Queries {
	const rng = new Rng(SEED * 7919 + 17);
	const corpus = new Corpus(db, rng);
	const total = corpus.pageIds.length;
	const byClass = new Map<QueryClass, string[]>();
	const tries = PER_CLASS * 400;

	// rare: a word on 2–20 pages, or when the archive has too few of those (a big archive of repeated sentences
	// has almost none), one of its 500 rarest. Drawing words from pages rarely meets one, so the vocabulary gives
	// the index terms and a page holding each gives its spelling (FTS5 highlight).
	const rarest = db
		.prepare(
			"SELECT term, pages FROM vocabulary WHERE pages >= 2 AND length(term) >= 4 AND term NOT GLOB '*[^a-z]*' ORDER BY pages, term LIMIT 500",
		)
		.all() as { term: string; pages: number }[];
	const rareMax = Math.max(20, rarest.at(-1)?.pages ?? 20);
	const rareTerms = rarest.map((t) => t.term);
	console.log(`rare words: on 2–${rareMax} pages`);
	const spelled = db
		.prepare("SELECT highlight(pages_fts, 0, '⟦', '⟧') FROM pages_fts WHERE pages_fts MATCH ? LIMIT 1")
		.pluck();
	byClass.set(
		'rare',
		corpus.collect(
			PER_CLASS,
			PER_CLASS * 20,
			() => {
				if (!rareTerms.length) return undefined;
				const text = spelled.get(`"${rng.pick(rareTerms)}"`) as string | undefined;
				const word = text && /⟦([^⟧]+)⟧/.exec(text)?.[1];
				return word ? letters(word) : undefined;
			},
			(w) => {
				const n = corpus.pages(w);
				return n >= 2 && n <= rareMax;
			},
		),
	);

	// frequent-name: the most mentioned character, alone (every fifth query) and with one other of the cast.
	const cast = db
		.prepare('SELECT name FROM characters GROUP BY name ORDER BY sum(count) DESC LIMIT 21')
		.pluck()
		.all() as string[];
	const star = cast[0] ?? 'Buffy';
	const others = cast.slice(1);
	byClass.set(
		'frequent-name',
		Array.from({ length: PER_CLASS }, (_, i) => (i % 5 === 0 || !others.length ? star : `${star} ${rng.pick(others)}`)),
	);

	// two-common: two words each on 5–20% of pages.
	const common = corpus.collect(
		40,
		tries,
		() => corpus.word(3),
		(w) => {
			const n = corpus.pages(w);
			return n >= total * 0.05 && n <= total * 0.2;
		},
	);
	const pairs = new Set<string>();
	for (let i = 0; i < PER_CLASS * 20 && pairs.size < PER_CLASS && common.length >= 2; i++) {
		const a = rng.pick(common);
		const b = rng.pick(common);
		if (a !== b && !pairs.has(`${b} ${a}`)) pairs.add(`${a} ${b}`);
	}
	byClass.set('two-common', [...pairs]);

	// phrase: three words in a row, within one clause, as an exact phrase.
	const phrases = corpus.collect(
		PER_CLASS,
		tries,
		() => {
			const paragraph = rng.pick(corpus.paragraphs());
			if (!paragraph || paragraph.length < 3) return undefined;
			const at = rng.int(paragraph.length - 2);
			const tokens = paragraph.slice(at, at + 3);
			const words = tokens.map(letters);
			if (words.some((w) => !w)) return undefined;
			// No clause break inside: the first two end in a letter, the last two start with one.
			if (!tokens.slice(0, 2).every((t) => /[A-Za-z]$/.test(t)) || !tokens.slice(1).every((t) => /^[A-Za-z]/.test(t)))
				return undefined;
			return `"${words.join(' ')}"`;
		},
		() => true,
	);
	byClass.set('phrase', phrases);

	// prefix: the first 4–5 letters of a moderately common word (0.5–5% of pages), then *.
	const prefixes = corpus.collect(
		PER_CLASS,
		tries,
		() => {
			const w = corpus.word(7);
			if (!w) return undefined;
			const n = corpus.pages(w);
			return n >= total * 0.005 && n <= total * 0.05 ? `${w.slice(0, rng.range(4, 5))}*` : undefined;
		},
		() => true,
	);
	byClass.set('prefix', prefixes);

	// typo: a rare-ish word (2–200 pages) of 6+ letters with two adjacent letters swapped, giving no index term.
	const typos: TypoQuery[] = [];
	const typoSeen = new Set<string>();
	for (let i = 0; i < tries && typos.length < PER_CLASS; i++) {
		const w = corpus.word(6);
		if (!w || typoSeen.has(w)) continue;
		const n = corpus.pages(w);
		if (n < 2 || n > 200) continue;
		const swapped = swapAdjacent(w, rng);
		if (!swapped || corpus.pages(swapped.word) !== 0) continue;
		typoSeen.add(w);
		typos.push({ query: swapped.word, original: w, at: swapped.at });
	}
	byClass.set(
		'typo',
		typos.map((t) => t.query),
	);

	// filter-only: author:, rating: and character: alone.
	const authors = db
		.prepare('SELECT DISTINCT author FROM stories WHERE author IS NOT NULL ORDER BY author')
		.pluck()
		.all() as string[];
	const ratings = ['general', 'teen', 'mature', 'explicit'];
	const names = cast.slice(0, 10).map((n) => n.toLowerCase());
	byClass.set(
		'filter-only',
		Array.from({ length: PER_CLASS }, (_, i) => {
			if (i % 3 === 0 && authors.length) {
				const author = rng.pick(authors);
				return /\s/.test(author) ? `author:"${author}"` : `author:${author}`;
			}
			if (i % 3 === 1) return `rating:${rng.pick(ratings)}`;
			return `character:${names.length ? rng.pick(names) : 'willow'}`;
		}),
	);

	// known-item: lines as readers copy them (issue 25): a random paragraph of a random page, its first ten words,
	// with quote marks and `*()^:-` removed, whatever words they are made of (frequent ones included). Paragraphs of
	// fewer than five words with letters are left out (a query of a few words is not searched as a line).
	const lines: string[] = [];
	const lineStories: number[] = [];
	for (let i = 0; i < KNOWN_ITEMS * 100 && lines.length < KNOWN_ITEMS; i++) {
		const page = corpus.page();
		const paragraph = rng.pick(page.paragraphs);
		const line = paragraph && readerCopy(paragraph.join(' '));
		if (!line || lines.includes(line)) continue;
		lines.push(line);
		lineStories.push(Math.floor(page.id / PAGE_ROWID_SHIFT));
	}
	byClass.set('known-item', lines);
	const typoLines = lines.map((line) => typoLine(line, rng));

	corpus.close();
	const paragraph = lines.length ? longParagraph(corpus) : '';
	return { byClass, typos, lines, lineStories, typoLines, worst: worstInputs(paragraph, rng) };
}

/** The longest paragraph of a few random pages, its words joined by single spaces. */
function longParagraph(corpus: Corpus): string {
	let longest = '';
	for (let i = 0; i < 20; i++)
		for (const p of corpus.paragraphs()) if (p.join(' ').length > longest.length) longest = p.join(' ');
	return longest;
}

/**
 * Queries that ask for the most work (issue 19: one 500-letter word held the bot for a second), within the 500
 * characters a query is cut to: words too long to be typos, many words that match nothing, many frequent words as a
 * copied line, and a pasted paragraph with a typo in every other long word.
 */
function worstInputs(paragraph: string, rng: Rng): { name: string; query: string }[] {
	const letters = 'etaoinshrdlcumwfgypbvkjxqz';
	/** A non-word of `length` letters, the nth of its kind. */
	const nonWord = (length: number, n: number) =>
		Array.from({ length }, (_, i) => letters.charAt((n * 7 + i * (n + 3)) % letters.length)).join('');
	const fill = (make: (n: number) => string) => {
		const words: string[] = [];
		for (let n = 0; words.join(' ').length + make(n).length < 499; n++) words.push(make(n));
		return words.join(' ');
	};
	const frequent = 'said the and she was to of it in that he her his you had with for not at but'.split(' ');
	const pasted = paragraph
		.slice(0, 500)
		.split(' ')
		.map((word, i) => (word.length >= 6 && i % 2 ? (swapAdjacent(word, rng)?.word ?? word) : word))
		.join(' ');
	return [
		{ name: 'one 500-letter word', query: nonWord(500, 1) },
		{ name: '12 words of 40 letters', query: fill((n) => nonWord(40, n)) },
		{ name: '24 words of 20 letters', query: fill((n) => nonWord(20, n)) },
		{ name: 'non-words of 8 letters', query: fill((n) => nonWord(8, n)) },
		{ name: 'non-words of 3 letters', query: fill((n) => nonWord(3, n)) },
		{ name: 'frequent words as a line', query: fill((n) => frequent[(n * 7) % frequent.length] as string) },
		{ name: 'pasted paragraph, typos', query: pasted },
	];
}
