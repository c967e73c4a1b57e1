import type { StoryMeta } from '../types.js';
import { normalizeRating, parseDate, parseWordCount, splitTitleDate } from './normalize.js';
import { emptyMeta } from './source.js';

/** Header fields a label can fill. */
type Field =
	| 'title'
	| 'author'
	| 'rating'
	| 'words'
	| 'summary'
	| 'disclaimer'
	| 'distribution'
	| 'feedback'
	| 'pairing'
	| 'characters'
	| 'spoilers'
	| 'category'
	| 'notes'
	| 'season'
	| 'date'
	| 'warnings'
	| 'fandom';

const LABELS: ReadonlyMap<string, Field> = new Map(
	Object.entries({
		title: ['title', 'story', 'story title', 'name'],
		author: ['author', 'by', 'written by', 'writer', 'pen name', 'penname'],
		rating: ['rating', 'rated', 'ratings'],
		words: ['word count', 'wordcount', 'words', 'length', 'word'],
		summary: ['summary', 'summery', 'synopsis', 'blurb'],
		disclaimer: ['disclaimer'],
		distribution: ['distribution', 'archive', 'archiving', 'archived at', 'permission to archive'],
		feedback: ['feedback', 'feedback/review', 'review', 'comment', 'feedback/comment'],
		pairing: ['pairing', 'relationship', 'ship'],
		characters: ['character', 'main character'],
		spoilers: ['spoiler'],
		category: ['category', 'categorie', 'genre', 'type'],
		notes: ["author's note", 'authors note', 'author note', 'note', 'a/n', 'an', 'thanks', 'dedication'],
		season: ['season', 'timeline', 'setting', 'time frame', 'timeframe'],
		date: ['date', 'posted', 'date posted', 'written', 'completed'],
		warnings: ['warning', 'content warning'],
		fandom: ['fandom', 'fandoms'],
	} satisfies Record<Field, string[]>).flatMap(([field, labels]) => labels.map((label) => [label, field as Field])),
);

/**
 * Fields whose value is one line: a free-text line right under one is a header note of its own, not more of the
 * value ("Author: Kissmeoften" then "Season IV – didn't happen, but could have...." with no blank line between).
 */
const ONE_LINE_FIELDS: ReadonlySet<Field | undefined> = new Set<Field>(['title', 'author', 'rating', 'words', 'date']);

function fieldFor(label: string): Field | undefined {
	const key = label
		.toLowerCase()
		.replace(/[’‘]/g, "'")
		.replace(/\(s\)$/, '')
		.replace(/\s+/g, ' ')
		.trim();
	return LABELS.get(key) ?? LABELS.get(key.replace(/s$/, '')) ?? LABELS.get(key.replace(/ies$/, 'y'));
}

