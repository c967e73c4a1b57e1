import type Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LINE_WORDS_MAX, lineWindow } from '../../../src/archive/search/line-budget.js';
import {
	type Archive,
	close,
	eightOfTen,
	EIGHT_OF_TEN as LINE,
	numberedStories,
	storyNumbered,
	withSearch,
	words,
} from './archives.js';

/**
 * Runs `fn`, recording the FTS5 expressions of the queries a copied line reads its candidate pages with (one
 * statement each: `… pages_fts MATCH ? AND rowid > ? LIMIT ?`).
 */
function lineQueries<T>(archive: Archive, fn: () => T): { result: T; matches: string[] } {
	const statement = Object.getPrototypeOf(archive.store.db.prepare('SELECT 1')) as Database.Statement;
	const matches: string[] = [];
	for (const method of ['all', 'iterate'] as const) {
		const run = statement[method] as (...params: unknown[]) => unknown;
		vi.spyOn(statement, method).mockImplementation(function (this: Database.Statement, ...params: unknown[]) {
			if (this.source.includes('pages_fts MATCH ? AND rowid >')) matches.push(String(params[0]));
			return run.apply(this, params);
		} as never);
	}
	try {
		return { result: fn(), matches };
	} finally {
		vi.restoreAllMocks();
	}
}

describe('the time a copied line may take (issue 19: no search holds the bot past 50 ms)', () => {
	// Issue 25's eight of ten: found only by the fallbacks after the first query when few pages are read a query.
	let archive: Archive;
	beforeAll(async () => {
		archive = await eightOfTen();
	});
	afterAll(() => close(archive));
	afterEach(() => vi.restoreAllMocks());

	it('runs the fallbacks while there is time, and finds the line', () => {
		const { result, matches } = lineQueries(archive, () =>
			withSearch(archive, { lineCandidates: 9, lineBudgetMs: 1e9 }, (s) => s.search(LINE)),
		);
		expect(matches.length).toBeGreaterThan(1);
		expect(result.cutShort).toBeUndefined();
		expect(result.hits[0]).toMatchObject({ storyId: storyNumbered(archive, 41), page: 1 });
	});

	it('stops after the first query once the budget is spent, and says the search was cut short', () => {
		// A clock that stands still at a budget of 0: spent from the start.
		const { result, matches } = lineQueries(archive, () =>
			withSearch(archive, { lineCandidates: 9, lineBudgetMs: 0, now: () => 0 }, (s) => s.search(LINE)),
		);
		expect(matches).toHaveLength(1);
		expect(result.cutShort).toBe(true);
		// What the first query found: pages holding most of the line, none of them the one holding all of it.
		for (const hit of result.hits) expect(hit.storyId).not.toBe(storyNumbered(archive, 41));
	});

	it('stops part way on a clock that runs out during the fallbacks', () => {
		let now = 0;
		const unbounded = lineQueries(archive, () =>
			withSearch(archive, { lineCandidates: 9, lineBudgetMs: 1e9 }, (s) => s.search(LINE)),
		).matches.length;
		// Each look at the clock takes 1 ms: the budget runs out after a few pages read.
		const { result, matches } = lineQueries(archive, () =>
			withSearch(archive, { lineCandidates: 9, lineBudgetMs: 12, now: () => now++ }, (s) => s.search(LINE)),
		);
		expect(result.cutShort).toBe(true);
		expect(matches.length).toBeGreaterThanOrEqual(1);
		expect(matches.length).toBeLessThan(unbounded);
	});

	it('finds a line the first query finds whatever the budget', () => {
		const line = 'Buffy stared at Spike. Spike looked at Willow. Based on what the books said';
		const { hits } = withSearch(archive, { lineBudgetMs: 0, now: () => 0 }, (s) => s.search(line, { limit: 25 }));
		expect(hits.map((h) => h.storyId).sort((a, b) => a - b)).toEqual(
			Array.from({ length: 12 }, (_, i) => storyNumbered(archive, i + 1)),
		);
	});
});

