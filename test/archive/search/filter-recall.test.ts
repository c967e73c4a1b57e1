import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveSearch } from '../../../src/archive/search/index.js';
import { type Archive, close, open } from './archives.js';

/**
 * A frequent name with a narrow tag: more stories name Xander than the names ranking reads (its 300 where he is
 * most central), and the few tagged Fluff mention him least, so none of them is among those 300. The search must
 * still find them.
 */
const STORIES = 330;
const fluff = (n: number) => n % 40 === 0;

let archive: Archive;
beforeAll(async () => {
	archive = await open((dir) => {
		for (let n = 1; n <= STORIES; n++) {
			const mentions = fluff(n) ? 1 : 6;
			const text = [
				...Array.from({ length: mentions }, () => 'Xander looked out at the rain over the harbour.'),
				...Array.from({ length: 12 }, () => 'The lamps along the pier came on one by one.'),
			].join(' ');
			writeFileSync(
				join(dir, `story-${n}.txt`),
				`Title: Story ${n}\nAuthor: Tester\nRating: G\nTags: ${fluff(n) ? 'Fluff' : 'Angst'}\n\n${text}\n`,
			);
		}
	});
}, 60_000);
afterAll(() => close(archive));

describe('a frequent name with a narrow filter', () => {
	it('finds the stories the filter allows, not only those where the name is most central', () => {
		const want = new Set(
			Array.from({ length: STORIES }, (_, i) => i + 1)
				.filter(fluff)
				.map((n) => archive.store.storyByTitle(`Story ${n}`)?.id),
		);
		expect(want.size).toBe(Math.floor(STORIES / 40));
		// Every word frequent here, as a common name is in a big archive.
		const search = new ArchiveSearch(archive.store, { lineBudgetMs: 60_000, frequentPages: 1 });
		try {
			const r = search.search('xander tag:fluff', { limit: 25 });
			expect(new Set(r.hits.map((h) => h.storyId))).toEqual(want);
		} finally {
			search.close();
		}
	});
});
