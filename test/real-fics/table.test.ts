// Every real file reads as it says it is: title, author, rating, chapters, and words within 5 %.
import { describe, expect, it } from 'vitest';
import { parseStory } from '../../src/archive/parse/index.js';
import type { Character } from '../../src/archive/types.js';
import { HAVE_REAL_FICS, REAL_FICS_NOTE, readRealFic, TRUTH } from './files.js';

if (!HAVE_REAL_FICS) console.warn(REAL_FICS_NOTE);

describe.skipIf(!HAVE_REAL_FICS)('real files read as they say they are', () => {
	it.each(TRUTH.map((t) => [t.file, t] as const))('%s', async (file, truth) => {
		const story = await parseStory(file, readRealFic(file), { pageSize: 1800, maxFileBytes: 50 * 1024 * 1024 });
		expect(story.meta.title).toBe(truth.title);
		expect([truth.author, ...(truth.authorAlso ?? [])]).toContain(story.meta.author);
		expect(story.meta.rating).toBe(truth.rating);
		const [least, most] = Array.isArray(truth.chapters) ? truth.chapters : [truth.chapters, truth.chapters];
		expect(story.chapters.length).toBeGreaterThanOrEqual(least);
		expect(story.chapters.length).toBeLessThanOrEqual(most);
		if (truth.wordsDeclared) {
			// One chapter of a longer work: the file declares the whole work's words, and its text holds fewer.
			expect(story.meta.declaredWords).toBe(truth.words);
			expect(story.words).toBeLessThan(truth.words);
		} else {
			expect(Math.abs(story.words - truth.words) / truth.words).toBeLessThanOrEqual(0.05);
		}
	});
});

/** Plain-text files: characters found in the text, with names each must hold and titles, ranks and times it must not. */
const CHARACTERS: { file: string; has: string[]; not: string[] }[] = [
	{
		file: 'txt-asterisk-box_xfiles_partners_marie-miller.txt',
		has: ['Mulder', 'Scully', 'Skinner'],
		not: ['Agent', 'AM'],
	},
	{ file: 'txt-disclaimer-first_xfiles_angel_sarah-stegall.txt', has: ['Mulder', 'Scully', 'Dana'], not: ['Agent'] },
	{
		file: 'txt-email-headers_startrek_cadet-cruise_chapters.txt',
		has: ['Picard', 'Marrissa', 'Lochard', 'Jean', 'Luc'],
		not: ['Captain', 'Cadet', 'Admiral', 'Commander', 'Officer', 'Ensign', 'Doctor'],
	},
	{
		file: 'txt-usenet-repost_startrek_no-escape-from-reality_parts.txt',
		has: ['Sam', 'Al', 'Picard', 'Data'],
		not: ['AM', 'IS', 'BE', 'DO', "HE'S", 'Doctor', 'Chief', 'Officer'],
	},
	{ file: 'md-frontmatter_hp-nephilim_chapter01_luke-schierer.md', has: ['Harry', 'Petunia'], not: ['Aunt', 'Uncle'] },
	{ file: 'md-ffnet-style_ace-iverson-fabric-of-fate_aci100.md', has: ['Ace', 'Cato'], not: ['AM', 'PM'] },
];

describe.skipIf(!HAVE_REAL_FICS)('real files’ characters', () => {
	it.each(CHARACTERS.map((c) => [c.file, c] as const))('%s', async (file, { has, not }) => {
		const story = await parseStory(file, readRealFic(file), { pageSize: 1800, maxFileBytes: 50 * 1024 * 1024 });
		const names = story.characters.map((c: Character) => c.name);
		expect(names).toEqual(expect.arrayContaining(has));
		for (const word of not) expect(names).not.toContain(word);
	});
});
