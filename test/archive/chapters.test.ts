import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importArchive } from '../../src/archive/import.js';
import { SCHEMA_VERSION } from '../../src/archive/schema.js';
import { ArchiveStore } from '../../src/archive/store.js';
import { ao3EpubFiles, fanficfareEpubFiles, without, zip } from '../fixtures/epub.js';

const FIXTURES = new URL('../fixtures/', import.meta.url);
const SAMPLES = new URL('../../data/', import.meta.url);
let dir: string;
let store: ArchiveStore;

const idOf = (path: string) => store.fileHashes().get(path)?.id as number;

/** An archive folder with one story in every format, and one broken file of every kind. */
function fillArchive(folder: string) {
	for (const name of ['leaving.txt', 'moving-day.txt']) copyFileSync(new URL(name, SAMPLES), join(folder, name));
	for (const name of [
		'ao3-the-long-night.html',
		'ao3-first-snow.html',
		'ao3-workpage-lamplight.html',
		'fanficfare-slayers-almanac.txt',
		'fanficfare-slayers-almanac.html',
		'markdown-the-watchers-diary.md',
	]) {
		copyFileSync(new URL(name, FIXTURES), join(folder, name));
	}
	writeFileSync(join(folder, 'crypt-door.epub'), zip(ao3EpubFiles()));
	writeFileSync(join(folder, 'almanac.epub'), zip(fanficfareEpubFiles()));
	const epub = zip(ao3EpubFiles());
	writeFileSync(join(folder, 'bad-cut.epub'), epub.subarray(0, epub.length - 300));
	writeFileSync(join(folder, 'bad-gap.epub'), zip(without(fanficfareEpubFiles(), 'OEBPS/file0001.xhtml')));
	writeFileSync(join(folder, 'bad-page.html'), '<!DOCTYPE html><html lang="en"><body><p>Hello</p></body></html>');
	writeFileSync(join(folder, 'bad-yaml.md'), '---\ntitle: "unclosed\n---\n\nText.\n');
	writeFileSync(join(folder, 'bad-image.png'), Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]));
}

beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'fic-archive-chapters-'));
	fillArchive(dir);
	store = ArchiveStore.open(':memory:');
});
afterEach(() => {
	store.close();
	rmSync(dir, { recursive: true, force: true });
});

