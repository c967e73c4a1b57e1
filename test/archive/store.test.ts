import {
	copyFileSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	renameSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importArchive, importToPath } from '../../src/archive/import.js';
import { parseStory } from '../../src/archive/parse/index.js';
import { packQuotes, unpackQuotes } from '../../src/archive/parse/messages.js';
import { ArchiveStore, StoreError } from '../../src/archive/store.js';
import type { Character } from '../../src/archive/types.js';

const SAMPLES = new URL('../../data/', import.meta.url);
let dir: string;
let dbPath: string;
let store: ArchiveStore;

const idOf = (path: string) => store.fileHashes().get(path)?.id;
const matches = (word: string) =>
	(store.db.prepare('SELECT count(*) AS n FROM pages_fts WHERE pages_fts MATCH ?').get(word) as { n: number }).n;
const integrity = () => {
	store.db.exec("INSERT INTO pages_fts(pages_fts, rank) VALUES ('integrity-check', 1)");
	store.db.exec("INSERT INTO stories_fts(stories_fts, rank) VALUES ('integrity-check', 1)");
	store.db.exec("INSERT INTO story_words(story_words, rank) VALUES ('integrity-check', 1)");
};
/** Everything the store holds, to compare a store before and after a run. */
const snapshot = () =>
	['stories', 'pages', 'quotes', 'characters'].map((t) => store.db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all());

beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'fic-archive-'));
	for (const name of ['leaving.txt', 'moving-day.txt']) copyFileSync(new URL(name, SAMPLES), join(dir, name));
	dbPath = join(dir, 'archive.sqlite');
	store = ArchiveStore.open(dbPath);
});
afterEach(() => {
	store.close();
	rmSync(dir, { recursive: true, force: true });
});

