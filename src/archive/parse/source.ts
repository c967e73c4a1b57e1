/** What every reader hands back, and the metadata helpers the readers share. */
import type { ChapterText } from '../pages.js';
import type { Markup, StoryFormat, StoryMeta } from '../types.js';
import { normalizeRating, parseDate, parseWordCount } from './normalize.js';

/** One file read by its format's reader: metadata and chapters of text, before paging. */
export interface SourceStory {
	meta: StoryMeta;
	chapters: ChapterText[];
	format: StoryFormat;
	markup: Markup;
}

export const emptyMeta = (title = ''): StoryMeta => ({
	title,
	author: null,
	rating: 'Not Rated',
	ratingText: null,
	date: null,
	declaredWords: null,
	notes: [],
	extra: {},
});

/** "Spike, Buffy;Giles" → ["Spike", "Buffy", "Giles"]: a header's list, or tags, without empties or repeats. */
export const splitList = (value: string): string[] => [
	...new Set(
		value
			.split(/\s*[,;]\s*/)
			.map((v) => v.trim())
			.filter(Boolean),
	),
];

/** The tag lists and their display strings (`fandom`, `pairing`, `characters`, `warnings`, `category`). */
const TAGS = {
	fandoms: 'fandom',
	relationships: 'pairing',
	characterTags: 'characters',
	additionalTags: null,
} as const;

/** Sets a tag list and its string twin; an empty list leaves both out. */
export function setTags(meta: StoryMeta, field: keyof typeof TAGS, tags: readonly string[]): void {
	const list = [...new Set(tags.map((t) => t.trim()).filter(Boolean))];
	if (!list.length) return;
	meta[field] = list;
	const twin = TAGS[field];
	if (twin) meta[twin] = list.join(', ');
}

/** A chapter or part number: digits, a roman numeral or an English number word ("Chapter XII", "Part Two"). */
export const NUMBER =
	'(?:\\d+|(?=[ivxlc])c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty(?:[- ]\\w+)?|thirty(?:[- ]\\w+)?|forty(?:[- ]\\w+)?|fifty(?:[- ]\\w+)?)';
const NUMBERED_HEADING = new RegExp(`^(?:chapter|ch\\.?|part)\\s+${NUMBER}\\b\\s*(?:[:.,)\\-–—]\\s*)?(.*)$`, 'i');

