/**
 * `archive -- check`: the files whose reading looks doubtful, each with why, so a person knows which to look at
 * (and correct with a sidecar). A doubt is a sign, not a verdict: a story may really have no author.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { countWords } from './characters.js';
import { readStory, storyFilesIn } from './import.js';
import { DEFAULT_MAX_FILE_BYTES, type ParseOptions, parseOrReason } from './parse/index.js';
import { titleFromFileName } from './parse/plain-text.js';
import { applySidecar, isSidecar, SIDECAR_SUFFIX } from './parse/sidecar.js';
import { emptyMeta } from './parse/source.js';
import type { ParsedStory } from './types.js';

export interface Doubt {
	/** The file's path relative to the folder. */
	file: string;
	/** Why its reading looks doubtful, in words, one reason each. */
	reasons: string[];
}

/** A chapter of more words than this looks like chapters run together (headings the reader missed). */
export const LONG_CHAPTER_WORDS = 40_000;
/** Counted words this far from the count the file declares (as a share of it) look like text lost or added. */
export const WORDS_OFF_BY = 0.2;

/** Mail and Usenet header fields: one of these on page 1 is header, not story. */
const MAIL_ONLY =
	/^(?:message-id|received|return-path|x-[\w-]+|newsgroups|path|nntp-posting-[\w-]+|xref|mime-version|content-type|content-transfer-encoding|in-reply-to|references)\s*:/i;
/** Fields a story might also start a line with: two different ones make a header. */
const MAIL_TOO = /^(subject|from|date|to|cc|reply-to|organization|lines|sender)\s*:/i;

/** A title that is a header line: an mbox "From " line or a "Message-ID: …". */
const HEADER_TITLE = /^(?:From\s+\S+@\S+|(?:message-id|subject|from|date|received|path|newsgroups|return-path)\s*:)/i;

/** The header-like lines at the start of page 1, as "Label:" names (at most three), or none. */
function headerLines(page: string): string[] {
	const found = new Set<string>();
	let strong = false;
	for (const line of page.split('\n')) {
		const text = line.trim();
		if (/^From \S+@\S+/.test(text)) {
			found.add('From (mbox)');
			strong = true;
		}
		const mail = text.match(MAIL_ONLY);
		if (mail) {
			found.add(`${text.slice(0, text.indexOf(':')).trim()}:`);
			strong = true;
		} else {
			const too = text.match(MAIL_TOO);
			if (too?.[1]) found.add(`${too[1]}:`);
		}
	}
	return strong || found.size >= 2 ? [...found].slice(0, 3) : [];
}

/**
 * Why one parsed story's reading looks doubtful: none when it looks right. `trusted` holds the fields its sidecar
 * sets (a person said so); `titleFromName` whether the title is the file's name for want of one in the file.
 */
export function doubtsAbout(story: ParsedStory, trusted: ReadonlySet<string>, titleFromName: boolean): string[] {
	const reasons: string[] = [];
	const { meta } = story;
	if (titleFromName && !trusted.has('title')) reasons.push(`the title “${meta.title}” comes from the file name`);
	else if (!trusted.has('title') && HEADER_TITLE.test(meta.title)) {
		reasons.push(`the title “${meta.title}” looks like a mail or news header line`);
	}
	if (!meta.author && !trusted.has('author')) reasons.push('no author found');
	const headers = headerLines(story.pages[0]?.text ?? '');
	if (headers.length) reasons.push(`page 1 holds header lines (${headers.join(', ')})`);
	for (const chapter of story.chapters) {
		const pages = story.pages.slice(chapter.firstPage - 1, chapter.firstPage - 1 + chapter.pageCount);
		const words = pages.reduce((sum, p) => sum + countWords(p.text), 0);
		if (words <= LONG_CHAPTER_WORDS) continue;
		reasons.push(
			story.chapters.length === 1
				? `the whole story is one chapter of ${chapter.pageCount} pages (${words.toLocaleString('en')} words): chapter headings may have been missed`
				: `chapter ${chapter.number} has ${chapter.pageCount} pages (${words.toLocaleString('en')} words): chapter headings may have been missed`,
		);
		break;
	}
	const declared = meta.declaredWords;
	if (declared && !trusted.has('words') && Math.abs(story.words - declared) > declared * WORDS_OFF_BY) {
		const off = Math.round((Math.abs(story.words - declared) / declared) * 100);
		reasons.push(
			`${story.words.toLocaleString('en')} words read, the file says ${declared.toLocaleString('en')} (${off}% off)`,
		);
	}
	return reasons;
}

/** The fields a sidecar sets, or none (a broken sidecar fails the file when parsed, and is reported then). */
async function sidecarFields(text: string | undefined): Promise<Set<string>> {
	if (text === undefined) return new Set();
	try {
		return await applySidecar(emptyMeta(), text, 'sidecar');
	} catch {
		return new Set();
	}
}

/**
 * Reads every story file of a folder as an import would (sidecars applied) without touching any store, and lists
 * the files whose reading looks doubtful, in file order: files that cannot be read, doubts about those that can,
 * and sidecars without a story beside them.
 */
export async function checkFolder(
	dir: string,
	options: ParseOptions = {},
): Promise<{ files: number; doubts: Doubt[] }> {
	const files = storyFilesIn(dir);
	const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
	const doubts: Doubt[] = [];
	for (const file of files) {
		const read = readStory(dir, file, statSync(join(dir, file)).size, maxFileBytes);
		if ('reason' in read) {
			doubts.push({ file, reasons: [`it cannot be read: ${read.reason}`] });
			continue;
		}
		const story = await parseOrReason(file, read.bytes, options, read.sidecar);
		if ('reason' in story) {
			doubts.push({ file, reasons: [`it cannot be read: ${story.reason}`] });
			continue;
		}
		// The name's title may also be the file's own ("Leaving" in leaving.txt): read under another name to tell.
		let titleFromName = false;
		if (story.meta.title === titleFromFileName(file)) {
			const renamed = await parseOrReason(`untitled-check${extname(file)}`, read.bytes, options);
			titleFromName = !('reason' in renamed) && renamed.meta.title !== story.meta.title;
		}
		const reasons = doubtsAbout(story, await sidecarFields(read.sidecar), titleFromName);
		if (reasons.length) doubts.push({ file, reasons });
	}
	for (const sidecar of listSidecars(dir, files)) {
		doubts.push({ file: sidecar, reasons: ['a sidecar with no story file beside it'] });
	}
	return { files: files.length, doubts };
}

/** Sidecars in the folder (relative paths) whose story file is not among `files`. */
function listSidecars(dir: string, files: readonly string[]): string[] {
	const stories = new Set(files);
	const orphans: string[] = [];
	const folders = new Set(['', ...files.map((f) => f.slice(0, f.lastIndexOf('/') + 1))]);
	for (const folder of folders) {
		const full = join(dir, folder);
		if (!existsSync(full)) continue;
		for (const name of readdirSync(full)) {
			if (isSidecar(name) && !stories.has(folder + name.slice(0, -SIDECAR_SUFFIX.length))) orphans.push(folder + name);
		}
	}
	return orphans.sort();
}
