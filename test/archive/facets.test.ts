import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseLead, type FacetKind, facetKey, type StoryConditions, storyFacets } from '../../src/archive/facets.js';
import { importArchive } from '../../src/archive/import.js';
import { emptyMeta } from '../../src/archive/parse/source.js';
import type { Rating } from '../../src/archive/types.js';
import { closeTagged, openTagged, type TaggedArchive, type TaggedStory, taggedFile } from './tagged-archive.js';

describe('facet keys', () => {
	it('one key for spellings that differ in case, accents and punctuation', () => {
		expect(facetKey('fandom', 'Buffy the Vampire Slayer (TV)')).toBe(
			facetKey('fandom', 'buffy  the vampire slayer tv'),
		);
		expect(facetKey('tag', 'Alternate Universe - Cafés')).toBe(facetKey('tag', 'alternate universe cafes'));
		expect(facetKey('character', 'Rupert Giles')).not.toBe(facetKey('character', 'Rupert'));
	});

	it('one key for a relationship’s people in either order; romantic and friendship stay two', () => {
		expect(facetKey('relationship', 'Spike/Buffy Summers')).toBe(facetKey('relationship', 'Buffy Summers / Spike'));
		expect(facetKey('relationship', 'Buffy Summers & Faith Lehane')).toBe(
			facetKey('relationship', 'faith lehane&buffy summers'),
		);
		expect(facetKey('relationship', 'Buffy Summers/Faith Lehane')).not.toBe(
			facetKey('relationship', 'Buffy Summers & Faith Lehane'),
		);
		// Only relationships are read as people: a tag with a slash is one tag.
		expect(facetKey('tag', 'Hurt/Comfort')).toBe('hurt comfort');
	});

	it('reads a header’s comma lists where a source has no tag lists', () => {
		const meta = {
			...emptyMeta('t'),
			fandom: 'BtVS, Angel',
			pairing: 'Spike/Buffy; Xander/Anya',
			warnings: 'violence, character death',
		};
		const facets = storyFacets(meta).map((f) => `${f.kind}:${f.value}`);
		expect(facets).toEqual([
			'fandom:BtVS',
			'fandom:Angel',
			'relationship:Spike/Buffy',
			'relationship:Xander/Anya',
			'warning:violence',
			'warning:character death',
		]);
	});
});

/** The generated stories' tags of a kind, as the store should key them. */
const keysOf = (story: TaggedStory, kind: FacetKind): string[] => {
	const list = {
		fandom: story.fandoms,
		relationship: story.relationships,
		character: story.characters,
		tag: story.tags,
		warning: story.warnings,
	}[kind];
	return [...new Set(list.map((v) => facetKey(kind, v)))];
};
const RATING_OF: Record<TaggedStory['rating'], Rating> = {
	'General Audiences': 'General',
	'Teen And Up Audiences': 'Teen',
	Mature: 'Mature',
	Explicit: 'Explicit',
};

