import { basename } from 'node:path';
import { capitalisedWordStarts, countWords, findCharacters } from '../characters.js';
import {
	CHAPTER_SEPARATOR,
	DEFAULT_PAGE_SIZE,
	MAX_STORY_PAGES,
	paginateChapters,
	tooManyPagesReason,
} from '../pages.js';
import { extractQuotes } from '../quotes.js';
import { type ParsedStory, StoryError } from '../types.js';
import { binaryReason, decodeText } from './decode.js';
import { parseFanFicFareText } from './fanficfare-text.js';
import { parsePlainText, titleFromFileName } from './plain-text.js';
import { applySidecar, sidecarOf } from './sidecar.js';
import { FormatError, type SourceStory } from './source.js';
import { isZip } from './zip.js';

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

/** The formats, for messages about files in none of them. */
const FORMATS_READ = 'plain text, Markdown, AO3 HTML, EPUB, FanFicFare text or HTML';

/** Files that are not stories but are often mistaken for them, by their first bytes. */
function knownBinary(bytes: Uint8Array): string | null {
	const head = new TextDecoder('latin1').decode(bytes.subarray(0, 68));
	if (head.startsWith('%PDF-')) return `it is a PDF, not a story file (${FORMATS_READ})`;
	if (head.startsWith('{\\rtf')) return `it is an RTF document, not a story file (${FORMATS_READ})`;
	if (head.slice(60, 68) === 'BOOKMOBI') return `it is a Kindle (MOBI/AZW) book, not a story file (${FORMATS_READ})`;
	if (head.startsWith('\xd0\xcf\x11\xe0'))
		return `it is an old Word (.doc) document, not a story file (${FORMATS_READ})`;
	return null;
}

/** Looks like an HTML document: a doctype or <html> at the top, or a .html file starting with markup. */
function looksLikeHtml(text: string, file: string): boolean {
	const head = text.slice(0, 4096).trimStart();
	if (/^(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html[\s>])/i.test(head)) return true;
	return /\.x?html?$/i.test(file) && /^<[a-z!]/i.test(head);
}

const isMarkdownFile = (file: string) => /\.(?:md|markdown|mdown|mkd)$/i.test(file);

/**
 * Chooses the reader by the content (and, for Markdown, the name) and reads the file with it. The readers
 * with big dependencies (cheerio, yauzl, yaml) load on first use, so an archive of plain text never pays for
 * them, in this thread or in a parser thread.
 */
async function readSource(file: string, bytes: Uint8Array, maxFileBytes: number): Promise<SourceStory> {
	if (isZip(bytes)) return (await import('./epub.js')).readEpub(bytes, maxFileBytes * 8);
	const binary = knownBinary(bytes) ?? binaryReason(bytes);
	if (binary) throw new FormatError(binary);
	const { text } = decodeText(bytes);
	if (!text.trim()) throw new FormatError('the file is empty');
	if (looksLikeHtml(text, file)) {
		const story = (await import('./html.js')).parseHtml(text);
		if (!story) {
			throw new FormatError(
				'it is HTML that is not an AO3 download, an AO3 work page or FanFicFare’s HTML (it has no AO3 tags list and no FanFicFare title line): download the work from AO3 with Download → HTML or EPUB, or save the story as text',
			);
		}
		return story;
	}
	const markdown = isMarkdownFile(file);
	const story =
		parseFanFicFareText(text) ??
		(markdown || text.startsWith('---') ? (await import('./markdown.js')).parseMarkdown(text, markdown) : null);
	if (story) return story;
	const { meta, chapters } = parsePlainText(text, file);
	return { meta, chapters, format: 'plain-text', markup: 'plain' };
}

/**
 * Parses one story file in any format the archive reads (plain text, Markdown, AO3 HTML downloads and saved
 * work pages, EPUB, FanFicFare text and HTML), chosen by its content. Throws a StoryError naming the file and
 * what is wrong with it for anything that is not a readable story: empty, binary or an unknown format, too big,
 * damaged, or with no story text.
 */
export async function parseStory(
	file: string,
	bytes: Uint8Array,
	options: ParseOptions = {},
	/** The text of the story's sidecar (`<file>.meta.yaml`), whose fields override the file's own. */
	sidecar?: string,
): Promise<ParsedStory> {
	const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
	if (bytes.length > maxFileBytes) {
		throw new StoryError(file, tooBigReason(bytes.length, maxFileBytes));
	}
	let source: SourceStory;
	try {
		source = await readSource(file, bytes, maxFileBytes);
		if (sidecar !== undefined) await applySidecar(source.meta, sidecar, sidecarOf(basename(file)));
	} catch (error) {
		if (error instanceof FormatError) throw new StoryError(file, error.message);
		throw error;
	}
	const { meta, format, markup } = source;
	meta.title ||= titleFromFileName(file);
	const { body, pages, chapters } = paginateChapters(source.chapters, options.pageSize ?? DEFAULT_PAGE_SIZE);
	if (!body) {
		throw new StoryError(
			file,
			format === 'plain-text'
				? 'the file has a header but no story text under it'
				: `the file has metadata but no story text (read as ${format})`,
		);
	}
	if (pages.length > MAX_STORY_PAGES) throw new StoryError(file, tooManyPagesReason(pages.length));
	// Both read the story's capitalised words: they are found once.
	const starts = capitalisedWordStarts(body);
	const characters = findCharacters(body, undefined, pages, starts);
	// A chapter's footnotes are shown with it, but are neither the story's words nor its lines to quote.
	let words = countWords(body);
	const notes: [number, number][] = [];
	let at = 0;
	for (const { text, notesAt } of source.chapters) {
		if (!text) continue;
		if (notesAt !== undefined) {
			words -= countWords(text.slice(notesAt));
			notes.push([at + notesAt, at + text.length]);
		}
		at += text.length + CHAPTER_SEPARATOR.length;
	}
	const quotes = extractQuotes(body, pages, characters, starts, notes);
	return { meta, format, markup, body, chapters, words, characters, pages, quotes };
}

/** Parses a story, or says why not: a file the parser rejects, or one that trips a parser bug, fails alone. */
export async function parseOrReason(
	file: string,
	bytes: Uint8Array,
	options: ParseOptions = {},
	sidecar?: string,
): Promise<ParsedStory | { reason: string }> {
	try {
		return await parseStory(file, bytes, options, sidecar);
	} catch (error) {
		if (error instanceof StoryError) return { reason: error.reason };
		return { reason: `the parser failed on it (${error instanceof Error ? error.message : String(error)})` };
	}
}