describe('import', () => {
	it('stores the samples with pages, quotes, characters and an index', async () => {
		const summary = await importArchive(store, dir);
		expect(summary).toMatchObject({ added: 2, updated: 0, unchanged: 0, removed: 0, failed: [] });
		const leaving = store.story(idOf('leaving.txt') as number);
		expect(leaving).toMatchObject({ title: 'Leaving', author: 'Slaymesoftly', rating: 'Teen', ratingText: 'PG13' });
		expect(leaving?.meta.disclaimer).toMatch(/Joss/);
		expect(store.page(leaving?.id as number, 1)?.text).toMatch(/^"Spike!" Buffy bolted upright/);
		expect(store.page(leaving?.id as number, (leaving?.pageCount as number) + 1)).toBeUndefined();
		expect(
			store
				.characters(leaving?.id as number)
				.slice(0, 2)
				.map((c) => c.name)
				.sort(),
		).toEqual(['Buffy', 'Spike']);
		const quote = store.randomQuote({ storyId: leaving?.id }, () => 0);
		expect(store.page(leaving?.id as number, quote?.page as number)?.text).toContain(quote?.text.slice(0, 8));
		expect(store.randomQuote({ speaker: 'xander' })?.speaker).toBe('Xander');
		expect(store.randomQuote({ speaker: 'nobody' })).toBeUndefined();
		// Ratings: the samples are Teen and Not Rated, so an Explicit-only quote does not exist.
		expect(store.randomQuote({ ratings: ['Explicit'] })).toBeUndefined();
		expect(store.randomQuote({ ratings: ['Explicit'], speaker: 'Spike' })).toBeUndefined();
		expect(store.randomQuote({ ratings: ['Mature'], storyId: leaving?.id })).toBeUndefined();
		for (const at of [0, 0.5, 0.999]) {
			expect(store.randomQuote({ ratings: ['Teen'] }, () => at)?.storyId).toBe(leaving?.id);
			expect(store.randomQuote({ ratings: ['Teen'], speaker: 'spike' }, () => at)).toMatchObject({
				storyId: leaving?.id,
				speaker: 'Spike',
			});
		}
		expect(store.randomQuote({ ratings: [] })).toBeUndefined();
		// Character names by prefix, one story's or the archive's; a story by its exact title.
		expect(store.characterNames('sp', leaving?.id)).toEqual(['Spike']);
		expect(store.characterNames('BU')).toContain('Buffy');
		expect(store.characterNames('zz')).toEqual([]);
		expect(store.storyByTitle('  leaving ')?.id).toBe(leaving?.id);
		expect(store.storyByTitle('Leavin')).toBeUndefined();
		expect(matches('sunnydale')).toBeGreaterThan(0);
		const stats = store.stats();
		expect(stats).toMatchObject({ stories: 2, authors: 2 });
		expect(stats.pages).toBe(store.stories().reduce((n, s) => n + s.pageCount, 0));
		expect(stats.bytesOnDisk).toBeGreaterThan(0);
		// The vocabulary holds each stem's page count, the same the index gives.
		const vocab = store.db.prepare('SELECT pages FROM vocabulary WHERE term = ?').pluck();
		expect(vocab.get('spike')).toBe(matches('spike'));
		expect(vocab.get('leav')).toBe(matches('leaving'));
		// And for titles, authors and summaries, per field.
		const storyVocab = store.db.prepare('SELECT col, stories FROM story_vocabulary WHERE term = ? ORDER BY col');
		expect(storyVocab.all('leav')).toEqual([{ col: 'title', stories: 1 }]);
		expect(storyVocab.all('slaymesoftli')).toEqual([{ col: 'author', stories: 1 }]);
		// Each character's pages are pages of the story that mention them, listed once each (a mention in single
		// quotes, as in 'Dawn needs you', is not counted, so not every such page need be listed).
		for (const { story_id, name, pages } of store.db.prepare('SELECT story_id, name, pages FROM characters').all() as {
			story_id: number;
			name: string;
			pages: string;
		}[]) {
			const listed = pages.split(' ').map(Number);
			const mentioning = Array.from({ length: store.story(story_id)?.pageCount ?? 0 }, (_, i) => i + 1).filter((n) =>
				new RegExp(`\\b${name}\\b`).test(store.page(story_id, n)?.text ?? ''),
			);
			expect(new Set(listed).size, name).toBe(listed.length);
			expect(mentioning, name).toEqual(expect.arrayContaining(listed));
		}
		// Whether a page has quotable lines, without reading them.
		const pages = leaving?.pageCount as number;
		for (let page = 1; page <= pages + 1; page++) {
			expect(store.hasQuotesOnPage(leaving?.id as number, page)).toBe(
				store.quotesOnPage(leaving?.id as number, page).length > 0,
			);
		}
		expect(store.hasQuotesOnPage(leaving?.id as number, pages + 1)).toBe(false);
		integrity();
	});

	it('skips unchanged files, replaces changed ones under the same id, removes deleted ones when pruning', async () => {
		// Nothing imported yet: no totals.
		expect(store.stats()).toMatchObject({ stories: 0, authors: 0, words: 0, pages: 0, quotes: 0 });
		await importArchive(store, dir);
		const ids = { leaving: idOf('leaving.txt'), moving: idOf('moving-day.txt') };
		// The totals, kept at import, are those of the stories themselves.
		const totals = () =>
			store.db
				.prepare(
					`SELECT count(*) AS stories, count(DISTINCT author) AS authors, sum(words) AS words, sum(page_count) AS pages,
						sum(quote_count) AS quotes FROM stories`,
				)
				.get();
		const { bytesOnDisk: _, ...stats } = store.stats();
		expect(stats).toEqual(totals());
		expect(stats.stories).toBe(2);
		expect(await importArchive(store, dir)).toMatchObject({ added: 0, unchanged: 2 });

		writeFileSync(
			join(dir, 'moving-day.txt'),
			'Moving Day\nBy Klytaimnestra\n\nThe crypt was empty and the porcupine was gone.',
		);
		expect(await importArchive(store, dir)).toMatchObject({ updated: 1, unchanged: 1 });
		expect(idOf('moving-day.txt')).toBe(ids.moving);
		expect(store.story(ids.moving as number)?.pageCount).toBe(1);
		expect(store.stats().pages).toBe((store.story(ids.leaving as number)?.pageCount ?? 0) + 1);
		expect(matches('porcupine')).toBe(1);
		expect(matches('Klytaimnestra OR duster')).toBe(0);

		rmSync(join(dir, 'moving-day.txt'));
		// Kept by default: an import adds and updates; removal is asked for.
		expect(await importArchive(store, dir)).toMatchObject({ removed: 0, kept: 1, unchanged: 1 });
		expect(store.story(ids.moving as number)?.title).toBe('Moving Day');
		expect(await importArchive(store, dir, { prune: true })).toMatchObject({ removed: 1, kept: 0, unchanged: 1 });
		expect(store.story(ids.moving as number)).toBeUndefined();
		expect(store.stats()).toMatchObject({
			stories: 1,
			authors: 1,
			pages: store.story(ids.leaving as number)?.pageCount,
		});
		expect(matches('porcupine')).toBe(0);
		expect(store.db.prepare("SELECT count(*) FROM story_words WHERE story_words MATCH 'klyt*'").pluck().get()).toBe(0);
		expect(idOf('leaving.txt')).toBe(ids.leaving);
		integrity();
	});

	it('keeps a story’s id when its file is renamed, and never reuses a removed id', async () => {
		await importArchive(store, dir);
		const id = idOf('leaving.txt');
		renameSync(join(dir, 'leaving.txt'), join(dir, 'leaving-2003.txt'));
		expect(await importArchive(store, dir)).toMatchObject({ moved: 1, added: 0, removed: 0 });
		expect(idOf('leaving-2003.txt')).toBe(id);

		rmSync(join(dir, 'leaving-2003.txt'));
		await importArchive(store, dir, { prune: true });
		copyFileSync(new URL('leaving.txt', SAMPLES), join(dir, 'again.txt'));
		await importArchive(store, dir);
		expect(idOf('again.txt')).toBeGreaterThan(id as number);
	});

	it('reports a broken file by name and keeps its previous version', async () => {
		await importArchive(store, dir);
		const before = store.story(idOf('leaving.txt') as number);
		writeFileSync(join(dir, 'leaving.txt'), Uint8Array.from([0, 1, 2, 3, 0, 0]));
		writeFileSync(join(dir, 'empty.txt'), '');
		const summary = await importArchive(store, dir);
		expect(summary.failed).toEqual([
			{ file: 'empty.txt', reason: 'the file is empty' },
			{ file: 'leaving.txt', reason: expect.stringMatching(/binary/) },
		]);
		expect(summary).toMatchObject({ unchanged: 1, removed: 0 });
		expect(store.story(before?.id as number)).toEqual(before);
	});

	it('rolls the whole run back when it fails part way', async () => {
		await importArchive(store, dir);
		const before = snapshot();
		writeFileSync(join(dir, 'a-new-story.txt'), 'Title: New\n\nA new story about Buffy and Spike, in the rain.');
		writeFileSync(join(dir, 'moving-day.txt'), 'Moving Day\n\nChanged text about the porcupine.');
		rmSync(join(dir, 'leaving.txt'));
		await expect(
			importArchive(store, dir, {
				onProgress: (p) => {
					if (p.done === 2) throw new Error('disk full');
				},
			}),
		).rejects.toThrow('disk full');
		expect(snapshot()).toEqual(before);
		expect(matches('porcupine')).toBe(0);
		integrity();
	});

	it('rolls back cleanly with parser threads too, leaving nothing pending', async () => {
		for (let i = 0; i < 8; i++) copyFileSync(new URL('leaving.txt', SAMPLES), join(dir, `copy-${i}.txt`));
		const failing = importArchive(store, dir, {
			workers: 2,
			onProgress: () => {
				throw new Error('disk full');
			},
		});
		await expect(failing).rejects.toThrow('disk full');
		expect(store.stats().stories).toBe(0);
	});

	it('ignores the store, dotfiles and read-mes in the archive folder, and reads sub-folders', async () => {
		writeFileSync(join(dir, '.DS_Store'), Uint8Array.from([0, 0, 0, 1]));
		writeFileSync(join(dir, 'README.md'), '# My archive');
		mkdirSync(join(dir, 'klytaimnestra'));
		renameSync(join(dir, 'moving-day.txt'), join(dir, 'klytaimnestra', 'moving-day.txt'));
		await importArchive(store, dir);
		expect([...store.fileHashes().keys()].sort()).toEqual(['klytaimnestra/moving-day.txt', 'leaving.txt']);
	});
});

