import type { Markup } from './types.js';

/**
 * Escapes Discord markdown in story text shown as text, so the bot's own formatting (bold matches, italics
 * around titles) is the only formatting: emphasis, strikethrough, spoilers, code, masked links, and the
 * quote, heading and list markers Discord reads at the start of a line.
 */
export function escapeMarkdown(text: string): string {
	return text
		.replace(/[\\*_~`|[\]]/g, '\\$&')
		.replace(/^(\s*)(>|#{1,3}\s|-\s)/gm, '$1\\$2')
		.replace(/^(\s*\d+)\.(\s)/gm, '$1\\.$2');
}

/**
 * A story's text as Discord should show it: plain text with its markdown escaped, markdown text (a story whose
 * markup is 'markdown': italics and bold from the source) as it is, but for the scene break "* * *", which
 * Discord would read as a list.
 */
export function storyText(text: string, markup: Markup): string {
	return markup === 'plain' ? escapeMarkdown(text) : text.replace(/^\* \* \*$/gm, '\\* \\* \\*');
}

/**
 * Markdown story text as plain text: emphasis, strikethrough and spoiler markers dropped, backslash escapes
 * undone, scene breaks kept. For search snippets and anything else that shows text without its formatting.
 */
export function stripMarkdown(text: string): string {
	return text
		.split('\n')
		.map((line) => (line === '* * *' ? line : line.replace(/\\(.)|[*_~]+|\|\|/g, (_, escaped) => escaped ?? '')))
		.join('\n');
}
