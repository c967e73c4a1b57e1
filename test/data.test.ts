import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importArchive } from '../src/archive/import.js';
import { ArchiveStore } from '../src/archive/store.js';
import { storyCard } from '../src/discord/render/story.js';
import { DATA_EPUB, magicBoxInventoryFiles } from './fixtures/data-epub.js';
import { zip } from './fixtures/epub.js';

const DATA = new URL('../data/', import.meta.url);
let store: ArchiveStore;

beforeAll(async () => {
	store = ArchiveStore.open(':memory:');
	const summary = await importArchive(store, DATA.pathname);
	expect(summary.failed).toEqual([]);
});
afterAll(() => store?.close());

describe('the stories shipped in data/', () => {
	it('hold one story of every format the archive reads', () => {
		const stories = readdirSync(DATA)
			.filter((name) => !/sqlite/.test(name))
			.map((name) => store.fileHashes().get(name)?.id)
			.map((id) => store.story(id as number));
		expect(new Set(stories.map((s) => s?.format))).toEqual(
			new Set(['plain-text', 'ao3-html', 'epub', 'fanficfare-text', 'markdown']),
		);
	});

	it('show a card with fandom, tags, series and chapters on first run', () => {
		const story = store.storyByTitle('Patrol Notes');
		expect(story).toBeDefined();
		const card = storyCard(story as NonNullable<typeof story>, []);
		const fields = Object.fromEntries((card.embeds?.[0]?.fields ?? []).map((f) => [f.name, f.value]));
		expect(fields.Fandom).toBe('Buffy the Vampire Slayer (TV)');
		expect(fields.Tags).toBe('Friendship, Patrol, Cemeteries');
		expect(fields.Series).toBe('Part 1 of Sunnydale Nights');
		expect(fields.Length).toMatch(/^2\/2 chapters · /);
	});

	it('the EPUB is the one test/fixtures/data-epub.ts builds', () => {
		expect(readFileSync(DATA_EPUB).equals(zip(magicBoxInventoryFiles()))).toBe(true);
	});
});
