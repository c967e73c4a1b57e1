import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	type Archive,
	close,
	numberedStories,
	open,
	samples,
	snippetOf,
	storyNumbered,
	withSearch,
	writeStories,
} from './archives.js';

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
			const listed = archive.store.db.prepare('SELECT pages FROM characters WHERE story_id = ? AND name = ?').pluck();
			const busiest = (storyId: number, name: string) => Number((listed.get(storyId, name) as string).split(' ')[0]);
			const { hits } = names.search('spike', { limit: 1 });
			const top = hits[0];
			expect(top).toBeDefined();
			if (!top) return;
			expect(top.page).toBe(busiest(top.storyId, 'Spike'));
			const densities = Array.from({ length: archive.store.story(top.storyId)?.pageCount ?? 0 }, (_, i) =>
				density(archive.store.page(top.storyId, i + 1)?.text ?? '', 'spike'),
			);
			expect(density(archive.store.page(top.storyId, top.page)?.text ?? '', 'spike')).toBe(Math.max(...densities));
			expect(snippetOf(top)).toMatch(/\*\*Spike\*\*/);

			// Two names: a page that holds both.
			for (const hit of names.search('buffy spike', { limit: 2 }).hits) {
				const text = archive.store.page(hit.storyId, hit.page)?.text ?? '';
				expect(text).toMatch(/\bBuffy\b/);
				expect(text).toMatch(/\bSpike\b/);
				// The snippet bolds the names, whole, and nothing else.
				const bold = [...snippetOf(hit).matchAll(/\*\*(.+?)\*\*/g)].map((m) => m[1]);
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
		archive = await numberedStories(130, (n) => [
			`Story ${n} begins on an ordinary morning in an ordinary town, where the weather is grey and nothing much happens for a long while.`,
			`${n <= 50 ? 'Then Tara smiled at the rain. '.repeat(60 - n) : ''}${n >= 46 ? 'Later Willow laughed, and then Willow sat down by the window. ' : ''}The afternoon went on and on, slow and quiet, as afternoons in small towns do.`,
		]);
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

/** Sentences without names, to make a paragraph as long as a page. */
const filler = (n: number) =>
	' The afternoon went on, slow and quiet, as afternoons in small towns do, and nobody hurried.'.repeat(n);

describe('the page a story opens on for two names', () => {
	// Each name is mentioned most on a page that lacks the other (Tara on page 1, Willow on page 2), then on page 4.
	let archive: Archive;
	beforeAll(async () => {
		archive = await open(
			writeStories(1, () => ({
				title: 'Rain',
				author: 'A',
				paragraphs: [
					`Then Tara smiled, and Tara waited, and Tara sang, and Tara slept.${filler(16)}`,
					`Later Willow read, and Willow wrote, and Willow slept by the window.${filler(16)}`,
					`Later Tara talked to Willow for a while.${filler(16)}`,
					`At last Tara found Willow, and Willow and Tara laughed.${filler(16)}`,
				],
			})),
		);
	});
	afterAll(() => close(archive));

	it('is the first of the rarer name’s pages, most mentions first, that mentions the other too', () => {
		// (Both are on three pages: either may count as the rarer.)
		expect(archive.store.stories()[0]?.pageCount).toBe(4);
		const pagesOf = (name: string) =>
			archive.store.db.prepare('SELECT pages FROM characters WHERE name = ?').pluck().get(name) as string;
		expect(pagesOf('Tara')).toBe('1 4 3');
		expect(pagesOf('Willow')).toBe('2 4 3');
		for (const query of ['tara willow', 'willow tara']) {
			const { hits } = withSearch(archive, { frequentPages: 1 }, (names) => names.search(query, { limit: 1 }));
			expect(hits[0]?.page, query).toBe(4);
			expect(snippetOf(hits[0]), query).toMatch(/\*\*Tara\*\*.*\*\*Willow\*\*/);
		}
	});
});

describe('the page a story found by its title opens on, for names', () => {
	// Story 1 is titled after Angel, who is no character of it, and its summary names Buffy, who is one, most on
	// page 2: it matches both words by title and summary. Stories 2 and 3 have both as characters.
	let archive: Archive;
	beforeAll(async () => {
		archive = await open(
			writeStories(3, (n) =>
				n === 1
					? {
							title: "Angel's Chains",
							author: 'A',
							summary: 'Buffy, after.',
							paragraphs: [
								`Then Buffy walked home alone.${filler(18)}`,
								`Later Buffy read, and Buffy wrote, and Buffy slept by the window.${filler(18)}`,
							],
						}
					: {
							title: `Night ${n}`,
							author: 'B',
							paragraphs: [`Then Buffy met Angel, and Angel smiled at Buffy.${filler(5)}`],
						},
			),
		);
	});
	afterAll(() => close(archive));

	it('is the page of the names that are its characters, with those in bold', () => {
		const { hits } = withSearch(archive, { frequentPages: 1 }, (names) => names.search('buffy angel', { limit: 3 }));
		const titled = hits.find((h) => h.title === "Angel's Chains");
		expect(titled?.page).toBe(2);
		expect(snippetOf(titled)).toMatch(/\*\*Buffy\*\*/);
		expect(snippetOf(titled)).not.toMatch(/\*\*Angel/);
		// The others open where both are.
		for (const hit of hits.filter((h) => h !== titled)) expect(snippetOf(hit)).toMatch(/\*\*Buffy\*\*.*\*\*Angel\*\*/);
	});
});

describe('a list of five names', () => {
	// Story 1 names the five once, in a row, as a list; in stories 2–8 they are all characters, never in a row.
	const names = ['Buffy', 'Willow', 'Xander', 'Giles', 'Anya'];
	let archive: Archive;
	beforeAll(async () => {
		archive = await numberedStories(8, (n) =>
			n === 1
				? [
						`The sign-up sheet by the library door read ${names.join(' ')} and then nothing more, in smudged pencil.`,
						'The afternoon went on and on, slow and quiet, as afternoons in small towns do.',
					]
				: names.map(
						(name, i) =>
							`${name} came in. "Where is everyone?" ${name} asked, and ${name} sat down by the window. After a while ${name} left again, and ${names[(i + 1) % 5]} was next.`,
					),
		);
	});
	afterAll(() => close(archive));

	it('finds the stories they are all characters of, not a page that lists them as a copied line would', () => {
		const { hits } = withSearch(archive, { frequentPages: 1 }, (few) => few.search('buffy willow xander giles anya'));
		expect(hits).toHaveLength(5);
		expect(hits.map((h) => h.storyId)).not.toContain(storyNumbered(archive, 1));
	});
});

describe('a phrase of words on every page that is on few of them', () => {
	// Every story says "saved" and "the" and names Giles; stories 3, 21 and 38 alone say "Giles saved the" (none in
	// the first of the sampled windows: the rest of the archive is then read in two queries, not window by window).
	const with_ = new Set([3, 21, 38]);
	let archive: Archive;
	beforeAll(async () => {
		archive = await numberedStories(40, (n) => [
			`Giles came in late. The night was long, and the rain saved nobody the trouble of going out.${filler(2)}`,
			with_.has(n) ? 'In the end Giles saved the day, as he always did.' : 'In the end the day saved itself.',
		]);
	});
	afterAll(() => close(archive));

	it('finds every story that has it, near the start of the archive and far from it', () => {
		const { hits, more } = withSearch(archive, { frequentPages: 1 }, (all) =>
			all.search('"giles saved the"', { limit: 10 }),
		);
		expect(more).toBe(false);
		expect(hits.map((h) => h.storyId).sort((a, b) => a - b)).toEqual(
			[...with_].map((n) => storyNumbered(archive, n)).sort((a, b) => (a as number) - (b as number)),
		);
		for (const hit of hits) expect(snippetOf(hit)).toContain('**Giles saved the**');
	});
});
