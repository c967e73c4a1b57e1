import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Archive, close, samples } from './archives.js';

describe("a story's best page for a word", () => {
	let archive: Archive;
	beforeAll(async () => {
		archive = await samples();
	});
	afterAll(() => close(archive));

	/** Mentions of a word per 2,000 characters of a page. */
	const density = (text: string, word: string) =>
		(text.toLowerCase().match(new RegExp(`\\b${word}`, 'g'))?.length ?? 0) / (1 + text.length / 2000);

	it('is a page where the word is frequent, also when the stem is not how the word is spelled ("buffy": "buffi")', () => {
		const leaving = archive.store.fileHashes().get('leaving.txt')?.id as number;
		for (const word of ['buffy', 'spike']) {
			const pages = archive.search.pagesOf(leaving, word);
			expect(pages.length).toBeGreaterThan(2);
			const densities = pages.map((p) => density(archive.store.page(leaving, p.page)?.text ?? '', word));
			// The first listed is among the densest (scores count repeats only up to a point).
			expect(densities[0], word).toBeGreaterThanOrEqual(Math.max(...densities) * 0.8);
			expect(densities[0], word).toBeGreaterThan(densities.at(-1) as number);
		}
	});
});
