/**
 * FanFicFare's text output: the title and a "by Author" line, the title page's `Label: value` lines, a
 * "TABLE OF CONTENTS" listing the chapters (stories of two or more), each chapter under its title indented by a
 * tab, and "End file." at the end. Lines may be hard-wrapped (its wrap_width setting), chapter titles too. The
 * text is html2text's Markdown: `_italics_`, `**bold**`, `~~struck~~`, `### headings`.
 */
import type { ChapterText } from '../pages.js';
import { escapeInline, escapeLineStarts } from './html-text.js';
import { splitPartMarker } from './normalize.js';
import { BREAK, buildBody } from './plain-text.js';
import { applyLabel, chapterTitle, emptyMeta, finishDates, type SourceStory } from './source.js';

const BY = /^by\s+(.+)$/i;
const TOC = 'TABLE OF CONTENTS';
const END = 'End file.';
const LABEL = /^([A-Z][A-Za-z ]{0,30}):\s*(.*)$/;
/** A chapter's title line: indented (a tab, or the spaces wrapping turned it into). */
const HEADING = /^(?:\t| {4,})\S/;

interface Layout {
	lines: string[];
	title: number;
	by: number;
	toc: number;
	end: number;
}

/** Where FanFicFare's markers are, or null when the text is not FanFicFare output. */
function layout(text: string): Layout | null {
	// The title block is at the top: look there first, before splitting a whole (maybe long) story into lines.
	const top = (lines: readonly string[]) => {
		const nonEmpty: number[] = [];
		for (let i = 0; i < lines.length && nonEmpty.length < 2; i++) if (lines[i]?.trim()) nonEmpty.push(i);
		const [title, by] = nonEmpty;
		if (title === undefined || by === undefined || by - title > 4 || !BY.test(lines[by]?.trim() ?? '')) return null;
		return { title, by };
	};
	if (!top(text.slice(0, 2000).split(/\r\n?|\n/))) return null;
	const lines = text.replace(/\r\n?/g, '\n').split('\n');
	const found = top(lines);
	if (!found) return null;
	const { title, by } = found;
	let end = lines.length;
	while (end > 0 && !lines[end - 1]?.trim()) end--;
	const hasEnd = lines[end - 1]?.trim() === END;
	const toc = lines.slice(0, 400).findIndex((l) => l.trim() === TOC);
	if (!hasEnd && toc < 0) return null;
	return { lines, title, by, toc, end: hasEnd ? end - 1 : end };
}

export const isFanFicFareText = (text: string) => layout(text) !== null;

/** Tabs and no-break spaces as plain spaces, as the plain-text body builder expects. */
const spaces = (line: string) => line.replace(/[\u00a0\u2007\u202f\t]/g, ' ');

/** Lines a chapter title may wrap onto below its indented first line. */
const TITLE_LINES = 3;

/**
 * The chapter heading at line `i`, or null: an indented line after a blank one, and the lines a long title
 * wrapped onto, up to the next blank line. Its title with the wrapped lines joined, and the line after it.
 */
function headingAt(lines: readonly string[], i: number): { title: string; end: number } | null {
	if (!HEADING.test(lines[i] ?? '') || lines[i - 1]?.trim()) return null;
	let end = i + 1;
	while (end < lines.length && lines[end]?.trim()) {
		if (end - i >= TITLE_LINES || HEADING.test(lines[end] ?? '')) return null;
		end++;
	}
	const title = lines
		.slice(i, end)
		.map((l) => l.trim())
		.join(' ');
	return { title, end };
}

const sameText = (a: string, b: string) => a.replace(/\s+/g, ' ') === b.replace(/\s+/g, ' ');

/** html2text's emphasis: `**bold**`, `_italics_` (not inside a word), `~~struck~~`. */
const EMPHASIS =
	/\*\*(?=\S)([\s\S]*?\S)\*\*|(?<![\p{L}\p{N}\\_])_(?=\S)([\s\S]*?\S)_(?![\p{L}\p{N}_])|~~(?=\S)([\s\S]*?\S)~~/gu;

