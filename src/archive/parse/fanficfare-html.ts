/**
 * FanFicFare's HTML output: `<h1><a href="story URL">Title</a> by <a class="authorlink">Author</a></h1>`, a
 * table of `<b>Label:</b>` / value rows (the same labels as its text and EPUB title pages), an optional
 * "Table of Contents" (`<a name="TOCTOP">`), then each chapter as `<a name="sectionNNNN"><h2>Title</h2></a>`
 * followed by its HTML.
 */
import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { htmlToPlain, htmlToText, isElement } from './html-text.js';
import { splitPartMarker } from './normalize.js';
import { applyLabel, chapterTitle, emptyMeta, finishDates, type SourceStory, webUrl } from './source.js';

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();
const isSection = (node: AnyNode): node is Element =>
	isElement(node) && node.name === 'a' && /^section\d+$/i.test(node.attribs.name ?? '');

/** Whether a parsed HTML document is FanFicFare's: its `h1` title line and its chapter anchors or fields table. */
export function isFanFicFareHtml($: CheerioAPI): boolean {
	const h1 = $('body > h1').first();
	if (!h1.length || !h1.children('a[href]').length || !/\sby\s/.test(h1.text())) return false;
	return $('a[name^="section"]').length > 0 || $('body > table tr td b').length > 0;
}

/** Reads FanFicFare's HTML. */
export function readFanFicFareHtml($: CheerioAPI): SourceStory {
	const meta = emptyMeta();
	const h1 = $('body > h1').first();
	const [titleLink] = h1.children('a').toArray();
	if (titleLink) {
		meta.title = splitPartMarker(squash($(titleLink).text())).title;
		const url = webUrl(titleLink.attribs.href);
		if (url) meta.url = url;
	}
	const authors = h1.children('a.authorlink').toArray();
	const author = authors.length
		? authors.map((a) => squash($(a).text())).join(', ')
		: squash(h1.text()).replace(/^.*?\sby\s+/, '');
	if (author) meta.author = author;
	for (const row of $('body > table tr').toArray()) {
		const [label, value] = $(row).children('td').toArray();
		const name = label && squash($(label).text()).replace(/:$/, '');
		// A value is written as it came, its paragraphs as bare line breaks unless the site gave HTML.
		const text =
			value &&
			(value.children.some(isElement)
				? htmlToPlain(value.children)
				: $(value)
						.text()
						.replace(/[ \t\u00a0]+/g, ' ')
						.replace(/ *\n */g, '\n')
						.replace(/\n{3,}/g, '\n\n')
						.trim());
		if (name && text) applyLabel(meta, name, text);
	}
	finishDates(meta);

	// The chapters: each section anchor starts one; what comes before the first (title, fields, contents) is not text.
	const chapters: { title: string | null; nodes: AnyNode[] }[] = [];
	const body = $('body').first()[0];
	for (const node of body?.children ?? []) {
		if (isSection(node)) {
			chapters.push({ title: chapterTitle($(node).text()), nodes: [] });
			continue;
		}
		chapters.at(-1)?.nodes.push(node);
	}
	if (!chapters.length && body) {
		// No chapter anchors (a writer template of one's own): everything after the fields table is the text.
		const nodes = body.children;
		const table = nodes.findIndex((n) => isElement(n) && n.name === 'table');
		chapters.push({ title: null, nodes: nodes.slice(table + 1).filter((n) => !(isElement(n) && n.name === 'h1')) });
	}
	return {
		meta,
		chapters: chapters.map(({ title, nodes }) => ({ title, text: htmlToText(nodes) })),
		format: 'fanficfare-html',
		markup: 'markdown',
	};
}
