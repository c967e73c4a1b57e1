/**
 * AO3's HTML download: `#preface` (the tags list, title, byline, summary and notes), `#chapters` (per chapter an
 * `h2.heading` and a `.userstuff` of text, or one `.userstuff` for a one-shot) and `#afterword` (end notes).
 * AO3's EPUBs are the same HTML split into files, so the EPUB reader hands their joined bodies here too; calibre,
 * which makes them, renames the classes (`#chapters.userstuff1`, the text in `div.userstuff2`), so any
 * `userstuff` class with a number counts.
 */
import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import type { ChapterText } from '../pages.js';
import type { StoryMeta } from '../types.js';
import { htmlToPlain, htmlToText, isElement } from './html-text.js';
import { normalizeRating, parseDate, parseWordCount } from './normalize.js';
import { applyLabel, emptyMeta, finishDates, parseSeries, type SourceStory, setTags, webUrl } from './source.js';

/**
 * Whether a parsed HTML document is an AO3 download: AO3's tags list (every work has one, for its rating) with
 * the preface or chapters around it. A saved AO3 web page, or a novel with a "preface", is not.
 */
export const isAo3Document = ($: CheerioAPI): boolean =>
	$('dl.tags').length > 0 && ($('#preface').length > 0 || $('#chapters').length > 0 || $('.userstuff').length > 0);

/** AO3's text class, as AO3 writes it (`userstuff`) or as calibre renames it in AO3's EPUBs (`userstuff2`). */
export const isUserstuff = (el: Element): boolean => classes(el).some((c) => /^userstuff\d*$/.test(c));

/** What AO3 calls each field of its tags list, singular or plural, lower case. */
const TAG_FIELDS: Record<string, (meta: StoryMeta, tags: string[], text: string) => void> = {
	rating: (meta, tags) => {
		meta.ratingText = tags.join(', ');
		meta.rating = normalizeRating(tags[0]);
	},
	'archive warning': (meta, tags) => {
		meta.warnings = tags.join(', ');
	},
	category: (meta, tags) => {
		meta.category = tags.join(', ');
	},
	fandom: (meta, tags) => setTags(meta, 'fandoms', tags),
	relationship: (meta, tags) => setTags(meta, 'relationships', tags),
	character: (meta, tags) => setTags(meta, 'characterTags', tags),
	'additional tag': (meta, tags) => setTags(meta, 'additionalTags', tags),
	language: (meta, _tags, text) => {
		meta.language = text;
	},
	series: (meta, _tags, text) => {
		const series = parseSeries(text);
		if (series) meta.series = series;
	},
	stats: (meta, _tags, text) => readStats(meta, text),
};

/** The field for a label as AO3 writes it, singular or plural ("Archive Warnings", "Categories"). */
export function fieldFor(label: string) {
	const key = label.toLowerCase().replace(/:$/, '').replace(/\s+/g, ' ').trim();
	return TAG_FIELDS[key] ?? TAG_FIELDS[key.replace(/ies$/, 'y')] ?? TAG_FIELDS[key.replace(/s$/, '')];
}

/** "Published: 2021-03-03 Updated: 2021-04-01 Words: 32,900 Chapters: 2/3" */
export function readStats(meta: StoryMeta, text: string): void {
	const value = (label: string) =>
		text.match(new RegExp(`\\b${label}:\\s*(.+?)(?=\\s+[A-Z][A-Za-z ]*:|$)`, 's'))?.[1]?.trim();
	const published = value('Published');
	if (published) meta.published = parseDate(published) ?? undefined;
	const updated = value('Updated');
	const completed = value('Completed');
	const last = completed ?? updated;
	if (last) meta.updated = parseDate(last) ?? undefined;
	const words = value('Words');
	if (words) meta.declaredWords = parseWordCount(words);
	const chapters = value('Chapters');
	if (chapters) applyLabel(meta, 'Chapters', chapters);
	// A download leaves "Chapters: 1/1" out: a work of one chapter out of one is finished.
	else if (published) meta.complete = true;
	if (completed) meta.complete = true;
	if (meta.published === undefined) delete meta.published;
	if (meta.updated === undefined) delete meta.updated;
}

/** The plain text of the blockquote after a `<p>Summary</p>`-style label inside `scope`. */
function labelledBlock($: CheerioAPI, scope: string, labels: readonly string[]): string[] {
	const found: string[] = [];
	$(scope)
		.find('p')
		.each((_, p) => {
			const label = $(p).text().replace(/\s+/g, ' ').trim().replace(/:$/, '');
			if (!labels.includes(label)) return;
			const quote = $(p).nextAll('blockquote').first();
			const text = quote.length ? htmlToPlain(quote.contents().toArray()) : '';
			if (text) found.push(text);
		});
	return found;
}

