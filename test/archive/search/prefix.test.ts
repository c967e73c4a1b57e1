import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_ROWID_SHIFT, pageRowid } from '../../../src/archive/store.js';
import { type Archive, close, open, pages, samples, snippetOf, synthetic, writeStories } from './archives.js';

/** What FTS5's own prefix query matches: the pages (row ids) of the whole archive, or of one story. */
function ftsPrefix(archive: Archive, prefix: string, storyId?: number): Set<number> {
	const match = `"${prefix}" *`;
	const rows =
		storyId === undefined
			? archive.store.db.prepare('SELECT rowid FROM pages_fts WHERE pages_fts MATCH ?').pluck().all(match)
			: archive.store.db
					.prepare('SELECT rowid FROM pages_fts WHERE pages_fts MATCH ? AND rowid BETWEEN ? AND ?')
					.pluck()
					.all(match, pageRowid(storyId, 0), pageRowid(storyId, PAGE_ROWID_SHIFT - 1));
	return new Set(rows as number[]);
}

/** Index terms starting with a stem, from the vocabulary. */
function termsWith(archive: Archive, stem: string): number {
	return archive.store.db
		.prepare('SELECT count(*) FROM vocabulary WHERE term >= ? AND term < ?')
		.pluck()
		.get(stem, `${stem}\uffff`) as number;
}

describe('prefix search through the vocabulary', () => {
	let archive: Archive;
	beforeAll(async () => {
		archive = await synthetic(1048576, 21);
	});
	afterAll(() => close(archive));

	// Prefixes of few and of many words; "leave" is stemmed first, as FTS5 does ("leav*").
	const prefixes = ['spik', 'leave', 'hous', 'thou', 'wind', 'imag', 'cry', 'sl', 'co', 'qzx'];

	it('finds only pages that FTS5’s prefix query matches (or stories it matches by title), and every story', () => {
		const byTitle = archive.store.db.prepare('SELECT rowid FROM stories_fts WHERE stories_fts MATCH ?').pluck();
		for (const prefix of prefixes) {
			const expected = ftsPrefix(archive, prefix);
			const titled = new Set(byTitle.all(`"${prefix}" *`) as number[]);
			const result = archive.search.search(`${prefix}*`, { limit: 25 });
			for (const hit of result.hits)
				if (!titled.has(hit.storyId)) expect(expected.has(pageRowid(hit.storyId, hit.page)), prefix).toBe(true);
			const stories = new Set([...[...expected].map((r) => Math.floor(r / PAGE_ROWID_SHIFT)), ...titled]);
			expect(result.hits.length, prefix).toBe(Math.min(25, stories.size));
		}
		expect(ftsPrefix(archive, 'qzx').size).toBe(0);
	});

	it('lists exactly the pages of a story that FTS5 matches, when the prefix stands for all its words', () => {
		let compared = 0;
		for (const prefix of prefixes) {
			const many = termsWith(archive, prefix) > 32;
			for (const hit of archive.search.search(`${prefix}*`, { limit: 5 }).hits) {
				const expected = ftsPrefix(archive, prefix, hit.storyId);
				const listed = new Set(
					archive.search.pagesOf(hit.storyId, `${prefix}*`, 25).map((p) => pageRowid(p.storyId, p.page)),
				);
				for (const rowid of listed) expect(expected.has(rowid), prefix).toBe(true);
				if (!many && expected.size <= 25) {
					expect(listed, prefix).toEqual(expected);
					compared++;
				}
			}
		}
		expect(compared).toBeGreaterThan(10);
	});

	it('says when a prefix stands for more words than it searches, and still finds them', () => {
		expect(termsWith(archive, 'co')).toBeGreaterThan(32);
		const many = archive.search.search('co*');
		expect(many.notes.join(' ')).toMatch(/co\* stands for more than 32 words/);
		expect(many.hits.length).toBe(5);
		const few = archive.search.search('spik*');
		expect(few.notes).toEqual([]);
	});

	it('combines a prefix with words and exclusions, each hit matching them all', () => {
		const check = archive.store.db.prepare('SELECT 1 FROM pages_fts WHERE pages_fts MATCH ? AND rowid = ?').pluck();
		for (const [query, match] of [
			['spik* buffy', '"spik" * AND "buffy"'],
			['hous* -buffy', '"hous" * NOT "buffy"'],
			['"the house" thou*', '"the house" AND "thou" *'],
		] as const) {
			const { hits } = archive.search.search(query, { limit: 10 });
			expect(hits.length, query).toBeGreaterThan(0);
			for (const hit of hits) expect(check.get(match, pageRowid(hit.storyId, hit.page)), query).toBe(1);
		}
	});

	it('shows no story, not even one whose title matches, when every page with the words holds an excluded one', () => {
		const count = archive.store.db.prepare('SELECT count(*) FROM pages_fts WHERE pages_fts MATCH ?').pluck();
		// In this archive Spike is on every page that has a word starting "hous".
		expect(count.get('"hous" *')).toBeGreaterThan(0);
		expect(count.get('"hous" * NOT "spike"')).toBe(0);
		expect(archive.search.search('hous* -spike').hits).toEqual([]);
	});

	it('bolds the words the prefix matched in the snippet', () => {
		const hit = archive.search.search('spik*').hits[0];
		expect(snippetOf(hit)).toMatch(/\*\*spik/i);
	});
});

