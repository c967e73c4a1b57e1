import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importArchive } from '../../src/archive/import.js';
import { ArchiveStore } from '../../src/archive/store.js';

const SAMPLES = new URL('../../data/', import.meta.url);
let dir: string;
let store: ArchiveStore;

/** A story whose header the plain-text reader cannot read: the title comes from the file name, no author. */
const ANGEL = `${'Disclaimer: not mine, no money made.\n'.repeat(3)}\n"Mulder," said Scully. "It's me."\n\nHe looked up from the file and smiled at her.\n`;

beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'fic-archive-sidecar-'));
	copyFileSync(new URL('leaving.txt', SAMPLES), join(dir, 'leaving.txt'));
	writeFileSync(join(dir, 'angel.txt'), ANGEL);
	store = ArchiveStore.open(':memory:');
});
afterEach(() => {
	store.close();
	rmSync(dir, { recursive: true, force: true });
});

const angel = () => {
	const id = store.fileHashes().get('angel.txt')?.id;
	return id === undefined ? undefined : store.story(id);
};

describe('a sidecar <story file>.meta.yaml', () => {
	it('overrides what the file says, and is not a story itself', async () => {
		writeFileSync(
			join(dir, 'angel.txt.meta.yaml'),
			[
				'title: Angel',
				'author: Sarah Stegall',
				'rating: PG-13',
				'summary: Scully finds out.',
				'url: https://example.invalid/angel',
				'fandom: The X-Files',
				'characters: [Fox Mulder, Dana Scully]',
				'tags:',
				'  - Angst',
				'  - Hospital',
				'words: 5200',
			].join('\n'),
		);
		const summary = await importArchive(store, dir);
		expect(summary).toMatchObject({ added: 2, failed: [] });
		expect([...store.fileHashes().keys()].sort()).toEqual(['angel.txt', 'leaving.txt']);
		expect(angel()).toMatchObject({
			title: 'Angel',
			author: 'Sarah Stegall',
			rating: 'Teen',
			ratingText: 'PG-13',
			declaredWords: 5200,
			meta: {
				summary: 'Scully finds out.',
				url: 'https://example.invalid/angel',
				fandoms: ['The X-Files'],
				characterTags: ['Fox Mulder', 'Dana Scully'],
				additionalTags: ['Angst', 'Hospital'],
			},
		});
		// Search by title and author sees the sidecar's.
		expect(store.db.prepare("SELECT rowid FROM stories_fts WHERE stories_fts MATCH 'stegall'").pluck().all()).toEqual([
			angel()?.id,
		]);
	});

	it('changed or removed, updates its story under the same id', async () => {
		const sidecar = join(dir, 'angel.txt.meta.yaml');
		writeFileSync(sidecar, 'title: Angel\nauthor: Sarah Stegall\n');
		await importArchive(store, dir);
		const id = angel()?.id;
		writeFileSync(sidecar, 'title: Angel (revised)\nauthor: Sarah Stegall\n');
		expect(await importArchive(store, dir)).toMatchObject({ updated: 1, unchanged: 1, added: 0 });
		expect(angel()).toMatchObject({ id, title: 'Angel (revised)' });
		rmSync(sidecar);
		expect(await importArchive(store, dir)).toMatchObject({ updated: 1, unchanged: 1 });
		expect(angel()?.id).toBe(id);
		expect(angel()?.author).toBeNull();
		expect(await importArchive(store, dir, { workers: 2 })).toMatchObject({ unchanged: 2 });
	});

	it('is read by parser threads too', async () => {
		writeFileSync(join(dir, 'angel.txt.meta.yaml'), 'title: Angel\nauthor: Sarah Stegall\n');
		await importArchive(store, dir, { workers: 2 });
		expect(angel()).toMatchObject({ title: 'Angel', author: 'Sarah Stegall' });
	});

	it('that is not YAML fails its story alone, naming the sidecar', async () => {
		writeFileSync(join(dir, 'angel.txt.meta.yaml'), 'title: [Angel\nauthor: "Sarah');
		writeFileSync(join(dir, 'leaving.txt.meta.yaml'), '- just\n- a list\n');
		const summary = await importArchive(store, dir);
		expect(summary.failed).toEqual([
			{ file: 'angel.txt', reason: expect.stringMatching(/^its sidecar angel\.txt\.meta\.yaml is not valid YAML \(/) },
			{
				file: 'leaving.txt',
				reason: 'its sidecar leaving.txt.meta.yaml should hold fields such as "title: …" and "author: …"',
			},
		]);
		expect(summary.added).toBe(0);
	});
});