/** Reads the metadata of AO3's preface. */
function readPreface($: CheerioAPI, meta: StoryMeta): void {
	const tags = $('#preface dl.tags').first().length ? $('#preface dl.tags').first() : $('dl.tags').first();
	tags.children('dt').each((_, dt) => {
		const label = $(dt).text().replace(/\s+/g, ' ').trim().replace(/:$/, '');
		const dd = $(dt).nextAll('dd').first();
		if (!label || !dd.length) return;
		const text = dd.text().replace(/\s+/g, ' ').trim();
		const links = dd.find('a').toArray();
		const list = links.length
			? links.map((a) => $(a).text().replace(/\s+/g, ' ').trim())
			: text.split(/\s*,\s*/).filter(Boolean);
		const field = fieldFor(label);
		if (field) field(meta, list, text);
		else if (text) meta.extra[label] = text;
	});
	const title = $('#preface h1').first().text() || $('h1').first().text() || $('title').first().text();
	if (title.trim()) meta.title = title.replace(/\s+/g, ' ').trim();
	const byline = $('#preface .byline').first().length ? $('#preface .byline').first() : $('.byline').first();
	const authors = byline.find('a[rel="author"]').toArray();
	const author = authors.length
		? authors.map((a) => $(a).text().trim()).join(', ')
		: byline
				.text()
				.replace(/\s+/g, ' ')
				.trim()
				.replace(/^by\s+/i, '');
	if (author) meta.author = author;
	const [summary] = labelledBlock($, '#preface', ['Summary']);
	if (summary) meta.summary = summary;
	meta.notes.push(...labelledBlock($, '#preface', ['Notes']));
	meta.notes.push(...labelledBlock($, '#afterword', ['End Notes']));
	meta.url ??= postedAt($);
	finishDates(meta);
}

/** The work's address from the preface's "Posted originally on the Archive of Our Own at <a>…/works/N</a>." */
function postedAt($: CheerioAPI): string | undefined {
	for (const message of $('#preface .message, .message').toArray()) {
		if (!/posted originally/i.test($(message).text())) continue;
		const links = $(message).find('a[href]').toArray();
		const work = links.map((a) => webUrl(a.attribs.href)).filter((href) => href && /\/works\/\d+/.test(href));
		const url = work.at(-1) ?? webUrl(links.at(-1)?.attribs.href);
		if (url) return url;
	}
	return undefined;
}

export const classes = (el: Element) => (el.attribs.class ?? '').split(/\s+/);
/** Inside the preface or the afterword (and for text, a chapter's notes and summary): not the story. */
const outsideText = ($: CheerioAPI, el: Element) =>
	$(el).parents(el.name === 'h2' ? '#preface, #afterword' : '#preface, #afterword, .meta, .summary, .notes, blockquote')
		.length > 0;

/**
 * A chapter's title from AO3's heading: "Chapter 3: Part 2" (downloads, work pages) and "Part 2" (calibre's
 * EPUB headings, which drop the number) → "Part 2"; "Chapter 2" → null.
 */
export function ao3ChapterTitle(heading: string): string | null {
	const text = heading.replace(/\s+/g, ' ').trim();
	const m = text.match(/^Chapter \d+\s*(?::\s*(.*))?$/i);
	return m ? m[1]?.trim() || null : text || null;
}

/** The chapters: each `h2.heading` starts one, and the `.userstuff` blocks after it are its text. */
function readChapters($: CheerioAPI): ChapterText[] {
	const chapters: { title: string | null; nodes: AnyNode[] }[] = [];
	let current: { title: string | null; nodes: AnyNode[] } | undefined;
	for (const el of $('h2.heading, div[class*="userstuff"]').toArray()) {
		if ((el.name === 'div' && !isUserstuff(el)) || outsideText($, el)) continue;
		if (el.name === 'h2') {
			if (classes(el).includes('toc-heading')) continue;
			current = { title: ao3ChapterTitle($(el).text()), nodes: [] };
			chapters.push(current);
			continue;
		}
		// The #chapters container has the userstuff class too; its text is in the blocks inside it.
		if (
			el.attribs.id === 'chapters' ||
			$(el)
				.parents('div')
				.toArray()
				.some((p) => p.attribs.id !== 'chapters' && isUserstuff(p))
		)
			continue;
		if (!current) {
			current = { title: null, nodes: [] };
			chapters.push(current);
		}
		current.nodes.push(...el.children);
	}
	if (!chapters.some((c) => c.nodes.length)) {
		// An older one-shot download: the text right inside #chapters.
		const container = $('#chapters').first();
		const nodes = container
			.contents()
			.toArray()
			.filter((n) => !(isElement(n) && (classes(n).includes('meta') || n.name === 'h2')));
		return nodes.length ? [{ title: null, text: htmlToText(nodes) }] : [];
	}
	return chapters.map(({ title, nodes }) => ({ title, text: htmlToText(nodes) }));
}

/** Reads an AO3 HTML download (or an AO3 EPUB's joined chapters). `base` holds metadata to start from. */
export function readAo3Document($: CheerioAPI, base: StoryMeta = emptyMeta()): Omit<SourceStory, 'format'> {
	const meta = base;
	readPreface($, meta);
	return { meta, chapters: readChapters($), markup: 'markdown' };
}
