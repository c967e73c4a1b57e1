import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	type Archive,
	close,
	eightOfTen,
	EIGHT_OF_TEN as LINE,
	numberedStories,
	snippetOf,
	storyNumbered,
	withSearch,
	words,
} from './archives.js';

describe('a copied line of frequent words, most of it on many pages (issue 25: eight of ten)', () => {
	// The line as a reader copied it: the first ten words of a paragraph, frequent words and names only.
	// Only story 41 holds the whole line, after every page a capped read of its keys would take (archives.ts).
	let archive: Archive;
	beforeAll(async () => {
		archive = await eightOfTen();
	});
	afterAll(() => close(archive));

	const first = (search: Archive['search']) => {
		const { hits } = search.search(LINE, { limit: 5 });
		const top = hits[0];
		return {
			top,
			holds: top ? words(archive.store.page(top.storyId, top.page)?.text ?? '').includes(words(LINE)) : false,
		};
	};

	it('ranks the one page holding all ten words first, above the pages holding eight of them in a row', () => {
		const { top, holds } = first(archive.search);
		expect(top).toMatchObject({ storyId: storyNumbered(archive, 41), page: 1 });
		expect(holds).toBe(true);
	});

	it("does so when few pages are read per query (as at 1 GB, where the line's keys are on thousands of pages)", () => {
		for (const lineCandidates of [9, 20]) {
			const { top, holds } = withSearch(archive, { lineCandidates }, first);
			expect(top, `${lineCandidates} pages a query`).toMatchObject({ storyId: storyNumbered(archive, 41), page: 1 });
			expect(holds).toBe(true);
		}
	});
});

describe('a copied line that lost its hyphens (issue 25: "sixfootthree")', () => {
	// Readers' copies lose hyphens and slashes: "six-foot-three" becomes "sixfootthree", a word no page has.
	let archive: Archive;
	beforeAll(async () => {
		archive = await numberedStories(20, (n) => [
			`Story ${n} starts at the Bronze, where the band plays the same three songs every night and nobody minds.`,
			n === 13
				? 'Spike did not answer. My beau is six-foot-three and then some, and he wears a good-tempered smile.'
				: `Spike did not answer. The man was six feet tall on day ${n}, and the foot of the stairs was dark.`,
		]);
	});
	afterAll(() => close(archive));

	it('finds the page, reading the joined words as the words they were', () => {
		const results = archive.search.search('Spike did not answer. My beau is sixfootthree and then some,');
		expect(results.hits[0]).toMatchObject({ storyId: storyNumbered(archive, 13), page: 1 });
		expect(results.corrected).toContain('six foot three');
		expect(snippetOf(results.hits[0])).toContain('**');
	});

	it('splits a joined word outside a line too, when no word one edit away is on a page', () => {
		const { hits, corrected } = archive.search.search('goodtempered');
		expect(corrected).toBe('good tempered');
		expect(hits.map((h) => h.storyId)).toEqual([storyNumbered(archive, 13)]);
	});
});