describe('character names', () => {
	it('offers the archive’s most central characters for what is typed, however many names sort before them', async () => {
		const { body: _body, ...leaving } = await parseStory('leaving.txt', readFileSync(new URL('leaving.txt', SAMPLES)));
		const put = (path: string, characters: Character[]) =>
			store.putStory(path, path, 1, { ...leaving, pages: [], quotes: [], chapters: [], characters });
		// 6,000 names in passing that sort before "Anya", each in one story: more than a bounded read of the names in
		// alphabetical order takes before it reaches her.
		for (let s = 0; s < 300; s++) {
			put(
				`minor-${s}.txt`,
				Array.from({ length: 20 }, (_, i) => ({ name: `Aa${s}x${i}`, count: 1 })),
			);
		}
		// Anya central in three stories, Willow in them less; "ANYA" in one more, shouted.
		for (let s = 0; s < 3; s++) {
			put(`anya-${s}.txt`, [
				{ name: 'Anya', count: 60 },
				{ name: 'Willow', count: 20 },
			]);
		}
		put('shouting.txt', [{ name: 'ANYA', count: 2 }]);
		store.refreshSummaries();

		expect(store.characterNames('a')[0]).toBe('Anya');
		expect(store.characterNames('AN')).toEqual(['Anya']);
		expect(store.characterNames('w')).toEqual(['Willow']);
		// Nothing typed yet: the most central first.
		expect(store.characterNames('').slice(0, 2)).toEqual(['Anya', 'Willow']);
		expect(store.characterNames('a', undefined, 25)).toHaveLength(25);
		// Every name once, whatever its case, with the stories it is in.
		const anya = store.db.prepare("SELECT name, stories FROM character_names WHERE name = 'anya'").all();
		expect(anya).toEqual([{ name: 'Anya', stories: 4 }]);
		expect(store.db.prepare('SELECT count(*) FROM character_names').pluck().get()).toBe(6002);
		// One story's names still come from that story alone.
		expect(store.characterNames('a', idOf('shouting.txt'))).toEqual(['ANYA']);
	});

	it('are refreshed by every import that changes the stories', async () => {
		await importArchive(store, dir);
		expect(store.characterNames('sp')).toEqual(['Spike']);
		rmSync(join(dir, 'leaving.txt'));
		rmSync(join(dir, 'moving-day.txt'));
		writeFileSync(
			join(dir, 'other.txt'),
			`Other\nby Someone\n\n${'Willow read the book by the window, and Willow smiled at the page. '.repeat(12)}`,
		);
		await importArchive(store, dir, { prune: true });
		expect(store.characterNames('sp')).toEqual([]);
		expect(store.characterNames('')).toEqual(['Willow']);
	});
});

