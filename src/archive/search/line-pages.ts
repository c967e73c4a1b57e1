/**
 * A page's text checked for a copied line: whether it holds the line (as typed, or as words), what share of the
 * line's word pairs it holds when not, and the snippet around the line. Plain string search, each page once.
 */
import type { CopiedLine } from './copied-line.js';
import type { SearchIndex } from './handle.js';
import { CLOSE, markedParts, OPEN, type Snippet } from './snippet.js';
import { escapeRegExp, wholeWordAt, wordCharAt } from './words.js';

/** What holding a copied line exactly as typed (punctuation too, case aside) adds to a page's score. */
export const EXACT_BONUS = 10;
/**
 * What holding it as typed but for quote marks around it all adds ("the end of the world" typed in quotes): a little
 * less than with them, so a page with the story's own marks leads.
 */
export const QUOTES_ASIDE_BONUS = 9;

/** What one page holds of a copied line: all of it (as typed, or as words), or not (then how much, once asked). */
/** `exact`: what holding the line as typed adds to the page's score (0 when it holds only its words). */
export type PageCheck =
	| { holds: true; exact: number; snippet: Snippet }
	| { holds: false; lower: string; share?: number };

/** A copied line's page checks (linePages). */
export interface LinePages {
	/** Pages read and checked so far. */
	read(): number;
	check(rowid: number): PageCheck;
	/** The share of the line's word pairs (and the line as typed) on a page that does not hold it all. */
	share(page: PageCheck & { holds: false }): number;
	/**
	 * The line's word (other than `besides`) that the pages read so far without the line lack most often, if any
	 * lacks one: what sets the line apart from the text it shares with them.
	 */
	apart(besides: readonly string[]): string | undefined;
}

/**
 * Checks pages for a copied line, each page read and checked once however many of the line's queries find it:
 * whether it holds the line (as typed, or as words), and if not, what share of it.
 */
export function linePages(ix: SearchIndex, line: CopiedLine): LinePages {
	// Most pages read lack a word of the line: a plain search of the lower-cased text for each word tells at once.
	const mayHold = (lower: string) => line.words.every((word) => lower.includes(word));
	// As typed: punctuation too (a typo corrected; around a word that matches nothing). Each part's longest
	// run without spaces first, which again rules out most pages at once.
	const holdsAll = (parts: readonly string[]) => {
		const runs = parts.map((part) => part.split(' ').reduce((a, b) => (b.length > a.length ? b : a)));
		return (lower: string) =>
			runs.every((run) => lower.includes(run)) && parts.every((part) => includesSpaced(lower, part));
	};
	const typed = holdsAll(line.text);
	// Quote marks around it all may be the query's ("the end of the world" in quotes): as typed but for those,
	// it counts a little less than with them (a line pasted with the story's own marks).
	const quotesAside = line.unquoted ? holdsAll(line.unquoted) : () => false;
	const exactly = (lower: string) => (typed(lower) ? EXACT_BONUS : quotesAside(lower) ? QUOTES_ASIDE_BONUS : 0);
	const pairs = line.words.slice(1).map((w, i) => [line.words[i] as string, w] as const);
	const checked = new Map<number, PageCheck>();
	const pageText = (rowid: number) => ix.pageText(rowid) as string;
	return {
		read: () => checked.size,
		check(rowid) {
			let known = checked.get(rowid);
			if (!known) {
				const page = pageText(rowid);
				const lower = page.toLowerCase();
				const found = mayHold(lower) ? findWords(page, lower, line.words) : null;
				known = found
					? { holds: true, exact: exactly(lower), snippet: lineSnippet(page, found) }
					: { holds: false, lower };
				checked.set(rowid, known);
			}
			return known;
		},
		share(other) {
			if (other.share === undefined) {
				const held = pairs.filter(([a, b]) => adjacent(other.lower, a, b)).length;
				other.share = (held + (exactly(other.lower) ? 1 : 0)) / (pairs.length + 1);
			}
			return other.share;
		},
		apart(besides) {
			const words = [...new Set(line.words)].filter((w) => !besides.includes(w));
			const lacking = new Map<string, number>();
			for (const known of checked.values()) {
				if (known.holds) continue;
				for (const word of words) if (!known.lower.includes(word)) lacking.set(word, (lacking.get(word) ?? 0) + 1);
			}
			return [...lacking].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
		},
	};
}

