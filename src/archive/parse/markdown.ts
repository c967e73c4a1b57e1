/**
 * Markdown, the format for people who write their own archive: YAML front matter (title, author, rating, tags,
 * summary and the other fields a card shows) between `---` lines, then the story, `#` or `##` headings starting
 * its chapters. Emphasis stays Discord markdown; links keep their text.
 */
import { parse as parseYaml } from 'yaml';
import type { ChapterText } from '../pages.js';
import type { StoryMeta } from '../types.js';
import { joinParagraphs } from './html-text.js';
import { parseDate } from './normalize.js';
import { BREAK, SCENE_BREAK } from './plain-text.js';
import { applyLabel, chapterTitle, emptyMeta, FormatError, finishDates, type SourceStory } from './source.js';

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

/** Markdown lines of one chapter → story text: paragraphs, rules as scene breaks, links as their text. */
function markdownText(lines: readonly string[]): string {
	const paragraphs: string[] = [];
	let block: string[] = [];
	const flush = () => {
		if (!block.length) return;
		// Quotes and lists keep their lines; prose lines join, but for a hard break (two spaces or a backslash).
		const keepLines = block.every((l) => /^\s*(?:>|[-*+]\s|\d+[.)]\s)/.test(l));
		let text = '';
		for (const [i, line] of block.entries()) {
			const hard = /(?: {2,}|\\)$/.test(line);
			text += line.replace(/(?: {2,}|\\)$/, '').trim();
			if (i < block.length - 1) text += keepLines || hard ? '\n' : ' ';
		}
		paragraphs.push(inline(text));
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
			paragraphs.push(BREAK);
		} else if (heading) {
			flush();
			if (heading[2]) paragraphs.push(`**${inline(heading[2])}**`);
		} else {
			block.push(line);
		}
	}
	flush();
	return joinParagraphs(paragraphs.filter(Boolean));
}

/** Links become their text, images and HTML line breaks go. */
const inline = (text: string) =>
	text
		.replace(/!\[[^\]]*\]\([^)]*\)/g, '')
		.replace(/\[([^\]]+)\]\((?:[^)\\]|\\.)*\)/g, '$1')
		.replace(/<br\s*\/?>/gi, '\n')
		.trim();

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
	const lines = (front ? front.rest : normalized).split('\n');

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
		if (!meta.title) meta.title = top.text;
		skip = top.i;
		level = twos.length ? 2 : 0;
	}

	const chapters: ChapterText[] = [];
	let title: string | null = null;
	let start = skip + 1;
	const close = (end: number) => {
		const text = markdownText(lines.slice(start, end));
		if (text) chapters.push({ title: chapterTitle(title), text });
	};
	for (const h of headings) {
		if (h.level !== level || h.i === skip) continue;
		close(h.i);
		title = h.text;
		start = h.i + 1;
	}
	close(lines.length);
	finishDates(meta);
	return { meta, chapters, format: 'markdown', markup: 'markdown' };
}
