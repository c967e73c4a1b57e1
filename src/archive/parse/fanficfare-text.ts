/**
 * FanFicFare's text output: the title and a "by Author" line, the title page's `Label: value` lines, a
 * "TABLE OF CONTENTS" listing the chapters (stories of two or more), each chapter under its title indented by a
 * tab, and "End file." at the end. Lines may be hard-wrapped (its wrap_width setting).
 */
import type { ChapterText } from '../pages.js';
import { buildBody } from './plain-text.js';
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

const isHeadingAt = (lines: readonly string[], i: number) =>
	HEADING.test(lines[i] ?? '') && !lines[i - 1]?.trim() && !lines[i + 1]?.trim();

/** Reads FanFicFare text; null when it is not FanFicFare output. */
export function parseFanFicFareText(text: string): SourceStory | null {
	const found = layout(text);
	if (!found) return null;
	const { lines, toc, end } = found;
	const meta = emptyMeta((lines[found.title] ?? '').trim());
	meta.author = (lines[found.by] ?? '').trim().match(BY)?.[1]?.trim() ?? null;

	// The chapter titles the table of contents lists, and where the first chapter starts.
	const titles: string[] = [];
	let first = -1;
	for (let i = toc < 0 ? found.by + 1 : toc + 1; i < end; i++) {
		if (isHeadingAt(lines, i)) {
			first = i;
			break;
		}
		if (toc >= 0 && lines[i]?.trim()) titles.push((lines[i] as string).trim());
	}
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
	const starts: { line: number; title: string | null }[] = [];
	if (first >= 0) {
		if (titles.length) {
			let from = first;
			for (const title of titles) {
				for (let i = from; i < end; i++) {
					if (isHeadingAt(lines, i) && (lines[i] as string).trim() === title) {
						starts.push({ line: i, title });
						from = i + 1;
						break;
					}
				}
			}
		}
		if (!starts.length) starts.push({ line: first, title: (lines[first] as string).trim() });
	} else {
		starts.push({ line: headerEnd - 1, title: null });
	}

	const chapters: ChapterText[] = [];
	for (const [n, start] of starts.entries()) {
		const stop = starts[n + 1]?.line ?? end;
		const { body, trailer, after } = buildBody(lines.slice(start.line + 1, stop).map(spaces));
		const last = n === starts.length - 1;
		if (last) {
			if (trailer) meta.trailer = trailer;
			meta.notes.push(...after);
		}
		const textOf = last ? body : [body, ...after].filter(Boolean).join('\n\n');
		chapters.push({ title: chapterTitle(start.title), text: textOf });
	}
	return { meta, chapters, format: 'fanficfare-text', markup: 'plain' };
}