describe('the store’s facets', () => {
	let archive: TaggedArchive;
	beforeAll(async () => {
		archive = await openTagged(60, 11);
	});
	afterAll(() => closeTagged(archive));

	/** Counts of each key of a kind among the generated stories of the given ratings. */
	function expectedCounts(kind: FacetKind, ratings?: Rating[]): Map<string, number> {
		const counts = new Map<string, number>();
		for (const story of archive.stories) {
			if (ratings && !ratings.includes(RATING_OF[story.rating])) continue;
			for (const key of keysOf(story, kind)) counts.set(key, (counts.get(key) ?? 0) + 1);
		}
		return counts;
	}

	it('counts every tag’s stories, most used first, for every kind', () => {
		for (const kind of ['fandom', 'relationship', 'character', 'tag', 'warning'] as const) {
			const expected = expectedCounts(kind);
			const values = archive.store.facetValues(kind, { limit: 100 });
			expect(new Map(values.map((v) => [v.key, v.stories])), kind).toEqual(expected);
			const counts = values.map((v) => v.stories);
			expect(counts, kind).toEqual([...counts].sort((a, b) => b - a));
		}
	});

	it('counts only the stories of the ratings a channel may show', () => {
		const ratings: Rating[] = ['General', 'Teen'];
		const values = archive.store.facetValues('fandom', { ratings, limit: 100 });
		expect(new Map(values.map((v) => [v.key, v.stories]))).toEqual(expectedCounts('fandom', ratings));
		// A tag that only Explicit stories carry is not listed at all.
		const explicitOnly = [...expectedCounts('tag', ['Explicit']).keys()].filter(
			(key) => !expectedCounts('tag', ['General', 'Teen', 'Mature', 'Not Rated']).has(key),
		);
		const shown = new Set(archive.store.facetValues('tag', { ratings, limit: 100 }).map((v) => v.key));
		for (const key of explicitOnly) expect(shown.has(key)).toBe(false);
		expect(archive.store.facetValues('tag', { ratings: [] })).toEqual([]);
	});

	it('spells a merged relationship as most of its stories do', () => {
		const key = facetKey('relationship', 'Buffy Summers/Spike');
		const spellings = new Map<string, number>();
		for (const story of archive.stories)
			for (const r of story.relationships)
				if (facetKey('relationship', r) === key) spellings.set(r, (spellings.get(r) ?? 0) + 1);
		expect(spellings.size).toBe(2);
		const top = [...spellings].sort((a, b) => b[1] - a[1])[0]?.[0];
		expect(archive.store.facetValue('relationship', key)?.value).toBe(top);
	});

	it('matches what is typed to the start of a tag’s words, any word, accents aside', () => {
		const typed = (kind: FacetKind, text: string) =>
			archive.store.facetValues(kind, { typed: text, limit: 100 }).map((v) => v.value);
		expect(typed('fandom', 'vamp sl')).toEqual(['Buffy the Vampire Slayer']);
		expect(typed('fandom', 'BUFFY')).toEqual(['Buffy the Vampire Slayer']);
		expect(typed('tag', 'cafe')).toEqual(['Alternate Universe - Coffee Shops & Cafés']);
		expect(typed('character', 'summers').sort()).toEqual(['Buffy Summers', 'Dawn Summers']);
		expect(typed('character', 'mmers')).toEqual([]);
		expect(typed('fandom', '100%_')).toEqual([]);
	});

	/** The generated stories meeting a test, in title order (case aside), as ids. */
	const expectedStories = (test: (story: TaggedStory) => boolean) =>
		archive.stories
			.filter(test)
			.map((story) => ({ id: archive.id(story), title: story.title.toLowerCase() }))
			.sort((a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : a.id - b.id))
			.map((s) => s.id);

	const has = (kind: FacetKind, value: string) => (story: TaggedStory) =>
		keysOf(story, kind).includes(facetKey(kind, value));

	/** Every story the conditions list, page after page, as led by a part or (few -1) a walk along the titles. */
	function listed(conditions: StoryConditions, few?: number): number[] {
		const ids: number[] = [];
		for (let offset = 0; ; offset += 7) {
			const page = archive.store.storiesWhere(conditions, { limit: 7, offset }, few);
			ids.push(...page);
			if (page.length < 7) return ids;
		}
	}

	const wordsOf = (story: TaggedStory) => archive.store.story(archive.id(story))?.words ?? 0;
	const cases: [string, StoryConditions, (story: TaggedStory) => boolean][] = [
		['a fandom', { facets: [{ kind: 'fandom', keys: [facetKey('fandom', 'Firefly')] }] }, has('fandom', 'Firefly')],
		[
			'either of two relationships',
			{
				facets: [
					{
						kind: 'relationship',
						keys: [facetKey('relationship', 'Spike/Buffy Summers'), facetKey('relationship', 'Angel/Cordelia Chase')],
					},
				],
			},
			(s) => has('relationship', 'Spike/Buffy Summers')(s) || has('relationship', 'Angel/Cordelia Chase')(s),
		],
		[
			'a character and a tag, without a warning',
			{
				facets: [
					{ kind: 'character', keys: [facetKey('character', 'Spike')] },
					{ kind: 'tag', keys: [facetKey('tag', 'Angst')] },
				],
				without: [{ kind: 'warning', keys: [facetKey('warning', 'Major Character Death')] }],
			},
			(s) => has('character', 'Spike')(s) && has('tag', 'Angst')(s) && !has('warning', 'Major Character Death')(s),
		],
		['complete', { complete: true }, (s) => s.complete === true],
		['in progress', { complete: false }, (s) => s.complete === false],
		['chapters', { chapters: [{ op: '>=', value: 3 }] }, (s) => s.chapters >= 3],
		[
			'a length range, of some ratings',
			{
				words: [
					{ op: '>', value: 2000 },
					{ op: '<=', value: 6000 },
				],
				ratings: ['General', 'Teen'],
			},
			(s) => wordsOf(s) > 2000 && wordsOf(s) <= 6000 && ['General', 'Teen'].includes(RATING_OF[s.rating]),
		],
		['an unknown tag', { facets: [{ kind: 'fandom', keys: ['no such fandom'] }] }, () => false],
		['no keys at all', { facets: [{ kind: 'fandom', keys: [] }] }, () => false],
	];

	for (const [name, conditions, test] of cases) {
		it(`lists the stories of ${name} in title order, led by a few or walking the titles`, () => {
			const expected = expectedStories(test);
			if (!name.includes('unknown') && !name.includes('no keys')) expect(expected.length, name).toBeGreaterThan(1);
			expect(listed(conditions)).toEqual(expected);
			expect(listed(conditions, -1)).toEqual(expected);
		});
	}

	it('leads a listing with the part naming fewest stories, or walks the titles when the parts are common', () => {
		const firefly = { kind: 'fandom' as const, keys: [facetKey('fandom', 'Firefly')] };
		const buffy = { kind: 'fandom' as const, keys: [facetKey('fandom', 'Buffy the Vampire Slayer')] };
		const store = archive.store;
		expect(store.listingOf({ facets: [firefly], words: [{ op: '>', value: 0 }] }, 6).source).toBe(
			'stories NOT INDEXED',
		);
		expect(store.listingOf({ facets: [buffy], chapters: [{ op: '>=', value: 4 }] }, 6).source).toBe(
			'stories INDEXED BY stories_chapters',
		);
		expect(store.listingOf({ complete: false }, 6).source).toBe('stories INDEXED BY stories_complete');
		// Common parts, few taken as none: a walk along the titles finds a page sooner than reading a part's stories.
		expect(store.listingOf({ facets: [buffy] }, 6, 0).source).toBe('stories INDEXED BY stories_listing');
		// Checked, not listed (a search with words): a tag leads as a set only when few carry it.
		expect(store.listingOf({ facets: [firefly] }, 0)).toMatchObject({ few: true, source: 'stories NOT INDEXED' });
		expect(store.listingOf({ facets: [firefly] }, 0, 0)).toMatchObject({ few: false });
	});

	it('chooses a lead as the cost model says', () => {
		const leads = [
			{ stories: 3000, facet: 0 },
			{ stories: 9000, index: 'stories_words' },
		];
		// Few enough on its own.
		expect(chooseLead(leads, 0.5, 6, 5000)).toBe(leads[0]);
		// 3,000 stories read against a walk of 6 / 0.001 = 6,000 titles (18,000 counted thrice): lead.
		expect(chooseLead(leads, 0.001, 6, 2000)).toBe(leads[0]);
		// Against 6 / 0.01 = 600 titles (1,800): walk.
		expect(chooseLead(leads, 0.01, 6, 2000)).toBeNull();
		// Against a walk of 6 / 0.5 = 12 titles: walk.
		expect(chooseLead(leads, 0.5, 6, 2000)).toBeNull();
		expect(chooseLead([], 1, 6, 2000)).toBeNull();
		// Nothing meets every part: any lead beats walking every title.
		expect(chooseLead(leads, 0, 6, 0)).toBe(leads[0]);
	});

	it('follows a story whose tags change on the next import, and one removed', async () => {
		const story = archive.stories[0] as TaggedStory;
		const changed: TaggedStory = { ...story, fandoms: ['Farscape'], complete: false };
		writeFileSync(join(archive.dir, story.file), taggedFile(changed, 1));
		const gone = archive.stories[1] as TaggedStory;
		const goneId = archive.id(gone);
		rmSync(join(archive.dir, gone.file));
		await importArchive(archive.store, archive.dir, { prune: true });
		const id = archive.id(story);
		expect(archive.store.storiesWhere({ facets: [{ kind: 'fandom', keys: ['farscape'] }] }, { limit: 5 })).toEqual([
			id,
		]);
		expect(archive.store.facetValue('fandom', 'farscape')?.stories).toBe(1);
		expect(archive.store.storiesWhere({ complete: false }, { limit: 100 })).toContain(id);
		const rows = archive.store.db.prepare('SELECT count(*) FROM story_facets WHERE story_id = ?').pluck();
		expect(rows.get(goneId)).toBe(0);
		expect(rows.get(id)).toBe(storyFacets(archive.store.story(id)?.meta ?? emptyMeta()).length);
	});
});