/** "Chapter 2: The Crypt" (or "Chapter 2, The Crypt") → "The Crypt"; "Chapter 2", "Part Two" and "2." → null. */
export function chapterTitle(heading: string | null | undefined): string | null {
	const text = heading?.replace(/\s+/g, ' ').trim();
	if (!text) return null;
	const m = text.match(NUMBERED_HEADING) ?? text.match(/^\d+\s*[.:)\-–—]\s*(.*)$/);
	if (!m) return text;
	const rest = m[1]?.trim();
	// "Chapter 4 & 4.5" is a title of its own, not "& 4.5".
	return rest ? (/^[\p{L}\p{N}"“‘'(]/u.test(rest) ? rest : text) : null;
}

/** "Part 2 of Wheel" / "Wheel [2]" / "Wheel #2" → { name, part }. */
export function parseSeries(text: string): { name: string; part: number } | undefined {
	const value = text.replace(/\s+/g, ' ').trim();
	let m = value.match(/^Part (\d+) of (.+?)(?:,? Part \d+ of .*)?$/i);
	if (m?.[2]) return { name: m[2].trim(), part: Number(m[1]) };
	m = value.match(/^(.+?)\s*(?:\[(\d+)\]|#(\d+)|\((?:part |book )?(\d+)\))$/i);
	if (m?.[1]) return { name: m[1].trim(), part: Number(m[2] ?? m[3] ?? m[4]) };
	return value ? { name: value, part: 1 } : undefined;
}

/** "Completed", "In-Progress", "WIP" → complete or not; undefined when the text says neither. */
export function parseStatus(text: string): boolean | undefined {
	if (/\b(?:in[- ]progress|incomplete|wip|ongoing|unfinished|abandoned|hiatus)\b/i.test(text)) return false;
	if (/\b(?:complete|completed|finished)\b/i.test(text)) return true;
	return undefined;
}

/** Fills the story date from the publication date when the reader found no other. */
export function finishDates(meta: StoryMeta): void {
	meta.date ??= meta.published ?? null;
}

/**
 * One `Label: value` line of a title page (FanFicFare's text and EPUB output, and similar), or one field of
 * Markdown front matter, into the metadata; labels it has no field for are kept in `extra`. A value given as a
 * list (front matter) is taken item by item where the field is a list of tags, and joined by commas elsewhere.
 */
export function applyLabel(meta: StoryMeta, label: string, value: string | readonly string[]): void {
	const items = typeof value === 'string' ? null : [...new Set(value.map((v) => v.trim()).filter(Boolean))];
	const text = items ? items.join(', ') : (value as string).trim();
	if (!text) return;
	const list = () => items ?? splitList(text);
	const key = label
		.toLowerCase()
		.replace(/[\s_-]+/g, ' ')
		.trim();
	switch (key) {
		case 'title':
			meta.title = text;
			return;
		case 'author':
		case 'authors':
		case 'by':
			meta.author = text;
			return;
		case 'rating':
		case 'rated':
			meta.ratingText = text;
			meta.rating = normalizeRating(text);
			return;
		case 'summary':
		case 'description':
			meta.summary = text;
			return;
		case 'category':
		case 'categories':
		case 'ao3 categories':
			meta.category = text;
			return;
		case 'fandom':
		case 'fandoms':
			setTags(meta, 'fandoms', list());
			return;
		case 'characters':
		case 'character':
			setTags(meta, 'characterTags', list());
			return;
		case 'relationships':
		case 'relationship':
		case 'pairing':
		case 'pairings':
		case 'ships':
			setTags(meta, 'relationships', list());
			return;
		case 'freeform tags':
		case 'freeform':
		case 'additional tags':
		case 'tags':
			setTags(meta, 'additionalTags', list());
			return;
		case 'warnings':
		case 'warning':
		case 'archive warnings':
		case 'archive warning':
			meta.warnings = text;
			return;
		case 'language':
			meta.language = text;
			return;
		case 'series': {
			const series = parseSeries(text);
			if (series) meta.series = series;
			return;
		}
		case 'status': {
			const complete = parseStatus(text);
			if (complete !== undefined) meta.complete = complete;
			else meta.extra[label] = text;
			return;
		}
		case 'published':
		case 'date published':
		case 'posted': {
			const date = parseDate(text);
			if (date) meta.published = date;
			else meta.extra[label] = text;
			return;
		}
		case 'updated':
		case 'date updated':
		case 'completed': {
			const date = parseDate(text);
			if (date) meta.updated = date;
			else meta.extra[label] = text;
			if (key === 'completed' && date) meta.complete = true;
			return;
		}
		case 'url':
		case 'story url':
		case 'source':
		case 'link': {
			const url = webUrl(text);
			if (url) meta.url ??= url;
			else meta.extra[label.trim()] = text;
			return;
		}
		case 'words':
		case 'word count':
			meta.declaredWords = parseWordCount(text);
			return;
		case 'chapters': {
			const m = text.match(/^(\d+)\s*\/\s*(\d+|\?)$/);
			if (m) {
				if (m[2] !== '?') meta.plannedChapters = Number(m[2]);
				meta.complete ??= m[2] === '?' ? false : Number(m[1]) >= Number(m[2]);
			}
			return;
		}
		default:
			meta.extra[label.trim()] = text;
	}
}

/**
 * A story's web address as a file gives it: an absolute http(s) URL, trimmed, or undefined for anything else
 * (relative links, mailto:, javascript:, text that is not a URL).
 */
export function webUrl(text: string | null | undefined): string | undefined {
	const value = text?.trim();
	if (!value || !/^https?:\/\//i.test(value)) return undefined;
	try {
		return new URL(value).protocol.startsWith('http') ? value : undefined;
	} catch {
		return undefined;
	}
}

/** A file a reader cannot read: the reason, in words; parseStory adds the file's name. */
export class FormatError extends Error {
	override name = 'FormatError';
}
