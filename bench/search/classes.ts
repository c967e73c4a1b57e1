/**
 * The search benchmark's query classes: what each asks of the search, and how its queries are drawn from the store.
 *
 * To add a class: name it in CLASSES (the tables print in that order), write its draw here, and call it at the
 * end of generateQueries (queries.ts), after everything drawn there: all classes draw through one seeded PRNG in
 * that order, so a class drawn earlier would change the queries of those after it. A class an engine cannot run
 * goes in that engine's `cannot` (engines.ts, peers.ts), with why.
 */
import type Database from 'better-sqlite3';
import type { Rng } from '../synth.js';
import { type Corpus, letters, swapAdjacent } from './corpus.js';

export const CLASSES = [
	'rare',
	'frequent-name',
	'two-common',
	'phrase',
	'prefix',
	'typo',
	'filter-only',
	'known-item',
	'tag-filter',
	'tag-filter-words',
] as const;
export type QueryClass = (typeof CLASSES)[number];

/** Queries drawn per class. */
export const PER_CLASS = 50;
/** Draws from the corpus before a class gives up looking for more words. */
const TRIES = PER_CLASS * 400;

/** What every class draws from: the store, its pages, the one PRNG, and the cast (most mentioned first). */
export interface Draw {
	db: Database.Database;
	corpus: Corpus;
	rng: Rng;
	/** The 21 most mentioned characters' names, most first. */
	cast: string[];
}

/** The cast of the archive for a Draw: the 21 names most mentioned over all stories. */
export function mostMentioned(db: Database.Database): string[] {
	return db
		.prepare('SELECT name FROM characters GROUP BY name ORDER BY sum(count) DESC LIMIT 21')
		.pluck()
		.all() as string[];
}

/**
 * rare: a word on 2–20 pages, or when the archive has too few of those (a big archive of repeated sentences has
 * almost none), one of its 500 rarest. Drawing words from pages rarely meets one, so the vocabulary gives the index
 * terms and a page holding each gives its spelling (FTS5 highlight).
 */
export function rare({ db, corpus, rng }: Draw): string[] {
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
	return corpus.collect(
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
	);
}

/** frequent-name: the most mentioned character, alone (every fifth query) and with one other of the cast. */
export function frequentName({ rng, cast }: Draw): string[] {
	const star = cast[0] ?? 'Buffy';
	const others = cast.slice(1);
	return Array.from({ length: PER_CLASS }, (_, i) =>
		i % 5 === 0 || !others.length ? star : `${star} ${rng.pick(others)}`,
	);
}

