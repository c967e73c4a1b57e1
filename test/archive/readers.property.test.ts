// Every HTML and EPUB layout reads back the chapters it was made from, word for word, and pages them losslessly:
// AO3 work pages saved from a browser, FanFicFare's HTML, AO3's calibre EPUBs and a plain EPUB 3 with a nav.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseStory } from '../../src/archive/parse/index.js';
import type { ParsedStory } from '../../src/archive/types.js';
import { type Files, zip } from '../fixtures/epub.js';

const WORDS = ['Fred', 'Wesley', 'lamp', 'rock&roll', '“quiet”', 'Fred’s', 'it’s', 'the', 'basement', 'a', 'Hyperion'];
const word = fc.constantFrom(...WORDS);
const sentence = fc
	.tuple(fc.array(word, { minLength: 1, maxLength: 12 }), fc.constantFrom('.', '!', '?', '…'))
	.map(([words, end]) => `${words.join(' ')}${end}`);
const paragraph = fc.array(sentence, { minLength: 1, maxLength: 6 }).map((s) => s.join(' '));
const chapters = fc.array(fc.array(paragraph, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 4 });

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const paragraphs = (chapter: string[]) => chapter.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n');

/** A full-work view saved from the browser, site chrome around it. */
function workPage(texts: string[][]): string {
	const body =
		texts.length === 1
			? `<div class="userstuff"><h3 class="landmark heading">Work Text:</h3>${paragraphs(texts[0] ?? [])}</div>`
			: texts
					.map(
						(chapter, i) => `<div class="chapter" id="chapter-${i + 1}">
						<div class="chapter preface group"><h3 class="title"><a href="/works/1/chapters/${i}">Chapter ${i + 1}</a>: Part ${i + 1}</h3>
						<div class="notes module"><blockquote class="userstuff"><p>Chapter note.</p></blockquote></div></div>
						<div class="userstuff module" role="article"><h3 class="landmark heading">Chapter Text</h3>${paragraphs(chapter)}</div></div>`,
					)
					.join('\n');
	return `<!DOCTYPE html><html lang="en"><body><div id="header"><ul><li><a href="/works">Works</a></li></ul></div>
		<dl class="work meta group"><dt class="rating tags">Rating:</dt><dd class="rating tags"><a class="tag">Mature</a></dd></dl>
		<div id="workskin"><div class="preface group"><h2 class="title heading">Lamps</h2></div><div id="chapters">${body}</div></div>
		<div id="feedback"><div id="kudos">Kudos from many.</div></div></body></html>`;
}

/** FanFicFare's HTML writer. */
const fanFicFareHtml = (
	texts: string[][],
) => `<!DOCTYPE html><html><head><meta charset="UTF-8"><title>Lamps</title></head><body>
<h1><a href="https://example.org/s/1">Lamps (Ch 1-${texts.length})</a> by <a class='authorlink' href='https://example.org/u/1'>wren</a></h1>
<table class="full"><tr><td><b>Rating:</b></td><td>T</td></tr></table>
${texts.map((chapter, i) => `<a name="section${String(i + 1).padStart(4, '0')}"><h2>Part ${i + 1}</h2></a>\n${paragraphs(chapter)}`).join('\n')}
</body></html>`;

const CONTAINER = `<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>`;

/** An EPUB of the chapters, one file each, with a package of the given metadata and documents before them. */
function epub(texts: string[][], layout: 'ao3-calibre' | 'nav'): Files {
	const files: Files = { mimetype: 'application/epub+zip', 'META-INF/container.xml': CONTAINER };
	const names = texts.map((_, i) => `Lamps_split_00${i + 1}.xhtml`);
	const page = (body: string) =>
		`<html xmlns="http://www.w3.org/1999/xhtml"><body class="calibre">${body}</body></html>`;
	if (layout === 'ao3-calibre') {
		files['Lamps_split_000.xhtml'] = page(
			'<div id="preface"><div class="calibre1"><dl class="tags"><dt>Rating:</dt><dd>Mature</dd></dl></div><h1>Lamps</h1></div>',
		);
		texts.forEach((chapter, i) => {
			files[names[i] as string] = page(
				`<div class="userstuff1" id="chapters"><div class="calibre1"><h2 class="heading">Part ${i + 1}</h2>
				<p>Chapter Notes</p><blockquote class="userstuff"><p>A note.</p></blockquote></div>
				<div class="userstuff2">${paragraphs(chapter)}</div></div>`,
			);
		});
	} else {
		files['nav.xhtml'] =
			`<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><body><nav epub:type="toc"><ol>${names
				.map((n, i) => `<li><a href="${n}">Part ${i + 1}</a></li>`)
				.join('')}</ol></nav></body></html>`;
		texts.forEach((chapter, i) => {
			files[names[i] as string] = page(`<h1>Part ${i + 1}</h1>${paragraphs(chapter)}`);
		});
	}
	const items = Object.keys(files).filter((n) => n.endsWith('.xhtml'));
	files['content.opf'] =
		`<package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Lamps</dc:title></metadata>
		<manifest>${items.map((n, i) => `<item id="i${i}" href="${n}" media-type="application/xhtml+xml"${n === 'nav.xhtml' ? ' properties="nav"' : ''}/>`).join('')}</manifest>
		<spine>${items.map((_, i) => `<itemref idref="i${i}"/>`).join('')}</spine></package>`;
	return files;
}

/** The story holds exactly the chapters it was made from, and its pages are slices of its body that tile it. */
function expectReadBack(story: ParsedStory, texts: string[][]) {
	expect(story.chapters).toHaveLength(texts.length);
	const chapterText = (n: number) =>
		story.pages
			.filter((p) => p.chapter === n)
			.map((p) => p.text)
			.join('');
	texts.forEach((chapter, i) => {
		expect(chapterText(i + 1)).toBe(chapter.join('\n\n'));
	});
	for (const p of story.pages) expect(story.body.slice(p.offset, p.offset + p.text.length)).toBe(p.text);
	expect(story.body).not.toMatch(/note|Kudos|Works|Chapter Text|Work Text/i);
}

describe('HTML and EPUB layouts read back what they hold, losslessly paged', () => {
	const options = { pageSize: 300 };
	it('AO3 work pages and FanFicFare HTML', async () => {
		await fc.assert(
			fc.asyncProperty(chapters, async (texts) => {
				const page = await parseStory('lamps.html', new TextEncoder().encode(workPage(texts)), options);
				expectReadBack(page, texts);
				const fff = await parseStory('lamps.html', new TextEncoder().encode(fanFicFareHtml(texts)), options);
				expect(fff.meta.title).toBe('Lamps');
				expectReadBack(fff, texts);
			}),
			{ numRuns: 40 },
		);
	});

	it('AO3 calibre EPUBs and EPUB 3 with a nav', async () => {
		await fc.assert(
			fc.asyncProperty(chapters, async (texts) => {
				expectReadBack(await parseStory('lamps.epub', zip(epub(texts, 'ao3-calibre')), options), texts);
				expectReadBack(await parseStory('lamps.epub', zip(epub(texts, 'nav')), options), texts);
			}),
			{ numRuns: 30 },
		);
	});
});
