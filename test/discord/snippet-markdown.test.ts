import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SnippetPart } from '../../src/archive/search/index.js';
import { CLOSE, markedParts, OPEN } from '../../src/archive/search/snippet.js';
import type { Markup } from '../../src/archive/types.js';
import { snippetMarkdown } from '../../src/discord/render/escape.js';

/**
 * Snippets came from the archive as Discord markdown until the archive gave them as parts (text, matched or not)
 * and the Discord renderer made the markdown. This is the old way, verbatim (archive/markdown.ts's escapeMarkdown,
 * search.ts's formatSnippet and unescapeEmphasis, render/escape.ts's defuseEscaped), to show the new way gives the
 * same bytes wherever the old way showed the text as written (`shown`); where it did not (a backslash before a match
 * in a Markdown story, `+ ` or what emphasis left at the start, bold runs left touching), the new way must.
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

/** ASCII punctuation: what a backslash escapes in Discord markdown (before anything else it shows as itself). */
const PUNCTUATION = /[!-/:-@[-`{-~]/;

/**
 * Snippet markdown as Discord shows it: the text, in parts bold or not, and the markup in it that is live where it
 * should not be (an unescaped emphasis, spoiler, code or mention character outside the bold's `**`, a line-start
 * marker, @everyone, a bold left open or touching another). The zero-width space that breaks @everyone is unseen,
 * so left out.
 */
function shown(markdown: string): { parts: SnippetPart[]; live: string[] } {
	const parts: SnippetPart[] = [];
	const live: string[] = [];
	let bold = false;
	const add = (text: string) => {
		const last = parts.at(-1);
		if (last?.match === bold) last.text += text;
		else parts.push({ text, match: bold });
	};
	const escapedAway = markdown.replace(/\\[\s\S]/g, 'x');
	if (/^[ \t]*(?:[-+*][ \t]|\d+\.[ \t]|#{1,3}[ \t]|-#[ \t]|>)/m.test(escapedAway)) live.push('a line-start marker');
	if (/@(everyone|here)/i.test(escapedAway)) live.push('@everyone');
	for (let i = 0; i < markdown.length; ) {
		const c = markdown.charAt(i);
		const next = markdown.charAt(i + 1);
		if (c === '\\' && PUNCTUATION.test(next)) {
			add(next);
			i += 2;
		} else if (markdown.startsWith('**', i)) {
			// (Discord's bold does not end before another `*`: "**ab****cd**" is no two bold runs.)
			if (markdown.charAt(i + 2) === '*') live.push('bold runs touching');
			bold = !bold;
			i += 2;
		} else {
			if (/[\\*_~|`<]/.test(c)) live.push(`a live ${c}`);
			if (c !== '\u200b') add(c);
			i++;
		}
	}
	if (bold) live.push('a bold left open');
	return { parts, live };
}

/** What a snippet should show: its parts (a Markdown story's emphasis and spoiler markers left out), runs joined. */
function expected(parts: readonly SnippetPart[], markup: Markup): SnippetPart[] {
	const out: SnippetPart[] = [];
	for (const { text, match } of parts) {
		const kept = markup === 'markdown' ? text.replace(/[*_~|]/g, '') : text;
		const last = out.at(-1);
		if (!kept) continue;
		if (last?.match === match) last.text += kept;
		else out.push({ text: kept, match });
	}
	return out;
}

/** Whether markdown shows these parts as written, nothing live. */
const showsAsWritten = (markdown: string, parts: readonly SnippetPart[], markup: Markup) => {
	const seen = shown(markdown);
	return seen.live.length === 0 && JSON.stringify(seen.parts) === JSON.stringify(expected(parts, markup));
};

/** Text with everything Discord reads as markdown, escapes, line starts and white space. */
const CHARS = [...'ab Z9. *_~`|[]<>#-+\\@\n\t'].concat([
	'@everyone',
	'-# ',
	'- ',
	'+ ',
	'* ',
	'1. ',
	'# ',
	'> ',
	'* * *',
	'\\\\',
	'…',
	'İ',
]);
const text = (minLength = 0) =>
	fc.array(fc.constantFrom(...CHARS), { minLength, maxLength: 12 }).map((a) => a.join(''));
/** A match as the archive marks one: words, starting and ending with a letter or digit. */
const word = fc.tuple(fc.constantFrom('a', 'Z', '9'), text(), fc.constantFrom('b', '1')).map((p) => p.join(''));

