import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../bench/synth.js';
import { importArchive } from '../../src/archive/import.js';
import { ArchiveStore } from '../../src/archive/store.js';

/**
 * A small generated archive of tagged stories (Markdown with front matter, as AO3-minded writers keep them), and
 * what each story was given: tests compute their known answers from `stories`, never from the store.
 */
export interface TaggedStory {
	file: string;
	title: string;
	rating: 'General Audiences' | 'Teen And Up Audiences' | 'Mature' | 'Explicit';
	fandoms: string[];
	relationships: string[];
	characters: string[];
	tags: string[];
	warnings: string[];
	complete: boolean | undefined;
	chapters: number;
}

export const FANDOMS = ['Buffy the Vampire Slayer', 'Angel: the Series', 'Firefly', 'Doctor Who (2005)'];
export const RELATIONSHIPS = [
	'Buffy Summers/Spike',
	'Spike/Buffy Summers',
	'Buffy Summers & Faith Lehane',
	'Willow Rosenberg/Tara Maclay',
	'Angel/Cordelia Chase',
	'Malcolm Reynolds/Inara Serra',
];
export const CHARACTERS = [
	'Buffy Summers',
	'Spike',
	'Faith Lehane',
	'Willow Rosenberg',
	'Tara Maclay',
	'Rupert Giles',
	'Dawn Summers',
	'Malcolm Reynolds',
];
export const TAGS = [
	'Hurt/Comfort',
	'Fluff',
	'Angst',
	'Slow Burn',
	'Post-Canon',
	'Alternate Universe - Coffee Shops & Cafés',
	'Found Family',
	'Enemies to Lovers',
	'Friendship',
	'Banter',
	'Road Trips',
	'Snow',
	'Pining',
	'Canon Divergence',
];
export const WARNINGS = [
	'No Archive Warnings Apply',
	'Graphic Depictions Of Violence',
	'Major Character Death',
	'Creator Chose Not To Use Archive Warnings',
];
const RATINGS = ['General Audiences', 'Teen And Up Audiences', 'Mature', 'Explicit'] as const;
const SENTENCES = [
	'The cemetery was quiet under a thin moon.',
	'She checked the stake in her sleeve twice before the gate.',
	'Somewhere a dog barked and the wind answered it.',
	'He lit a cigarette and watched the road.',
	'They walked back through the park without saying much.',
	'The library smelled of dust and old leather.',
];

/** `count` stories from the seed: tags drawn with skewed odds, so some are common and some rare. */
export function taggedStories(count: number, seed: number): TaggedStory[] {
	const rng = new Rng(seed);
	const some = (list: readonly string[], p: number) => list.filter((_, i) => rng.chance(p / (i + 1)));
	return Array.from({ length: count }, (_, i) => {
		const n = i + 1;
		return {
			file: `tagged-${String(n).padStart(3, '0')}.md`,
			title: `${rng.pick(['Night', 'Dawn', 'Stone', 'River', 'Ash', 'Glass'])} ${rng.pick(['Watch', 'Song', 'Road', 'Ledger'])} ${n}`,
			rating: rng.pick(RATINGS),
			fandoms: some(FANDOMS, 0.9),
			relationships: some(RELATIONSHIPS, 0.6),
			characters: some(CHARACTERS, 0.8),
			tags: some(TAGS, 0.9),
			warnings: some(WARNINGS, 0.8),
			complete: rng.chance(0.2) ? undefined : rng.chance(0.7),
			chapters: rng.range(1, 4),
		};
	});
}

const yamlList = (items: readonly string[]) => `[${items.map((t) => JSON.stringify(t)).join(', ')}]`;

/** A story's file: front matter with its tags, then `chapters` chapters of `7 × n` sentences each. */
export function taggedFile(story: TaggedStory, n: number): string {
	const front = [
		'---',
		`title: ${JSON.stringify(story.title)}`,
		'author: Tag Writer',
		`rating: ${story.rating}`,
		...(story.fandoms.length ? [`fandom: ${yamlList(story.fandoms)}`] : []),
		...(story.relationships.length ? [`relationships: ${yamlList(story.relationships)}`] : []),
		...(story.characters.length ? [`characters: ${yamlList(story.characters)}`] : []),
		...(story.tags.length ? [`tags: ${yamlList(story.tags)}`] : []),
		...(story.warnings.length ? [`warnings: ${yamlList(story.warnings)}`] : []),
		...(story.complete === undefined ? [] : [`complete: ${story.complete}`]),
		'---',
		'',
		`# ${story.title}`,
		'',
	];
	const chapters = Array.from({ length: story.chapters }, (_, c) => {
		const text = Array.from({ length: 7 * n }, (_, k) => SENTENCES[(k + c) % SENTENCES.length]).join(' ');
		return `## Part ${c + 1}\n\n${text}\n`;
	});
	return `${front.join('\n')}\n${chapters.join('\n')}`;
}

export interface TaggedArchive {
	dir: string;
	store: ArchiveStore;
	stories: TaggedStory[];
	/** The stored id of a generated story. */
	id(story: TaggedStory): number;
}

export async function openTagged(count = 40, seed = 7): Promise<TaggedArchive> {
	const dir = mkdtempSync(join(tmpdir(), 'fic-archive-tagged-'));
	const stories = taggedStories(count, seed);
	stories.forEach((story, i) => {
		writeFileSync(join(dir, story.file), taggedFile(story, i + 1));
	});
	const store = ArchiveStore.open(':memory:');
	const summary = await importArchive(store, dir);
	if (summary.failed.length) throw new Error(`tagged archive failed: ${JSON.stringify(summary.failed)}`);
	const ids = store.fileHashes();
	return { dir, store, stories, id: (story) => ids.get(story.file)?.id as number };
}

export function closeTagged(archive: TaggedArchive | undefined): void {
	archive?.store.close();
	if (archive) rmSync(archive.dir, { recursive: true, force: true });
}
