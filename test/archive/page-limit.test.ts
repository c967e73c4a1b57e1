import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importArchive } from '../../src/archive/import.js';
import { MAX_STORY_PAGES } from '../../src/archive/pages.js';
import { parseStory } from '../../src/archive/parse/index.js';
import { ArchiveSearch } from '../../src/archive/search/index.js';
import { ArchiveStore, PAGE_ROWID_SHIFT } from '../../src/archive/store.js';
import { StoryError } from '../../src/archive/types.js';

const SAMPLES = new URL('../../data/', import.meta.url);
let dir: string;
let store: ArchiveStore;

beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'fic-archive-pages-'));
	store = ArchiveStore.open(':memory:');
});
afterEach(() => {
	store.close();
	rmSync(dir, { recursive: true, force: true });
});

/** The sample story with `count` one-line pages in place of its own. */
async function storyOfPages(count: number) {
	const { body: _body, ...leaving } = await parseStory('leaving.txt', readFileSync(new URL('leaving.txt', SAMPLES)));
	const pages = Array.from({ length: count }, (_, i) => ({
		number: i + 1,
		chapter: 1,
		offset: i * 8,
		text: 'Spike. ',
	}));
	return {
		...leaving,
		pages,
		chapters: [{ number: 1, title: null, firstPage: 1, pageCount: count }],
		quotes: [],
		characters: [],
	};
}

describe('a story of more pages than a story may have', () => {
	it('is refused by the store, naming the file and why, before anything is written', async () => {
		const huge = await storyOfPages(MAX_STORY_PAGES + 2);
		let error: unknown;
		try {
			store.putStory('huge.txt', 'h', 1, huge);
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(StoryError);
		expect((error as StoryError).file).toBe('huge.txt');
		expect((error as StoryError).reason).toBe(
			'the story has 65,537 pages, more than the 65,535 one story may have: split it into parts',
		);
		expect(store.db.prepare('SELECT count(*) FROM pages').pluck().get()).toBe(0);
		expect(store.db.prepare('SELECT count(*) FROM stories').pluck().get()).toBe(0);

		// The most a story may have is stored, and the next story's pages do not meet its range.
		const largest = store.putStory('largest.txt', 'l', 1, await storyOfPages(MAX_STORY_PAGES));
		const next = store.putStory('next.txt', 'n', 1, await storyOfPages(3));
		store.refreshSummaries();
		expect(store.page(largest, MAX_STORY_PAGES)?.storyId).toBe(largest);
		expect(store.page(next, 1)?.storyId).toBe(next);
		// Every page id decodes back to the story and page it was written for (as search decodes them).
		const wrong = store.db
			.prepare(
				`SELECT count(*) FROM pages WHERE id / ${PAGE_ROWID_SHIFT} != story_id OR id % ${PAGE_ROWID_SHIFT} != number`,
			)
			.pluck()
			.get();
		expect(wrong).toBe(0);
		const search = new ArchiveSearch(store);
		const hits = search.pagesOf(largest, 'spike', 25);
		expect(hits.length).toBeGreaterThan(0);
		for (const hit of hits) expect(hit.storyId).toBe(largest);
		search.close();
	}, 60_000);

	it('fails that file alone in an import, with the reason, and the rest of the import goes on', async () => {
		// Forty-character pages: each short paragraph is a page of its own.
		const paragraphs = Array.from({ length: MAX_STORY_PAGES + 500 }, (_, i) => `Buffy walked on, page ${i}.`);
		writeFileSync(join(dir, 'a-huge.txt'), `Huge\nby Someone\n\n${paragraphs.join('\n\n')}\n`);
		copyFileSync(new URL('leaving.txt', SAMPLES), join(dir, 'leaving.txt'));
		copyFileSync(new URL('moving-day.txt', SAMPLES), join(dir, 'moving-day.txt'));
		const summary = await importArchive(store, dir, { pageSize: 40 });
		expect(summary.failed).toEqual([
			{ file: 'a-huge.txt', reason: expect.stringMatching(/^the story has 66,0\d\d pages, more than the 65,535 one/) },
		]);
		expect(summary.added).toBe(2);
		expect([...store.fileHashes().keys()].sort()).toEqual(['leaving.txt', 'moving-day.txt']);
	}, 60_000);
});
