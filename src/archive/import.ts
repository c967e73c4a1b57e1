import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { DEFAULT_MAX_FILE_BYTES, type ParseOptions, parseStory, tooBigReason } from './parse/index.js';
import type { ArchiveStore } from './store.js';
import { type ParsedStory, StoryError } from './types.js';

export interface ImportFailure {
	/** The file's path relative to the archive folder. */
	file: string;
	reason: string;
}

export interface ImportSummary {
	added: number;
	updated: number;
	unchanged: number;
	/** Files renamed or moved without a change: same story, same id, new path. */
	moved: number;
	removed: number;
	failed: ImportFailure[];
	files: number;
	bytes: number;
	pages: number;
	seconds: number;
}

export interface ImportProgress {
	file: string;
	done: number;
	total: number;
	bytesDone: number;
	bytesTotal: number;
	pages: number;
}

export interface ImportOptions extends ParseOptions {
	onProgress?: (progress: ImportProgress) => void;
}

/** Files in the archive folder that are not stories: the stores themselves, dotfiles, read-mes. */
const IGNORED = /(?:^|[\\/])(?:\.[^\\/]*|README(?:\.\w+)?|.*\.(?:sqlite|sqlite3|db)(?:-wal|-shm|-journal)?)$/i;

/** Every story file under dir, as sorted paths relative to it (always with "/" separators). */
export function listStoryFiles(dir: string): string[] {
	const files: string[] = [];
	const walk = (folder: string) => {
		for (const entry of readdirSync(folder, { withFileTypes: true })) {
			const full = join(folder, entry.name);
			if (IGNORED.test(entry.name)) continue;
			if (entry.isDirectory()) walk(full);
			else if (entry.isFile()) files.push(relative(dir, full).split(sep).join('/'));
		}
	};
	walk(dir);
	return files.sort();
}

/**
 * Brings the store in line with the folder, in one transaction: new files are added, changed ones replaced
 * under the same story id, unchanged ones (same content hash) skipped without parsing, moved ones keep their
 * id, and stories whose file is gone are removed. A file that cannot be parsed is reported with its reason and
 * leaves its stored version (if any) as it was; an error in the store itself rolls the whole run back.
 */
export function importArchive(store: ArchiveStore, dir: string, options: ImportOptions = {}): ImportSummary {
	const started = performance.now();
	const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
	const files = listStoryFiles(dir).map((file) => ({ file, size: statSync(join(dir, file)).size }));
	const bytesTotal = files.reduce((sum, f) => sum + f.size, 0);
	const stored = store.fileHashes();
	const present = new Set(files.map((f) => f.file));
	// Stories whose file is gone, by content hash: a new path with the same content is the same story, moved.
	const gone = new Map<string, number>();
	for (const [path, { id, hash }] of stored) if (!present.has(path)) gone.set(hash, id);

	const summary: ImportSummary = {
		added: 0,
		updated: 0,
		unchanged: 0,
		moved: 0,
		removed: 0,
		failed: [],
		files: files.length,
		bytes: bytesTotal,
		pages: 0,
		seconds: 0,
	};
	let bytesDone = 0;
	store.transaction(() => {
		for (const [index, { file, size }] of files.entries()) {
			const previous = stored.get(file);
			const read = readStory(dir, file, size, maxFileBytes);
			if ('reason' in read) {
				summary.failed.push({ file, reason: read.reason });
			} else if (previous?.hash === read.hash) {
				summary.unchanged++;
			} else if (!previous && gone.has(read.hash)) {
				store.moveStory(gone.get(read.hash) as number, file);
				gone.delete(read.hash);
				summary.moved++;
			} else {
				const story = parseOrReason(file, read.bytes, options);
				if ('reason' in story) {
					summary.failed.push({ file, reason: story.reason });
				} else {
					store.putStory(file, read.hash, read.bytes.length, story, previous?.id);
					summary.pages += story.pages.length;
					if (previous) summary.updated++;
					else summary.added++;
				}
			}
			bytesDone += size;
			options.onProgress?.({
				file,
				done: index + 1,
				total: files.length,
				bytesDone,
				bytesTotal,
				pages: summary.pages,
			});
		}
		for (const id of gone.values()) {
			store.removeStory(id);
			summary.removed++;
		}
	});
	summary.seconds = (performance.now() - started) / 1000;
	return summary;
}

/** A file's bytes and hash, or why it cannot be read (too big, unreadable). */
function readStory(
	dir: string,
	file: string,
	size: number,
	maxFileBytes: number,
): { bytes: Buffer; hash: string } | { reason: string } {
	if (size > maxFileBytes) return { reason: tooBigReason(size, maxFileBytes) };
	try {
		const bytes = readFileSync(join(dir, file));
		return { bytes, hash: createHash('sha256').update(bytes).digest('hex') };
	} catch (error) {
		return { reason: `the file cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
	}
}

/** Parses a story; a file the parser rejects, or one that trips a parser bug, fails alone. */
function parseOrReason(file: string, bytes: Uint8Array, options: ParseOptions): ParsedStory | { reason: string } {
	try {
		return parseStory(file, bytes, options);
	} catch (error) {
		if (error instanceof StoryError) return { reason: error.reason };
		return { reason: `the parser failed on it (${error instanceof Error ? error.message : String(error)})` };
	}
}
