/**
 * Markdown, the format for people who write their own archive: YAML front matter (title, author, rating, tags,
 * summary and the other fields a card shows) between `---` lines, then the story, `#` or `##` headings starting
 * its chapters. Emphasis stays Discord markdown; links keep their text.
 */
import { parse as parseYaml } from 'yaml';
import { stripMarkdown } from '../markup.js';
import type { ChapterText } from '../pages.js';
import type { StoryMeta } from '../types.js';
import { joinParagraphs } from './html-text.js';
import { parseDate } from './normalize.js';
import { BREAK, SCENE_BREAK } from './plain-text.js';
import { applyLabel, chapterTitle, emptyMeta, FormatError, finishDates, NUMBER, type SourceStory } from './source.js';

const FRONT_MATTER = /^---[ \t]*\n([\s\S]*?)\n?(?:---|\.\.\.)[ \t]*(?:\n|$)/;
const ATX = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;

/** The front matter of a Markdown text, if it starts with one. */
export function splitFrontMatter(text: string): { yaml: string; rest: string } | null {
	const m = text.match(FRONT_MATTER);
	return m ? { yaml: m[1] ?? '', rest: text.slice(m[0].length) } : null;
}

/**
 * The front matter's fields, or a FormatError saying what is wrong with it: YAML that does not parse, or
 * YAML that is not a set of `key: value` fields.
 */
export function readFrontMatter(yaml: string): Record<string, unknown> {
	let value: unknown;
	try {
		value = parseYaml(yaml, { prettyErrors: true });
	} catch (error) {
		const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
		throw new FormatError(`the YAML front matter is broken: ${message}`);
	}
	if (value === null || value === undefined) return {};
	if (typeof value !== 'object' || Array.isArray(value)) {
		throw new FormatError('the YAML front matter is not a set of `key: value` fields');
	}
	return value as Record<string, unknown>;
}

const asText = (value: unknown): string =>
	Array.isArray(value)
		? value.map(asText).filter(Boolean).join(', ')
		: value === null || value === undefined || typeof value === 'object'
			? ''
			: String(value).trim();

/**
 * Front matter fields into the story's metadata: what only front matter gives (a yes/no `complete`, a list of
 * notes, the date, a series as `{ name, part }`) here, the rest as any title page's labels, lists as lists. Fields
 * it has no place for are kept in `extra`.
 */
function applyFields(meta: StoryMeta, fields: Record<string, unknown>): void {
	for (const [key, value] of Object.entries(fields)) {
		switch (key.toLowerCase().replace(/[_-]+/g, ' ').trim()) {
			case 'complete':
				if (typeof value === 'boolean') meta.complete = value;
				break;
			case 'notes':
				meta.notes.push(...(Array.isArray(value) ? value.map(asText) : [asText(value)]).filter(Boolean));
				break;
			case 'disclaimer':
				if (asText(value)) meta.disclaimer = asText(value);
				break;
			case 'date': {
				const date = parseDate(asText(value));
				if (date) meta.date = date;
				break;
			}
			case 'series':
				if (value && typeof value === 'object' && !Array.isArray(value)) {
					const { name: seriesName, part } = value as { name?: unknown; part?: unknown };
					if (asText(seriesName)) meta.series = { name: asText(seriesName), part: Number(part) || 1 };
					break;
				}
				applyLabel(meta, key, asText(value));
				break;
			default:
				applyLabel(meta, key, Array.isArray(value) ? value.map(asText) : asText(value));
		}
	}
}

/** `[^id]: text`: the start of a footnote's definition. */
const FOOTNOTE_DEF = /^ {0,3}\[\^([^\]\s]+)\]:[ \t]*(.*)$/;
/** `[label]: <url> "title"`: a reference link's definition. */
const LINK_DEF = /^ {0,3}\[(?!\^)([^\]]+)\]:[ \t]*(?:<[^>]*>|\S+)(?:[ \t]+(?:"[^"]*"|'[^']*'|\([^)]*\)))?[ \t]*$/;
/** A line indented as a footnote's continuation is. */
const INDENTED = /^(?: {2,}|\t)\S/;
/** A footnote reference in the text: `[^id]`. */
const FOOTNOTE_REF = /\[\^([^\]\s]+)\]/g;
/** `[text][label]`, `[text][]` or `[label]`: a reference link, or brackets that are only text. */
const REF_LINK = /(?<!\\)\[(?!\^)([^\]]+)\](?:\[([^\]]*)\])?/g;
/**
 * A backslash escape that Discord has no use for: `\'`, `\"`, `\$` … are undone. Escapes of what Discord reads
 * as markup (`\*`, `\_`, `\~`, `` \` ``, `\|`, `\\`, brackets, `<>`, and `#`, `-`, `+` that could start a heading or
 * a list) stay, so the text still shows them as written.
 */
