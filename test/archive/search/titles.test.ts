import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Archive, close, open, withSearch, writeStories } from './archives.js';

describe('titles, authors and summaries, for a word in many of them', () => {
	// Thirty stories speak of moonlight in their summaries and on their pages; one is called "Moonlight", and
	// six are called "Moonlight Serenade" by an author of that name.
	let archive: Archive;
	beforeAll(async () => {
		archive = await open(
			writeStories(30, (n) => ({
				title: n === 7 ? 'Moonlight' : n > 24 ? `Moonlight Serenade ${n}` : `Night Walk ${n}`,
				author: n > 24 ? 'Moonlight Writer' : `Author ${n}`,
				summary: `A walk in the moonlight, number ${n}.`,
				paragraphs: [
					`The moonlight fell across the street on night ${n}, and the moonlight stayed. ${'They walked on through the town, talking of nothing much, and the evening went by slowly as evenings do. '.repeat(4)}`,
				],
			})),
		);
	});
	afterAll(() => close(archive));

	it('ranks the stories titled with it first, by title and author alone, when it is in more summaries than are ranked', () => {
		const titled = ['Moonlight', ...[25, 26, 27, 28, 29, 30].map((n) => `Moonlight Serenade ${n}`)].sort();
		for (const rankedStories of [500, 15]) {
			const { hits } = withSearch(archive, { rankedStories }, (search) => search.search('moonlight', { limit: 10 }));
			const top = hits.slice(0, titled.length).map((h) => h.title);
			expect(top.sort(), `ranking ${rankedStories}`).toEqual(titled);
		}
	});

	it('still finds the stories by their text when the word is in more titles and authors than are ranked', () => {
		const { hits, more } = withSearch(archive, { rankedStories: 2 }, (search) =>
			search.search('moonlight', { limit: 10 }),
		);
		expect(hits).toHaveLength(10);
		expect(more).toBe(true);
		for (const hit of hits) expect(archive.store.page(hit.storyId, hit.page)?.text).toMatch(/moonlight/);
	});
});