describe('snippets as parts, shown by the Discord renderer', () => {
	it('show their text as written with the matches in bold, for any text and matches', () => {
		fc.assert(
			fc.property(
				fc.array(fc.tuple(text(), word), { maxLength: 5 }),
				text(),
				fc.constantFrom<Markup>('plain', 'markdown'),
				(pieces, tail, markup) => {
					// As the archive gives them, and as parts straight (line breaks kept, a part empty once emphasis is out).
					const raw = pieces.map(([before, match]) => `${before}${OPEN}${match}${CLOSE}`).join('') + tail;
					const direct = pieces.flatMap(([before, match]) => [
						{ text: before, match: false },
						{ text: match, match: true },
					]);
					for (const parts of [markedParts(raw), [...direct, { text: tail, match: false }]]) {
						const markdown = snippetMarkdown(parts, markup);
						expect(shown(markdown).live, markdown).toEqual([]);
						expect(shown(markdown).parts, markdown).toEqual(expected(parts, markup));
					}
				},
			),
			{ numRuns: 2000 },
		);
	});

	it('are the same markdown as the archive made before, wherever that showed the text as written', () => {
		let same = 0;
		fc.assert(
			fc.property(
				fc.array(fc.tuple(text(), word), { maxLength: 5 }),
				text(),
				fc.constantFrom<Markup>('plain', 'markdown'),
				(pieces, tail, markup) => {
					const raw = pieces.map(([before, match]) => `${before}${OPEN}${match}${CLOSE}`).join('') + tail;
					const parts = markedParts(raw);
					const before = old.shown(raw, markup);
					if (!showsAsWritten(before, parts, markup)) return;
					same++;
					expect(snippetMarkdown(parts, markup)).toBe(before);
				},
			),
			{ numRuns: 2000 },
		);
		// Most inputs the old way got right: the comparison is not vacuous.
		expect(same).toBeGreaterThan(1000);
	});

	it('a page start with nothing matched is its text, escaped as before where that showed it as written', () => {
		fc.assert(
			fc.property(text(), fc.constantFrom<Markup>('plain', 'markdown'), (raw, markup) => {
				const flat = raw.replace(/\s+/g, ' ').trim();
				const parts = flat ? [{ text: flat, match: false }] : [];
				const before = old.defuseEscaped(
					markup === 'markdown' ? old.unescapeEmphasis(old.escapeMarkdown(flat)) : old.escapeMarkdown(flat),
				);
				const markdown = snippetMarkdown(parts, markup);
				expect(shown(markdown)).toEqual({ parts: expected(parts, markup), live: [] });
				if (showsAsWritten(before, parts, markup)) expect(markdown).toBe(before);
			}),
		);
	});

	it('the old way’s faults, fixed', () => {
		// A backslash before a match in a Markdown story escaped the bold: "C:\*Users**".
		const path = [
			{ text: 'C:\\', match: false },
			{ text: 'Users', match: true },
		];
		expect(old.shown(`C:\\${OPEN}Users${CLOSE}`, 'markdown')).toBe('C:\\*Users**');
		expect(snippetMarkdown(path, 'markdown')).toBe('C:\\\\**Users**');
		expect(snippetMarkdown(path, 'plain')).toBe('C:\\\\**Users**');
		// "+ " at the start was a live list marker; so was what a Markdown story's emphasis left there.
		expect(snippetMarkdown([{ text: '+ one', match: false }], 'plain')).toBe('\\+ one');
		expect(snippetMarkdown([{ text: '*- x', match: false }], 'markdown')).toBe('\\- x');
		expect(snippetMarkdown([{ text: '_1. x', match: false }], 'markdown')).toBe('1\\. x');
		expect(snippetMarkdown([{ text: '*# x', match: false }], 'markdown')).toBe('\\# x');
		// Matches left touching once emphasis between them is out are one bold run.
		const touching = [
			{ text: 'ab', match: true },
			{ text: '_', match: false },
			{ text: 'cd', match: true },
		];
		expect(snippetMarkdown(touching, 'markdown')).toBe('**abcd**');
		for (const [parts, markup] of [
			[path, 'markdown'],
			[touching, 'markdown'],
		] as const)
			expect(showsAsWritten(snippetMarkdown(parts, markup), parts, markup)).toBe(true);
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