const ESCAPE = /\\([\\!"$%&'(),./:;=?@^{}])/g;
/** A paragraph that is one bold line: `**…**` or `__…__` (not `***…***`, bold italics). */
const BOLD_BLOCK = /^(?:\*\*(?!\*)([\s\S]*?[^*\s\\])\*\*|__(?!_)([\s\S]*?[^_\s\\])__)$/;
/** A paragraph that starts and ends in bold, whatever emphasis is between. */
const BOLDISH = /^\*\*(?!\*)[\s\S]*\*\*$/;
/** A chapter heading's words: "Chapter I: Future Aspirations", "Part 2", "Prologue", "Interlude II:". */
const CHAPTER_WORDS = new RegExp(
	`^(?:(?:chapter|ch\\.|part|book)\\s+(${NUMBER})(?=\\s*$|\\s*[:.)\\-–—]|\\s+\\S)|(?:prologue|epilogue|interlude)(?:\\s+${NUMBER})?(?=\\s*$|\\s*[:.)\\-–—]))`,
	'i',
);
/** "By ACI100", "written by Jenny C.": a by-line. */
const BY_LINE = /^(?:written\s+)?by[:\s]\s*(\S.{0,78}?)\s*$/i;

/** The name of a by-line: a few words, no sentence ("By the time she woke, …" is none), else undefined. */
function byLine(text: string): string | undefined {
	const name = text.match(BY_LINE)?.[1];
	if (name === undefined || name.length > 50 || name.split(' ').length > 5 || /[,;!?]/.test(name)) return undefined;
	return !name.endsWith('.') || /(?:^|\s)\p{Lu}\.$/u.test(name) ? name : undefined;
}
/**
 * What labels a note that is not the story: a disclaimer, an author's note, acknowledgements, a plug. Bold, it
 * takes the bold lines around it with it; in plain text it needs its colon ("A/N: …").
 */
const NOTE_LABEL =
	/^(?:disclaimer|a\/n|author'?s'?\s*(?:end\s*)?notes?|authors?\s+(?:end\s*)?notes?|end\s*notes?|acknowledge?ments?|self[- ]promotion|special announcement)\s*(:)?/i;

/** Backslash escapes Discord has no use for undone ("Ace\'s" → "Ace's"), but "1\." starting a line. */
const undoEscapes = (text: string) =>
	text.replace(ESCAPE, (whole, c: string, at: number) =>
		c === '\\' || (c === '.' && /(?:^|\n)[ \t]*\d+$/.test(text.slice(Math.max(0, at - 12), at))) ? whole : c,
	);

/** A reference link's label as definitions and uses are matched: case and runs of white space do not count. */
const label = (text: string) => text.replace(/\s+/g, ' ').trim().toLowerCase();

/** The words of a bold paragraph, or null when the paragraph is not all bold. */
function boldWords(text: string): string | null {
	const m = text.match(BOLD_BLOCK);
	const inner = m ? (m[1] ?? m[2] ?? '') : null;
	return inner === null || inner.includes('**') || inner.includes('__') ? null : inner.replace(/\s+/g, ' ');
}

/** A heading's text as a chapter or story title: plain text, without its markup. */
const plainTitle = (text: string) =>
	stripMarkdown(undoEscapes(text))
		.replace(/[\s:]+$/, '')
		.trim();

interface Definitions {
	/** Each footnote's text by its id. */
	footnotes: Map<string, string>;
	/** The labels reference links use, as `label` gives them. */
	links: Set<string>;
}

/**
 * Takes the footnote and reference-link definitions out of the lines, wherever they stand. A footnote runs on
 * over the lines indented under it (blank lines between them too) and lines that continue its paragraph.
 */
function takeDefinitions(lines: readonly string[]): { lines: string[]; definitions: Definitions } {
	const footnotes = new Map<string, string>();
	const links = new Set<string>();
	const kept: string[] = [];
	for (let i = 0; i < lines.length; i++) {
		const line = lines[i] as string;
		if (!line.trimStart().startsWith('[')) {
			kept.push(line);
			continue;
		}
		const link = line.match(LINK_DEF);
		if (link) {
			links.add(label(link[1] ?? ''));
			continue;
		}
		const note = line.match(FOOTNOTE_DEF);
		if (!note) {
			kept.push(line);
			continue;
		}
		const text = [(note[2] ?? '').trim()];
		while (i + 1 < lines.length) {
			const next = lines[i + 1] as string;
			if (!next.trim()) {
				let j = i + 1;
				while (j < lines.length && !(lines[j] as string).trim()) j++;
				if (j === lines.length || !INDENTED.test(lines[j] as string)) break;
				i = j - 1;
				continue;
			}
			const runsOn = text.at(-1) && !FOOTNOTE_DEF.test(next) && !LINK_DEF.test(next) && !ATX.test(next);
			if (!INDENTED.test(next) && !runsOn) break;
			text.push(next.trim());
			i++;
		}
		const id = note[1] ?? '';
		if (!footnotes.has(id)) footnotes.set(id, text.filter(Boolean).join(' '));
	}
	return { lines: kept, definitions: { footnotes, links } };
}

/** A chapter's footnotes: numbered in the order the text first refers to them. */
class Footnotes {
	readonly order = new Map<string, number>();

	constructor(private readonly texts: ReadonlyMap<string, string>) {}

	/** The marker for a reference, `[1]`; undefined for an id no definition has (the reference stays as written). */
	mark(id: string): string | undefined {
		if (!this.texts.has(id)) return undefined;
		let n = this.order.get(id);
		if (n === undefined) {
			n = this.order.size + 1;
			this.order.set(id, n);
		}
		return `[${n}]`;
	}

	/** The notes, one paragraph each ("[1] …"), under a "Notes" heading; none when the text referred to none. */
	paragraphs(inline: (text: string) => string): string[] {
		if (!this.order.size) return [];
		const out = ['**Notes**'];
		// A note may refer to another: the Map's iteration takes in entries added while it runs.
		for (const [id, n] of this.order) out.push(`[${n}] ${inline(this.texts.get(id) ?? '')}`);
		return out;
	}
}

/** What the reader gathers while it reads: the definitions, and what the notes say about the story. */
interface Reading {
	definitions: Definitions;
	meta: StoryMeta;
}

/** A chapter's text and, when it has footnotes, where they start (their words are not the story's). */
interface ChapterBody {
	text: string;
	notesAt?: number;
}

type Block = { kind: 'text'; lines: string[] } | { kind: 'break' } | { kind: 'heading'; text: string };

/** Markdown lines of one chapter → blocks: paragraphs (their lines), scene breaks and headings. */
function blocksOf(lines: readonly string[]): Block[] {
	const blocks: Block[] = [];
	let block: string[] = [];
	const flush = () => {
		if (block.length) blocks.push({ kind: 'text', lines: block });
		block = [];
	};
	for (const raw of lines) {
		const line = raw.replace(/\t/g, '    ');
		if (!line.trim()) {
			flush();
			continue;
		}
		const heading = line.match(ATX);
		if (RULE.test(line.trimEnd()) || (line.trim().length <= 40 && SCENE_BREAK.test(line.trim()) && !heading)) {
			flush();
			blocks.push({ kind: 'break' });
		} else if (heading) {
			flush();
			if (heading[2]) blocks.push({ kind: 'heading', text: heading[2] });
		} else {
			block.push(line);
		}
	}
	flush();
	return blocks;
}

/**
 * Leaves out the notes that are not the story: a run of bold paragraphs with a labelled note among them
 * ("**Disclaimer: …**", "**Author's Endnote:**" and the bold lines that go with it, as ff.net exports repeat
 * them around every chapter), a plain paragraph that starts "A/N:" or "Disclaimer:", and bold lines repeating
 * the story's title or by-line. The first disclaimer becomes the story's, when it has none.
 */
function withoutNotes(blocks: readonly Block[], meta: StoryMeta): Block[] {
	// Only a paragraph that starts in bold or with a note's label can be a note: the others are not read again.
	const words = blocks.map((b) => {
		const first = b.kind === 'text' ? (b.lines[0] ?? '').trimStart() : '';
		if (b.kind !== 'text' || !(first.startsWith('**') || first.startsWith('__') || NOTE_LABEL.test(first))) return null;
		return undoEscapes(b.lines.map((l) => l.trim()).join(' '));
	});
	// A note's bold paragraphs may have other emphasis in them, even at their ends ("… in *the Last Olympian.***").
	const bold = words.map((w) => (w !== null && BOLDISH.test(w) ? stripMarkdown(w).trim() : null));
	const drop = new Array<boolean>(blocks.length).fill(false);
	const isNote = (text: string, needColon: boolean): boolean => {
		const m = text.match(NOTE_LABEL);
		if (!m || (needColon && !m[1])) return false;
		if (!meta.disclaimer && /^disclaimer/i.test(text)) {
			const said = stripMarkdown(text.slice(m[0].length)).trim();
			if (said) meta.disclaimer = said;
		}
		return true;
	};
	for (let i = 0; i < blocks.length; ) {
		if (bold[i] === null) {
			const text = words[i];
			if (text !== null && text !== undefined && isNote(text, true)) drop[i] = true;
			i++;
			continue;
		}
		let end = i;
		let note = false;
		for (; end < blocks.length && bold[end] !== null; end++) if (isNote(bold[end] as string, false)) note = true;
		for (let j = i; j < end; j++) {
			const strict = boldWords(words[j] as string);
			drop[j] = note || (strict !== null && repeatsTitle(strict, meta));
		}
		i = end;
	}
	return blocks.filter((_, i) => !drop[i]);
}

/** A bold line that only repeats the story's title or its by-line. */
function repeatsTitle(words: string, meta: StoryMeta): boolean {
	const plain = plainTitle(words).toLowerCase();
	const by = byLine(plain);
	return plain === meta.title.toLowerCase() || (by !== undefined && by === meta.author?.toLowerCase());
}

/**
 * Markdown lines of one chapter → story text: paragraphs, rules as scene breaks, links as their text, notes that
 * are not the story left out, footnotes numbered and their text after the chapter's.
 */
function markdownText(lines: readonly string[], reading: Reading): ChapterBody {
	const { definitions } = reading;
	const footnotes = new Footnotes(definitions.footnotes);
	const inline = (source: string) => {
		let text = source;
		if (text.includes('[')) {
			text = text
				.replace(/!\[[^\]]*\]\([^)]*\)/g, '')
				.replace(/\[([^\]]+)\]\((?:[^)\\]|\\.)*\)/g, '$1')
				.replace(REF_LINK, (whole, words: string, ref: string | undefined) =>
					definitions.links.has(label(ref || words)) ? words : whole,
				)
				.replace(FOOTNOTE_REF, (whole, id: string) => footnotes.mark(id) ?? whole);
		}
		if (text.includes('<')) text = text.replace(/<br\s*\/?>/gi, '\n');
		return (text.includes('\\') ? undoEscapes(text) : text).trim();
	};
	const paragraphs: string[] = [];
	for (const block of withoutNotes(blocksOf(lines), reading.meta)) {
		if (block.kind === 'break') {
			paragraphs.push(BREAK);
		} else if (block.kind === 'heading') {
			paragraphs.push(`**${inline(block.text)}**`);
		} else {
			// Quotes and lists keep their lines; prose lines join, but for a hard break (two spaces or a backslash).
			const keepLines = block.lines.every((l) => /^\s*(?:>|[-*+]\s|\d+[.)]\s)/.test(l));
			let text = '';
			for (const [i, line] of block.lines.entries()) {
				const hard = /(?: {2,}|\\)$/.test(line);
				text += line.replace(/(?: {2,}|\\)$/, '').trim();
				if (i < block.lines.length - 1) text += keepLines || hard ? '\n' : ' ';
			}
			paragraphs.push(inline(text));
		}
	}
	const text = joinParagraphs(paragraphs.filter(Boolean));
	const notes = footnotes.paragraphs(inline).join('\n\n');
	if (!notes) return { text };
	return text ? { text: `${text}\n\n${notes}`, notesAt: text.length + 2 } : { text: notes, notesAt: 0 };
}