describe('importToPath', () => {
	it('builds the first store beside its place and renames it in, in write-ahead-log mode', async () => {
		const path = join(dir, 'fresh', 'archive.sqlite');
		const summary = await importToPath(path, dir);
		expect(summary.added).toBe(2);
		expect(existsSync(`${path}.building`)).toBe(false);
		const built = ArchiveStore.open(path, { readonly: true });
		expect(built.db.pragma('journal_mode', { simple: true })).toBe('wal');
		// Made with SQLite's largest pages (faster to index, smaller).
		expect(built.db.pragma('page_size', { simple: true })).toBe(65536);
		expect(built.stats().stories).toBe(2);
		built.close();
		// The second run updates it in place.
		expect(await importToPath(path, dir)).toMatchObject({ unchanged: 2 });
	});

	it('keeps the page size of a store made before pages were 64 KB', async () => {
		const path = join(dir, 'old', 'archive.sqlite');
		mkdirSync(join(dir, 'old'));
		const old = new Database(path);
		old.pragma('page_size = 4096');
		old.pragma('journal_mode = WAL');
		old.close();
		expect(await importToPath(path, dir)).toMatchObject({ added: 2 });
		const store = ArchiveStore.open(path, { readonly: true });
		expect(store.db.pragma('page_size', { simple: true })).toBe(4096);
		expect(store.stats().stories).toBe(2);
		store.close();
	});

	it('leaves no store and no half-built file when the first import fails', async () => {
		const path = join(dir, 'fresh', 'archive.sqlite');
		const failing = importToPath(path, dir, {
			onProgress: () => {
				throw new Error('disk full');
			},
		});
		await expect(failing).rejects.toThrow('disk full');
		expect(existsSync(path)).toBe(false);
		expect(existsSync(`${path}.building`)).toBe(false);
	});
});

describe('parser threads', () => {
	it('send quotes packed in columns that unpack to the same quotes', async () => {
		const { quotes } = await parseStory('leaving.txt', readFileSync(new URL('leaving.txt', SAMPLES)));
		expect(quotes.some((q) => q.speaker) && quotes.some((q) => !q.speaker)).toBe(true);
		expect(unpackQuotes(structuredClone(packQuotes(quotes)))).toEqual(quotes);
		expect(unpackQuotes(packQuotes([]))).toEqual([]);
	});

	it('store exactly what parsing in this thread stores', async () => {
		for (let i = 0; i < 6; i++) copyFileSync(new URL('leaving.txt', SAMPLES), join(dir, `copy-${i}.txt`));
		const inThread = ArchiveStore.open(':memory:');
		await importArchive(inThread, dir, { workers: 0 });
		await importArchive(store, dir, { workers: 2 });
		const rows = (s: ArchiveStore) =>
			['pages', 'quotes', 'characters'].map((t) => s.db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all());
		expect(rows(store)).toEqual(rows(inThread));
		expect(store.stories().map(({ meta }) => meta)).toEqual(inThread.stories().map(({ meta }) => meta));
		inThread.close();
	});
});

describe('open', () => {
	it('opens an imported store read-only without parsing anything', async () => {
		await importArchive(store, dir);
		store.close();
		store = ArchiveStore.open(dbPath, { readonly: true });
		expect(store.stats().stories).toBe(2);
		expect(() => store.db.exec('DELETE FROM stories')).toThrow(/readonly/);
	});

	it('says how to import when there is no store yet', async () => {
		expect(() => ArchiveStore.open(join(dir, 'nothing.sqlite'), { readonly: true })).toThrow(StoreError);
		expect(() => ArchiveStore.open(join(dir, 'nothing.sqlite'), { readonly: true })).toThrow(/npm run import/);
	});
});
