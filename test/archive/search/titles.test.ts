import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveSearch } from '../../../src/archive/search.js';
import { type Archive, close, open } from './archives.js';

describe('titles, authors and summaries, for a word in many of them', () => {
	// Thirty stories speak of moonlight in their summaries and on their pages; one is called "Moonlight", and
	// six are called "Moonlight Serenade" by an author of that name.
	let archive: Archive;
	beforeAll(async () => {
		archive = await open((dir) => {
			for (let n = 1; n <= 30; n++) {
				const title = n === 7 ? 'Moonlight' : n > 24 ? `Moonlight Serenade ${n}` : `Night Walk ${n}`;
				const author = n > 24 ? 'Moonlight Writer' : `Author ${n}`;
				const text = `The moonlight fell across the street on night ${n}, and the moonlight stayed. ${'They walked on through the town, talking of nothing much, and the evening went by slowly as evenings do. '.repeat(4)}`;
				writeFileSync(
					join(dir, `story-${String(n).padStart(2, '0')}.txt`),
					`Title: ${title}\nAuthor: ${author}\nSummary: A walk in the moonlight, number ${n}.\n\n${text}\n`,
				);
			}
		});
	});
	afterAll(() => close(archive));

	it('ranks the stories titled with it first, by title and author alone, when it is in more summaries than are ranked', () => {
		const titled = ['Moonlight', ...[25, 26, 27, 28, 29, 30].map((n) => `Moonlight Serenade ${n}`)].sort();
		for (const rankedStories of [500, 15]) {
			const search = new ArchiveSearch(archive.store, { rankedStories });
			try {
				const { hits } = search.search('moonlight', { limit: 10 });
				expect(
					hits
						.slice(0, titled.length)
						.map((h) => h.title)
						.sort(),
					`ranking ${rankedStories}`,
				).toEqual(titled);
			} finally {
				search.close();
			}
		}
	});

	it('still finds the stories by their text when the word is in more titles and authors than are ranked', () => {
		const search = new ArchiveSearch(archive.store, { rankedStories: 2 });
		try {
			const { hits, more } = search.search('moonlight', { limit: 10 });
			expect(hits).toHaveLength(10);
			expect(more).toBe(true);
			for (const hit of hits) expect(archive.store.page(hit.storyId, hit.page)?.text).toMatch(/moonlight/);
		} finally {
			search.close();
		}
	});
});