/** Text with html2text's emphasis kept as Discord markdown and every other markdown character escaped. */
function markdownInline(text: string): string {
	let out = '';
	let at = 0;
	for (const m of text.matchAll(EMPHASIS)) {
		out += escapeInline(text.slice(at, m.index));
		const marker = m[1] !== undefined ? '**' : m[2] !== undefined ? '_' : '~~';
		out += `${marker}${markdownInline(m[1] ?? m[2] ?? m[3] ?? '')}${marker}`;
		at = m.index + m[0].length;
	}
	return out + escapeInline(text.slice(at));
}

/** A chapter's text as Discord markdown: emphasis kept, `### headings` as bold lines, the rest escaped. */
export function fanficfareMarkdown(body: string): string {
	if (!body) return body;
	return body
		.split('\n\n')
		.map((paragraph) => {
			if (paragraph === BREAK) return paragraph;
			const heading = paragraph.match(/^#{1,6}\s+(.+)$/);
			if (heading?.[1]) return `**${markdownInline(heading[1].replace(/\s*#+$/, ''))}**`;
			return escapeLineStarts(markdownInline(paragraph));
		})
		.join('\n\n');
}

/** Reads FanFicFare text; null when it is not FanFicFare output. */
export function parseFanFicFareText(text: string): SourceStory | null {
	const found = layout(text);
	if (!found) return null;
	const { lines, toc, end } = found;
	// FanFicFare's title of a chapter range ends "(Ch 3-3)": that is no part of the story's title.
	const meta = emptyMeta(splitPartMarker((lines[found.title] ?? '').trim()).title);
	meta.author = (lines[found.by] ?? '').trim().match(BY)?.[1]?.trim() ?? null;

	// The chapter titles the table of contents lists (a paragraph each), and where the first chapter starts.
	const titles: string[] = [];
	let first = -1;
	let listed = '';
	for (let i = toc < 0 ? found.by + 1 : toc + 1; i < end; i++) {
		if (headingAt(lines, i)) {
			first = i;
			break;
		}
		if (toc < 0) continue;
		const line = (lines[i] as string).trim();
		if (line) listed = listed ? `${listed} ${line}` : line;
		else if (listed) {
			titles.push(listed);
			listed = '';
		}
	}
	if (listed) titles.push(listed);
	const headerEnd = toc >= 0 ? toc : first >= 0 ? first : end;

	// The title page: `Label: value`, a value running on over wrapped lines until a blank line.
	let current: { label: string; value: string } | null = null;
	const entries: { label: string; value: string }[] = [];
	for (let i = found.by + 1; i < headerEnd; i++) {
		const line = (lines[i] ?? '').trim();
		const m = line.match(LABEL);
		if (m?.[1]) {
			current = { label: m[1], value: m[2] ?? '' };
			entries.push(current);
		} else if (!line) current = null;
		else if (current) current.value += ` ${line}`;
	}
	for (const { label, value } of entries) applyLabel(meta, label, value);
	finishDates(meta);

	// Chapter starts: each listed title's heading line, in order; without a contents list, the one heading.
	const starts: { line: number; text: number; title: string | null }[] = [];
	if (first >= 0) {
		if (titles.length) {
			let from = first;
			for (const title of titles) {
				for (let i = from; i < end; i++) {
					const heading = headingAt(lines, i);
					if (heading && sameText(heading.title, title)) {
						starts.push({ line: i, text: heading.end, title });
						from = heading.end;
						break;
					}
				}
			}
		}
		const heading = headingAt(lines, first);
		if (!starts.length && heading) starts.push({ line: first, text: heading.end, title: heading.title });
	} else {
		starts.push({ line: headerEnd - 1, text: headerEnd, title: null });
	}

	const chapters: ChapterText[] = [];
	for (const [n, start] of starts.entries()) {
		const stop = starts[n + 1]?.line ?? end;
		const built = buildBody(lines.slice(start.text, stop).map(spaces));
		const body = fanficfareMarkdown(built.body);
		const { trailer, after } = built;
		const last = n === starts.length - 1;
		if (last) {
			if (trailer) meta.trailer = trailer;
			meta.notes.push(...after);
		}
		// A closing line inside the story is not its end: what followed it is text (escaped as the rest is).
		const textOf = last ? body : [body, ...after.map(markdownInline)].filter(Boolean).join('\n\n');
		chapters.push({ title: chapterTitle(start.title), text: textOf });
	}
	return { meta, chapters, format: 'fanficfare-text', markup: 'markdown' };
}
