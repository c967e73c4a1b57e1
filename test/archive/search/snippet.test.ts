import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cutSnippet } from '../../../src/archive/search/snippet.js';
import { Stemmer } from '../../../src/archive/search/stemmer.js';
import { type Archive, close, pages, samples } from './archives.js';

const MARKS = { open: '[', close: ']', ellipsis: '…' };

/** FTS5's own snippet of one text for a query of words and phrases (all must match), as the page index cuts it. */
class Fts5Snippets {
	private readonly db = new Database(':memory:');
	private readonly insert;
	private readonly snippet;
	private readonly clear;

	constructor() {
		this.db.exec("CREATE VIRTUAL TABLE t USING fts5(text, tokenize = 'porter unicode61 remove_diacritics 2')");
		this.insert = this.db.prepare('INSERT INTO t (rowid, text) VALUES (1, ?)');
		this.snippet = this.db.prepare("SELECT snippet(t, 0, '[', ']', '…', 36) FROM t WHERE t MATCH ?").pluck();
		this.clear = this.db.prepare('DELETE FROM t');
	}

	/** Undefined when the text does not hold every one of them. */
	cut(text: string, queries: readonly string[]): string | undefined {
		this.insert.run(text);
		const match = queries.map((q) => `"${q.replaceAll('"', '""')}"`).join(' AND ');
		const snippet = this.snippet.get(match) as string | undefined;
		this.clear.run();
		return snippet;
	}

	close(): void {
		this.db.close();
	}
}

describe('snippets cut from the text', () => {
	const stemmer = new Stemmer();
	const fts = new Fts5Snippets();
	const cut = (text: string, queries: readonly string[]) =>
		cutSnippet(
			text,
			queries.map((q) => [stemmer.stems(q)]),
			(words) => stemmer.stemEach(words),
			MARKS,
		);
	afterAll(() => {
		stemmer.close();
		fts.close();
	});

	it('are what FTS5 cuts, for any text and query of words and phrases', () => {
		// Words with their other forms (stems not their start: "happy", "happi"), accents, apostrophes, digits;
		// separators with full stops and colons (where FTS5 sees sentences start) and other punctuation.
		const vocabulary = [
			...['run', 'running', 'runs', 'happy', 'happiness', 'happier', 'relational', 'related', 'trouble', 'troubled'],
			...['café', 'Cafe', 'élan', 'naïve', 'Buffy', 'buffy', 'Spike', 'the', 'and', 'end', "don't", 'x2', '42'],
			...['Sunnydale', 'night', 'nights', 'ÉCOLE', 'ﬁne', 'straße', 'İzmir'],
		];
		const separators = [' ', ' ', ' ', '  ', '. ', ': ', ', ', '\n\n', '! ', '? ', '" ', ' – ', "'", '.', '…'];
		const parts = fc.array(fc.tuple(fc.constantFrom(...vocabulary), fc.constantFrom(...separators)), {
			minLength: 1,
			maxLength: 120,
		});
		// Each query: one to three runs of one to three words from the text (a phrase holds its words in order, with
		// anything between them but words), or now and then a word from anywhere.
		const run = fc.tuple(fc.nat(), fc.integer({ min: 1, max: 3 }), fc.nat(10), fc.constantFrom(...vocabulary));
		const sample = fc.tuple(parts, fc.array(run, { minLength: 1, maxLength: 3 }));
		let compared = 0;
		fc.assert(
			fc.property(sample, ([words, runs]) => {
				const t = words.map(([w, s]) => w + s).join('');
				const q = runs.map(([at, length, odd, any]) => {
					if (odd === 0) return any;
					const from = at % words.length;
					return words
						.slice(from, from + length)
						.map(([w]) => w)
						.join(' ');
				});
				const expected = fts.cut(t, q);
				if (expected === undefined) return;
				compared++;
				expect(cut(t, q)).toBe(expected);
			}),
			{ numRuns: 2000 },
		);
		// Most generated texts hold their query.
		expect(compared).toBeGreaterThan(1000);
	});

	it('find ASCII words in a text whose lower case is longer ("İ" becomes two characters)', () => {
		const text = 'İstanbul was far. Then Spike left town, and Buffy stayed.';
		expect(text.toLowerCase().length).toBeGreaterThan(text.length);
		expect(cut(text, ['spike'])).toBe(fts.cut(text, ['spike']));
		expect(cut(text, ['spike'])).toContain('[Spike]');
	});

	it('are undefined when the text holds none of the words', () => {
		expect(cut('Spike left town.', ['buffy'])).toBeUndefined();
		expect(cut('Spike left town.', ['"town left"'])).toBeUndefined();
		expect(cut('', ['spike'])).toBeUndefined();
	});

	describe('on the samples', () => {
		let archive: Archive;
		beforeAll(async () => {
			archive = await samples();
		});
		afterAll(() => close(archive));

		it('are what FTS5 cuts for every page and every word of it', () => {
			let compared = 0;
			for (const page of pages(archive.store)) {
				const words = [...new Set(page.text.toLowerCase().match(/\p{L}+/gu) ?? [])];
				for (const word of words.filter((_, i) => i % 4 === 0)) {
					expect(cut(page.text, [word]), `${word} on ${page.storyId}:${page.page}`).toBe(fts.cut(page.text, [word]));
					compared++;
				}
			}
			expect(compared).toBeGreaterThan(500);
		});
	});
});
