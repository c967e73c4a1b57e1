/**
 * Plain text as it was posted to Usenet or a mailing list: an mbox `From ` line and mail or news headers above
 * the text (From:, Subject:, Date:, Received:, X-…), reposts that quote the first posting's headers as `~From:`,
 * several articles in one file, signatures after `-- ` and anonymous-remailer footers under the text. Headers
 * are metadata, never story text: the Subject gives a title, a part and a rating, From an author's name.
 */
import { normalizeRating, parseDate, splitPartMarker } from './normalize.js';

/** An article's headers: the last value of each, lower-case names; a repost's `~Subject:` as `~subject`. */
export type Headers = Map<string, string>;

export interface Article {
	headers: Headers;
	/** The article's text lines, headers, signature and remailer footer taken off. */
	lines: string[];
}

/** Header names of mail and news, besides any `X-…`. */
const KNOWN = new Set([
	'from',
	'subject',
	'date',
	'message-id',
	'newsgroups',
	'path',
	'organization',
	'organisation',
	'lines',
	'received',
	'return-path',
	'sender',
	'reply-to',
	'to',
	'cc',
	'nntp-posting-host',
	'mime-version',
	'content-type',
	'content-transfer-encoding',
	'content-length',
	'status',
	'article',
	'references',
	'followup-to',
	'keywords',
	'approved',
	'xref',
	'in-reply-to',
	'apparently-to',
	'distribution',
	'expires',
	'summary',
	'delivered-to',
	'errors-to',
	'precedence',
	'user-agent',
]);

/** Headers a story's own labelled header never has. */
const STRONG = new Set([
	'from',
	'subject',
	'message-id',
	'newsgroups',
	'path',
	'received',
	'return-path',
	'nntp-posting-host',
	'article',
]);

// "Name: value", a repost's "~Name: value", an mbox "From addr Mon …" line and "Article: 205 of group".
const HEADER_LINE = /^(~?)([A-Za-z][A-Za-z0-9-]{1,40}):(?:\s|$)(.*)$/;
const MBOX_FROM = /^From \S+\s+(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b/;

/** Whether a line is a mail or news header line, and which: null for any other line. */
function headerOf(line: string): { name: string; value: string } | null {
	const c = line.charCodeAt(0);
	// Cheap test first: a header starts with a letter or "~", and has a colon near the start.
	if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 126)) return null;
	if (MBOX_FROM.test(line)) return { name: 'mbox', value: line.slice(5) };
	const colon = line.indexOf(':');
	if (colon < 2 || colon > 42) return null;
	const m = line.match(HEADER_LINE);
	if (!m?.[2]) return null;
	const name = m[2].toLowerCase();
	if (!KNOWN.has(name) && !name.startsWith('x-')) return null;
	return { name: `${m[1]}${name}`, value: (m[3] ?? '').trim() };
}

/**
 * The header block starting at line `from` (blank lines before it skipped): where it ends and its headers,
 * or null when the lines there are not one. Blocks separated only by blank lines are one (a repost's own
 * headers, then the first posting's). A block is headers when it has an mbox line, or two header lines of
 * which one only mail or news has: a story's "Summary:" and "Date:" lines are not mail.
 */
function headerBlock(lines: readonly string[], from: number): { end: number; headers: Headers } | null {
	const headers: Headers = new Map();
	let i = from;
	let known = 0;
	let strong = false;
	let last = -1;
	let end = from;
	while (i < lines.length) {
		const line = lines[i] as string;
		if (!line.trim()) {
			i++;
			continue;
		}
		const header = headerOf(line);
		if (header) {
			known++;
			if (STRONG.has(header.name.replace(/^~/, '')) || header.name.startsWith('x-')) strong = true;
			headers.set(header.name, header.value);
			last = i;
		} else if (last === i - 1 && /^[ \t]/.test(line)) {
			// A folded header goes on on an indented line.
			last = i;
		} else {
			break;
		}
		end = i + 1;
		i++;
	}
	if (!headers.has('mbox') && (known < 2 || !strong)) return null;
	return { end, headers };
}

/** The first line that is not blank at or after `i`. */
function nextText(lines: readonly string[], i: number): number {
	let j = i;
	while (j < lines.length && !(lines[j] as string).trim()) j++;
	return j;
}

