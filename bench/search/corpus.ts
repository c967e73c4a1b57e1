/**
 * The store's pages as the search benchmark draws from them: random pages, paragraphs and words (through one
 * seeded PRNG), and how many pages hold a word (its index term's count in the vocabulary table).
 */
import type Database from 'better-sqlite3';
import { Stemmer } from '../../src/archive/search/stemmer.js';
import type { Rng } from '../synth.js';

/** The one run of ASCII letters in a token ("Spike," → "spike"), or undefined ("don't", "1542", "e-mail"). */
export function letters(token: string): string | undefined {
	return /^[^A-Za-z]*([A-Za-z]+)[^A-Za-z]*$/.exec(token)?.[1]?.toLowerCase();
}

/** A word with two adjacent, different letters swapped, from position `at`; undefined when no pair differs. */
export function swapAdjacent(word: string, rng: Rng, from = 0): { word: string; at: number } | undefined {
	const positions: number[] = [];
	for (let i = from; i + 1 < word.length; i++) if (word[i] !== word[i + 1]) positions.push(i);
	if (!positions.length) return undefined;
	const at = rng.pick(positions);
	return { word: word.slice(0, at) + word.charAt(at + 1) + word.charAt(at) + word.slice(at + 2), at };
}

export class Corpus {
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
