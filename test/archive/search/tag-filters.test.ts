import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FacetKind, facetKey } from '../../../src/archive/facets.js';
import { ArchiveSearch } from '../../../src/archive/search/index.js';
import type { Rating } from '../../../src/archive/types.js';
import { closeTagged, openTagged, type TaggedArchive, type TaggedStory } from '../tagged-archive.js';
import { type Archive, close, open } from './archives.js';

/**
 * The tag, length and completion filters through ArchiveSearch, on a generated archive of tagged stories: every
 * answer is computed from what the generator gave each story.
 */
let archive: TaggedArchive;
let search: ArchiveSearch;
beforeAll(async () => {
	archive = await openTagged(70, 23);
	search = new ArchiveSearch(archive.store, { lineBudgetMs: 60_000 });
});
afterAll(() => {
	search?.close();
	closeTagged(archive);
});

const RATING_OF: Record<TaggedStory['rating'], Rating> = {
	'General Audiences': 'General',
	'Teen And Up Audiences': 'Teen',
	Mature: 'Mature',
	Explicit: 'Explicit',
};
const listOf = (story: TaggedStory, kind: FacetKind) =>
	({
		fandom: story.fandoms,
		relationship: story.relationships,
		character: story.characters,
		tag: story.tags,
		warning: story.warnings,
	})[kind];
const has = (kind: FacetKind, value: string) => (story: TaggedStory) =>
	listOf(story, kind).some((v) => facetKey(kind, v) === facetKey(kind, value));
const wordsOf = (story: TaggedStory) => archive.store.story(archive.id(story))?.words ?? 0;

/** The generated stories passing a test, in title order, as ids. */
const expected = (test: (story: TaggedStory) => boolean) =>
	archive.stories
		.filter(test)
		.map((s) => ({ id: archive.id(s), title: s.title.toLowerCase() }))
		.sort((a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : a.id - b.id))
		.map((s) => s.id);

/** Every story a query lists, page after page, and the first page's notes. */
function listed(query: string): { ids: number[]; notes: string[] } {
	const ids: number[] = [];
	let notes: string[] | undefined;
	for (let offset = 0; ; offset += 25) {
		const results = search.search(query, { limit: 25, offset });
		notes ??= results.notes;
		ids.push(...results.hits.map((h) => h.storyId));
		if (!results.more) return { ids, notes };
	}
}

describe('tag filters alone list stories in title order', () => {
	const cases: [string, (story: TaggedStory) => boolean][] = [
		['fandom:firefly', has('fandom', 'Firefly')],
		['fandom:"Buffy the Vampire Slayer"', has('fandom', 'Buffy the Vampire Slayer')],
		// Either spelling of one ship, typed in a third.
		['ship:"spike / buffy summers"', has('relationship', 'Buffy Summers/Spike')],
		['relationship:"Willow Rosenberg/Tara Maclay"', has('relationship', 'Willow Rosenberg/Tara Maclay')],
		[
			'tag:angst -warning:"major character death"',
			(s) => has('tag', 'Angst')(s) && !has('warning', 'Major Character Death')(s),
		],
		[
			'warning:"graphic depictions of violence" tag:fluff',
			(s) => has('warning', 'Graphic Depictions Of Violence')(s) && has('tag', 'Fluff')(s),
		],
		['tag:angst tag:fluff', (s) => has('tag', 'Angst')(s) && has('tag', 'Fluff')(s)],
		[
			'-fandom:"buffy the vampire slayer" complete:yes',
			(s) => !has('fandom', 'Buffy the Vampire Slayer')(s) && s.complete === true,
		],
		['complete:no', (s) => s.complete === false],
		['chapters:>=3', (s) => s.chapters >= 3],
		['chapters:1 words:>2000', (s) => s.chapters === 1 && wordsOf(s) > 2000],
		['words:<=1.5k', (s) => wordsOf(s) <= 1500],
		[
			'fandom:firefly rating:<=teen',
			(s) => has('fandom', 'Firefly')(s) && ['General', 'Teen'].includes(RATING_OF[s.rating]),
		],
		['character:"dawn summers" author:"tag writer"', has('character', 'Dawn Summers')],
	];
	for (const [query, test] of cases) {
		it(query, () => {
			const want = expected(test);
			expect(want.length, query).toBeGreaterThan(1);
			const { ids, notes } = listed(query);
			expect(ids).toEqual(want);
			expect(notes).toEqual([]);
		});
	}
});

