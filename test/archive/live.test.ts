import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importToPath } from '../../src/archive/import.js';
import { LiveArchive } from '../../src/archive/live.js';
import { publishStore } from '../../src/archive/publish.js';
import { ArchiveStore } from '../../src/archive/store.js';
import { memoryLogger } from '../../src/log.js';

const NEW_STORY = `Title: Late Arrival
Author: Keeper
Rating: G

The ferry came in after dark, and the harbour master counted the passengers twice.

"Nobody missing," Willow said, and closed the book.
`;

let dir: string;
let stories: string;
let source: string;
let served: string;

/** Every story's id by its file, and the page text of each, from a store file. */
function contents(path: string) {
	const store = ArchiveStore.open(path, { readonly: true });
	try {
		const ids = Object.fromEntries([...store.fileHashes()].map(([file, { id }]) => [file, id]));
		const pages = Object.values(ids).map((id) => store.page(id, 1)?.text);
		return { ids, pages, stories: store.stats().stories };
	} finally {
		store.close();
	}
}

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'fic-archive-live-'));
	stories = join(dir, 'stories');
	mkdirSync(stories);
	mkdirSync(join(dir, 'served'));
	for (const name of ['leaving.txt', 'moving-day.txt'])
		copyFileSync(new URL(`../../data/${name}`, import.meta.url), join(stories, name));
	source = join(dir, 'archive.sqlite');
	served = join(dir, 'served', 'archive.sqlite');
	await importToPath(source, stories);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('publish', () => {
	it('writes a copy with the same story ids and pages, in place of the old file, leaving no temporary file', async () => {
		const published = await publishStore(source, served);
		expect(published.path).toBe(served);
		expect(published.bytes).toBeGreaterThan(0);
		const original = contents(source);
		expect(original.stories).toBe(2);
		expect(contents(served)).toEqual(original);
		expect(readdirSync(join(dir, 'served'))).toEqual(['archive.sqlite']);
		// A rollback journal: readers of the copy need no -wal or -shm file beside it.
		const copy = ArchiveStore.open(served, { readonly: true });
		expect(copy.db.pragma('journal_mode', { simple: true })).toBe('delete');
		copy.close();
	});

	it('leaves the old copy in place when the store cannot be read', async () => {
		await expect(publishStore(join(dir, 'missing.sqlite'), served)).rejects.toThrow(/No archive at/);
		expect(contents(served).stories).toBe(2);
		expect(readdirSync(join(dir, 'served'))).toEqual(['archive.sqlite']);
	});
});

describe('a live archive', () => {
	it('switches to a store published over its path; a held archive works until its grace period ends', async () => {
		await publishStore(source, served);
		const log = memoryLogger();
		const live = new LiveArchive(served, log, { settleMs: 1000, graceMs: 200 });
		try {
			const held = live.current;
			const before = contents(served).ids;
			expect(live.check()).toBe(false); // nothing new

			writeFileSync(join(stories, 'late-arrival.txt'), NEW_STORY);
			await importToPath(source, stories);
			await publishStore(source, served);
			const after = contents(served).ids;
			// Buttons carry story ids: the stories that were there keep theirs.
			expect(after).toMatchObject(before);
			expect(Object.keys(after)).toHaveLength(3);

			// A new file is opened only once it has looked the same for settleMs.
			const now = Date.now();
			expect(live.check(now)).toBe(false);
			expect(live.current).toBe(held);
			expect(live.check(now + 1000)).toBe(true);
			expect(live.current).not.toBe(held);
			const id = after['late-arrival.txt'] as number;
			expect(live.current.store.story(id)?.title).toBe('Late Arrival');
			expect(live.current.search.suggest('Late Arrival', 1)[0]?.id).toBe(id);
			expect(log.lines.some((l) => l.includes('archive switched'))).toBe(true);

			// The request that took the old archive finishes on it.
			expect(held.store.story(id)).toBeUndefined();
			expect(held.store.story(before['leaving.txt'] as number)?.title).toBe('Leaving');
			expect(held.search.suggest('Leaving', 1)[0]?.id).toBe(before['leaving.txt']);
			await new Promise((r) => setTimeout(r, 300));
			expect(held.store.db.open).toBe(false);
			expect(live.current.store.db.open).toBe(true);
		} finally {
			live.close();
		}
	});

	it('keeps serving the old store when the new file is not an archive', async () => {
		await publishStore(source, served);
		const log = memoryLogger();
		const live = new LiveArchive(served, log, { settleMs: 0 });
		try {
			const held = live.current;
			const junk = join(dir, 'served', 'junk.tmp');
			writeFileSync(junk, 'not a database at all');
			const { renameSync } = await import('node:fs');
			renameSync(junk, served);
			expect(live.check()).toBe(false);
			expect(live.current).toBe(held);
			expect(held.store.stats().stories).toBe(3);
			expect(log.lines.some((l) => l.includes('a new archive could not be opened'))).toBe(true);
		} finally {
			live.close();
		}
	});
});
