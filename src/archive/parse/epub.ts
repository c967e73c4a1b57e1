/**
 * EPUB: a zip with `mimetype` (application/epub+zip), META-INF/container.xml naming the package (OPF) file, and
 * the package's metadata, manifest and spine. Chapters are the spine's documents in order, titled from the
 * table of contents (NCX or EPUB 3 nav) or their first heading. AO3's EPUBs (its HTML download split into
 * files) go to the AO3 reader whole; FanFicFare's title page adds its `Label: value` lines to the metadata.
 */
import { posix } from 'node:path';
import { type CheerioAPI, load } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import type { ChapterText } from '../pages.js';
import type { StoryMeta } from '../types.js';
import { isAo3Document, readAo3Document } from './ao3-html.js';
import { decodeText } from './decode.js';
import { htmlToPlain, htmlToText, isElement } from './html-text.js';
import { parseDate, splitPartMarker } from './normalize.js';
import {
	applyLabel,
	chapterTitle,
	emptyMeta,
	FormatError,
	finishDates,
	parseStatus,
	type SourceStory,
	setTags,
	webUrl,
} from './source.js';
import { openZip, type ZipArchive, ZipError } from './zip.js';

const EPUB_MIMETYPE = 'application/epub+zip';

/** XHTML read leniently: HTML entities (&nbsp;), and `<p/>`-style self-closing tags closed where they stand. */
const loadXhtml = (text: string) =>
	load(text, { xml: { xmlMode: false, recognizeSelfClosing: true, decodeEntities: true, lowerCaseTags: true } });
const loadXml = (text: string) => load(text, { xml: { xmlMode: true, decodeEntities: true } });
const utf8 = (bytes: Uint8Array) => decodeText(bytes).text;

/** Elements by local name (`dc:title` and `title` alike), whatever prefix the file gives the namespace. */
const byName = ($: CheerioAPI, name: string): Element[] =>
	$('*')
		.toArray()
		.filter((el): el is Element => isElement(el) && (el.name.split(':').pop() ?? '').toLowerCase() === name);
const attr = (el: Element, name: string): string | undefined => {
	for (const [key, value] of Object.entries(el.attribs)) if (key.split(':').pop() === name) return value;
	return undefined;
};
const textOf = ($: CheerioAPI, el: Element) => $(el).text().replace(/\s+/g, ' ').trim();

interface ManifestItem {
	id: string;
	path: string;
	mediaType: string;
	properties: string[];
}

