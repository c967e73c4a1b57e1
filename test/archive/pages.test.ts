import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PAGE_SIZE, pageAt, paginate } from '../../src/archive/pages.js';

const word = fc.stringMatching(/^[A-Za-z’'é,;-]{1,12}$/);
const sentence = fc
	.tuple(fc.array(word, { minLength: 1, maxLength: 30 }), fc.constantFrom('.', '!', '?', '…', '."', '?”'))
	.map(([words, end]) => words.join(' ') + end);
const paragraph = fc.array(sentence, { minLength: 1, maxLength: 40 }).map((s) => s.join(' '));
/** Bodies shaped like the parser's output: paragraphs separated by blank lines, some longer than a page. */
const body = fc
	.array(fc.oneof(paragraph, fc.constant('* * *')), { minLength: 1, maxLength: 25 })
	.map((p) => p.join('\n\n'));

describe('paginate', () => {
	it('is lossless and every page fits, for generated bodies and page sizes', () => {
		fc.assert(
			fc.property(body, fc.integer({ min: 200, max: 2500 }), (text, size) => {
				const pages = paginate(text, size);
				expect(pages.map((p) => p.text).join('')).toBe(text);
				for (const [i, page] of pages.entries()) {
					expect(page.number).toBe(i + 1);
					expect(page.text.length).toBeGreaterThan(0);
					expect(page.text.length).toBeLessThanOrEqual(size);
					expect(text.slice(page.offset, page.offset + page.text.length)).toBe(page.text);
				}
			}),
			{ numRuns: 300 },
		);
	});

	it('never cuts inside a word when words are shorter than a page', () => {
		fc.assert(
			fc.property(body, fc.integer({ min: 200, max: 2500 }), (text, size) => {
				for (const page of paginate(text, size).slice(0, -1)) {
					const next = text[page.offset + page.text.length] ?? '';
					const last = page.text.at(-1) ?? '';
					expect(/\s/.test(last) || /\s/.test(next)).toBe(true);
				}
			}),
			{ numRuns: 300 },
		);
	});

	it('is lossless on any string at all, even one long word or emoji', () => {
		fc.assert(
			fc.property(fc.string({ unit: 'grapheme', maxLength: 3000 }), fc.integer({ min: 40, max: 500 }), (text, size) => {
				const pages = paginate(text, size);
				expect(pages.map((p) => p.text).join('')).toBe(text);
				for (const page of pages) expect(page.text.length).toBeLessThanOrEqual(size);
			}),
			{ numRuns: 300 },
		);
	});

	it('prefers paragraph ends, then sentence ends', () => {
		const para = 'Spike lit a cigarette and watched the rain. '.repeat(10).trim();
		const pages = paginate(`${para}\n\n${para}\n\n${para}`, 1000);
		expect(pages.map((p) => p.text.trimEnd())).toEqual([`${para}\n\n${para}`, para]);
		const long = 'She ran. '.repeat(300).trim();
		for (const page of paginate(long, DEFAULT_PAGE_SIZE).slice(0, -1)) expect(page.text).toMatch(/ran\. $/);
	});

	it('finds the page holding an offset', () => {
		const pages = paginate('Word. '.repeat(1000), 300);
		for (const page of pages) {
			expect(pageAt(pages, page.offset)).toBe(page);
			expect(pageAt(pages, page.offset + page.text.length - 1)).toBe(page);
		}
		expect(pageAt(pages, 10_000)).toBeUndefined();
	});
});
