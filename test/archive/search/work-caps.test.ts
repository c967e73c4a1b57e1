import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Stemmer } from '../../../src/archive/search/stemmer.js';
import { TYPO_CANDIDATES, TYPO_WORD_MAX, TypoBudget } from '../../../src/archive/search/typo-budget.js';
import { type Archive, close, samples } from './archives.js';

const stemEach = Stemmer.prototype.stemEach;
/** A non-word of `length` letters, the nth of its kind (no English word: no vowels but y). */
const nonWord = (length: number, n = 0) =>
	Array.from({ length }, (_, i) => 'bcdfghjklmnpqrstvwxz'.charAt((n * 7 + i * (n + 3)) % 20)).join('');
/**
 * A generous bound on one search's wall time, as a second check beside the work counted: before the caps these
 * queries took 1-2 s; the machine the tests run on may be shared and slow.
 */
const WALL_MS = 400;
/** Words of a query, up to its 500 characters. */
const fill = (make: (n: number) => string) => {
	const words: string[] = [];
	for (let n = 0; words.join(' ').length + make(n).length < 499; n++) words.push(make(n));
	return words.join(' ');
};

describe('the work one search may do (better-sqlite3 is synchronous: a slow search holds the bot)', () => {
	let archive: Archive;
	let stemmed: string[][];
	beforeAll(async () => {
		archive = await samples();
	});
	afterAll(() => close(archive));
	afterEach(() => vi.restoreAllMocks());

	/** Runs a search, recording every list of words stemmed together (typo candidates among them). */
	const searchWatched = (query: string) => {
		stemmed = [];
		vi.restoreAllMocks();
		vi.spyOn(Stemmer.prototype, 'stemEach').mockImplementation(function (this: Stemmer, words) {
			stemmed.push([...words]);
			return stemEach.call(this, words);
		});
		const started = performance.now();
		const results = archive.search.search(query);
		return { results, ms: performance.now() - started };
	};
	/** Typo candidates stemmed: words one edit from a query word (of its length, give or take one). */
	const candidates = (lengths: Set<number>) =>
		stemmed.flat().filter((w) => lengths.has(w.length) || lengths.has(w.length + 1) || lengths.has(w.length - 1))
			.length;

	it('does not correct one 500-letter word: no candidate is looked at, and the word is named', () => {
		const word = nonWord(500);
		const { results, ms } = searchWatched(word);
		// One edit of it was 26,000 candidates, over a second.
		expect(candidates(new Set([500]))).toBe(0);
		expect(results.hits).toEqual([]);
		expect(results.notes.join(' ')).toMatch(/No story has the word/);
		expect(ms).toBeLessThan(WALL_MS);
	});

	it('caps the candidates of a query of many long words, whatever their length', () => {
		for (const length of [TYPO_WORD_MAX + 1, 40, TYPO_WORD_MAX, 20, 12, 8]) {
			const query = fill((n) => nonWord(length, n));
			const { results, ms } = searchWatched(query);
			const looked = candidates(new Set([length]));
			// Words longer than TYPO_WORD_MAX are not corrected at all; shorter ones until the budget is spent.
			if (length > TYPO_WORD_MAX) expect(looked, `${length} letters`).toBe(0);
			else expect(looked, `${length} letters`).toBeGreaterThan(0);
			expect(looked, `${length} letters`).toBeLessThanOrEqual(TYPO_CANDIDATES);
			expect(results.hits).toEqual([]);
			expect(ms, `${length} letters`).toBeLessThan(WALL_MS);
		}
	});

	it('still corrects the typos of a query within the budget', () => {
		const { results } = searchWatched('spkie cyrpt');
		expect(results.corrected).toBe('spike crypt');
		expect(results.hits.length).toBeGreaterThan(0);
	});
});

describe('a typo budget', () => {
	it('spends candidates, scans and terms until they run out, refusing what would overdraw it', () => {
		const budget = new TypoBudget();
		expect(budget.candidates(TYPO_CANDIDATES - 10)).toBe(true);
		expect(budget.candidates(11)).toBe(false);
		expect(budget.candidates(10)).toBe(true);
		expect(budget.candidates(1)).toBe(false);
		let terms = 0;
		while (budget.term()) terms++;
		expect(terms).toBeGreaterThan(0);
		expect(budget.term()).toBe(false);
		let scans = 0;
		while (budget.scan()) scans++;
		expect(scans).toBeGreaterThan(0);
		expect(budget.scan()).toBe(false);
		expect(TypoBudget.fits('a'.repeat(TYPO_WORD_MAX))).toBe(true);
		expect(TypoBudget.fits('a'.repeat(TYPO_WORD_MAX + 1))).toBe(false);
	});
});
