import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLOSE, markedParts, OPEN } from '../../src/archive/search/snippet.js';
import type { Markup } from '../../src/archive/types.js';
import { snippetMarkdown } from '../../src/discord/render/escape.js';

/**
 * Snippets came from the archive as Discord markdown until the archive gave them as parts (text, matched or not)
 * and the Discord renderer made the markdown. This is the old way, verbatim (archive/markdown.ts's escapeMarkdown,
 * search.ts's formatSnippet and unescapeEmphasis, render/escape.ts's defuseEscaped), to show the new way gives the
 * same bytes for any text.
 */
const old = {
	escapeMarkdown: (text: string) =>
		text
			.replace(/[\\*_~`|[\]]/g, '\\$&')
			.replace(/^(\s*)(>|#{1,3}\s|-\s)/gm, '$1\\$2')
			.replace(/^(\s*\d+)\.(\s)/gm, '$1\\.$2'),
	formatSnippet: (raw: string) =>
		old
			.escapeMarkdown(raw.replace(/\s+/g, ' ').trim())
			.replaceAll(`${CLOSE} ${OPEN}`, ' ')
			.replaceAll(OPEN, '**')
			.replaceAll(CLOSE, '**')
			.replaceAll('****', ''),
	unescapeEmphasis: (snippet: string) => snippet.replace(/\\([*_~|])/g, ''),
	defuseEscaped: (markdown: string) =>
		markdown
			.replace(/</g, '\\<')
			.replace(/@(everyone|here)/gi, '@\u200b$1')
			.replace(/^(\s*)(-#\s)/gm, '$1\\$2'),
	shown: (raw: string, markup: Markup) => {
		const snippet = old.formatSnippet(raw);
		return old.defuseEscaped(markup === 'markdown' ? old.unescapeEmphasis(snippet) : snippet);
	},
};

/** Text with everything Discord reads as markdown, escapes, line starts and white space. */
const CHARS = [...'ab Z9. *_~`|[]<>#-+\\@\n\t'].concat(['@everyone', '-# ', '1. ', '> ', '* * *', '…', 'İ']);
const text = (minLength = 0) =>
	fc.array(fc.constantFrom(...CHARS), { minLength, maxLength: 12 }).map((a) => a.join(''));
/** A match as the archive marks one: words, starting and ending with a letter or digit. */
const word = fc.tuple(fc.constantFrom('a', 'Z', '9'), text(), fc.constantFrom('b', '1')).map((p) => p.join(''));

describe('snippets as parts, shown by the Discord renderer', () => {
	it('are the same markdown as the archive made before, for any text and matches', () => {
		fc.assert(
			fc.property(
				fc.array(fc.tuple(text(), word), { maxLength: 5 }),
				text(),
				fc.constantFrom<Markup>('plain', 'markdown'),
				(pieces, tail, markup) => {
					const raw = pieces.map(([before, match]) => `${before}${OPEN}${match}${CLOSE}`).join('') + tail;
					expect(snippetMarkdown(markedParts(raw), markup)).toBe(old.shown(raw, markup));
				},
			),
			{ numRuns: 2000 },
		);
	});

	it('a page start with nothing matched is its text, escaped as before', () => {
		fc.assert(
			fc.property(text(), fc.constantFrom<Markup>('plain', 'markdown'), (raw, markup) => {
				const flat = raw.replace(/\s+/g, ' ').trim();
				const parts = flat ? [{ text: flat, match: false }] : [];
				const before = old.defuseEscaped(
					markup === 'markdown' ? old.unescapeEmphasis(old.escapeMarkdown(flat)) : old.escapeMarkdown(flat),
				);
				expect(snippetMarkdown(parts, markup)).toBe(before);
			}),
		);
	});

	it('neighbouring matches are one bold run', () => {
		expect(markedParts(`walked ${OPEN}ten${CLOSE} ${OPEN}miles${CLOSE} home`)).toEqual([
			{ text: 'walked ', match: false },
			{ text: 'ten miles', match: true },
			{ text: ' home', match: false },
		]);
		expect(snippetMarkdown(markedParts(`${OPEN}ten${CLOSE}\n\n${OPEN}miles${CLOSE}`), 'plain')).toBe('**ten miles**');
	});
});