describe('prefix search as typed', () => {
	let archive: Archive;
	beforeAll(async () => {
		archive = await samples();
	});
	afterAll(() => close(archive));

	it('finds the words that start with a prefix even where its stem does not ("sunny*": Sunnydale)', () => {
		// FTS5 stems a prefix as if it were a word: "sunny" is "sunni", "goodby" is "goodbi", and neither starts the
		// index's term for Sunnydale or Goodbye.
		for (const [prefix, word] of [
			['sunny', 'Sunnydale'],
			['goodby', 'Goodbye'],
		]) {
			const { hits } = archive.search.search(`${prefix}*`);
			expect(hits.length, prefix).toBeGreaterThan(0);
			expect(snippetOf(hits[0]), prefix).toContain(`**${word}**`);
		}
	});

	it('finds every story with a word that starts so, for every start of four letters or more of every word in them', () => {
		const byStart = new Map<string, Set<number>>();
		for (const { storyId, text } of pages(archive.store)) {
			for (const word of text.toLowerCase().match(/[a-z]{5,}/g) ?? []) {
				for (let end = 4; end <= word.length; end++) {
					const start = word.slice(0, end);
					byStart.set(start, (byStart.get(start) ?? new Set()).add(storyId));
				}
			}
		}
		const missed = [...byStart].filter(([start, stories]) => {
			const found = new Set(archive.search.search(`${start}*`, { limit: 25 }).hits.map((h) => h.storyId));
			return [...stories].some((id) => !found.has(id));
		});
		expect(byStart.size).toBeGreaterThan(1000);
		expect(missed.map(([start]) => start)).toEqual([]);
	});
});

describe('prefix search in titles', () => {
	let archive: Archive;
	beforeAll(async () => {
		archive = await open(
			writeStories(3, (n) => ({
				title: ['Sunnydale Nights', 'The Drive', 'Moving Day'][n - 1] as string,
				author: `Writer ${n}`,
				paragraphs: [
					n === 2
						? 'They drove out of Sunnydale at dawn, and nobody looked back at the sign.'
						: 'The crypt was cold and the candles had burned down to nothing at all.',
				],
			})),
		);
	});
	afterAll(() => close(archive));

	it('finds a story by a title word that starts with the prefix, as on its pages ("sunny*": Sunnydale Nights)', () => {
		const titles = archive.search.search('sunny*').hits.map((h) => h.title);
		expect(titles).toContain('Sunnydale Nights');
		expect(titles).toContain('The Drive');
		// And by the start of a word that only a title holds, typed past its stem ("movin": Moving, "move").
		expect(archive.search.search('movin*').hits.map((h) => h.title)).toEqual(['Moving Day']);
	});
});
