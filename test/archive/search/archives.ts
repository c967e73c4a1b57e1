import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateArchive } from '../../../bench/synth.js';
import { importArchive } from '../../../src/archive/import.js';
import { ArchiveSearch, type SearchHit } from '../../../src/archive/search/index.js';
import { ArchiveStore } from '../../../src/archive/store.js';
import { snippetMarkdown } from '../../../src/discord/render/escape.js';

/** Helpers for the search tests: small archives imported into memory. */
export interface Archive {
	dir: string;
	store: ArchiveStore;
	search: ArchiveSearch;
}

/**
 * These tests check what a search finds; a copied line's time budget (LINE_BUDGET_MS, tested with a clock of its own
 * in line-budget.test.ts) would make that depend on how loaded the machine running them is. Their searches get a
 * minute.
 */
export const UNTIMED = { lineBudgetMs: 60_000 } as const;

/** A hit's snippet as the bot shows it (the Discord renderer's markdown: matches in bold); '' for no hit. */
export const snippetOf = (hit: SearchHit | undefined): string => (hit ? snippetMarkdown(hit.snippet, hit.markup) : '');

export async function open(fill: (dir: string) => Promise<void> | void): Promise<Archive> {
	const dir = mkdtempSync(join(tmpdir(), 'fic-archive-search-'));
	await fill(dir);
	const store = ArchiveStore.open(':memory:');
	await importArchive(store, dir);
	return { dir, store, search: new ArchiveSearch(store, UNTIMED) };
}

export function close(archive: Archive | undefined): void {
	archive?.search.close();
	archive?.store.close();
	if (archive) rmSync(archive.dir, { recursive: true, force: true });
}

/** Every page of the store as (row, text). */
export function pages(store: ArchiveStore): { storyId: number; page: number; text: string }[] {
	return (
		store.db.prepare('SELECT story_id AS storyId, number AS page, text FROM pages ORDER BY id').all() as {
			storyId: number;
			page: number;
			text: string;
		}[]
	).filter((p) => p.text.length > 0);
}

/** The two sample stories in data/. */
export const samples = () =>
	open((dir) => {
		for (const name of ['leaving.txt', 'moving-day.txt'])
			copyFileSync(new URL(`../../../data/${name}`, import.meta.url), join(dir, name));
	});

/** A small synthetic archive (bench/synth.ts), deterministic for its seed. */
export const synthetic = (bytes: number, seed: number) =>
	open(async (dir) => {
		await generateArchive(dir, { bytes, seed });
	});

/** What a generated story file holds: a header of the given fields and the body's paragraphs. */
export interface StoryFile {
	title: string;
	author: string;
	summary?: string;
	paragraphs: string[];
}

/** Writes `count` plain-text stories (story-001.txt …) into an archive folder, the nth made by `story(n)`. */
export const writeStories =
	(count: number, story: (n: number) => StoryFile) =>
	(dir: string): void => {
		for (let n = 1; n <= count; n++) {
			const { title, author, summary, paragraphs } = story(n);
			const header = [`Title: ${title}`, `Author: ${author}`, ...(summary ? [`Summary: ${summary}`] : [])].join('\n');
			writeFileSync(join(dir, `story-${String(n).padStart(3, '0')}.txt`), `${header}\n\n${paragraphs.join('\n\n')}\n`);
		}
	};

/** An archive of `count` stories titled "Story n" by "An", the nth made of the paragraphs `paragraphs(n)`. */
export const numberedStories = (count: number, paragraphs: (n: number) => string[]) =>
	open(writeStories(count, (n) => ({ title: `Story ${n}`, author: `A${n}`, paragraphs: paragraphs(n) })));

/** The id of "Story n" in such an archive. */
export const storyNumbered = (archive: Archive, n: number) => archive.store.storyByTitle(`Story ${n}`)?.id;

/** Runs `fn` with a search over the archive's store with the given options, and closes it after. */
export function withSearch<T>(
	archive: Archive,
	options: ConstructorParameters<typeof ArchiveSearch>[1],
	fn: (search: ArchiveSearch) => T,
): T {
	const search = new ArchiveSearch(archive.store, { ...UNTIMED, ...options });
	try {
		return fn(search);
	} finally {
		search.close();
	}
}

/** Letters and digits only, lower-cased, each word between single spaces: whether a page holds a line's words. */
export const words = (text: string) => ` ${(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).join(' ')} `;

/** Issue 25's copied line of frequent words and names, eight of its ten words on many pages. */
export const EIGHT_OF_TEN = 'Willow looked at Spike. Spike looked at Willow. Based on';

/**
 * The archive for EIGHT_OF_TEN: stories 1-12 hold eight of its ten words in a row (another first sentence); stories
 * 13-40 hold its first two sentences and go on otherwise, with "based" and "on" close by; only story 41 holds the
 * whole line, and it comes last, after every page that a capped read of the line's keys would take.
 */
export const eightOfTen = () =>
	numberedStories(41, (n) => [
		`Story ${n} starts in the library, where the afternoon goes slowly and the books are put back on the shelves one by one.`,
		n <= 12
			? `Buffy stared at Spike. Spike looked at Willow. Based on what the books said, the night would be long. ${'Spike looked at Willow again. '.repeat(3)}`
			: n <= 40
				? `Willow looked at Spike. Spike looked at Willow. Nobody said a word, based on long habit and little else to go on. ${'Willow looked at Spike. '.repeat(3)}`
				: `${EIGHT_OF_TEN} what the watcher had written, the night would be long.`,
		'Later they walked home through the cemetery, and nothing at all happened on the way.',
	]);
