import type { SnippetPart } from '../../archive/search/index.js';
import type { Markup } from '../../archive/types.js';
import { orDash } from './limits.js';

/**
 * The one place story-supplied strings (titles, authors, characters, tags, summaries, lines, pages) are made
 * safe for Discord. Every render function passes such a string through one of these before it goes out:
 *
 * - `escapeText` where Discord reads markdown (content, embed titles, descriptions, field names and values):
 *   emphasis, strikethrough, spoilers, code and fences, masked links, quote, heading, subtext and list
 *   markers, and mentions (`<@id>`, `<#id>`, `@everyone`, …) all show as the characters they are.
 * - `spoilerText` where a server hides a field behind a spoiler bar: `escapeText` inside `||…||`, so
 *   nothing the story wrote (a `||`, a backslash, a fence) can close the bar early or reach past it.
 * - `storyText` for a page or line: plain text as `escapeText`; a Markdown story keeps its emphasis (`*`,
 *   `_`, `~~`) but nothing else (no fences, spoilers, links, headings or mentions).
 * - `snippetMarkdown` for a search snippet: its text escaped, its matches in bold, on one line.
 * - `plainText` where Discord shows text as it is (menu option labels and descriptions, button labels,
 *   footers, modal titles, autocomplete choices): nothing is escaped (a backslash would show), but line
 *   breaks become spaces and mentions are broken, and the caller cuts it to the surface's limit.
 *
 * Pings are off on every message anyway (`allowedMentions: { parse: [] }`); escaping mentions as well keeps
 * them from showing as a highlighted name or role.
 */

/** `@everyone` and `@here` with a zero-width space after the `@`: shown the same, never a mention. */
const defuseEveryone = (text: string) => text.replace(/@(everyone|here)/gi, '@\u200b$1');

/** Markers Discord reads at the start of a line: quotes, headings, subtext, lists, numbered lists. */
const escapeLineStarts = (text: string) =>
	text.replace(/^(\s*)(>|#{1,3}\s|-#\s|[-+]\s)/gm, '$1\\$2').replace(/^(\s*\d+)\.(\s)/gm, '$1\\.$2');

/** Characters Discord reads as markdown anywhere in a line, each escaped. */
const escapeMarkup = (text: string) => text.replace(/[\\*_~`|[\]<]/g, '\\$&');

/** A story-supplied string for a place where Discord reads markdown: it shows exactly as written. */
export function escapeText(text: string): string {
	return escapeLineStarts(defuseEveryone(escapeMarkup(text)));
}

/**
 * A story-supplied string behind a spoiler bar. Cut it with `truncateMarkdown` (limits.ts), which keeps the
 * bars; `truncate` would cut off the closing one.
 */
export const spoilerText = (text: string): string => `||${orDash(escapeText(text))}||`;

/**
 * Markdown story text kept as markdown, but for what must never pass through raw: code and fences, spoilers,
 * masked links, mentions, and quote, heading and subtext lines. A backslash the story wrote already escapes
 * the character after it, and stays.
 */
function safeMarkdown(text: string): string {
	const escaped = text.replace(/\\([\s\S])|[`|[\]<]/g, (whole, after: string | undefined) =>
		after === undefined ? `\\${whole}` : whole,
	);
	return defuseEveryone(escaped)
		.replace(/^(\s*)(>|#{1,3}\s|-#\s)/gm, '$1\\$2')
		.replace(/^\* \* \*$/gm, '\\* \\* \\*');
}

/**
 * A story's text as Discord should show it: plain text with all markdown escaped; a Markdown story's text
 * (italics and bold from the source) with its emphasis, but for the scene break "* * *" (Discord would read
 * a list) and everything `safeMarkdown` takes out.
 */
export const storyText = (text: string, markup: Markup): string =>
	markup === 'plain' ? escapeText(text) : safeMarkdown(text);

/** A story-supplied string for a place Discord shows as it is: one line, no mentions. */
export const plainText = (text: string): string => defuseEveryone(text.replace(/\s*[\r\n]+\s*/g, ' '));

/**
 * A search snippet (a page's text around the matches, in parts) as Discord markdown: it shows its text as written,
 * the matches in bold. Each part is escaped on its own (so a backslash the text ends with stays a backslash and
 * cannot escape the bold after it), and the quote, heading, subtext and list markers at a line's start are escaped
 * once the parts are joined. A Markdown story's own emphasis and spoiler markers (`*`, `_`, `~`, `|`) are taken out
 * first, where beside the bold they would show as stray characters, so what they leave at a line's start (`*- x`)
 * is escaped too; a match next to a match once they are gone is one bold run with it.
 */
export function snippetMarkdown(parts: readonly SnippetPart[], markup: Markup): string {
	const kept: SnippetPart[] = [];
	for (const part of parts) {
		const text = markup === 'markdown' ? part.text.replace(/[*_~|]/g, '') : part.text;
		const last = kept.at(-1);
		if (!text) continue;
		if (last?.match === part.match) last.text += text;
		else kept.push({ text, match: part.match });
	}
	const joined = kept.map(({ text, match }) => (match ? `**${escapeMarkup(text)}**` : escapeMarkup(text))).join('');
	return escapeLineStarts(defuseEveryone(joined));
}
