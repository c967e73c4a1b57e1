import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Archive, close, open, samples, withSearch, writeStories } from './archives.js';

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
		withSearch(archive, { frequentPages: 1 }, (names) => {
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
		});
	});
});

describe('stories for two names, when the rarer one’s most central stories lack the other', () => {
	// Tara is a character of stories 1–50, most central in story 1; Willow of stories 46–130. Only 46–50, where
	// Tara matters least, have both: none of the first stories read for Tara has Willow.
	let archive: Archive;
	beforeAll(async () => {
		archive = await open(
			writeStories(130, (n) => ({
				title: `Story ${n}`,
				author: `A${n}`,
				paragraphs: [
					`Story ${n} begins on an ordinary morning in an ordinary town, where the weather is grey and nothing much happens for a long while.`,
					`${n <= 50 ? 'Then Tara smiled at the rain. '.repeat(60 - n) : ''}${n >= 46 ? 'Later Willow laughed, and then Willow sat down by the window. ' : ''}The afternoon went on and on, slow and quiet, as afternoons in small towns do.`,
				],
			})),
		);
	});
	afterAll(() => close(archive));

	it('finds the few stories that have both, and only those', () => {
		const { hits, more } = withSearch(archive, { frequentPages: 1 }, (names) =>
			names.search('tara willow', { limit: 2 }),
		);
		expect(hits).toHaveLength(2);
		expect(more).toBe(true);
		const both = new Set([46, 47, 48, 49, 50].map((n) => `Story ${n}`));
		for (const hit of hits) expect(both.has(hit.title), hit.title).toBe(true);
	});
});
