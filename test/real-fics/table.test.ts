// Every real file reads as it says it is: title, author, rating, chapters, and words within 5 %.
import { describe, expect, it } from 'vitest';
import { parseStory } from '../../src/archive/parse/index.js';
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
