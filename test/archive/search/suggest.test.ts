import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Archive, close, open, writeStories } from './archives.js';

/** Titles whose words stem to something other than their start ("sunnydal", "goodby", "li", "diagnos"). */
const TITLES = [
	'Bleeding Sunnydale',
	'A Quiet Goodbye',
	'After the Lies',
	'Avoid diagnosing yourself',
	"Buffy's Confidence",
	'Into the Night',
	'Night Walk',
	'Night Watch',
	'Sérénade',
];

describe('autocomplete of stories', () => {
	// The titles above, then thirty more by one author, all with "a" somewhere.
	let archive: Archive;
	beforeAll(async () => {
		archive = await open(
			writeStories(TITLES.length + 30, (n) => ({
				title: TITLES[n - 1] ?? `Another Tale ${n}`,
				author: n > TITLES.length ? 'Sarah Sinclair' : `Penname ${n}`,
				paragraphs: ['Buffy walked through the cemetery at night, and nothing rose to meet her there at all.'],
			})),
		);
	});
	afterAll(() => close(archive));

	const titles = (typed: string) => archive.search.suggest(typed).map((s) => s.title);

	it('finds a story by the start of any word of its title, at every letter typed', () => {
		for (const title of TITLES) {
			for (const word of title.split(/[\s']+/).filter((w) => w.length >= 2)) {
				for (let end = 2; end <= word.length; end++) {
					expect(titles(word.slice(0, end).toLowerCase()), `${word.slice(0, end)} of ${title}`).toContain(title);
				}
			}
		}
	});

	it('lists titles that start with what is typed first, then titles with a word that does', () => {
		expect(titles('night')).toEqual(['Night Walk', 'Night Watch', 'Into the Night']);
		expect(titles('NIGHT W')).toEqual(['Night Walk', 'Night Watch']);
		expect(titles('the night')).toEqual(['Into the Night']);
	});

	it('finds stories by the start of each word of the author’s name, 25 at most, each once', () => {
		const bySarah = archive.search.suggest('sarah sin');
		expect(bySarah).toHaveLength(25);
		expect(new Set(bySarah.map((s) => s.id)).size).toBe(25);
		expect(bySarah.every((s) => s.author === 'Sarah Sinclair')).toBe(true);
		expect(archive.search.suggest('sin', 5).map((s) => s.author)).toEqual(Array(5).fill('Sarah Sinclair'));
		expect(archive.search.suggest('a')).toHaveLength(25);
	});

	it('folds case, accents and apostrophes, and offers nothing for what no title or author holds', () => {
		expect(titles('serena')).toEqual(['Sérénade']);
		// A curly apostrophe as a straight one.
		expect(titles('BUFFY’S')).toEqual(["Buffy's Confidence"]);
		expect(titles("buffy's conf")).toEqual(["Buffy's Confidence"]);
		expect(titles('zq')).toEqual([]);
	});

	it('never throws on what is typed, and never offers more than 25', () => {
		fc.assert(
			fc.property(
				fc.oneof(
					fc.string({ unit: 'grapheme', maxLength: 120 }),
					fc
						.array(fc.constantFrom(...'"*-():^{}+ ANDORNEAR%_\\\''.split('')), { maxLength: 30 })
						.map((c) => c.join('')),
				),
				(typed) => {
					expect(archive.search.suggest(typed).length).toBeLessThanOrEqual(25);
				},
			),
			{ numRuns: 300 },
		);
	});
});