describe('a long pasted line (issue 19: its words only add cost)', () => {
	// A paragraph of about 90 words; stories 1-29 hold its first half and go on otherwise, story 17 also holds it all.
	const common = (n: number) =>
		`The rain had not stopped since morning, and the streets of the town were empty but for a dog that followed nobody in particular from the church to the market and back again while the shopkeepers watched it from their doors and talked about the weather as they always did on days like this one in story ${n}`;
	const rest =
		'when suddenly a carriage painted vermilion rattled past the fountain carrying a harpsichord lashed with saffron ropes and an astronomer asleep beneath a quilted umbrella who dreamt of comets and marmalade';
	const PARAGRAPH = `${common(17)} ${rest}.`;
	let archive: Archive;
	beforeAll(async () => {
		archive = await numberedStories(29, (n) => [
			`Story ${n} opens on a grey day.`,
			n === 17 ? PARAGRAPH : `${common(n)}, and then the bells rang for noon and everybody went inside to eat.`,
			'Nothing else happened that week.',
		]);
	});
	afterAll(() => close(archive));

	it('finds the page holding a 500-character pasted line, searching at most LINE_WORDS_MAX of its words', () => {
		const pasted = PARAGRAPH.slice(0, 500);
		expect(pasted.length).toBe(500);
		const { result, matches } = lineQueries(archive, () => archive.search.search(pasted));
		const top = result.hits[0];
		expect(top).toMatchObject({ storyId: storyNumbered(archive, 17), page: 1 });
		expect(words(archive.store.page(top?.storyId ?? 0, top?.page ?? 0)?.text ?? '')).toContain(words(pasted));
		// Each of the line's queries looks for its keys within the line's length (plus two) of each other.
		expect(matches.length).toBeGreaterThan(0);
		for (const match of matches)
			for (const [, distance] of match.matchAll(/NEAR\(.*?, (\d+)\)/g))
				expect(Number(distance)).toBeLessThanOrEqual(LINE_WORDS_MAX + 2);
		expect(result.notes.join(' ')).toMatch(/long line/);
	});

	it('finds it through its rare words when the window is cut from them', () => {
		const { hits } = archive.search.search(`${rest} and the rain had not stopped`);
		expect(hits[0]).toMatchObject({ storyId: storyNumbered(archive, 17), page: 1 });
	});

	it('leaves a line of LINE_WORDS_MAX words or fewer whole', () => {
		const line = PARAGRAPH.split(' ').slice(0, LINE_WORDS_MAX).join(' ');
		const { result } = lineQueries(archive, () => archive.search.search(line));
		expect(result.notes.join(' ')).not.toMatch(/long line/);
		expect(result.hits.length).toBeGreaterThan(1);
	});
});

describe('lineWindow', () => {
	const pages = (counts: Record<string, number>) => (word: string) => counts[word] ?? 1000;

	it('cuts a long line to its rarest words in a row, as typed', () => {
		const text = 'the cat sat on the mat, and then the Vermilion harpsichord sang; the end came soon after that day';
		const window = lineWindow(text, pages({ vermilion: 2, harpsichord: 3 }), 1000, [], 4);
		expect(window?.toLowerCase()).toMatch(/vermilion harpsichord/);
		expect(window?.split(/\W+/).filter(Boolean)).toHaveLength(4);
		expect(text).toContain(window as string);
	});

	it('keeps filters, once, after the window', () => {
		const text = 'one two three author:"Jane Doe" four five six seven eight nine';
		const at = text.indexOf('author:');
		const keep = [{ start: at, end: text.indexOf('"', at + 8) + 1 }];
		const window = lineWindow(text, pages({ two: 1, three: 1, four: 1 }), 1000, keep, 4);
		expect(window?.replace(/\s+/g, ' ')).toBe('one two three four author:"Jane Doe"');
	});

	it('is null for a line of no more words than the cap', () => {
		expect(lineWindow('one two three four', pages({}), 1000, [], 4)).toBeNull();
	});
});
