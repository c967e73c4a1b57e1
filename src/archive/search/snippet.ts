/**
 * Snippets: a page's text around the matches, as parts that are matched or not (text as the story has it, no
 * markup), and cut here from the page's text as FTS5's snippet() cuts them, without asking the index: snippet()
 * looks the query's terms up in every segment of the page index for each hit (about 0.1 ms a hit at 1 GB, more as
 * the archive grows), where the page's own text, already at hand, holds all it needs.
 */

/** One part of a snippet: text as the story has it, and whether it is what the query matched. */
export interface SnippetPart {
	text: string;
	match: boolean;
}

/** A hit's snippet: already made, or to be made by FTS5 from a match expression. */
export type Snippet = { match: string } | { parts: SnippetPart[] };

/** The marks around a match in a snippet's text as it is cut (FTS5's snippet() and highlight() take them too). */
export const OPEN = '\u0001';
export const CLOSE = '\u0002';
export const SNIPPET_MARKS: SnippetMarks = { open: OPEN, close: CLOSE, ellipsis: '…' };
const MARKS = new RegExp(`([${OPEN}${CLOSE}])`);

/**
 * A snippet's text with its matches between the marks as parts, on one line: white space collapsed, and matches
 * with only a space (or nothing) between them one match ("ten miles", not "ten" and "miles").
 */
export function markedParts(marked: string): SnippetPart[] {
	const flat = marked.replace(/\s+/g, ' ').trim().replaceAll(`${CLOSE} ${OPEN}`, ' ');
	const parts: SnippetPart[] = [];
	let match = false;
	for (const piece of flat.split(MARKS)) {
		if (piece === OPEN || piece === CLOSE) match = piece === OPEN;
		else if (piece) {
			const last = parts.at(-1);
			if (last?.match === match) last.text += piece;
			else parts.push({ text: piece, match });
		}
	}
	return parts;
}

/** A character of a word as the index's tokenizer (unicode61) sees it: letters, digits, marks, private use. */
const WORD_CHAR = /[\p{L}\p{N}\p{Co}\p{M}]/u;
/** Marks that remove_diacritics folds away. */
const DIACRITICS = /\p{M}/gu;

/**
 * The words of a text as the index's tokenizer splits it: where each starts and ends, and which hold characters
 * beyond ASCII (to fold as the tokenizer does). ASCII is read without a regular expression.
 */
function tokenize(text: string): { starts: number[]; ends: number[]; wide: Set<number> } {
	const starts: number[] = [];
	const ends: number[] = [];
	const wide = new Set<number>();
	let inWord = false;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		let word: boolean;
		let size = 1;
		if (c < 128) word = (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122);
		else {
			const point = text.codePointAt(i) as number;
			if (point > 0xffff) size = 2;
			word = WORD_CHAR.test(String.fromCodePoint(point));
			if (word) wide.add(inWord ? starts.length - 1 : starts.length);
		}
		if (word && !inWord) starts.push(i);
		else if (!word && inWord) ends.push(i);
		inWord = word;
		i += size - 1;
	}
	if (inWord) ends.push(text.length);
	return { starts, ends, wide };
}

/**
 * What a snippet looks for: groups of which any alternative counts, each alternative a run of index terms (a
 * word's stem, or a phrase's stems in order).
 */
export type SnippetGroups = readonly (readonly (readonly string[])[])[];

export interface SnippetMarks {
	open: string;
	close: string;
	ellipsis: string;
}

/**
 * The stretch of `tokens` words of the text that shows the most of the groups (each group found counts most, its
 * repeats a little), centred on them or starting with their sentence as FTS5's snippet() chooses, with each
 * match between the marks. `stemEach` gives each word's index term (lower-cased, accents folded) or undefined.
 * Undefined when the text holds none of the groups.
 */
