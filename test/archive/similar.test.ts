import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importArchive } from '../../src/archive/import.js';
import { computeNeighbours, distinctiveTerms, featuresOf, type StoryFeatures } from '../../src/archive/similar.js';
import { ArchiveStore } from '../../src/archive/store.js';

// ------------------------------------------------------------------------------------------- a generated archive

/** mulberry32: the same archive on every run. */
function rng(seed: number) {
	let state = seed >>> 0;
	const next = () => {
		state = (state + 0x6d2b79f5) | 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return {
		next,
		int: (n: number) => Math.floor(next() * n),
		pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] as T,
	};
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ren', 'tas', 'vo', 'sel', 'dun', 'pra', 'gil', 'or', 'em', 'thu', 'bai', 'nec'];
/** Invented words, so no stop word list or English frequency helps: only the archive's own statistics. */
const VOCABULARY = Array.from({ length: 1500 }, (_, i) => {
	let word = '';
	for (let n = i + 7; word.length < 6 || n > 0; n = Math.floor(n / SYLLABLES.length)) {
		word += SYLLABLES[n % SYLLABLES.length];
	}
	return word;
});
const FANDOMS = ['Buffy the Vampire Slayer', 'Angel', 'Firefly'];
const CAST: Record<string, string[]> = {
	'Buffy the Vampire Slayer': ['Buffy', 'Willow', 'Xander', 'Giles', 'Spike', 'Tara', 'Anya', 'Dawn'],
	Angel: ['Angel', 'Cordelia', 'Wesley', 'Gunn', 'Fred', 'Lorne', 'Lindsey', 'Darla'],
	Firefly: ['Mal', 'Zoe', 'Wash', 'Inara', 'Jayne', 'Kaylee', 'Simon', 'River'],
};
const TAGS = ['Angst', 'Fluff', 'Hurt/Comfort', 'Humor', 'Case Fic', 'Road Trip', 'Slow Burn', 'Missing Scene'];

interface Spec {
	file: string;
	title: string;
	fandom: string;
	characters: string[];
	tags: string[];
	series?: { name: string; part: number };
	paragraphs: string[];
}

/** A story of a fandom: some of its cast, a few tags, and text of common words with a few of its own repeated. */
function story(r: ReturnType<typeof rng>, index: number, fandom: string, series?: Spec['series']): Spec {
	const cast = CAST[fandom] as string[];
	const characters = [...new Set([r.pick(cast), r.pick(cast), r.pick(cast)])];
	const tags = [...new Set([r.pick(TAGS), r.pick(TAGS)])];
	const own = Array.from({ length: 8 }, () => VOCABULARY[200 + r.int(VOCABULARY.length - 200)] as string);
	const paragraphs = Array.from({ length: 12 }, () => {
		const words = Array.from({ length: 40 }, () => {
			const roll = r.next();
			if (roll < 0.08) return r.pick(characters);
			if (roll < 0.2) return r.pick(own);
			// Zipf-like: the first words of the vocabulary are in every story.
			return VOCABULARY[Math.floor(VOCABULARY.length * r.next() ** 3)] as string;
		});
		return `${words.join(' ')}.`;
	});
	return {
		file: `story-${String(index).padStart(3, '0')}.md`,
		title: `Story ${index}`,
		fandom,
		characters,
		tags,
		...(series ? { series } : {}),
		paragraphs,
	};
}

function markdown(s: Spec): string {
	const lines = [
		'---',
		`title: ${s.title}`,
		`author: Writer ${s.file.slice(6, 9)}`,
		'rating: General Audiences',
		`fandom: ${s.fandom}`,
		`characters: [${s.characters.join(', ')}]`,
		`tags: [${s.tags.join(', ')}]`,
		...(s.series ? ['series:', `  name: ${s.series.name}`, `  part: ${s.series.part}`] : []),
		'---',
		'',
		s.paragraphs.join('\n\n'),
		'',
	];
	return lines.join('\n');
}

/**
 * 60 stories over three fandoms; among them a series of three (stories 10–12, same fandom, otherwise drawn like the
 * rest) and two near-duplicates (story 31 is story 30 with two paragraphs rewritten and another title).
 */
function generate(): Spec[] {
	const r = rng(23);
	const specs: Spec[] = [];
	for (let i = 0; i < 60; i++) {
		const fandom = FANDOMS[i % 3] as string;
		const series = i >= 10 && i <= 12 ? { name: 'The Long Road Home', part: i - 9 } : undefined;
		specs.push(story(r, i, i >= 10 && i <= 12 ? 'Angel' : fandom, series));
	}
	const original = specs[30] as Spec;
	const rewritten = story(r, 31, original.fandom).paragraphs;
	specs[31] = {
		...original,
		file: 'story-031.md',
		title: 'Story 31',
		paragraphs: original.paragraphs.map((p, i) => (i === 3 || i === 7 ? (rewritten[i] as string) : p)),
	};
	return specs;
}

let root: string;
let dir: string;
const stores: ArchiveStore[] = [];
const open = (name: string) => {
	const store = ArchiveStore.open(join(root, name));
	stores.push(store);
	return store;
};
const write = (s: Spec) => writeFileSync(join(dir, s.file), markdown(s));

beforeEach(() => {
	root = mkdtempSync(join(tmpdir(), 'fic-archive-similar-'));
	dir = join(root, 'stories');
	mkdirSync(dir);
});
afterEach(() => {
	for (const store of stores.splice(0)) store.close();
	rmSync(root, { recursive: true, force: true });
});

/** Every story's list by file path (ids differ between stores), with scores. */
function listsByPath(store: ArchiveStore): Record<string, string[]> {
	const paths = new Map([...store.fileHashes()].map(([path, { id }]) => [id, path]));
	const lists: Record<string, string[]> = {};
	for (const [path, { id }] of store.fileHashes()) {
		lists[path] = store
			.similar(id)
			.map((s) => ({ path: paths.get(s.id) as string, score: s.score }))
			// Equal scores are ordered by id, and ids follow the order files were added in: compare by path.
			.sort((a, b) => b.score - a.score || a.path.localeCompare(b.path))
			.map((s) => `${s.path} ${s.score}`);
	}
	return lists;
}

/** What a fresh import of the folder as it is now finds. */
async function fresh(name: string): Promise<Record<string, string[]>> {
	const store = open(name);
	await importArchive(store, dir, { workers: 0 });
	return listsByPath(store);
}

const first = (lists: Record<string, string[]>, path: string) => lists[path]?.map((line) => line.split(' ')[0]);

// ------------------------------------------------------------------------------------------- tests

describe('More like this', () => {
	it('ranks near-duplicates and the stories of one series first (known answer)', async () => {
		const specs = generate();
		for (const s of specs) write(s);
		const store = open('archive.sqlite');
		const summary = await importArchive(store, dir, { workers: 0 });
		expect(summary.failed).toEqual([]);
		const lists = listsByPath(store);
		// The near-duplicates: each is the other's nearest.
		expect(first(lists, 'story-030.md')?.[0]).toBe('story-031.md');
		expect(first(lists, 'story-031.md')?.[0]).toBe('story-030.md');
		// The series: each part's two nearest are the other two parts.
		const series = ['story-010.md', 'story-011.md', 'story-012.md'];
		for (const part of series) {
			expect(new Set(first(lists, part)?.slice(0, 2)), part).toEqual(new Set(series.filter((p) => p !== part)));
		}
		// Every story has a list, of at most five other stories, best first.
		const id = store.fileHashes().get('story-030.md')?.id as number;
		const near = store.similar(id);
		expect(near.length).toBeGreaterThan(0);
		expect(near.length).toBeLessThanOrEqual(5);
		expect(near.map((s) => s.id)).not.toContain(id);
		expect(near.map((s) => s.score)).toEqual([...near.map((s) => s.score)].sort((a, b) => b - a));
		// Why: the near-duplicate shares its fandom, characters, tags and words, named as the story names them.
		const twin = near[0];
		expect(twin?.title).toBe('Story 31');
		expect(twin?.shared.fandoms).toEqual([specs[30]?.fandom]);
		expect(twin?.shared.words?.length).toBeGreaterThan(0);
		expect(new Set(twin?.shared.characters)).toEqual(new Set(specs[30]?.characters.slice(0, 4)));
		const part = store.similar(store.fileHashes().get('story-011.md')?.id as number)[0];
		expect(part?.shared.series).toEqual(['The Long Road Home']);
	});

	it('keeps every list right when stories are added, changed and removed', async () => {
		const specs = generate();
		// Without the second near-duplicate and the series' last part at first.
		for (const s of specs) if (s.file !== 'story-031.md' && s.file !== 'story-012.md') write(s);
		const store = open('archive.sqlite');
		await importArchive(store, dir, { workers: 0 });
		expect(first(listsByPath(store), 'story-030.md')?.[0]).not.toBe('story-031.md');
		expect(listsByPath(store)).toEqual(await fresh('fresh-1.sqlite'));

		// Added: both now are the nearest of the stories they belong with.
		write(specs[31] as Spec);
		write(specs[12] as Spec);
		expect(await importArchive(store, dir, { workers: 0 })).toMatchObject({ added: 2 });
		let lists = listsByPath(store);
		expect(first(lists, 'story-030.md')?.[0]).toBe('story-031.md');
		expect(first(lists, 'story-010.md')?.slice(0, 2)).toContain('story-012.md');
		expect(lists).toEqual(await fresh('fresh-2.sqlite'));

		// Changed: the near-duplicate is rewritten as another fandom's story and is no longer near.
		const r = rng(99);
		write({ ...story(r, 31, 'Firefly'), file: 'story-031.md', title: 'Story 31, rewritten' });
		expect(await importArchive(store, dir, { workers: 0 })).toMatchObject({ updated: 1 });
		lists = listsByPath(store);
		expect(first(lists, 'story-030.md')).not.toContain('story-031.md');
		expect(lists).toEqual(await fresh('fresh-3.sqlite'));

		// Removed (with --prune): a series part is gone from every list.
		rmSync(join(dir, 'story-011.md'));
		expect(await importArchive(store, dir, { workers: 0, prune: true })).toMatchObject({ removed: 1 });
		lists = listsByPath(store);
		expect(Object.values(lists).flat().join('\n')).not.toContain('story-011.md');
		expect(first(lists, 'story-010.md')?.[0]).toBe('story-012.md');
		expect(lists).toEqual(await fresh('fresh-4.sqlite'));
		const stored = store.db.prepare('SELECT count(*) FROM story_features').pluck().get();
		expect(stored).toBe(store.fileHashes().size);
	});

	it('finds the same lists when stories are parsed in worker threads', async () => {
		for (const s of generate().slice(0, 20)) write(s);
		const inline = open('inline.sqlite');
		await importArchive(inline, dir, { workers: 0 });
		const threaded = open('threaded.sqlite');
		await importArchive(threaded, dir, { workers: 1 });
		expect(listsByPath(threaded)).toEqual(listsByPath(inline));
		expect(Object.values(listsByPath(inline)).flat().length).toBeGreaterThan(0);
	});
});

describe('features and scores', () => {
	it('keeps a story’s most frequent words, not function words, and samples long texts', () => {
		const terms = distinctiveTerms('The lighthouse keeper and the lighthouse. THE LIGHTHOUSE! keeper was there, ok');
		expect(terms).toEqual([
			['lighthouse', 3],
			['keeper', 2],
		]);
		const long = `${'harbour '.repeat(50_000)}${'beacon '.repeat(50_000)}`;
		const sampled = distinctiveTerms(long);
		expect(sampled.map(([w]) => w)).toEqual(['beacon', 'harbour']);
		expect((sampled[0]?.[1] ?? 0) + (sampled[1]?.[1] ?? 0)).toBeLessThan(40_000);
	});

	it('takes tags, relationships in any order and characters, and leaves names out of the words', () => {
		const features = featuresOf({
			meta: {
				title: 'x',
				author: null,
				rating: 'General',
				ratingText: null,
				date: null,
				declaredWords: null,
				notes: [],
				extra: {},
				fandom: 'Angel, Buffy',
				pairing: 'Spike/Buffy',
				characterTags: ['Spike'],
				additionalTags: ['Angst', 'angst'],
				series: { name: 'Arc', part: 2 },
			},
			characters: [
				{ name: 'Spike', count: 9 },
				{ name: 'Buffy', count: 4 },
				{ name: 'Passerby', count: 1 },
			],
			pages: [],
			terms: [
				['spike', 9],
				['crypt', 3],
			],
		});
		expect(features).toEqual({
			series: [['Arc', 1]],
			fandoms: [
				['Angel', 1],
				['Buffy', 1],
			],
			relationships: [['Spike/Buffy', 1]],
			characters: [
				['Spike', 9],
				['Buffy', 4],
			],
			tags: [['Angst', 1]],
			words: [['crypt', 3]],
		} satisfies StoryFeatures);
		// "Buffy/Spike" and "Spike/Buffy" are one relationship.
		const a: StoryFeatures = { relationships: [['Spike/Buffy', 1]] };
		const b: StoryFeatures = { relationships: [['Buffy / Spike', 1]] };
		const near = computeNeighbours([
			{ id: 1, features: a },
			{ id: 2, features: b },
		]);
		expect(near.get(1)?.[0]).toMatchObject({ id: 2, shared: { relationships: ['Spike/Buffy'] } });
	});

	it('leaves out features too common to tell stories apart, and reads at most the capped postings', () => {
		// 200 stories share "everywhere"; pairs share a word of their own.
		const stories = Array.from({ length: 200 }, (_, i) => ({
			id: i + 1,
			features: {
				words: [
					['everywhere', 5],
					[`pair${Math.floor(i / 2)}`, 2],
				],
			} as StoryFeatures,
		}));
		const near = computeNeighbours(stories, { commonShare: 0.5, commonFloor: 10 });
		for (const [id, list] of near) {
			expect(list.map((n) => n.id)).toEqual([id % 2 ? id + 1 : id - 1]);
		}
		// Kept (the floor is above 200), the common word links everyone, but each story reads at most 20 postings.
		const capped = computeNeighbours(stories, { commonFloor: 1000, postings: 20, minScore: 0 });
		expect(capped.get(1)?.length).toBe(5);
		expect(capped.get(1)?.[0]?.id).toBe(2);
		expect(capped.get(1)?.[0]?.shared.words).toEqual(['pair0', 'everywhere']);
	});
});
