import { countWords, findCharacters } from '../characters.js';
import { DEFAULT_PAGE_SIZE, paginate } from '../pages.js';
import { extractQuotes } from '../quotes.js';
import { type ParsedStory, StoryError } from '../types.js';
import { binaryReason, decodeText } from './decode.js';
import { parsePlainText } from './plain-text.js';

export interface ParseOptions {
	/** Largest page, in characters. */
	pageSize?: number;
	/** Largest file accepted, in bytes. */
	maxFileBytes?: number;
}

export const DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024;

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export const tooBigReason = (size: number, max: number) =>
	`the file is ${mb(size)}, over the ${mb(max)} limit for one story (MAX_STORY_MB)`;

/**
 * Parses one story file. Throws a StoryError naming the file and what is wrong with it for anything that is
 * not a readable story: empty, binary, too big, or a header with no story text under it.
 */
export function parseStory(file: string, bytes: Uint8Array, options: ParseOptions = {}): ParsedStory {
	const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
	if (bytes.length > maxFileBytes) {
		throw new StoryError(file, tooBigReason(bytes.length, maxFileBytes));
	}
	const binary = binaryReason(bytes);
	if (binary) throw new StoryError(file, binary);
	const { text } = decodeText(bytes);
	if (!text.trim()) throw new StoryError(file, 'the file is empty');

	const { meta, body } = parsePlainText(text, file);
	if (!body) throw new StoryError(file, 'the file has a header but no story text under it');

	const pages = paginate(body, options.pageSize ?? DEFAULT_PAGE_SIZE);
	const characters = findCharacters(body);
	const quotes = extractQuotes(body, pages, characters);
	return { meta, body, words: countWords(body), characters, pages, quotes };
}

/** Parses a story, or says why not: a file the parser rejects, or one that trips a parser bug, fails alone. */
export function parseOrReason(
	file: string,
	bytes: Uint8Array,
	options: ParseOptions = {},
): ParsedStory | { reason: string } {
	try {
		return parseStory(file, bytes, options);
	} catch (error) {
		if (error instanceof StoryError) return { reason: error.reason };
		return { reason: `the parser failed on it (${error instanceof Error ? error.message : String(error)})` };
	}
}