export function cutSnippet(
	text: string,
	groups: SnippetGroups,
	stemEach: (words: readonly string[]) => (string | undefined)[],
	marks: SnippetMarks,
	tokens = 36,
): string | undefined {
	const { starts, ends, wide } = tokenize(text);
	// A word can only stem to a term if it starts with all of the term but its last letter ("happy": "happi"):
	// only those words are read and stemmed.
	const heads = [...new Set(groups.flat(2))].map((t) => (t.length > 1 ? t.slice(0, -1) : t));
	const initials = new Set(heads.map((h) => h.charCodeAt(0)));
	const lower = text.toLowerCase();
	const sameLength = lower.length === text.length;
	const words: (string | undefined)[] = new Array(starts.length);
	for (let i = 0; i < starts.length; i++) {
		const start = starts[i] as number;
		if (!wide.has(i) && sameLength) {
			// ASCII: lower-cased, it is the word the tokenizer reads (read from the text lower-cased once, unless
			// lower-casing changed its length elsewhere, "İ").
			if (!initials.has(lower.charCodeAt(start))) continue;
			if (heads.some((h) => lower.startsWith(h, start))) words[i] = lower.slice(start, ends[i]);
			continue;
		}
		const word = text.slice(start, ends[i]).toLowerCase().normalize('NFD').replace(DIACRITICS, '');
		if (heads.some((h) => word.startsWith(h))) words[i] = word;
	}
	const candidates = [...new Set(words.filter((w) => w !== undefined))];
	const stems = new Map(stemEach(candidates).map((stem, i) => [candidates[i] as string, stem]));
	const stemAt = (i: number) => {
		const word = words[i];
		return word === undefined ? undefined : stems.get(word);
	};

	// Every instance of every alternative: its group, first word and length.
	const found: { group: number; at: number; length: number }[] = [];
	for (let at = 0; at < words.length; at++) {
		if (stemAt(at) === undefined) continue;
		for (const [group, alternatives] of groups.entries()) {
			const run = alternatives.find((a) => a.every((term, k) => stemAt(at + k) === term));
			if (run) found.push({ group, at, length: run.length });
		}
	}
	if (!found.length) return undefined;

	// The window: as fts5SnippetScore scores it, from each instance, and from the start of its sentence.
	const seen = new Uint8Array(groups.length);
	const score = (from: number) => {
		seen.fill(0);
		let total = 0;
		let first = -1;
		let last = 0;
		for (const f of found) {
			if (f.at < from) continue;
			if (f.at >= from + tokens) break;
			total += seen[f.group] ? 1 : 1000;
			seen[f.group] = 1;
			if (first < 0) first = f.at;
			last = f.at + f.length;
		}
		let centred = first - Math.trunc((tokens - (last - first)) / 2);
		if (centred + tokens > words.length) centred = words.length - tokens;
		return { total, centred: Math.max(0, centred) };
	};
	const sentences = words.length > tokens ? sentenceStarts(text, starts) : null;
	let best = -1;
	let start = 0;
	for (const f of found) {
		const { total, centred } = score(f.at);
		if (total > best) {
			best = total;
			start = centred;
		}
		const sentence = sentences?.[f.at] ?? f.at;
		if (sentence < f.at) {
			const bonus = score(sentence).total + (sentence === 0 ? 120 : 100);
			if (bonus > best) {
				best = bonus;
				start = sentence;
			}
		}
	}

	const end = Math.min(words.length, start + tokens);
	// Each instance marked as one run, overlapping ones merged. (One that starts before the window is not shown
	// marked; one that runs past its end is, up to it.)
	let out = start > 0 ? marks.ellipsis : '';
	let from = start > 0 ? (starts[start] as number) : 0;
	let runEnd = -1;
	for (const f of found) {
		if (f.at < start || f.at >= end) continue;
		const last = Math.min(end, f.at + f.length) - 1;
		if (f.at <= runEnd) {
			runEnd = Math.max(runEnd, last);
			continue;
		}
		if (runEnd >= 0) {
			out += `${text.slice(from, ends[runEnd])}${marks.close}`;
			from = ends[runEnd] as number;
		}
		out += `${text.slice(from, starts[f.at])}${marks.open}`;
		from = starts[f.at] as number;
		runEnd = last;
	}
	if (runEnd >= 0) {
		out += `${text.slice(from, ends[runEnd])}${marks.close}`;
		from = ends[runEnd] as number;
	}
	out += end < words.length ? `${text.slice(from, ends[end - 1])}${marks.ellipsis}` : text.slice(from);
	return out;
}

/**
 * For each word, the first word of its sentence, as FTS5 finds sentences: a word that follows white space after a
 * full stop or a colon starts one, and so does the text's first.
 */
function sentenceStarts(text: string, starts: readonly number[]): number[] {
	const space = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;
	const first: number[] = new Array(starts.length);
	let current = 0;
	for (let i = 0; i < starts.length; i++) {
		let c = (starts[i] as number) - 1;
		if (i > 0 && space(text.charCodeAt(c))) {
			while (c > 0 && space(text.charCodeAt(c))) c--;
			const mark = text.charCodeAt(c);
			if (mark === 46 || mark === 58) current = i;
		}
		first[i] = current;
	}
	return first;
}