describe('tag filters with words', () => {
	it('narrow a text search to stories with the tag', () => {
		const want = new Set(expected(has('fandom', 'Firefly')));
		// Every generated story says "cemetery"; only Firefly's may be hits.
		const ids = new Set<number>();
		for (let offset = 0; ; offset += 25) {
			const r = search.search('fandom:firefly cemetery', { limit: 25, offset });
			for (const h of r.hits) ids.add(h.storyId);
			if (!r.more) break;
		}
		// A word on every page is ranked on a sample of the archive, which need not hold every story.
		expect(ids.size).toBeGreaterThan(want.size / 2);
		for (const id of ids) expect(want.has(id)).toBe(true);
	});

	it('find every story a narrow filter allows, when the sample of a frequent word holds few of them', () => {
		// One page a window, every word frequent: the sampled ranking, whose windows hold few of a narrow
		// filter's stories; it reads on (or looks the filter's stories up) until it has them.
		const sampling = new ArchiveSearch(archive.store, { lineBudgetMs: 60_000, samplePerWindow: 1, frequentPages: 1 });
		try {
			const counts = new Map<string, number>();
			for (const story of archive.stories) for (const tag of story.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
			const narrow = [...counts].filter(([, n]) => n <= 20).sort((a, b) => a[1] - b[1]);
			expect(narrow.length).toBeGreaterThan(0);
			for (const [tag] of [narrow[0], narrow.at(-1)] as [string, number][]) {
				const want = new Set(expected(has('tag', tag)));
				const r = sampling.search(`cemetery tag:"${tag}"`, { limit: 25 });
				expect(new Set(r.hits.map((h) => h.storyId))).toEqual(want);
			}
		} finally {
			sampling.close();
		}
	});

	it('leave out a warning from a text search', () => {
		const ids = search
			.search('cemetery -warning:"no archive warnings apply"', { limit: 25 })
			.hits.map((h) => h.storyId);
		expect(ids.length).toBeGreaterThan(0);
		const leftOut = new Set(expected(has('warning', 'No Archive Warnings Apply')));
		for (const id of ids) expect(leftOut.has(id)).toBe(false);
	});
});

describe('values that are not a tag as typed', () => {
	it('takes a word for every tag holding it, and says so', () => {
		const { ids, notes } = listed('character:summers');
		expect(ids).toEqual(expected((s) => has('character', 'Buffy Summers')(s) || has('character', 'Dawn Summers')(s)));
		expect(notes).toEqual([]);
		const fandom = listed('fandom:vampire');
		expect(fandom.ids).toEqual(expected(has('fandom', 'Buffy the Vampire Slayer')));
	});

	it('corrects a mistyped tag to the closest, and names it', () => {
		const { ids, notes } = listed('fandom:"bufy the vampire slayr"');
		expect(ids).toEqual(expected(has('fandom', 'Buffy the Vampire Slayer')));
		expect(notes).toEqual(['No fandom “bufy the vampire slayr”; showing fandom “Buffy the Vampire Slayer”.']);
	});

	it('finds nothing for a tag no story has, and says so', () => {
		for (const query of ['fandom:"Stargate Atlantis"', 'tag:zeppelins cemetery', 'fandom:firefly fandom:zeppelins']) {
			const r = search.search(query);
			expect(r.hits, query).toEqual([]);
			expect(
				r.notes.some((n) => /^No story has the (fandom|tag) “/.test(n)),
				query,
			).toBe(true);
		}
		// Leaving out a tag no story has leaves everything in.
		expect(listed('-tag:zeppelins complete:yes').ids).toEqual(expected((s) => s.complete === true));
	});

	it('asks for and leaves out one tag: nothing', () => {
		expect(search.search('tag:angst -tag:angst').hits).toEqual([]);
	});
});

describe('character: keeps its meaning and takes tagged characters too', () => {
	let mixed: Archive;
	beforeAll(async () => {
		mixed = await open((dir) => {
			const said = Array.from({ length: 6 }, (_, i) => `"Not tonight," Dawn said, and shut door ${i + 1}.`).join(
				'\n\n',
			);
			writeFileSync(join(dir, 'named.txt'), `Title: Named In Text\nAuthor: A\n\n${said}\n`);
			writeFileSync(
				join(dir, 'tagged.md'),
				'---\ntitle: Tagged Only\nauthor: B\ncharacters: [Dawn Summers]\n---\n\nThe kitchen was quiet and the kettle was cold.\n',
			);
			writeFileSync(join(dir, 'neither.txt'), 'Title: Neither\nAuthor: C\n\nThe road ran on past the motel.\n');
		});
	});
	afterAll(() => close(mixed));

	const titles = (query: string) => mixed.search.search(query, { limit: 25 }).hits.map((h) => h.title);

	it('a name in the text, or a tagged character holding it', () => {
		expect(
			mixed.store.characters(mixed.store.storyByTitle('Named In Text')?.id as number).map((c) => c.name),
		).toContain('Dawn');
		expect(titles('character:dawn')).toEqual(['Named In Text', 'Tagged Only']);
		expect(titles('character:"dawn summers"')).toEqual(['Tagged Only']);
		expect(titles('character:kettle')).toEqual([]);
	});
});
