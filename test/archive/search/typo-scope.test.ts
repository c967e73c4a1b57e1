import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Rating } from '../../../src/archive/types.js';
import { type Archive, close, open } from './archives.js';

/**
 * Typo correction takes words only from the stories a search may return with their text shown: the query's filters,
 * and the ratings the place shows text of (`textRatings`, the rating gate's). A word of Explicit stories alone is
 * no correction in a channel that shows Teen text at most: it would name (and search for) a word of text hidden there.
 */
describe('typo correction within the stories a search may show', () => {
	let archive: Archive;
	const TEEN: Rating[] = ['General', 'Teen', 'Not Rated'];

	beforeAll(async () => {
		archive = await open((dir) => {
			const story = (file: string, title: string, author: string, rating: string, body: string) =>
				writeFileSync(join(dir, file), `Title: ${title}\nAuthor: ${author}\nRating: ${rating}\n\n${body}\n`);
			// "cage" on two pages of Explicit stories, "cake" on one Teen page: "caje" is one edit from both.
			const explicit =
				'The cage rattled in the dark. A chandelier glittered overhead. They sang moon river by the water.';
			story('one.txt', 'First Night', 'Ann Author', 'NC-17', explicit);
			story('two.txt', 'Second Night', 'Ann Author', 'NC-17', `${explicit} Again the cage rattled.`);
			story('tea.txt', 'Tea Time', 'Bea Writer', 'PG-13', 'She baked a cake for the party, and the guests ate it.');
		});
	});
	afterAll(() => close(archive));

	it('corrects to a word of every story when every rating may show (the search as it was)', () => {
		expect(archive.search.search('caje').corrected).toBe('cage');
		expect(archive.search.search('chandeleir').corrected).toBe('chandelier');
		expect(archive.search.search('moonriver').corrected).toBe('moon river');
	});

	it('corrects only to words of the stories whose text may be shown', () => {
		const teen = archive.search.search('caje', { textRatings: TEEN });
		expect(teen.corrected).toBe('cake');
		expect(teen.hits.map((h) => h.title)).toEqual(['Tea Time']);
		// One edit, two edits and words run together: none from the Explicit stories alone.
		for (const typed of ['chandeleir', 'moonriver', 'rattlde']) {
			const result = archive.search.search(typed, { textRatings: TEEN });
			expect(result.corrected, typed).toBeUndefined();
			expect(result.hits, typed).toEqual([]);
			expect(result.notes, typed).toContain(`No story has the word “${typed}”.`);
		}
		// Where Explicit text may show (an age-restricted channel: every rating), as before.
		expect(archive.search.search('caje', { textRatings: [...TEEN, 'Mature', 'Explicit'] }).corrected).toBe('cage');
	});

	it('corrects only to words of the stories the query’s filters allow', () => {
		expect(archive.search.search('caje rating:teen').corrected).toBe('cake rating:teen');
		expect(archive.search.search('caje author:bea').corrected).toBe('cake author:bea');
		expect(archive.search.search('caje author:ann').corrected).toBe('cage author:ann');
	});

	it('corrects a story’s pages only to words of that story', () => {
		const tea = archive.search.search('tea time').hits[0]?.storyId as number;
		const pages = archive.search.pagesOf(tea, 'caje');
		expect(pages.map((p) => p.snippet.filter((s) => s.match).map((s) => s.text))).toEqual([['cake']]);
	});
});