/** A path inside the zip from an href relative to the file at `from`, without any #fragment. */
function resolve(from: string, href: string): string {
	let path = href.split('#')[0] ?? '';
	try {
		path = decodeURIComponent(path);
	} catch {}
	return posix.normalize(posix.join(posix.dirname(from), path)).replace(/^\.\//, '');
}

/** Reads an EPUB held in memory. Throws a FormatError saying what is wrong with a damaged or incomplete one. */
export async function readEpub(bytes: Uint8Array, maxBytes: number): Promise<SourceStory> {
	let zip: ZipArchive;
	try {
		zip = await openZip(bytes, maxBytes);
	} catch (error) {
		throw new FormatError(error instanceof ZipError ? error.message : String(error));
	}
	try {
		return await readPackage(zip);
	} catch (error) {
		if (error instanceof ZipError) throw new FormatError(error.message);
		throw error;
	} finally {
		zip.close();
	}
}

/** Why a zip is not an EPUB, naming what it seems to be instead. */
function notEpub(zip: ZipArchive, mimetype: string | null): FormatError {
	if (zip.has('word/document.xml')) return new FormatError('it is a Word document (.docx), not a story file');
	if (zip.has('content.xml') && mimetype?.includes('opendocument')) {
		return new FormatError('it is an OpenDocument file (.odt), not a story file');
	}
	return new FormatError(
		mimetype
			? `it is a zip archive of type ${mimetype}, not an EPUB`
			: `it is a zip archive but not an EPUB (no mimetype file saying ${EPUB_MIMETYPE})`,
	);
}

async function readPackage(zip: ZipArchive): Promise<SourceStory> {
	const mimetype = zip.has('mimetype') ? utf8(await zip.read('mimetype')).trim() : null;
	if (mimetype !== EPUB_MIMETYPE && !(mimetype === null && zip.has('META-INF/container.xml'))) {
		throw notEpub(zip, mimetype);
	}
	if (!zip.has('META-INF/container.xml')) {
		throw new FormatError('the EPUB has no META-INF/container.xml, which says where its contents are');
	}
	if (zip.has('META-INF/encryption.xml')) {
		// Fonts are often obfuscated (listed here too); encrypted chapters mean DRM.
		const encryption = loadXml(utf8(await zip.read('META-INF/encryption.xml')));
		const encrypted = byName(encryption, 'cipherreference').map((el) => attr(el, 'URI') ?? '');
		if (encrypted.some((uri) => /\.x?html?$/i.test(uri))) {
			throw new FormatError('the EPUB is DRM-protected (its chapters are encrypted), so its text cannot be read');
		}
	}
	const container = loadXml(utf8(await zip.read('META-INF/container.xml')));
	const rootfile = byName(container, 'rootfile')
		.map((el) => attr(el, 'full-path'))
		.find(Boolean);
	if (!rootfile) throw new FormatError('the EPUB’s META-INF/container.xml names no package (.opf) file');
	if (!zip.has(rootfile)) throw new FormatError(`the EPUB’s package file ${rootfile} is missing`);
	const opf = loadXml(utf8(await zip.read(rootfile)));

	const manifest = new Map<string, ManifestItem>();
	for (const item of byName(opf, 'item')) {
		const id = attr(item, 'id');
		const href = attr(item, 'href');
		if (!id || !href) continue;
		manifest.set(id, {
			id,
			path: resolve(rootfile, href),
			mediaType: attr(item, 'media-type') ?? '',
			properties: (attr(item, 'properties') ?? '').split(/\s+/).filter(Boolean),
		});
	}
	const spineElement = byName(opf, 'spine')[0];
	const spine: ManifestItem[] = [];
	for (const ref of byName(opf, 'itemref')) {
		const idref = attr(ref, 'idref') ?? '';
		const item = manifest.get(idref);
		if (!item) throw new FormatError(`the EPUB’s spine lists “${idref}”, which is not in its manifest`);
		if (!zip.has(item.path)) {
			throw new FormatError(`the EPUB’s spine lists ${item.path}, which is missing from the file`);
		}
		// Non-linear documents (footnotes, FanFicFare's update log) are not read in order: not chapters.
		if (attr(ref, 'linear') !== 'no') spine.push(item);
	}
	if (!spine.length) throw new FormatError('the EPUB’s spine lists no documents');

	const meta = readMetadata(opf);
	const tocItem =
		[...manifest.values()].find((i) => i.properties.includes('nav')) ??
		manifest.get((spineElement && attr(spineElement, 'toc')) ?? '') ??
		[...manifest.values()].find((i) => i.mediaType === 'application/x-dtbncx+xml');
	const toc = tocItem && zip.has(tocItem.path) ? tocEntries(tocItem, utf8(await zip.read(tocItem.path))) : [];
	const labels = new Map<string, string>();
	for (const entry of toc) if (!labels.has(entry.path)) labels.set(entry.path, entry.label);

	const documents: { item: ManifestItem; $: CheerioAPI }[] = [];
	for (const item of spine) {
		if (!/html|xml/.test(item.mediaType) && !/\.x?html?$/i.test(item.path)) continue;
		documents.push({ item, $: loadXhtml(utf8(await zip.read(item.path))) });
	}

	if (documents.some(({ $ }) => isAo3Document($))) {
		// AO3's EPUB is its HTML download split into files: join the bodies back and read them as one.
		const joined = load(`<html><body>${documents.map(({ $ }) => $('body').html() ?? '').join('\n')}</body></html>`);
		const ao3Meta = structuredClone(meta);
		// Its preface's tags list is the better source: the package's subjects mix fandoms, ratings and tags.
		if (joined('dl.tags').length) delete ao3Meta.additionalTags;
		const story = readAo3Document(joined, ao3Meta);
		// A layout of AO3's this reader does not know yet falls back to the spine, read like any other EPUB.
		if (story.chapters.some((c) => c.text)) return { ...story, format: 'epub' };
	}

	const chapters: ChapterText[] = [];
	const add = ($: CheerioAPI, nodes: AnyNode[], label: string | undefined) => {
		const heading = leadingHeading($, nodes);
		const title = label ?? (heading ? $(heading).text() : undefined);
		// The heading repeats the chapter's title: it is the chapter, not its text.
		const text = htmlToText(
			heading && (!label || sameText($(heading).text(), label)) ? without(nodes, heading) : nodes,
		);
		if (!text) return;
		if (labels.size && label === undefined && chapters.length) {
			// Text the contents do not list continues the chapter before it (a long chapter split in two files).
			const last = chapters[chapters.length - 1] as ChapterText;
			last.text = `${last.text}\n\n${text}`;
		} else {
			chapters.push({ title: chapterTitle(title), text });
		}
	};
	for (const { item, $ } of documents) {
		if (isFrontMatter(item, $)) {
			if (isTitlePage(item, $)) readTitlePage($, meta);
			continue;
		}
		const body = $('body').first();
		const root = body.length ? (body[0] as Element) : undefined;
		// Several contents entries pointing into one document (#anchors): one chapter per entry.
		const anchors = toc
			.filter((e) => e.path === item.path && e.fragment)
			.flatMap((e) => {
				const el = $(`[id="${(e.fragment as string).replace(/["\\]/g, '\\$&')}"]`)[0];
				return el ? [{ label: e.label, el }] : [];
			});
		const sections = root && anchors.length >= 2 ? splitAtAnchors(root, anchors) : null;
		if (sections) {
			for (const section of sections) add($, section.nodes, section.label);
		} else {
			add($, root ? root.children : $.root().contents().toArray(), labels.get(item.path));
		}
	}
	finishDates(meta);
	return { meta, chapters, format: 'epub', markup: 'markdown' };
}

const sameText = (a: string, b: string) => a.replace(/\s+/g, ' ').trim() === b.replace(/\s+/g, ' ').trim();

/** The first heading of a document, when nothing but whitespace, empty anchors and wrappers comes before it. */
function leadingHeading($: CheerioAPI, nodes: readonly AnyNode[]): Element | undefined {
	for (const node of nodes) {
		if (!isElement(node)) {
			if (node.nodeType === 3 && (node as { data: string }).data.trim()) return undefined;
			continue;
		}
		if (/^h[1-4]$/.test(node.name)) return node;
		if (node.name === 'div' || node.name === 'section' || node.name === 'header') {
			const inner = leadingHeading($, node.children);
			if (inner) return inner;
		}
		if ($(node).text().trim()) return undefined;
	}
	return undefined;
}

/**
 * A document's nodes cut where each contents entry's anchor is: the text before the first anchor (label
 * undefined, so it continues the chapter before), then one section per anchor. Null when the anchors are not in
 * document order at one level (below any wrappers holding them all).
 */
function splitAtAnchors(
	root: Element,
	anchors: readonly { label: string; el: Element }[],
): { label: string | undefined; nodes: AnyNode[] }[] | null {
	let container = root;
	const inside = (el: AnyNode, box: Element) => {
		for (let n: AnyNode | null = el; n; n = n.parent) if (n === box) return true;
		return false;
	};
	for (;;) {
		const solid = container.children.filter(
			(n) => isElement(n) || (n.nodeType === 3 && (n as { data: string }).data.trim()),
		);
		const only = solid.length === 1 ? solid[0] : undefined;
		if (!only || !isElement(only) || anchors.some((a) => a.el === only || !inside(a.el, only))) break;
		container = only;
	}
	const index = (el: AnyNode) => {
		let n: AnyNode = el;
		while (n.parent && n.parent !== container) n = n.parent;
		return n.parent === container ? container.children.indexOf(n as (typeof container.children)[number]) : -1;
	};
	const cuts = anchors.map((a) => ({ label: a.label, at: index(a.el) }));
	if (cuts.some((c, i) => c.at < 0 || (i > 0 && c.at <= (cuts[i - 1]?.at ?? -1)))) return null;
	const children = container.children;
	return [
		{ label: undefined, nodes: children.slice(0, cuts[0]?.at ?? 0) },
		...cuts.map((c, i) => ({ label: c.label, nodes: children.slice(c.at, cuts[i + 1]?.at ?? children.length) })),
	];
}

/** The nodes with one element left out, wherever it is among them. */
function without(nodes: readonly AnyNode[], drop: Element): AnyNode[] {
	drop.parent?.children.splice(drop.parent.children.indexOf(drop), 1);
	return nodes.filter((n) => n !== drop);
}

const FRONT_MATTER =
	/(?:^|[/_.-])(?:cover|title_?page|titlepage|toc|toc_page|nav|log_page|copyright|colophon)(?:[._-]|$)/i;

function isTitlePage(item: ManifestItem, $: CheerioAPI): boolean {
	return $('body.fff_titlepage').length > 0 || /title_?page/i.test(item.path) || /title_?page/i.test(item.id);
}

function isFrontMatter(item: ManifestItem, $: CheerioAPI): boolean {
	if (item.properties.includes('nav') || isTitlePage(item, $)) return true;
	return FRONT_MATTER.test(item.path.split('/').pop() ?? '') || FRONT_MATTER.test(item.id);
}

/** FanFicFare's title page: `<b>Label:</b> value<br/>` lines or a table of them. */
function readTitlePage($: CheerioAPI, meta: StoryMeta): void {
	const body = $('body').first();
	body.find('h1, h2, h3').first().remove();
	for (const row of body.find('tr').toArray()) $(row).append('<br/>');
	for (const line of htmlToPlain(body.contents().toArray()).split('\n')) {
		const m = line.match(/^([A-Za-z][A-Za-z ]{0,30}):\s*(.+)$/);
		// The package's description is the whole summary; the title page's line may be only its first paragraph.
		if (m?.[1] && m[2] && !(m[1].toLowerCase() === 'summary' && meta.summary)) applyLabel(meta, m[1], m[2]);
	}
}

interface TocEntry {
	/** The document the entry points to, and the anchor in it, if any. */
	path: string;
	fragment: string | undefined;
	label: string;
}

/** The table of contents (NCX or EPUB 3 nav), in order. */
function tocEntries(item: ManifestItem, text: string): TocEntry[] {
	const entries: TocEntry[] = [];
	const add = (href: string | undefined, label: string) => {
		if (!href || !label) return;
		entries.push({ path: resolve(item.path, href), fragment: href.split('#')[1] || undefined, label });
	};
	if (item.properties.includes('nav')) {
		const $ = loadXhtml(text);
		const navs = $('nav').toArray();
		const toc = navs.find((n) => attr(n, 'type') === 'toc') ?? navs[0];
		if (toc) for (const a of $(toc).find('a').toArray()) add(a.attribs.href, textOf($, a));
		return entries;
	}
	const $ = loadXml(text);
	for (const point of byName($, 'navpoint')) {
		const label = $(point)
			.children()
			.filter((_, el) => el.name.split(':').pop()?.toLowerCase() === 'navlabel');
		const content = $(point)
			.children()
			.toArray()
			.find((el) => el.name.split(':').pop()?.toLowerCase() === 'content');
		add(content && attr(content, 'src'), label.text().replace(/\s+/g, ' ').trim());
	}
	return entries;
}

/** The package's Dublin Core metadata (and calibre's series) as the story's metadata. */
function readMetadata($: CheerioAPI): StoryMeta {
	const meta = emptyMeta();
	const first = (name: string) => {
		const el = byName($, name)[0];
		return el ? textOf($, el) : '';
	};
	// FanFicFare writes the chapter range it was given after the title: "Title (Ch 3-3)".
	meta.title = splitPartMarker(first('title')).title;
	const creators = byName($, 'creator')
		.filter((el) => (attr(el, 'role') ?? 'aut') === 'aut')
		.map((el) => textOf($, el))
		.filter(Boolean);
	if (creators.length) meta.author = creators.join(', ');
	const description = byName($, 'description')[0];
	if (description) {
		const raw = $(description).text();
		const summary = /<[a-z][^>]*>/i.test(raw) ? htmlToPlain(load(raw)('body').contents().toArray()) : raw.trim();
		if (summary) meta.summary = summary;
	}
	const subjects: string[] = [];
	for (const el of byName($, 'subject')) {
		const subject = textOf($, el);
		const status = parseStatus(subject);
		if (status !== undefined && subject.split(/\s+/).length <= 2) meta.complete = status;
		// FanFicFare's "Last Update: 2024/01/22" subjects are dates, not tags.
		else if (subject && !/^fan ?fiction$|^last update\b/i.test(subject)) subjects.push(subject);
	}
	setTags(meta, 'additionalTags', subjects);
	for (const el of byName($, 'date')) {
		const date = parseDate(textOf($, el).slice(0, 10));
		if (!date) continue;
		const event = attr(el, 'event');
		if (event === 'modification') meta.updated = date;
		else if (event === 'publication' || (!event && !meta.published)) meta.published = date;
	}
	const language = first('language');
	if (language) meta.language = language;
	const calibre = (name: string) =>
		byName($, 'meta')
			.find((el) => attr(el, 'name') === name)
			?.attribs.content?.trim();
	const series = calibre('calibre:series');
	if (series)
		meta.series = { name: series, part: Math.max(1, Math.round(Number(calibre('calibre:series_index')) || 1)) };
	const source = first('source');
	const urlIdentifier = byName($, 'identifier').find((el) => /^url$/i.test(attr(el, 'scheme') ?? ''));
	const url = webUrl(source) ?? webUrl(urlIdentifier && textOf($, urlIdentifier));
	if (url) meta.url = url;
	else if (source) meta.extra.Source = source;
	return meta;
}
