import type { Chapter, Page } from './types.js';

/** Default page size: fits an embed description (4,096) with room for markdown escapes, a header and a footer. */
export const DEFAULT_PAGE_SIZE = 1800;

/**
 * The most pages one story may have. The store keys a page row storyId × 65,536 + page, so one story's pages are
 * one id range; a story with more would run into the next story's range. Over it, the file fails alone.
 */
export const MAX_STORY_PAGES = 65535;

/** Why a story with this many pages is refused (over MAX_STORY_PAGES). */
export const tooManyPagesReason = (pages: number) =>
	`the story has ${pages.toLocaleString('en')} pages, more than the ${MAX_STORY_PAGES.toLocaleString('en')} one story may have: split it into parts`;

/** A page ends after a paragraph when that fills at least this share of it; else at a sentence, then a word. */
const MIN_FILL = 0.5;

// After sentence-ending punctuation (and closing quotes or brackets), at the start of the whitespace.
const SENTENCE_END = /[.!?…]["”’')\]*_]*(?=\s)/g;

/**
 * Splits a body into pages of at most `size` UTF-16 units. Pages end at paragraph boundaries, inside a long
 * paragraph at a sentence boundary, failing that between words; only a single "word" longer than a page is
 * ever cut, and never inside a surrogate pair. Lossless: the pages' texts joined give back the body exactly
 * (the whitespace between two pages stays at the end of the first). The pages are all in chapter 1.
 */
export function paginate(body: string, size = DEFAULT_PAGE_SIZE): Page[] {
	return paginateChapters([{ title: null, text: body }], size).pages;
}

/** A chapter's title and text, as a reader hands it over. */
export interface ChapterText {
	title: string | null;
	text: string;
	/** Where the chapter's footnotes start in its text, when it has any: their words are not counted as the story's. */
	notesAt?: number;
}

/**
 * Pages a story chapter by chapter: the body is the chapters' texts joined with a blank line, each chapter is
 * paged on its own (so no page spans two chapters, and each chapter's pages joined give back its text exactly),
 * and page numbers run on through the story. Chapters with no text get no pages and are left out.
 */
export function paginateChapters(
	texts: readonly ChapterText[],
	size = DEFAULT_PAGE_SIZE,
): { body: string; pages: Page[]; chapters: Chapter[] } {
	if (!Number.isInteger(size) || size < 40) throw new RangeError(`page size must be an integer ≥ 40, not ${size}`);
	const pages: Page[] = [];
	const chapters: Chapter[] = [];
	const parts: string[] = [];
	let at = 0;
	for (const { title, text } of texts) {
		if (!text) continue;
		if (parts.length) at += CHAPTER_SEPARATOR.length;
		parts.push(text);
		const chapter: Chapter = { number: chapters.length + 1, title, firstPage: pages.length + 1, pageCount: 0 };
		let start = 0;
		while (start < text.length) {
			const end = text.length - start <= size ? text.length : breakPoint(text, start, size);
			pages.push({
				number: pages.length + 1,
				chapter: chapter.number,
				offset: at + start,
				text: text.slice(start, end),
			});
			chapter.pageCount++;
			start = end;
		}
		chapters.push(chapter);
		at += text.length;
	}
	return { body: parts.join(CHAPTER_SEPARATOR), pages, chapters };
}

/** What separates two chapters in a story's body: a paragraph break that no page holds. */
export const CHAPTER_SEPARATOR = '\n\n';

/** The end (exclusive) of the page starting at `start`, for a body longer than one page from there. */
function breakPoint(body: string, start: number, size: number): number {
	const limit = start + size;
	const window = body.slice(start, limit + 1);
	const minimum = Math.floor(size * MIN_FILL);

	// The last paragraph break that fits: cut after the blank line.
	const paragraph = window.lastIndexOf('\n\n', size - 2);
	if (paragraph >= minimum) return start + skipSpace(window, paragraph, size);

	// The last sentence end that fits.
	let sentence = -1;
	for (const m of window.matchAll(SENTENCE_END)) {
		const after = m.index + m[0].length;
		if (after > size) break;
		sentence = after;
	}
	if (sentence >= minimum) return start + skipSpace(window, sentence, size);

	// The last space or line break that fits, else the last paragraph or sentence end at all.
	const space = Math.max(window.lastIndexOf(' ', size - 1), window.lastIndexOf('\n', size - 1));
	if (space > 0) return start + skipSpace(window, space, size);
	if (paragraph > 0) return start + skipSpace(window, paragraph, size);
	if (sentence > 0) return start + skipSpace(window, sentence, size);

	// One word longer than a page: cut it, but not between the halves of a surrogate pair.
	const code = body.charCodeAt(limit - 1);
	return code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
}

/** Moves a cut past the whitespace at `index`, so the next page starts with text; never past the page size. */
function skipSpace(window: string, index: number, size: number): number {
	let i = index;
	while (i < size && /\s/.test(window[i] ?? '')) i++;
	return i;
}

/** The page holding a body offset (pages as `paginate` returns them). */
export function pageAt(pages: readonly Page[], offset: number): Page | undefined {
	let lo = 0;
	let hi = pages.length - 1;
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		const page = pages[mid] as Page;
		if (offset < page.offset) hi = mid - 1;
		else if (offset >= page.offset + page.text.length) lo = mid + 1;
		else return page;
	}
	return undefined;
}
