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
