/**
 * Sidecar files: `<story file>.meta.yaml` beside a story, written by a person to correct what the reader guessed
 * (`title`, `author`, `rating`, `summary`, `tags`, `url`, `fandom`, `characters`, …). Its fields override the
 * file's own after parsing; the importer reads it with its story and counts a changed sidecar as a changed story.
 */
import type { StoryMeta } from '../types.js';
import { parseDate } from './normalize.js';
import { applyLabel, FormatError } from './source.js';

export const SIDECAR_SUFFIX = '.meta.yaml';

/** The sidecar's path for a story file's path. */
export const sidecarOf = (file: string) => file + SIDECAR_SUFFIX;

/** Whether a file name is a sidecar (not a story of its own). */
export const isSidecar = (file: string) => file.toLowerCase().endsWith(SIDECAR_SUFFIX);

/** A sidecar value as a label's text: a string, a number (words: 12000) or a list of either. */
function asValue(value: unknown): string | string[] | null {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	if (value instanceof Date) return value.toISOString().slice(0, 10);
	if (Array.isArray(value)) {
		const items = value.map(asValue).filter((v): v is string => typeof v === 'string');
		return items.length === value.length ? items : null;
	}
	return null;
}

/**
 * Applies a sidecar's fields to a story's metadata and returns the fields it set (lower case), for `check` to trust
 * them. Throws a FormatError (the file then fails, named) when the sidecar is not YAML or not a list of fields.
 */
export async function applySidecar(meta: StoryMeta, text: string, name: string): Promise<Set<string>> {
	const { parse } = await import('yaml');
	let fields: unknown;
	try {
		fields = parse(text);
	} catch (error) {
		throw new FormatError(`its sidecar ${name} is not valid YAML (${(error as Error).message.split('\n')[0]})`);
	}
	if (fields === null || fields === undefined) return new Set();
	if (typeof fields !== 'object' || Array.isArray(fields)) {
		throw new FormatError(`its sidecar ${name} should hold fields such as "title: …" and "author: …"`);
	}
	const set = new Set<string>();
	for (const [label, raw] of Object.entries(fields as Record<string, unknown>)) {
		const value = asValue(raw);
		if (value === null || !String(value).trim()) continue;
		const key = label.toLowerCase().trim();
		const text = typeof value === 'string' ? value.trim() : value.join(', ');
		if (key === 'url' || key === 'link' || key === 'source') meta.url = text;
		else if (key === 'date') meta.date = parseDate(text) ?? meta.date;
		else applyLabel(meta, label, value);
		set.add(key === 'word count' ? 'words' : key);
	}
	return set;
}