/** A line standing alone as a paragraph (blank lines or the file's ends around it), trimmed; else null. */
function aloneAt(lines: readonly string[], i: number): string | null {
	const blank = (j: number) => j < 0 || j >= lines.length || !(lines[j] as string).trim();
	return blank(i - 1) && blank(i + 1) && !blank(i) ? (lines[i] as string).trim() : null;
}

/** The words of a chapter heading written as a bold line ("**Chapter I: Future Aspirations**"), or null. */
function boldChapter(line: string | null): string | null {
	const words = line === null ? null : boldWords(line);
	if (words === null) return null;
	const plain = plainTitle(words);
	const m = plain.match(CHAPTER_WORDS);
	return m && (m[1] === undefined || m[1] !== '') ? plain : null;
}

/**
 * The title and author of a file without front matter, from its first lines before the story starts: the first
 * bold line that is no note, no chapter heading and no sentence ("**Ace Iverson and the Fabric of Fate**"), and a
 * by-line ("**By ACI100**"). Reading stops at the first chapter heading or the first paragraph of prose.
 */
function titleLines(lines: readonly string[], until: number, meta: StoryMeta): void {
	for (let i = 0; i < until && (!meta.title || !meta.author); i++) {
		if (!(lines[i] as string).trim()) continue;
		let end = i;
		while (end + 1 < lines.length && (lines[end + 1] as string).trim()) end++;
		const paragraph = lines
			.slice(i, end + 1)
			.join(' ')
			.trim();
		i = end;
		const words = boldWords(paragraph);
		const plain = plainTitle(words ?? paragraph);
		const by = byLine(plain);
		if (by) meta.author ||= by;
		else if (words === null && !NOTE_LABEL.test(plain) && !ATX.test(paragraph))
			return; // prose: the story has started
		else if (words === null || meta.title || NOTE_LABEL.test(plain) || CHAPTER_WORDS.test(plain)) continue;
		else if (plain.length <= 120 && plain.split(' ').length <= 16 && !/[.,:;]$/.test(plain)) meta.title = plain;
	}
}