// A label, a separator (colon, en or em dash, or a hyphen with a space beside it) and the value.
const LABEL_LINE = /^([A-Za-z][A-Za-z'’/()]*(?: [A-Za-z'’/()]+){0,3}?)\s*(:|[–—]|-(?=\s)|(?<=\s)-)\s*(.*)$/;
const BY_LINE = /^(?:by|written by|author)\s+([^\s.,;!?:–—-][^.;!?]{0,60}?)\s*$/i;
const RULE_LINE = /^[\s=_~*#+-]{3,}$/;
export const SCENE_BREAK = /^(?:(?:[*~#=+_•·-]\s*){3,}|(?:o0o|0o0|oOo|xXx|-x-)+)$/i;
const QUOTE_START = /^["“”'‘«]/;
const TRAILER =
	/^[\s~*=_-]*(the end|end|fin|finis|finite|end of story|end of part \w+|end of chapter \w+|end file|to be continued|tbc|continued)[\s.!~*=_-]*$/i;

type Line =
	| { kind: 'blank' }
	| { kind: 'label'; field: Field | undefined; label: string; value: string }
	| { kind: 'by'; value: string }
	| { kind: 'rule' }
	| { kind: 'prose' | 'free'; text: string };

function classify(raw: string): Line {
	const text = raw.trim();
	if (!text) return { kind: 'blank' };
	if (RULE_LINE.test(text)) return { kind: 'rule' };
	const by = text.match(BY_LINE);
	if (by?.[1] && by[1].split(/\s+/).length <= 5) return { kind: 'by', value: by[1] };
	const m = text.match(LABEL_LINE);
	if (m?.[1] && text.length <= 1000) {
		const field = fieldFor(m[1]);
		// Dashes separate only known labels: "Season VI – didn't happen" is a note, not a "Season VI" field.
		if (field || m[2] === ':') return { kind: 'label', field, label: m[1], value: (m[3] ?? '').trim() };
	}
	if (QUOTE_START.test(text) || text.length > 200) return { kind: 'prose', text };
	return { kind: 'free', text };
}

/** How far the header scan looks before deciding a file has no more header. */
const HEADER_SCAN_LINES = 80;

/**
 * The top lines of a file, the only ones that can be header, each classified when it is first read: the header
 * scan stops at the story's first prose, so most of them never are.
 */
class TopLines {
	readonly length: number;
	private readonly classified: Line[] = [];

	constructor(private readonly raw: readonly string[]) {
		this.length = Math.min(raw.length, HEADER_SCAN_LINES + 20);
	}

	/** The line at `i`; undefined outside the top lines. */
	at(i: number): Line | undefined {
		if (i < 0 || i >= this.length) return undefined;
		this.classified[i] ??= classify(this.raw[i] as string);
		return this.classified[i];
	}

	/** The first line that is not blank, or -1. */
	firstText(): number {
		for (let i = 0; i < this.length; i++) if (this.at(i)?.kind !== 'blank') return i;
		return -1;
	}
}

/**
 * Finds where the header ends: after the last labelled or "By" line (and the lines its value runs onto)
 * that comes before the story's prose. Prose starts at a dialogue or long line, or after three free-text
 * paragraphs in a row; a free-text line or paragraph between labels is a header note. After a paragraph of
 * several free-text lines only a known label goes on with the header: in hard-wrapped prose a line can start
 * with a word and a colon ("twooptions: give up or go straight to a flirt").
 */
function headerLength(lines: TopLines): number {
	let end = 0;
	let sawKnown = false;
	let freeRun = 0;
	// Lines in the current free-text paragraph, and whether one of two lines or more came since the last label.
	let freeLines = 0;
	let afterParagraph = false;
	let previous: Line = { kind: 'blank' };
	const limit = Math.min(lines.length, HEADER_SCAN_LINES);
	for (let i = 0; i < limit; i++) {
		const line = lines.at(i) as Line;
		if (line.kind === 'prose') break;
		if (line.kind === 'label' && (line.field || (sawKnown && !afterParagraph))) {
			sawKnown ||= line.field !== undefined;
			end = i + 1;
			freeRun = 0;
			afterParagraph = false;
		} else if (line.kind === 'by') {
			sawKnown = true;
			end = i + 1;
			freeRun = 0;
			afterParagraph = false;
		} else if (line.kind === 'free' || line.kind === 'label') {
			// A line attached to a labelled line continues its value.
			if (end === i && previous.kind !== 'blank' && previous.kind !== 'rule' && end > 0) end = i + 1;
			else {
				freeLines = previous.kind === 'blank' || previous.kind === 'rule' || i === 0 ? 1 : freeLines + 1;
				if (freeLines >= 2) afterParagraph = true;
				if (freeLines === 1) {
					freeRun++;
					if (freeRun >= 3) break;
				}
			}
		}
		previous = line;
	}
	// A rule line under the header belongs to it.
	let i = end;
	while (end > 0 && i < lines.length && (lines.at(i)?.kind === 'blank' || lines.at(i)?.kind === 'rule')) {
		if (lines.at(i)?.kind === 'rule') end = i + 1;
		i++;
	}
	return end;
}

const titleLike = (text: string) => text.length <= 100 && !/[.,;:]$/.test(text) && !QUOTE_START.test(text);

export interface PlainTextResult {
	meta: StoryMeta;
	body: string;
}

/** Turns a file name into a title: "moving-day.txt" → "Moving Day". */
export function titleFromFileName(file: string): string {
	const base = (file.split(/[\\/]/).pop() ?? file).replace(/\.[^.]+$/, '');
	const words = base.replace(/[_-]+/g, ' ').replace(/\s+/g, ' ').trim();
	return words === words.toLowerCase() ? words.replace(/\b\p{L}/gu, (c) => c.toUpperCase()) : words;
}

/** The characters plainSpaces makes plain spaces: tabs and no-break spaces. */
const ODD_SPACES = ['\t', '\u00a0', '\u2007', '\u202f'];
const ODD_SPACE = new RegExp(`[${ODD_SPACES.join('')}]`, 'g');

/**
 * Line breaks made "\n" and tabs and no-break spaces made plain spaces. Most files have neither, and looking
 * for each character is much quicker than a regular expression's pass over the whole text, so that runs only
 * when there is something to replace.
 */
function plainSpaces(text: string): string {
	let plain = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
	if (ODD_SPACES.some((space) => plain.includes(space))) plain = plain.replace(ODD_SPACE, ' ');
	return plain;
}

/** Reads a plain-text story: a free-form header (labelled lines, or a title and a "By" line), then the text. */
export function parsePlainText(text: string, file: string): PlainTextResult {
	const rawLines = plainSpaces(text).split('\n');
	// Only the top of a file can be header: classifying every line of a long story would be wasted work.
	const lines = new TopLines(rawLines);
	let end = headerLength(lines);
	// No labels: a short first line followed by a blank line is the title ("Moving Day").
	const firstIndex = lines.firstText();
	const first = lines.at(firstIndex);
	if (end === 0 && first?.kind === 'free' && titleLike(first.text) && lines.at(firstIndex + 1)?.kind !== 'free') {
		end = firstIndex + 1;
	}

	const meta = emptyMeta();
	const values = new Map<Field, string>();
	// What a free-text line right under the last one goes on: a field's value, a header note, or neither.
	let current: { field: Field | undefined; label: string } | 'note' | null = null;
	for (let i = 0; i < end; i++) {
		const line = lines.at(i) as Line;
		if (line.kind === 'blank' || line.kind === 'rule') {
			// An empty "Summary:" takes the paragraph under it; any other value ends at a blank line.
			if (line.kind === 'rule' || current === 'note' || !current || currentValue(current) !== '') current = null;
			continue;
		}
		if (line.kind === 'label') {
			current = { field: line.field, label: line.label };
			append(current, line.value);
		} else if (line.kind === 'by') {
			current = { field: 'author', label: 'By' };
			append(current, line.value);
		} else if (current === 'note') {
			meta.notes[meta.notes.length - 1] += ` ${line.text}`;
		} else if (current && !(ONE_LINE_FIELDS.has(current.field) && currentValue(current) !== '')) {
			append(current, line.text);
		} else if (i === firstIndex && !meta.title && titleLike(line.text)) {
			meta.title = line.text;
		} else {
			meta.notes.push(line.text);
			current = 'note';
		}
	}

	function currentValue(target: { field: Field | undefined; label: string }): string {
		return target.field ? (values.get(target.field) ?? '') : (meta.extra[target.label] ?? '');
	}
	function append(target: { field: Field | undefined; label: string }, value: string) {
		const before = currentValue(target);
		const joined = before && value ? `${before} ${value}` : before || value;
		if (target.field) values.set(target.field, joined);
		else meta.extra[target.label] = joined;
	}

	for (const [field, value] of values) {
		if (!value) continue;
		switch (field) {
			case 'title':
				meta.title = value;
				break;
			case 'author':
				meta.author = value;
				break;
			case 'rating':
				meta.ratingText = value;
				meta.rating = normalizeRating(value);
				break;
			case 'words':
				meta.declaredWords = parseWordCount(value);
				break;
			case 'date':
				meta.date = parseDate(value);
				if (!meta.date) meta.extra.Date = value;
				break;
			case 'notes':
				meta.notes.unshift(value);
				break;
			default:
				meta[field] = value;
		}
	}
	const { title, date } = splitTitleDate(meta.title || titleFromFileName(file));
	meta.title = title;
	meta.date ??= date;

	const { body, trailer, after } = buildBody(rawLines.slice(end));
	if (trailer) meta.trailer = trailer;
	meta.notes.push(...after);
	return { meta, body };
}

/**
 * Story text to the stored body: indentation and trailing spaces dropped, runs of spaces made one, paragraphs
 * separated by one blank line, scene breaks made "* * *", and a closing "The End" taken off as the trailer
 * (with anything after it, an author's note, returned separately).
 */
export function buildBody(lines: string[]): { body: string; trailer?: string; after: string[] } {
	const paragraphs: string[] = [];
	let block: { text: string; indented: boolean }[] = [];
	const flush = () => {
		if (block.length) paragraphs.push(...joinBlock(block));
		block = [];
	};
	for (const raw of lines) {
		// Tabs and no-break spaces are plain spaces by now; runs of spaces become one.
		let text = raw.trim();
		if (!text) {
			flush();
			continue;
		}
		if (text.includes('  ')) text = text.replace(/ {2,}/g, ' ');
		if (text.length <= 40 && SCENE_BREAK.test(text)) {
			flush();
			paragraphs.push(BREAK);
			continue;
		}
		block.push({ text, indented: raw.charCodeAt(0) === 32 && raw.charCodeAt(1) === 32 });
	}
	flush();

	let trailer: string | undefined;
	let after: string[] = [];
	for (let i = paragraphs.length - 1; i >= Math.max(0, paragraphs.length - 6); i--) {
		const paragraph = paragraphs[i] as string;
		if (paragraph !== BREAK && TRAILER.test(paragraph)) {
			trailer = paragraph.replace(/^[\s~*=_-]+|[\s~*=_-]+$/g, '');
			after = paragraphs.slice(i + 1).filter((p) => p !== BREAK);
			paragraphs.length = i;
			break;
		}
	}
	// Scene breaks only between text: none at either end, never two in a row.
	const kept = paragraphs.filter((p, i) => p !== BREAK || (i > 0 && paragraphs[i - 1] !== BREAK));
	while (kept[0] === BREAK) kept.shift();
	while (kept.at(-1) === BREAK) kept.pop();
	return { body: kept.join('\n\n'), ...(trailer ? { trailer } : {}), after };
}

export const BREAK = '* * *';

/**
 * Lines of one block (no blank line between them) to paragraphs. Hard-wrapped mailing-list text is joined
 * into flowing paragraphs, an indented line starting a new one; short lines (verse, letters) keep their breaks.
 */
function joinBlock(block: { text: string; indented: boolean }[]): string[] {
	if (block.length === 1) return [(block[0] as { text: string }).text];
	const wrapped = block.slice(0, -1).every((l) => l.text.length >= 45) && block.every((l) => l.text.length <= 100);
	if (!wrapped) return [block.map((l) => l.text).join('\n')];
	const splitOnIndent = block.some((l) => !l.indented);
	const paragraphs: string[] = [];
	for (const [i, line] of block.entries()) {
		if (i === 0 || (splitOnIndent && line.indented)) paragraphs.push(line.text);
		else paragraphs[paragraphs.length - 1] += ` ${line.text}`;
	}
	return paragraphs;
}

const WORD_NUMBERS = [
	'zero',
	'one',
	'two',
	'three',
	'four',
	'five',
	'six',
	'seven',
	'eight',
	'nine',
	'ten',
	'eleven',
	'twelve',
	'thirteen',
	'fourteen',
	'fifteen',
	'sixteen',
	'seventeen',
	'eighteen',
	'nineteen',
	'twenty',
];
const ROMAN: Record<string, number> = { i: 1, v: 5, x: 10, l: 50, c: 100 };

/** "2", "II", "Two" → 2; NaN for anything else. */
function numberValue(token: string): number {
	const t = token.toLowerCase();
	if (/^\d+$/.test(t)) return Number(t);
	const word = WORD_NUMBERS.indexOf(t);
	if (word >= 0) return word;
	if (!/^[ivxlc]+$/.test(t)) return Number.NaN;
	let n = 0;
	for (let i = 0; i < t.length; i++) {
		const v = ROMAN[t[i] as string] ?? 0;
		n += v < (ROMAN[t[i + 1] as string] ?? 0) ? -v : v;
	}
	return n;
}

const NAMED_HEADING = /^[\s*~=_#-]*(prologue|epilogue|interlude)\s*(?:[:.\-–—]\s*(.{0,70}?))?[\s*~=_#-]*$/i;
const cap = (word: string) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();

/** "Chapter 2: The Crypt", "~ Part Two ~" on a line of its own: the keyword and the number. */
const HEADING_LINE = /^[\s*~=_#-]*(chapter|part)\s+(\d+|[ivxlc]+|[a-z]+)\b\s*(?:[:.\-–—]\s*(.{0,70}?))?[\s*~=_#-]*$/i;

/**
 * Splits a plain-text body at chapter headings, conservatively: only paragraphs that are one short line
 * "Chapter N" or "Part N" (digits, Roman numerals or words, with an optional title), at least two of them, all
 * with the same keyword and numbered one after another. Anything else is one chapter, untitled. Text before
 * the first heading (a prologue) is a chapter of its own.
 */
export function splitPlainChapters(body: string): { title: string | null; text: string }[] {
	const paragraphs = body.split('\n\n');
	const headings: { index: number; keyword: string; number: number; title: string | null }[] = [];
	// A prologue, interlude or epilogue heading counts too, but only beside a run of numbered ones.
	const named: { index: number; title: string }[] = [];
	for (let index = 0; index < paragraphs.length; index++) {
		const paragraph = paragraphs[index] as string;
		if (paragraph.length > 90 || paragraph.includes('\n')) continue;
		const heading = paragraph.match(HEADING_LINE);
		const number = heading?.[2] ? numberValue(heading[2]) : Number.NaN;
		if (heading?.[1] && !Number.isNaN(number)) {
			headings.push({ index, keyword: heading[1].toLowerCase(), number, title: heading[3]?.trim() || null });
		}
		const m = paragraph.match(NAMED_HEADING);
		if (m?.[1]) named.push({ index, title: m[2]?.trim() ? `${cap(m[1])}: ${m[2].trim()}` : cap(m[1]) });
	}
	const consistent =
		headings.length >= 2 &&
		headings.every(
			(h, i) => h.keyword === headings[0]?.keyword && (i === 0 || h.number === (headings[i - 1]?.number ?? 0) + 1),
		);
	if (!consistent) return [{ title: null, text: body }];
	const starts = [...headings, ...named].sort((a, b) => a.index - b.index);
	const chapters: { title: string | null; text: string }[] = [];
	// Where each paragraph starts in the body: a chapter's text is a slice of the body rather than a copy of it,
	// which for a long story is a lot of text to copy.
	const offsets: number[] = [];
	let at = 0;
	for (const paragraph of paragraphs) {
		offsets.push(at);
		at += paragraph.length + 2;
	}
	/** The paragraphs `from` to `to` (exclusive) as text, without scene breaks at either end. */
	const text = (from: number, to: number) => {
		let first = from;
		let last = to - 1;
		while (first <= last && paragraphs[first] === BREAK) first++;
		while (last >= first && paragraphs[last] === BREAK) last--;
		if (first > last) return '';
		return body.slice(offsets[first] as number, (offsets[last] as number) + (paragraphs[last] as string).length);
	};
	const before = text(0, starts[0]?.index ?? 0);
	if (before) chapters.push({ title: null, text: before });
	for (const [i, h] of starts.entries()) {
		chapters.push({ title: h.title, text: text(h.index + 1, starts[i + 1]?.index ?? paragraphs.length) });
	}
	return chapters.filter((c) => c.text);
}