describe('importing every format', () => {
	it('lands every good file with its chapters, and names each bad one with its reason', async () => {
		const summary = await importArchive(store, dir);
		expect(summary).toMatchObject({ added: 10, updated: 0, removed: 0 });
		expect(summary.failed).toEqual([
			{ file: 'bad-cut.epub', reason: expect.stringMatching(/zip archive is damaged or cut short/) },
			{
				file: 'bad-gap.epub',
				reason: 'the EPUB’s spine lists OEBPS/file0001.xhtml, which is missing from the file',
			},
			{ file: 'bad-image.png', reason: expect.stringMatching(/binary file/) },
			{ file: 'bad-page.html', reason: expect.stringMatching(/HTML that is not an AO3 download/) },
			{ file: 'bad-yaml.md', reason: expect.stringMatching(/YAML front matter is broken/) },
		]);
		const formats = Object.fromEntries(store.stories().map((s) => [s.path, [s.format, s.markup, s.chapterCount]]));
		expect(formats).toEqual({
			'leaving.txt': ['plain-text', 'plain', 1],
			'moving-day.txt': ['plain-text', 'plain', 1],
			'ao3-the-long-night.html': ['ao3-html', 'markdown', 3],
			'ao3-first-snow.html': ['ao3-html', 'markdown', 1],
			'fanficfare-slayers-almanac.txt': ['fanficfare-text', 'markdown', 2],
			'markdown-the-watchers-diary.md': ['markdown', 'markdown', 2],
			'crypt-door.epub': ['epub', 'markdown', 2],
			'almanac.epub': ['epub', 'markdown', 2],
			'ao3-workpage-lamplight.html': ['ao3-html', 'markdown', 2],
			'fanficfare-slayers-almanac.html': ['fanficfare-html', 'markdown', 2],
		});
	});

	it('stores chapters, each page’s chapter and each quote’s chapter', async () => {
		await importArchive(store, dir);
		const id = idOf('ao3-the-long-night.html');
		const story = store.story(id);
		expect(story?.meta).toMatchObject({
			fandoms: ['Buffy the Vampire Slayer (TV)'],
			series: { name: 'Sunnydale Winters', part: 2 },
			complete: false,
		});
		const chapters = store.chapters(id);
		expect(chapters.map((c) => c.title)).toEqual(['Blackout', null, 'The Candles Burn Down']);
		expect(chapters.reduce((n, c) => n + c.pageCount, 0)).toBe(story?.pageCount);
		for (const chapter of chapters) {
			expect(store.chapter(id, chapter.number)).toEqual(chapter);
			for (let page = chapter.firstPage; page < chapter.firstPage + chapter.pageCount; page++) {
				expect(store.page(id, page)?.chapter).toBe(chapter.number);
				expect(store.chapterOfPage(id, page)).toEqual(chapter);
			}
		}
		expect(store.page(id, 1)?.text).toMatch(/^The lights went out/);
		expect(store.chapter(id, 4)).toBeUndefined();
		expect(store.chapters(9999)).toEqual([]);
		const quotes = store.quotes(id);
		expect(new Set(quotes.map((q) => q.chapter))).toEqual(new Set([1, 2, 3]));
		for (const q of quotes) expect(store.page(id, q.page)?.chapter).toBe(q.chapter);
		expect(store.randomQuote({ storyId: id }, () => 0.999)?.chapter).toBe(3);
		// A plain-text story has one untitled chapter holding all its pages.
		const leaving = store.story(idOf('leaving.txt'));
		expect(store.chapters(leaving?.id as number)).toEqual([
			{ number: 1, title: null, firstPage: 1, pageCount: leaving?.pageCount },
		]);
	});

	it('parses every format the same in worker threads as in this thread', async () => {
		await importArchive(store, dir, { workers: 0 });
		const threaded = ArchiveStore.open(':memory:');
		try {
			const summary = await importArchive(threaded, dir, { workers: 2 });
			expect(summary).toMatchObject({ added: 10 });
			expect(summary.failed.map((f) => f.file)).toHaveLength(5);
			const rows = (s: ArchiveStore) =>
				['pages', 'quotes', 'chapters', 'characters'].map((t) =>
					s.db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all(),
				);
			expect(rows(threaded)).toEqual(rows(store));
			expect(threaded.stories().map(({ meta }) => meta)).toEqual(store.stories().map(({ meta }) => meta));
		} finally {
			threaded.close();
		}
	});

	it('keeps the previous version of an EPUB that is now broken, and skips it when unchanged', async () => {
		await importArchive(store, dir);
		const id = idOf('crypt-door.epub');
		const before = { story: store.story(id), chapters: store.chapters(id), page: store.page(id, 2) };
		const epub = zip(ao3EpubFiles());
		writeFileSync(join(dir, 'crypt-door.epub'), epub.subarray(0, 100));
		const broken = await importArchive(store, dir);
		expect(broken.failed.map((f) => f.file)).toContain('crypt-door.epub');
		expect({ story: store.story(id), chapters: store.chapters(id), page: store.page(id, 2) }).toEqual(before);
		writeFileSync(join(dir, 'crypt-door.epub'), epub);
		expect(await importArchive(store, dir)).toMatchObject({ unchanged: 10, updated: 0 });
		// A changed EPUB is replaced under the same id, chapters and all.
		const files = ao3EpubFiles();
		writeFileSync(
			join(dir, 'crypt-door.epub'),
			zip({
				...files,
				'The_Crypt_Door_split_002.xhtml': String(files['The_Crypt_Door_split_002.xhtml']).replaceAll(
					'Paint',
					'Varnish',
				),
			}),
		);
		expect(await importArchive(store, dir)).toMatchObject({ updated: 1 });
		expect(idOf('crypt-door.epub')).toBe(id);
		expect(store.chapters(id).map((c) => c.title)).toEqual(['Hinges', 'Varnish']);
	});
});

describe('schema', () => {
	it('rebuilds a store written by the previous schema', () => {
		const path = join(dir, 'old.sqlite');
		const old = new Database(path);
		old.exec('CREATE TABLE stories (id INTEGER PRIMARY KEY, path TEXT); CREATE TABLE pages (id INTEGER PRIMARY KEY)');
		old.pragma('user_version = 2');
		old.close();
		expect(() => ArchiveStore.open(path, { readonly: true })).toThrow(/npm run import/);
		const rebuilt = ArchiveStore.open(path);
		expect(rebuilt.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
		expect(rebuilt.chapters(1)).toEqual([]);
		rebuilt.close();
	});
});
