import type { ChapterText } from '../pages.js';
import type { StoryMeta } from '../types.js';
import { normalizeRating, parseDate, parseWordCount, splitPartMarker, splitTitleDate } from './normalize.js';
import {
	type Article,
	type Headers,
	headerDate,
	headerValue,
	nameFromAddress,
	readSubject,
	splitArticles,
} from './posted.js';
import { chapterTitle, emptyMeta, parseStatus, setTags, splitList } from './source.js';

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
	| 'fandom'
	| 'tags'
	| 'status';

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
		tags: ['tags', 'additional tags', 'freeform tags'],
		status: ['status'],
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
	/** The story text, chapters one after another with a blank line between. */
	body: string;
	chapters: ChapterText[];
}

/** Turns a file name into a title: "moving-day.txt" → "Moving Day". */
export function titleFromFileName(file: string): string {
	const base = (file.split(/[\\/]/).pop() ?? file).replace(/\.[^.]+$/, '');
	const words = base.replace(/[_-]+/g, ' ').replace(/\s+/g, ' ').trim();
	return words === words.toLowerCase() ? words.replace(/\b\p{L}/gu, (c) => c.toUpperCase()) : words;
}

/** The characters plainSpaces makes plain spaces: no-break spaces (a tab becomes four). */
const ODD_SPACES = ['\u00a0', '\u2007', '\u202f'];
const ODD_SPACE = new RegExp(`[${ODD_SPACES.join('')}]`, 'g');

/**
 * Line breaks made "\n", tabs four spaces and no-break spaces plain spaces. Most files have neither, and looking
 * for each character is much quicker than a regular expression's pass over the whole text, so that runs only
 * when there is something to replace.
 */
function plainSpaces(text: string): string {
	let plain = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
	// A tab is an indent of four: a tab-indented line starts a paragraph (see joinBlock).
	if (plain.includes('\t')) plain = plain.replace(/\t/g, '    ');
	if (ODD_SPACES.some((space) => plain.includes(space))) plain = plain.replace(ODD_SPACE, ' ');
	return plain;
}

/**
 * The labelled header at the top of some lines (old-style fic headers: "Title:", "Author -", a first-line title
 * and a "By" line): the metadata it gives and the line the text starts at. Only the top lines are looked at.
 */
function readHeader(top: string[]): { meta: StoryMeta; end: number } {
	const lines = new TopLines(top);
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
			// A short line of its own right above a By line (or a blank line above it) is the title ("Partners" /
			// "by Marie Miller").
			const above = lines.at(lines.at(i - 1)?.kind === 'blank' ? i - 2 : i - 1);
			const aboveText = above?.kind === 'free' ? above.text.replace(/ {2,}/g, ' ') : null;
			if (!meta.title && aboveText && meta.notes.at(-1) === aboveText && titleLike(aboveText)) {
				meta.title = meta.notes.pop() as string;
			}
			current = { field: 'author', label: 'By' };
			append(current, line.value);
		} else if (current === 'note') {
			meta.notes[meta.notes.length - 1] += ` ${line.text.replace(/ {2,}/g, ' ')}`;
		} else if (current && !(ONE_LINE_FIELDS.has(current.field) && currentValue(current) !== '')) {
			append(current, line.text);
		} else if (i === firstIndex && !meta.title && titleLike(line.text) && lines.at(i + 1)?.kind !== 'free') {
			// A first line is a title when it stands alone, not when it is the first line of a paragraph.
			meta.title = line.text;
		} else {
			meta.notes.push(line.text.replace(/ {2,}/g, ' '));
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
			case 'tags':
				setTags(meta, 'additionalTags', splitList(value));
				break;
			case 'status': {
				const complete = parseStatus(value);
				if (complete !== undefined) meta.complete = complete;
				else meta.extra.Status = value;
				break;
			}
			default:
				meta[field] = value;
		}
	}
	return { meta, end };
}

/** The header of the lines from `from` on: only the top lines are handed over, however long the story. */
const headerAt = (lines: readonly string[], from: number) => {
	const { meta, end } = readHeader(lines.slice(from, from + HEADER_SCAN_LINES + 20));
	return { meta, end: from + end };
};