/**
 * Reads Markdown. With `strict` (a .md file) a broken front matter is an error; without (front matter in a
 * file of another name) the file is not Markdown and null comes back, for the plain-text reader to take.
 */
export function parseMarkdown(text: string, strict: boolean): SourceStory | null {
	if (!strict && !text.startsWith('---')) return null;
	const normalized = text.replace(/\r\n?/g, '\n');
	const front = splitFrontMatter(normalized);
	const meta = emptyMeta();
	if (front) {
		let fields: Record<string, unknown>;
		try {
			fields = readFrontMatter(front.yaml);
		} catch (error) {
			if (strict) throw error;
			return null;
		}
		if (!strict && !('title' in fields)) return null;
		applyFields(meta, fields);
	} else if (!strict) {
		return null;
	}
	const { lines, definitions } = takeDefinitions((front ? front.rest : normalized).split('\n'));

	// Which heading level starts chapters: `#`, or `##` under a single `#` that titles the story.
	const headings = lines.flatMap((line, i) => {
		const m = line.match(ATX);
		return m ? [{ i, level: (m[1] ?? '').length, text: (m[2] ?? '').trim() }] : [];
	});
	const ones = headings.filter((h) => h.level === 1);
	const twos = headings.filter((h) => h.level === 2);
	const firstLine = lines.findIndex((l) => l.trim());
	let level = ones.length ? 1 : twos.length ? 2 : 0;
	let skip = -1;
	const top = ones[0];
	if (ones.length === 1 && top && top.i === firstLine && (twos.length || !meta.title || top.text === meta.title)) {
		// A lone `#` heading on the first line is the story's title.
		if (!meta.title) meta.title = plainTitle(top.text);
		skip = top.i;
		level = twos.length ? 2 : 0;
	}
	let starts = headings.filter((h) => h.level === level && h.i !== skip).map((h) => ({ i: h.i, text: h.text }));
	if (level === 0) {
		// No heading level for chapters: bold lines that are chapter headings, as ff.net exports write them.
		starts = lines.flatMap((line, i) => {
			const words = /^ {0,3}(?:\*\*|__)/.test(line) ? boldChapter(aloneAt(lines, i)) : null;
			return words === null ? [] : [{ i, text: words }];
		});
	}
	titleLines(lines, starts[0]?.i ?? Math.min(lines.length, 60), meta);

	const reading: Reading = { definitions, meta };
	const chapters: ChapterText[] = [];
	let title: string | null = null;
	let start = skip + 1;
	const close = (end: number) => {
		const { text, notesAt } = markdownText(lines.slice(start, end), reading);
		if (text) chapters.push({ title: chapterTitle(title && plainTitle(title)), text, notesAt });
	};
	for (const h of starts) {
		close(h.i);
		title = h.text;
		start = h.i + 1;
	}
	close(lines.length);
	finishDates(meta);
	return { meta, chapters, format: 'markdown', markup: 'markdown' };
}
