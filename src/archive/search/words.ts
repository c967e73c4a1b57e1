/**
 * Words in text as search finds them: whole-word patterns and positions, letter-or-digit tests without regular
 * expressions, FTS5 string literals. Shared by the rooms that read a page's text.
 */

/** An FTS5 string literal. */
export const phraseLiteral = (text: string) => `"${text.replaceAll('"', '""')}"`;

export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A word on its own (not inside another), case-insensitive. */
export const wordPattern = (word: string, flags = '') =>
	new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(word)}(?![\\p{L}\\p{N}])`, `iu${flags}`);

/** One letter or digit. */
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;

/** Whether the character at `at` is a letter or digit (`\p{L}`, `\p{N}`): ASCII without a regular expression. */
export function wordCharAt(text: string, at: number): boolean {
	const code = text.charCodeAt(at);
	if (code < 128) return (code >= 48 && code <= 57) || ((code | 32) >= 97 && (code | 32) <= 122);
	if (Number.isNaN(code)) return false;
	// The second half of a character outside the BMP: the character is the pair.
	const start = code >= 0xdc00 && code <= 0xdfff && at > 0 ? at - 1 : at;
	return LETTER_OR_DIGIT.test(String.fromCodePoint(text.codePointAt(start) as number));
}

/** Where `lower` holds the word whole, from `from` on: letters and digits on neither side ("buffy" in "buffy’s" too). */
export function wholeWordAt(lower: string, word: string, from: number): number {
	for (let i = lower.indexOf(word, from); i !== -1; i = lower.indexOf(word, i + 1)) {
		if (!(i > 0 && wordCharAt(lower, i - 1)) && !wordCharAt(lower, i + word.length)) return i;
	}
	return -1;
}
