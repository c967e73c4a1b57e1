import { load } from 'cheerio';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stripMarkdown } from '../../src/archive/markup.js';
import { htmlToPlain, htmlToText } from '../../src/archive/parse/html-text.js';
import { BREAK } from '../../src/archive/parse/plain-text.js';

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** Text with the characters Discord reads as markdown, at any place, and the odd no-break space. */
const words = fc
	.array(
		fc.constantFrom(
			'Buffy',
			'said',
			'*',
			'**',
			'_',
			'~~',
			'`',
			'|',
			'||',
			'\\',
			'[',
			']',
			'> ',
			'# ',
			'- ',
			'1. ',
			' ',
			'\u00a0',
			'.',
		),
		{
			minLength: 1,
			maxLength: 8,
		},
	)
	.map((parts) => escapeHtml(parts.join('')));
const inline: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
	node: fc.oneof(
		{ depthSize: 'small', withCrossShrink: true },
		words,
		fc.constant('<br/>'),
		fc
			.tuple(fc.constantFrom('em', 'i', 'strong', 'b', 'u', 's', 'span', 'a'), fc.array(tie('node'), { maxLength: 3 }))
			.map(([tag, children]) => `<${tag}>${children.join('')}</${tag}>`),
	),
})).node;
const block = fc.oneof(
	fc.array(inline, { maxLength: 4 }).map((c) => `<p>${c.join('')}</p>`),
	fc.array(inline, { maxLength: 3 }).map((c) => `<h3>${c.join('')}</h3>`),
	fc
		.array(inline, { minLength: 1, maxLength: 3 })
		.map((items) => `<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>`),
	fc.constant('<hr/>'),
	fc.constant('<p>* * *</p>'),
);
const html = fc.array(block, { minLength: 1, maxLength: 6 }).map((blocks) => blocks.join('\n'));
const nodes = (source: string) => load(`<html><body>${source}</body></html>`)('body').contents().toArray();
const paragraphs = (text: string) => text.split('\n\n').filter((p) => p && p !== BREAK);

describe('HTML to story text', () => {
	it('only adds formatting: without its markdown, the text is the plain text, word for word', () => {
		fc.assert(
			fc.property(html, (source) => {
				const text = htmlToText(nodes(source));
				expect(paragraphs(stripMarkdown(text))).toEqual(paragraphs(htmlToPlain(nodes(source))));
			}),
			{ numRuns: 300 },
		);
	});

	it('gives tidy paragraphs: no blank runs, no edge spaces, scene breaks only between text', () => {
		fc.assert(
			fc.property(html, (source) => {
				const text = htmlToText(nodes(source));
				expect(text).not.toMatch(/\n{3,}|^[ \t]|[ \t]$|[ \t]\n|\n[ \t]/);
				const parts = text.split('\n\n');
				expect(parts[0]).not.toBe(BREAK);
				expect(parts.at(-1)).not.toBe(BREAK);
				for (let i = 1; i < parts.length; i++) expect(parts[i] === BREAK && parts[i - 1] === BREAK).toBe(false);
			}),
			{ numRuns: 300 },
		);
	});
});