/** two-common: two words each on 5–20% of pages. */
export function twoCommon({ corpus, rng }: Draw): string[] {
	const total = corpus.pageIds.length;
	const common = corpus.collect(
		40,
		TRIES,
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
	return [...pairs];
}

/** phrase: three words in a row, within one clause, as an exact phrase. */
export function phrase({ corpus, rng }: Draw): string[] {
	return corpus.collect(
		PER_CLASS,
		TRIES,
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
}

/** prefix: the first 4–5 letters of a moderately common word (0.5–5% of pages), then *. */
export function prefix({ corpus, rng }: Draw): string[] {
	const total = corpus.pageIds.length;
	return corpus.collect(
		PER_CLASS,
		TRIES,
		() => {
			const w = corpus.word(7);
			if (!w) return undefined;
			const n = corpus.pages(w);
			return n >= total * 0.005 && n <= total * 0.05 ? `${w.slice(0, rng.range(4, 5))}*` : undefined;
		},
		() => true,
	);
}

/** A query of the typo class with the word it misspells. */
export interface TypoQuery {
	query: string;
	original: string;
	/** Where the swapped pair starts (0: the first two letters). */
	at: number;
}

/** typo: a rare-ish word (2–200 pages) of 6+ letters with two adjacent letters swapped, giving no index term. */
export function typo({ corpus, rng }: Draw): TypoQuery[] {
	const typos: TypoQuery[] = [];
	const typoSeen = new Set<string>();
	for (let i = 0; i < TRIES && typos.length < PER_CLASS; i++) {
		const w = corpus.word(6);
		if (!w || typoSeen.has(w)) continue;
		const n = corpus.pages(w);
		if (n < 2 || n > 200) continue;
		const swapped = swapAdjacent(w, rng);
		if (!swapped || corpus.pages(swapped.word) !== 0) continue;
		typoSeen.add(w);
		typos.push({ query: swapped.word, original: w, at: swapped.at });
	}
	return typos;
}

/** filter-only: author:, rating: and character: alone. */
export function filterOnly({ db, rng, cast }: Draw): string[] {
	const authors = db
		.prepare('SELECT DISTINCT author FROM stories WHERE author IS NOT NULL ORDER BY author')
		.pluck()
		.all() as string[];
	const ratings = ['general', 'teen', 'mature', 'explicit'];
	const names = cast.slice(0, 10).map((n) => n.toLowerCase());
	return Array.from({ length: PER_CLASS }, (_, i) => {
		if (i % 3 === 0 && authors.length) {
			const author = rng.pick(authors);
			return /\s/.test(author) ? `author:"${author}"` : `author:${author}`;
		}
		if (i % 3 === 1) return `rating:${rng.pick(ratings)}`;
		return `character:${names.length ? rng.pick(names) : 'willow'}`;
	});
}

/** The synthetic archive's ships, most used first, each as a query value. */
function ships(db: Database.Database): string[] {
	return (
		db
			.prepare(
				"SELECT value FROM facet_values WHERE kind = 'relationship' GROUP BY value_key ORDER BY sum(stories) DESC LIMIT 10",
			)
			.pluck()
			.all() as string[]
	).map((v) => (/[\s"]/.test(v) ? `"${v.replaceAll('"', '')}"` : v));
}

/** Story lengths at a share of the archive (0.5: the median), for words: comparisons a given share passes. */
function wordsAt(db: Database.Database, share: number): number {
	const total = db.prepare('SELECT count(*) FROM stories').pluck().get() as number;
	return (
		(db
			.prepare('SELECT words FROM stories INDEXED BY stories_words ORDER BY words LIMIT 1 OFFSET ?')
			.pluck()
			.get(Math.min(total - 1, Math.floor(total * share))) as number | undefined) ?? 1000
	);
}

/** A tag of `kind` as a query value: its most used spelling, quoted when it holds a space. */
const asValue = (v: string) => (/[\s"]/.test(v) ? `"${v.replaceAll('"', '')}"` : v);

/** The archive's tags of a kind, most carried first, with how many stories carry each (over all ratings). */
function facetTable(db: Database.Database, kind: string): { value: string; stories: number }[] {
	return db
		.prepare(
			'SELECT min(value) AS value, sum(stories) AS stories FROM facet_values WHERE kind = ? GROUP BY value_key ORDER BY stories DESC, value_key',
		)
		.all(kind) as { value: string; stories: number }[];
}

/** Draws of a kind's tags: the biggest, one of the few common ones, one of the rare half. */
function facetDraws(db: Database.Database, rng: Rng, kind: string, fallback: string) {
	const table = facetTable(db, kind).map((t) => asValue(t.value));
	const head = table.slice(0, Math.max(1, Math.ceil(table.length / 10)));
	const tail = table.slice(Math.floor(table.length / 2));
	return {
		biggest: () => table[0] ?? fallback,
		common: () => (head.length ? rng.pick(head) : fallback),
		rare: () => (tail.length ? rng.pick(tail) : fallback),
		any: () => (table.length ? rng.pick(table) : fallback),
	};
}

/**
 * tag-filter: the tag, length and completion filters alone (issue 23), with tags drawn from the archive's facet
 * tables: the biggest fandom, a rare tag or fandom, a common tag, a warning left out, a ship; words: from the
 * shortest percent to the longest, chapters:, complete:; these with each other, rating: and a fandom no story has
 * (matched, then corrected, against every fandom).
 */
export function tagFilter({ db, rng }: Draw): string[] {
	const tags = ships(db);
	const fandom = facetDraws(db, rng, 'fandom', 'buffy');
	const tag = facetDraws(db, rng, 'tag', 'angst');
	const warning = facetDraws(db, rng, 'warning', 'violence');
	const ship = () => `ship:${tags.length ? rng.pick(tags) : 'spuffy'}`;
	const long = () => `words:>${wordsAt(db, rng.pick([0.5, 0.9, 0.99, 0.999]))}`;
	const short = () => `words:<${wordsAt(db, rng.pick([0.001, 0.01, 0.1, 0.5]))}`;
	const makers = [
		() => `fandom:${fandom.biggest()}`,
		() => `tag:${tag.common()}`,
		() => `tag:${tag.rare()}`,
		() => `fandom:${fandom.rare()}`,
		() => `-warning:${warning.common()}`,
		() => `fandom:${fandom.biggest()} tag:${tag.common()}`,
		() => `fandom:${fandom.common()} ${ship()} rating:${rng.pick(['general', 'teen', 'mature', 'explicit'])}`,
		() => `tag:${tag.common()} ${long()}`,
		() => `fandom:${fandom.biggest()} ${short()} complete:yes`,
		() => `tag:${tag.any()} -warning:${warning.any()} rating:<=teen`,
		() => `${ship()} ${long()}`,
		() => `chapters:>=${rng.range(2, 6)} tag:${tag.common()}`,
		() => rng.pick(['complete:yes', 'complete:no']),
		() => `-${ship()} rating:${rng.pick(['general', 'teen', 'mature', 'explicit'])}`,
		() => `warning:${warning.rare()} fandom:${fandom.biggest()}`,
		() => rng.pick(['fandom:"buffy the vampire slayr"', 'fandom:bufy', 'tag:angts']),
	];
	return Array.from({ length: PER_CLASS }, (_, i) => (makers[i % makers.length] as () => string)());
}

/**
 * tag-filter-words: the filters with words (a rare word, the cast's names, two common words): the biggest fandom,
 * a common or rare tag, a warning left out, a ship, words:.
 */
export function tagFilterWords(draw: Draw, words: { rare: string[]; names: string[]; common: string[] }): string[] {
	const { db, rng } = draw;
	const tags = ships(db);
	const fandom = facetDraws(db, rng, 'fandom', 'buffy');
	const tag = facetDraws(db, rng, 'tag', 'angst');
	const warning = facetDraws(db, rng, 'warning', 'violence');
	const filters = [
		() => `fandom:${fandom.biggest()}`,
		() => `tag:${tag.common()}`,
		() => `tag:${tag.rare()}`,
		() => `fandom:${fandom.biggest()} tag:${tag.common()}`,
		() => `-warning:${warning.common()} ship:${tags.length ? rng.pick(tags) : 'spuffy'}`,
		() => `tag:${tag.common()} words:>${wordsAt(db, rng.pick([0.5, 0.9, 0.99]))}`,
		() => `fandom:${fandom.rare()} rating:<=mature`,
	];
	const texts = [words.rare, words.names, words.common].filter((list) => list.length);
	return Array.from({ length: PER_CLASS }, (_, i) => {
		const list = texts[i % texts.length] ?? ['buffy'];
		return `${rng.pick(list)} ${(filters[i % filters.length] as () => string)()}`;
	});
}
