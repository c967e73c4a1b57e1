import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveSearch } from '../../../src/archive/search.js';
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

	it('for a name on most pages, is the page where the character is mentioned most, found at import', () => {
		// Every word counts as frequent here, so a query of names ranks stories by their characters.
		const names = new ArchiveSearch(archive.store, { frequentPages: 1 });
		try {
			const busiest = archive.store.db.prepare('SELECT page FROM characters WHERE story_id = ? AND name = ?').pluck();
			const { hits } = names.search('spike', { limit: 1 });
			const top = hits[0];
			expect(top).toBeDefined();
			if (!top) return;
			expect(top.page).toBe(busiest.get(top.storyId, 'Spike'));
			const densities = Array.from({ length: archive.store.story(top.storyId)?.pageCount ?? 0 }, (_, i) =>
				density(archive.store.page(top.storyId, i + 1)?.text ?? '', 'spike'),
			);
			expect(density(archive.store.page(top.storyId, top.page)?.text ?? '', 'spike')).toBe(Math.max(...densities));
			expect(top.snippet).toMatch(/\*\*Spike\*\*/);

			// Two names: a page that holds both.
			for (const hit of names.search('buffy spike', { limit: 2 }).hits) {
				const text = archive.store.page(hit.storyId, hit.page)?.text ?? '';
				expect(text).toMatch(/\bBuffy\b/);
				expect(text).toMatch(/\bSpike\b/);
				// The snippet bolds the names, whole, and nothing else.
				const bold = [...hit.snippet.matchAll(/\*\*(.+?)\*\*/g)].map((m) => m[1]);
				expect(bold.length).toBeGreaterThan(0);
				for (const run of bold) expect(run).toMatch(/^(?:Buffy|Spike)(?: (?:Buffy|Spike))*$/i);
			}
		} finally {
			names.close();
		}
	});
});
