import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHAPTER_SEPARATOR, DEFAULT_PAGE_SIZE, pageAt, paginate, paginateChapters } from '../../src/archive/pages.js';

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

describe('paginateChapters', () => {
	const chapterTexts = fc.array(
		fc.record({ title: fc.option(fc.string({ maxLength: 20 }), { nil: null }), text: fc.oneof(body, fc.constant('')) }),
		{ minLength: 1, maxLength: 6 },
	);

	it('pages each chapter losslessly on its own, never across two, numbering pages through the story', () => {
		fc.assert(
			fc.property(chapterTexts, fc.integer({ min: 200, max: 2500 }), (texts, size) => {
				const { body: story, pages, chapters } = paginateChapters(texts, size);
				const kept = texts.filter((t) => t.text);
				expect(story).toBe(kept.map((t) => t.text).join(CHAPTER_SEPARATOR));
				expect(chapters.map((c) => c.title)).toEqual(kept.map((t) => t.title));
				expect(pages.map((p) => p.number)).toEqual(pages.map((_, i) => i + 1));
				for (const [i, chapter] of chapters.entries()) {
					expect(chapter.number).toBe(i + 1);
					const own = pages.filter((p) => p.chapter === chapter.number);
					expect(own.map((p) => p.number)).toEqual(
						Array.from({ length: chapter.pageCount }, (_, k) => chapter.firstPage + k),
					);
					expect(own.map((p) => p.text).join('')).toBe(kept[i]?.text);
				}
				for (const page of pages) {
					expect(page.text.length).toBeGreaterThan(0);
					expect(page.text.length).toBeLessThanOrEqual(size);
					expect(story.slice(page.offset, page.offset + page.text.length)).toBe(page.text);
				}
			}),
			{ numRuns: 200 },
		);
	});

	it('gives paginate’s pages for a single chapter', () => {
		fc.assert(
			fc.property(body, fc.integer({ min: 200, max: 2500 }), (text, size) => {
				expect(paginateChapters([{ title: null, text }], size).pages).toEqual(paginate(text, size));
				expect(paginate(text, size).every((p) => p.chapter === 1)).toBe(true);
			}),
			{ numRuns: 100 },
		);
	});
});