/** Adds what `from` says to what `into` does not. */
function mergeMeta(into: StoryMeta, from: StoryMeta): void {
	for (const [key, value] of Object.entries(from) as [keyof StoryMeta, unknown][]) {
		if (key === 'notes') into.notes.push(...from.notes);
		else if (key === 'extra') Object.assign(into.extra, from.extra);
		else if (key === 'rating') {
			if (from.ratingText && !into.ratingText) into.rating = from.rating;
		} else if (value !== null && value !== '' && (into[key] === null || into[key] === undefined || into[key] === '')) {
			(into as unknown as Record<string, unknown>)[key] = value;
		}
	}
}

/** How far below the labelled header a title and "by" line are looked for (after a disclaimer or an intro). */
const BY_SCAN_LINES = 60;
/** One to five words of a name, the first capitalised: "Sarah Stegall", "Stephen B. Ratliff", "Klytaimnestra". */
const NAME = /^\p{Lu}[\p{L}\p{N}.'’_-]*(?:\s+(?:\p{Lu}[\p{L}\p{N}.'’_-]*|de|van|von|der|la|le|du|del|da|di)){0,4}$/u;
/** A title line: letters, digits and sentence punctuation, no ASCII-art strokes; not ending like a sentence. */
const TITLE_TEXT = /^[\p{L}\p{N}\s'’"“”!?&:,.()–—-]+$/u;

const titleCandidate = (text: string) =>
	text.length <= 80 && /\p{L}/u.test(text) && !/[.,;:]$/.test(text) && TITLE_TEXT.test(text) && !RULE_LINE.test(text);

/** The name in "Michele Blankenship (Phenyx@aol.com)   10-5-94": cut at brackets, addresses, gaps and dates. */
function byName(text: string): string | null {
	const name = (text.split(/\s{2,}|[(<[,;|]|\s+-\s|\s+\d/)[0] ?? '')
		.replace(/\S+@\S+/g, '')
		.replace(/[.!]+$/, (m) => (/\b\p{Lu}$/u.test(text.slice(0, text.indexOf(m))) ? m : ''))
		.trim();
	return NAME.test(name) ? name : null;
}

interface ByLine {
	/** The by-line's index, and the author it names. */
	index: number;
	name: string;
	/** The title line above it ("alone"), the title before "by" on its own line ("inline"), or none. */
	title: string | null;
	titleIndex: number;
	kind: 'alone' | 'inline';
	/** The first line of the by-line's block, and the line after it. */
	blockStart: number;
	blockEnd: number;
}

/**
 * A title and by-line block below a disclaimer box, an intro or a letter, often centred: "ANGEL" / "by Sarah
 * Stegall", or one line "PROMISES        by Michele Blankenship (Phenyx@aol.com)   10-5-94", or "by …" at
 * the end of a line of ASCII art (no title then).
 */
function findByLine(lines: readonly string[], from: number): ByLine | null {
	const to = Math.min(lines.length, from + BY_SCAN_LINES);
	for (let i = from; i < to; i++) {
		const text = (lines[i] as string).trim();
		if (text.length < 4 || text.length > 120 || !/by\s/i.test(text)) continue;
		const alone = text.match(/^by\s+(.+)$/i);
		const inline = alone ? null : text.match(/^(.*\S)\s{2,}by\s+(.+)$/i);
		const name = byName((alone?.[1] ?? inline?.[2] ?? '').trim());
		if (!name) continue;
		let blockStart = i;
		while (blockStart > from && (lines[blockStart - 1] as string).trim()) blockStart--;
		let blockEnd = i + 1;
		while (blockEnd < lines.length && (lines[blockEnd] as string).trim()) blockEnd++;
		let title: string | null = null;
		let titleIndex = -1;
		if (alone) {
			// The line above, or the one above a blank line.
			let above = i - 1;
			if (above >= from && !(lines[above] as string).trim()) above--;
			const candidate = above >= from ? (lines[above] as string).trim().replace(/ {2,}/g, ' ') : '';
			if (candidate && titleCandidate(candidate)) {
				title = candidate;
				titleIndex = above;
			}
		} else {
			const candidate = (inline?.[1] ?? '').replace(/ {2,}/g, ' ');
			if (titleCandidate(candidate)) title = candidate;
		}
		return { index: i, name, title, titleIndex, kind: alone ? 'alone' : 'inline', blockStart, blockEnd };
	}
	return null;
}

/** "Bad Dreams" and "bad dreams" alike, quotes and spaces aside: to find a Subject's title in the text. */
const sameTitle = (a: string, b: string) => {
	const norm = (s: string) =>
		s
			.toLowerCase()
			.replace(/["“”'‘’]/g, '')
			.replace(/\s+/g, ' ')
			.trim();
	return norm(a) === norm(b);
};

/** "ANGEL" → "Angel", "THE LONG NIGHT" → "The Long Night"; a title with any lower-case letter stays. */
export function titleCase(title: string): string {
	if (/\p{Ll}/u.test(title) || !/\p{Lu}.*\p{Lu}/u.test(title)) return title;
	const small = new Set(['a', 'an', 'and', 'as', 'at', 'but', 'by', 'for', 'in', 'of', 'on', 'or', 'the', 'to']);
	return title
		.toLowerCase()
		.replace(/[\p{L}\p{N}'’]+/gu, (word, at: number) =>
			at > 0 && small.has(word) ? word : word.charAt(0).toUpperCase() + word.slice(1),
		);
}

/**
 * The metadata at the top of some lines (an article's text, or a whole file) and the line its text starts at:
 * the labelled header, else a title and by-line block further down (what is above it is an intro or a
 * disclaimer: notes), else, for a posted article, the Subject's title on a line of its own.
 */
function readTop(lines: readonly string[], subjectTitle: string | null): { meta: StoryMeta; start: number } {
	const head = headerAt(lines, 0);
	const meta = head.meta;
	const start = head.end;
	if (meta.title) return { meta, start };
	const by = findByLine(lines, start);
	if (by?.kind === 'alone' && by.title) {
		meta.notes.push(...plainParagraphs(lines.slice(start, by.titleIndex)));
		const block = headerAt(lines, by.titleIndex);
		mergeMeta(meta, block.meta);
		meta.title ||= by.title;
		meta.author ||= by.name;
		return { meta, start: Math.max(block.end, by.index + 1) };
	}
	if (by) {
		// A title before "by" on the by-line, or none (ASCII art): the block's other lines are art or notes.
		meta.notes.push(...plainParagraphs(lines.slice(start, by.title ? by.index : by.blockStart)));
		if (by.title) {
			meta.notes.push(...plainParagraphs(lines.slice(by.index + 1, by.blockEnd)));
			meta.title = by.title;
		}
		meta.author ||= by.name;
		return { meta, start: by.blockEnd };
	}
	if (subjectTitle) {
		// A posted story often repeats its Subject's title on a line of its own, with the author's name under it.
		const to = Math.min(lines.length, start + BY_SCAN_LINES);
		for (let i = start; i < to; i++) {
			if (!sameTitle(lines[i] as string, subjectTitle)) continue;
			meta.notes.push(...plainParagraphs(lines.slice(start, i)));
			let next = i + 1;
			while (next < lines.length && !(lines[next] as string).trim()) next++;
			const name = (lines[next] ?? '').trim();
			return { meta, start: name.length <= 40 && NAME.test(name) ? next + 1 : i + 1 };
		}
	}
	return { meta, start };
}

/** What the headers of a posted article say, where the text does not say it: title, rating, author, date. */
function applyHeaders(meta: StoryMeta, headers: Headers, subject: ReturnType<typeof readSubject> | null): void {
	if (subject) {
		if (!meta.title && subject.title) meta.title = subject.title;
		if (!meta.ratingText && subject.ratingText) {
			meta.ratingText = subject.ratingText;
			meta.rating = normalizeRating(subject.ratingText);
		}
	}
	const from = headerValue(headers, 'from');
	if (!meta.author && from) meta.author = nameFromAddress(from);
	meta.date ??= headerDate(headers);
}

/**
 * Reads a plain-text story: a free-form header (labelled lines, or a title and a "By" line, maybe below an
 * intro or a disclaimer box), then the text; mail and news headers above it are metadata, and a file of
 * several posted articles is one story whose chapters are the articles.
 */
export function parsePlainText(text: string, file: string): PlainTextResult {
	const rawLines = plainSpaces(text).split('\n');
	const articles = splitArticles(rawLines);
	const lines = articles ? (articles[0] as Article).lines : rawLines;
	const headers = articles?.[0]?.headers;
	const subjectText = headers && headerValue(headers, 'subject');
	const subject = subjectText ? readSubject(subjectText) : null;
	const { meta, start } = readTop(lines, subject?.title || null);
	if (headers) applyHeaders(meta, headers, subject);

	const { title, date } = splitTitleDate(meta.title || titleFromFileName(file));
	meta.title = titleCase(splitPartMarker(title).title);
	meta.date ??= date;

	const texts = [lines.slice(start), ...(articles ?? []).slice(1).map((a) => a.lines)];
	const built = texts.map((t) => buildBody(t));
	const last = built.at(-1);
	if (last?.trailer) meta.trailer = last.trailer;
	meta.notes.push(...(last?.after ?? []));
	// The other articles' closing lines and notes are not text either.
	for (const b of built.slice(0, -1)) meta.notes.push(...b.after);

	if (!articles || articles.length < 2) {
		const body = built[0]?.body ?? '';
		return { meta, body, chapters: body ? splitPlainChapters(body) : [] };
	}
	const chapters = built.map((b, i) => articleChapter(b.body, (articles[i] as Article).headers, meta.title));
	const kept = chapters.filter((c) => c.text);
	return { meta, body: kept.map((c) => c.text).join('\n\n'), chapters: kept };
}

/** One posted article as a chapter: titled by a heading at its top ("Part 2"), else by its Subject. */
function articleChapter(body: string, headers: Headers, storyTitle: string): ChapterText {
	const cut = body.indexOf('\n\n');
	const top = cut < 0 ? body : body.slice(0, cut);
	if (top.length <= 90 && !top.includes('\n') && (HEADING_LINE.test(top) || NAMED_HEADING.test(top))) {
		return { title: chapterTitle(top.replace(/[:.]\s*$/, '')), text: cut < 0 ? '' : body.slice(cut + 2) };
	}
	const subject = headerValue(headers, 'subject');
	if (!subject) return { title: null, text: body };
	const { title, part } = readSubject(subject);
	const named = title.match(/\b(prologue|epilogue|afterword|interlude)\b/i)?.[1];
	if (named) return { title: cap(named), text: body };
	return { title: part !== null || sameTitle(title, storyTitle) ? null : title, text: body };
}

/** A row of a block: a line's text (trimmed, runs of spaces made one) and how far it was indented. */
interface Row {
	text: string;
	indent: number;
}

/** How many lines above the end a closing "The End" is looked for. */
const TRAILER_LINES = 40;
/** A line that underlines the heading above it: one character repeated ("~~~~~~~", "-----", "====="). */
const UNDERLINE = /^([~=_-])\1*$/;
/** A line that starts a list item: "- ", "* ", "• ", "1. ", "a) ". */
const LIST_ITEM = /^(?:[-*•+]\s|\d{1,3}[.)]\s|[a-z][.)]\s)/;
/** LIST_ITEM's test, after a cheaper look at the second and third characters (a space, a dot or a bracket). */
const isListItem = (text: string) => {
	const c = text.charCodeAt(1);
	const d = text.charCodeAt(2);
	return (c === 32 || c === 46 || c === 41 || d === 32) && LIST_ITEM.test(text);
};

/**
 * Story text to the stored body: indentation and trailing spaces dropped, runs of spaces made one, paragraphs
 * separated by one blank line, hard-wrapped lines joined into paragraphs (see joinBlock), scene breaks made
 * "* * *", the rule under a heading dropped, and a closing "The End" taken off as the trailer, with anything
 * after it (a signature, an author's note) returned separately. Form feeds (and a literal "^L" line) are blank.
 */
export function buildBody(lines: string[]): { body: string; trailer?: string; after: string[] } {
	// The closing line: looked for line by line, as it often follows the last line of text with no blank line.
	let stop = lines.length;
	let trailer: string | undefined;
	let after: string[] = [];
	for (let i = lines.length - 1, seen = 0; i >= 0 && seen < TRAILER_LINES; i--) {
		const text = (lines[i] as string).trim();
		if (!text) continue;
		seen++;
		if (text.length <= 40 && TRAILER.test(text) && standsAlone(lines, i)) {
			trailer = text.replace(/^[\s~*=_-]+|[\s~*=_-]+$/g, '');
			after = plainParagraphs(lines.slice(i + 1));
			stop = i;
			break;
		}
	}

	const items: (Row[] | typeof BREAK)[] = [];
	// Line lengths of blocks of two lines or more, to tell the wrap width.
	const lengths = new Uint32Array(LONGEST + 2);
	let block: Row[] = [];
	// Paragraphs that start with an indent, their wrapped lines less indented: how many, and the lines' indent.
	let hanging = 0;
	let base = Number.POSITIVE_INFINITY;
	const flush = () => {
		if (!block.length) return;
		if (block.length > 1) {
			for (const [i, row] of block.entries()) {
				const length = Math.min(row.indent + row.text.length, LONGEST + 1);
				lengths[length] = (lengths[length] as number) + 1;
				const above = i > 0 ? (block[i - 1] as Row) : undefined;
				// (A long line: a poem's indented short lines are no paragraphs.)
				if (above && above.indent >= row.indent + 2 && above.indent + above.text.length >= 50) {
					hanging++;
					if (row.indent < base) base = row.indent;
				}
			}
		}
		items.push(block);
		block = [];
	};
	for (let i = 0; i < stop; i++) {
		const raw = lines[i] as string;
		// Tabs and no-break spaces are plain spaces by now; runs of spaces become one.
		let text = raw.trim();
		if (!text || text === '^L') {
			flush();
			continue;
		}
		if (text.includes('  ')) text = text.replace(/ {2,}/g, ' ');
		// A rule right under a one-line heading underlines it: the heading stands alone, the rule goes.
		const only = block.length === 1 ? (block[0] as Row) : undefined;
		if (only && only.text.length <= 60 && UNDERLINE.test(text) && text.length >= 3) {
			flush();
			continue;
		}
		if (text.length <= 40 && SCENE_BREAK.test(text)) {
			flush();
			items.push(BREAK);
			continue;
		}
		let indent = 0;
		while (raw.charCodeAt(indent) === 32) indent++;
		block.push({ text, indent });
	}
	flush();

	const width = wrapWidth(lengths);
	// Text whose paragraphs start with an indent (twice at least): any line indented past its wrapped lines starts
	// one, even in a block of nothing but one-line paragraphs.
	const paragraphIndent = hanging >= 2 ? base + 2 : null;
	const paragraphs: string[] = [];
	for (const item of items) {
		if (item === BREAK) paragraphs.push(BREAK);
		else if (item.length === 1) paragraphs.push((item[0] as Row).text);
		else paragraphs.push(...joinBlock(item, width, paragraphIndent));
	}
	// Scene breaks only between text: none at either end, never two in a row.
	const kept = paragraphs.filter((p, i) => p !== BREAK || (i > 0 && paragraphs[i - 1] !== BREAK));
	while (kept[0] === BREAK) kept.shift();
	while (kept.at(-1) === BREAK) kept.pop();
	return { body: kept.join('\n\n'), ...(trailer ? { trailer } : {}), after };
}

/**
 * Whether a closing line ("The End", "Fin") stands apart from the text above it: after a blank line, indented
 * or centred, decorated ("*END*") or in capitals. The last word of a wrapped paragraph ("a bitter" / "end.")
 * does not.
 */
function standsAlone(lines: readonly string[], i: number): boolean {
	const raw = lines[i] as string;
	const text = raw.trim();
	return (
		i === 0 ||
		!(lines[i - 1] as string).trim() ||
		raw.length - raw.trimStart().length >= 4 ||
		/[~*=_-]/.test(text) ||
		!/\p{Ll}/u.test(text)
	);
}

/** Lines as paragraphs of one line each, wrapped lines joined, rules left out: for notes and signatures. */
export function plainParagraphs(lines: readonly string[]): string[] {
	const paragraphs: string[] = [];
	let current = '';
	for (const raw of lines) {
		const text = raw.trim().replace(/ {2,}/g, ' ');
		if (!text || RULE_LINE.test(text) || (text.length <= 40 && SCENE_BREAK.test(text))) {
			if (current) paragraphs.push(current);
			current = '';
		} else {
			current = current ? `${current} ${text}` : text;
		}
	}
	if (current) paragraphs.push(current);
	return paragraphs;
}

export const BREAK = '* * *';

/** Lines longer than this are not hard-wrapped: a file of them was written a paragraph a line. */
const LONGEST = 100;

/**
 * The width a file's text was hard-wrapped at: nine lines in ten of its blocks of several lines are no longer.
 * 0 when the text is not wrapped (those lines are long, or too few and short to tell).
 */
function wrapWidth(lengths: Uint32Array): number {
	let total = 0;
	for (const n of lengths) total += n;
	if (total < 2) return 0;
	let seen = 0;
	for (let length = 0; length < lengths.length; length++) {
		seen += lengths[length] as number;
		if (seen >= total * 0.9) return length >= 30 && length <= LONGEST ? length : 0;
	}
	return 0;
}

/**
 * Lines of one block (no blank line between them) to paragraphs. In hard-wrapped text (a wrap width) lines
 * are joined into flowing paragraphs. A line indented to `paragraphIndent` (text whose paragraphs start with an
 * indent) starts a new one; without it, a line indented further than the block's least indented does, unless
 * every line of the block is short (a poem's indented lines). Two or more short lines in a row (verse, a letter's closing, a list) keep their breaks, as does a
 * list item, and a short line ending a sentence; so does every line of text that is not wrapped.
 */
function joinBlock(block: readonly Row[], width: number, paragraphIndent: number | null): string[] {
	const first = block[0] as Row;
	if (block.length === 1) return [first.text];
	const shortest = width ? width * 0.6 : Number.POSITIVE_INFINITY;
	const short = (row: Row | undefined) => row !== undefined && row.indent + row.text.length < shortest;
	let least = first.indent;
	let allShort = true;
	for (const row of block) {
		if (row.indent < least) least = row.indent;
		if (!short(row)) allShort = false;
	}
	const starts = (r: Row | undefined) =>
		r !== undefined && (paragraphIndent === null ? r.indent >= least + 2 && !allShort : r.indent >= paragraphIndent);
	// How many short lines in a row, within one paragraph, each line is one of (0 for a long line).
	const run = new Uint16Array(block.length);
	for (let i = 0; i < block.length; i++) {
		if (!short(block[i])) continue;
		let end = i;
		while (end + 1 < block.length && short(block[end + 1]) && !starts(block[end + 1])) end++;
		run.fill(Math.min(end - i + 1, 0xffff), i, end + 1);
		i = end;
	}
	// Two short lines keep their break when they are verse or a list of lines (three or more, or all the block,
	// or the first ends in punctuation, or the second starts with a capital), not a wrapped sentence's last words
	// ("The Thing" / "is on HBO," he / "added helpfully.").
	const apart = (i: number, a: Row, b: Row) =>
		allShort || (run[i] as number) >= 3 || /[.,;:!?"”')\]–—-]$/.test(a.text) || /^[\p{Lu}\p{N}"“'‘([]/u.test(b.text);
	const paragraphs: string[] = [];
	let current = first.text;
	for (let i = 1; i < block.length; i++) {
		const row = block[i] as Row;
		const previous = block[i - 1] as Row;
		const next = block[i + 1];
		if (starts(row)) {
			paragraphs.push(current);
			current = row.text;
			continue;
		}
		const keepBreak =
			isListItem(row.text) ||
			(short(previous) && short(row) && apart(i, previous, row)) ||
			(short(previous) && /[.!?:"”]$/.test(previous.text)) ||
			(next !== undefined && short(row) && short(next) && !starts(next) && apart(i, row, next));
		current += keepBreak ? `\n${row.text}` : ` ${row.text}`;
	}
	paragraphs.push(current);
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

const NAMED_HEADING = /^[\s*~=_#-]*(prologue|epilogue|interlude|afterword)\s*(?:[:.\-–—]\s*(.{0,70}?))?[\s*~=_#-]*$/i;
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
