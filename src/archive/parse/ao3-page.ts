/**
 * An AO3 work page saved from the browser (not a download): the site's navigation, kudos and comments around
 * `dl.work.meta.group` (the tags and stats), and `#workskin` holding the work's preface (`h2.title`, the byline,
 * summary and notes), `#chapters` (one `div.chapter` per chapter with its own preface, text and end notes, or the
 * text of a one-chapter view right inside) and the afterword. Single-chapter views, full-work views and the older
 * layouts (2017, the whole page on one line) alike: only the work's own blocks are read, so nothing of the site
 * becomes story text.
 */
import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import type { ChapterText } from '../pages.js';
import { ao3ChapterTitle, classes, fieldFor, isUserstuff, readStats } from './ao3-html.js';
import { htmlToPlain, htmlToText, isElement } from './html-text.js';
import { emptyMeta, finishDates, parseSeries, type SourceStory, webUrl } from './source.js';

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Whether a parsed HTML document is an AO3 work page: the work's tags list, and the work's text block. */
export const isAo3WorkPage = ($: CheerioAPI): boolean =>
	$('dl.work.meta').length > 0 && ($('#workskin').length > 0 || $('#chapters').length > 0);

/** The tags list and the stats of `dl.work.meta.group`. */
function readWorkMeta($: CheerioAPI, meta: SourceStory['meta']): void {
	const list = $('dl.work.meta').first();
	list.children('dt').each((_, dt) => {
		const label = squash($(dt).text()).replace(/:$/, '');
		const dd = $(dt).nextAll('dd').first();
		if (!label || !dd.length) return;
		if (label.toLowerCase() === 'stats') {
			// A list of its own: "Published: 2022-09-20 Words: 5,688 Chapters: 1/1 Kudos: …", as a download writes it.
			const pairs = dd
				.find('dt')
				.toArray()
				.map((d) => `${squash($(d).text())} ${squash($(d).nextAll('dd').first().text())}`);
			readStats(meta, pairs.length ? pairs.join(' ') : squash(dd.text()));
			return;
		}
		if (label.toLowerCase() === 'series') {
			// "← Previous Work Part 3 of Bones Next Work →": the position alone.
			const position = dd.find('.position').first();
			const series = parseSeries(squash((position.length ? position : dd).text()));
			if (series) meta.series = series;
			return;
		}
		const text = squash(dd.text());
		const links = dd.find('a').toArray();
		const tags = links.length ? links.map((a) => squash($(a).text())) : text.split(/\s*,\s*/).filter(Boolean);
		const field = fieldFor(label);
		if (field) field(meta, tags, text);
		else if (text) meta.extra[label] = text;
	});
}

/** The blockquote of a preface module (`.summary`, `.notes`) inside `scope`, as plain text. */
const moduleText = ($: CheerioAPI, scope: Element | undefined, module: string): string[] =>
	scope
		? $(scope)
				.find(`.${module} blockquote`)
				.toArray()
				.map((q) => htmlToPlain(q.children))
				.filter(Boolean)
		: [];

/**
 * The work's address: the page's canonical link or saved-from address when it has one, else the work's number
 * from the links only the work's own page has (share, bookmarks, kudos, its chapters).
 */
function workUrl($: CheerioAPI, html: string): string | undefined {
	const given =
		webUrl($('link[rel="canonical"]').attr('href')) ??
		webUrl($('meta[property="og:url"]').attr('content')) ??
		webUrl(html.slice(0, 2048).match(/<!-- saved from url=\(\d+\)(\S+?) ?-->/)?.[1]);
	if (given && /\/works\/\d+/.test(given)) return given.replace(/(\/works\/\d+).*$/, '$1');
	const own =
		/^(?:https?:\/\/(?:www\.)?archiveofourown\.org)?\/works\/(\d+)\/(?:share|bookmarks|kudos|navigate|chapters|comments|mark_for_later|hit_count)/;
	for (const el of $('a[href], form[action]').toArray()) {
		const m = (el.attribs.href ?? el.attribs.action ?? '').match(own);
		if (m) return `https://archiveofourown.org/works/${m[1]}`;
	}
	return given;
}

/** A text block's nodes without AO3's hidden landmark headings ("Chapter Text", "Work Text:"). */
const textNodes = (block: Element): AnyNode[] =>
	block.children.filter((n) => !(isElement(n) && classes(n).includes('landmark')));

/** The chapters: each `div.chapter` of `#chapters`, or the one text block of a one-chapter work. */
function readChapters($: CheerioAPI): ChapterText[] {
	const container = $('#chapters').first();
	const text = (scope: Element) =>
		$(scope)
			.find('div')
			.toArray()
			// The text blocks, not the notes' or a block inside another (it is read with the one around it).
			.filter(
				(el) =>
					isUserstuff(el) &&
					!$(el).parents('.preface, .notes, .summary, blockquote').length &&
					!$(el).parents('div').toArray().some(isUserstuff),
			)
			.map((el) => htmlToText(textNodes(el)))
			.filter(Boolean)
			.join('\n\n');
	const chapters = container.children('div.chapter').toArray();
	if (chapters.length) {
		return chapters.map((chapter) => {
			const heading = $(chapter).find('.preface .title, h3.title').first();
			return { title: heading.length ? ao3ChapterTitle(heading.text()) : null, text: text(chapter) };
		});
	}
	const root = container[0] ?? $('#workskin')[0];
	return root ? [{ title: null, text: text(root) }] : [];
}

/** Reads a saved AO3 work page. */
export function readAo3WorkPage($: CheerioAPI, html: string): SourceStory {
	const meta = emptyMeta();
	readWorkMeta($, meta);
	// The work's preface, not a chapter's (`.chapter.preface`) or the afterword (`.afterword.preface`).
	const preface = $('#workskin .preface')
		.toArray()
		.find((el) => !classes(el).some((c) => c === 'chapter' || c === 'afterword'));
	const scope = preface ? $(preface) : $('#workskin');
	meta.title = squash(scope.find('.title').first().text() || $('h2.title').first().text());
	const byline = scope.find('.byline').first();
	const authors = byline.find('a[rel="author"]').toArray();
	const author = authors.length ? authors.map((a) => squash($(a).text())).join(', ') : squash(byline.text());
	if (author) meta.author = author.replace(/^by\s+/i, '');
	const [summary] = moduleText($, preface, 'summary');
	if (summary) meta.summary = summary;
	meta.notes.push(...moduleText($, preface, 'notes'));
	const endNotes = $('#work_endnotes blockquote, .afterword .end.notes blockquote').first();
	if (endNotes.length) meta.notes.push(htmlToPlain(endNotes.contents().toArray()));
	const url = workUrl($, html);
	if (url) meta.url = url;
	finishDates(meta);
	return { meta, chapters: readChapters($), format: 'ao3-html', markup: 'markdown' };
}