/**
 * Where a page holds a line's words, whole, in order, with anything but letters and digits between them (case
 * aside): [start, end), or null. Plain string search on the lower-cased page: a regular expression of Unicode
 * classes, case-insensitive, took about 0.3 ms a page in V8.
 */
function findWords(page: string, lower: string, words: readonly string[]): [number, number] | null {
	const first = words[0] ?? '';
	const rest = words.slice(1);
	if (!first) return null;
	// (Lower-casing that changes the length, as of "İ", leaves the pattern to find it.)
	if (lower.length !== page.length) {
		const found = linePattern(words).exec(page);
		return found && [found.index, found.index + found[0].length];
	}
	next: for (let at = wholeWordAt(lower, first, 0); at !== -1; at = wholeWordAt(lower, first, at + 1)) {
		let end = at + first.length;
		for (const word of rest) {
			let next = end;
			while (next < lower.length && !wordCharAt(lower, next)) next++;
			if (next === end || !lower.startsWith(word, next) || wordCharAt(lower, next + word.length)) continue next;
			end = next + word.length;
		}
		return [at, end];
	}
	return null;
}

/** A line's words, whole, in order, with anything but letters and digits between them; case aside. */
const linePattern = (words: readonly string[]) =>
	new RegExp(`(?<![\\p{L}\\p{N}])${words.map(escapeRegExp).join('[^\\p{L}\\p{N}]+')}(?![\\p{L}\\p{N}])`, 'iu');

/** About 200 characters around a line found in a page's text, the line the match. */
function lineSnippet(page: string, [start, end]: [number, number]): Snippet {
	const room = Math.max(20, (200 - (end - start)) / 2);
	let before = page.slice(Math.max(0, start - room), start);
	let after = page.slice(end, end + room);
	// Cut at word boundaries, with an ellipsis where the page goes on.
	if (start > before.length) before = `…${before.replace(/^\S*\s/, '')}`;
	if (end + after.length < page.length) after = `${after.replace(/\s\S*$/, '')}…`;
	return { parts: markedParts(`${before}${OPEN}${page.slice(start, end)}${CLOSE}${after}`) };
}

const isSpace = (code: number) =>
	code === 32 || (code >= 9 && code <= 13) || (code >= 128 && /\s/.test(String.fromCharCode(code)));

/** Whether `text` holds `part` (single spaces, no space at either end) with any run of whitespace for each space. */
function includesSpaced(text: string, part: string): boolean {
	const space = part.indexOf(' ');
	const head = space === -1 ? part : part.slice(0, space);
	for (let i = text.indexOf(head); i !== -1; i = text.indexOf(head, i + 1)) {
		let a = i + head.length;
		let b = head.length;
		while (b < part.length && a < text.length) {
			if (part[b] === ' ') {
				if (!isSpace(text.charCodeAt(a))) break;
				while (a < text.length && isSpace(text.charCodeAt(a))) a++;
				b++;
			} else if (part[b] === text[a]) {
				a++;
				b++;
			} else break;
		}
		if (b === part.length) return true;
	}
	return false;
}

/** Whether `lower` holds the words a and b as whole words, one after the other (anything but letters between). */
function adjacent(lower: string, a: string, b: string): boolean {
	for (let i = lower.indexOf(a); i !== -1; i = lower.indexOf(a, i + 1)) {
		let j = i + a.length;
		if ((i > 0 && wordCharAt(lower, i - 1)) || j >= lower.length || wordCharAt(lower, j)) continue;
		while (j < lower.length && !wordCharAt(lower, j)) j++;
		if (lower.startsWith(b, j) && !wordCharAt(lower, j + b.length)) return true;
	}
	return false;
}