/**
 * Splits a posted file into its articles: null when the file does not start with mail or news headers. Only
 * a file that does is looked through for more articles, so ordinary text costs one test of its top line.
 */
export function splitArticles(lines: readonly string[]): Article[] | null {
	const first = headerBlock(lines, nextText(lines, 0));
	if (!first) return null;
	const articles: Article[] = [];
	let headers = first.headers;
	let start = first.end;
	for (let i = start; i < lines.length; i++) {
		// A new article's headers follow a blank line.
		if (i > start && (lines[i - 1] as string).trim()) continue;
		if (!headerOf(lines[i] as string)) continue;
		const block = headerBlock(lines, i);
		if (!block) continue;
		articles.push({ headers, lines: articleText(lines.slice(start, i)) });
		headers = block.headers;
		start = block.end;
		i = block.end - 1;
	}
	articles.push({ headers, lines: articleText(lines.slice(start)) });
	return articles;
}

/** How far above an article's end a signature or a remailer's footer is looked for. */
const FOOTER_LINES = 12;
const REMAILER = /anon\.penet\.fi|double-blind|anonymous (?:id|contact|service|remailer)|remailer/i;

/** An article's lines without the signature (after a `-- ` line) and the remailer's footer at its end. */
function articleText(lines: string[]): string[] {
	let end = lines.length;
	while (end > 0 && !(lines[end - 1] as string).trim()) end--;
	const from = Math.max(0, end - FOOTER_LINES);
	for (let i = from; i < end; i++) {
		const line = lines[i] as string;
		if (line === '-- ' || line === '--') {
			end = i;
			break;
		}
		if (REMAILER.test(line)) {
			// The footer is the paragraph holding the line, with a rule line above it.
			let top = i;
			while (top > 0 && (lines[top - 1] as string).trim()) top--;
			end = top;
			break;
		}
	}
	return lines.slice(0, end);
}

/** "meltaylor@aol.com (MelTaylor)" or "Mel Taylor <meltaylor@aol.com>" → the name; null for a bare address. */
export function nameFromAddress(from: string): string | null {
	const inParens = from.match(/\(([^()]*[A-Za-z][^()]*)\)/);
	if (inParens?.[1]) return inParens[1].trim();
	const before = from.match(/^\s*"?([^"<]*[A-Za-z][^"<]*?)"?\s*<[^>]*>/);
	return before?.[1]?.trim() || null;
}

// Words a Subject starts with that are no part of the title: "Re:", "REPOST:", "Submission to archive:".
const SUBJECT_PREFIX = /^(?:(?:re|fwd?|repost|new|fic|story|submission(?: to [a-z ]{1,20})?|archive)\s*:\s*)+/i;
const SUBJECT_RATING = /\s*[([]\s*(?:rated\s*:?\s*)?((?:nc|pg)[- ]?1[37]|pg|g|r|nc17|x|mature|teen)\s*[)\]]/i;

/** A Subject line as a title, with the rating and the part it gives: `"Bad Dreams" (Rated PG)` → Bad Dreams, PG. */
export function readSubject(subject: string): { title: string; ratingText: string | null; part: number | null } {
	let title = subject.replace(SUBJECT_PREFIX, '').trim();
	let ratingText: string | null = null;
	const rating = title.match(SUBJECT_RATING);
	if (rating?.[1] && normalizeRating(rating[1]) !== 'Not Rated') {
		ratingText = rating[1];
		title = `${title.slice(0, rating.index)} ${title.slice((rating.index ?? 0) + rating[0].length)}`.trim();
	}
	const split = splitPartMarker(title);
	title = split.title
		.replace(/^["“”']+|["“”']+$/g, '')
		.replace(/\s+/g, ' ')
		.trim();
	return { title, ratingText, part: split.part };
}

/** The headers that say most about the story: a repost's quoted first-posting headers win over its own. */
export function headerValue(headers: Headers, name: string): string | undefined {
	return headers.get(`~${name}`) || headers.get(name) || undefined;
}

/** The date an article's headers give, as ISO. */
export const headerDate = (headers: Headers): string | null => {
	const date = headerValue(headers, 'date');
	return date ? parseDate(date) : null;
};
