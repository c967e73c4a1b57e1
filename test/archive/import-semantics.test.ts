import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImportError, importArchive, importToPath } from '../../src/archive/import.js';
import { ArchiveStore } from '../../src/archive/store.js';

const SAMPLES = new URL('../../data/', import.meta.url);
let root: string;
let dir: string;
let store: ArchiveStore;

/** Everything the store holds, to compare before and after. */
const snapshot = () =>
	['stories', 'pages', 'quotes', 'characters', 'archive_totals'].map((t) =>
		store.db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all(),
	);

beforeEach(() => {
	root = mkdtempSync(join(tmpdir(), 'fic-archive-semantics-'));
	dir = join(root, 'stories');
	mkdirSync(dir);
	for (const name of ['leaving.txt', 'moving-day.txt']) copyFileSync(new URL(name, SAMPLES), join(dir, name));
	store = ArchiveStore.open(join(root, 'archive.sqlite'));
});
afterEach(() => {
	store.close();
	rmSync(root, { recursive: true, force: true });
});

describe('an import', () => {
	it('of another folder adds its stories and keeps the ones already stored, under their ids', async () => {
		await importArchive(store, dir);
		const ids = new Map([...store.fileHashes()].map(([path, { id }]) => [path, id]));
		const other = join(root, 'other');
		mkdirSync(other);
		writeFileSync(join(other, 'crypt.txt'), 'The Crypt\nby Someone\n\nSpike sat in the crypt and waited for the rain.');
		const summary = await importArchive(store, other);
		expect(summary).toMatchObject({ added: 1, removed: 0, kept: 2 });
		// Buttons and bookmarks carry story ids: the stories that stay keep theirs, with their pages.
		for (const [path, id] of ids) {
			expect(store.fileHashes().get(path)?.id).toBe(id);
			expect(store.page(id, 1)?.text.length).toBeGreaterThan(0);
		}
		expect(store.totals().stories).toBe(3);
	});

	it('removes the stories whose file is gone only when asked, saying how many first', async () => {
		await importArchive(store, dir);
		rmSync(join(dir, 'moving-day.txt'));
		const told: { count: number; storiesThen: number }[] = [];
		const summary = await importArchive(store, dir, {
			prune: true,
			onPrune: (count) => told.push({ count, storiesThen: store.stories().length }),
		});
		expect(told).toEqual([{ count: 1, storiesThen: 2 }]);
		expect(summary).toMatchObject({ removed: 1, kept: 0, unchanged: 1 });
		expect([...store.fileHashes().keys()]).toEqual(['leaving.txt']);
	});

	it('refuses a missing folder, a file and a folder with no stories, leaving the store untouched', async () => {
		await importArchive(store, dir);
		const before = snapshot();
		const empty = join(root, 'empty');
		mkdirSync(empty);
		writeFileSync(join(empty, '.DS_Store'), 'x');
		const cases: [string, RegExp][] = [
			[join(root, 'nowhere'), /^There is no folder .*nowhere: nothing was imported and the store is unchanged/],
			[join(dir, 'leaving.txt'), /leaving\.txt is a file, not a folder of stories/],
			[empty, /^The folder .*empty holds no story files: nothing was imported and the store is unchanged/],
		];
		for (const [folder, message] of cases) {
			for (const prune of [false, true]) {
				const run = importArchive(store, folder, { prune });
				await expect(run).rejects.toThrow(ImportError);
				await expect(importArchive(store, folder, { prune })).rejects.toThrow(message);
			}
		}
		expect(snapshot()).toEqual(before);
	});

	it('into a new store from a missing or empty folder makes no store at all', async () => {
		const path = join(root, 'fresh', 'archive.sqlite');
		await expect(importToPath(path, join(root, 'nowhere'))).rejects.toThrow(ImportError);
		mkdirSync(join(root, 'empty'));
		await expect(importToPath(path, join(root, 'empty'))).rejects.toThrow(/holds no story files/);
		expect(existsSync(join(root, 'fresh')) && readdirSync(join(root, 'fresh')).length).toBeFalsy();
	});
});
