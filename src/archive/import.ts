import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { acquireImportLock, LockedError } from './import-lock.js';
import { DEFAULT_MAX_FILE_BYTES, type ParseOptions, tooBigReason } from './parse/index.js';
import type { ParseResult } from './parse/messages.js';
import { defaultWorkerCount, inlineParser, workerParser } from './parse/pool.js';
import { isSidecar, SIDECAR_SUFFIX, sidecarOf } from './parse/sidecar.js';
import { ArchiveStore } from './store.js';
import { StoryError } from './types.js';

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
	/** Stories removed because their file is gone (only with `prune`). */
	removed: number;
	/** Stories whose file is gone, kept because `prune` was not asked for. */
	kept: number;
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
	/** Parser threads; 0 parses in this thread. Default: one per spare core for imports of 4 MB or more. */
	workers?: number;
	/** Remove the stories whose file is gone from the folder. Off by default: an import adds and updates only. */
	prune?: boolean;
	/** Told how many stories a prune will remove, before it removes them (the CLI says it). */
	onPrune?: (count: number) => void;
}

/** An import that cannot start: the folder is missing or holds no stories, or another import is running. */
export class ImportError extends Error {
	override name = 'ImportError';
}

/**
 * The story files to import, or an ImportError when the folder is missing, is not a folder or holds none: a
 * wrong or empty folder must never look like an archive whose stories were all deleted.
 */
export function storyFilesIn(dir: string): string[] {
	let stat: ReturnType<typeof statSync>;
	try {
		stat = statSync(dir);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		throw new ImportError(
			code === 'ENOENT'
				? `There is no folder ${dir}: nothing was imported and the store is unchanged. Give the stories' folder: npm run import -- <dir> (or set ARCHIVE_DIR).`
				: `Cannot read the folder ${dir} (${code ?? String(error)}): nothing was imported and the store is unchanged.`,
		);
	}
	if (!stat.isDirectory()) {
		throw new ImportError(
			`${dir} is a file, not a folder of stories: nothing was imported and the store is unchanged. Give the stories' folder: npm run import -- <dir>.`,
		);
	}
	const files = listStoryFiles(dir);
	if (!files.length) {
		throw new ImportError(
			`The folder ${dir} holds no story files: nothing was imported and the store is unchanged. Is it the right folder?`,
		);
	}
	return files;
}

/** Files in the archive folder that are not stories: the stores themselves, dotfiles, read-mes. */
const IGNORED = /(?:^|[\\/])(?:\.[^\\/]*|README(?:\.\w+)?|.*\.(?:sqlite|sqlite3|db)(?:[.-][^\\/]*)?)$/i;

/** Every story file under dir, as sorted paths relative to it (always with "/" separators); sidecars are not. */
export function listStoryFiles(dir: string): string[] {
	const files: string[] = [];
	const walk = (folder: string) => {
		for (const entry of readdirSync(folder, { withFileTypes: true })) {
			const full = join(folder, entry.name);
			if (IGNORED.test(entry.name) || isSidecar(entry.name)) continue;
			if (entry.isDirectory()) walk(full);
			else if (entry.isFile()) files.push(relative(dir, full).split(sep).join('/'));
		}
	};
	walk(dir);
	return files.sort();
}

/** Imports at least this many bytes to parse use worker threads; below it, their start-up costs more than it saves. */
const WORKER_THRESHOLD_BYTES = 4 * 1024 * 1024;
/** Files read ahead of the store's writer, at most: bounds memory whatever the archive's size. */
const READ_AHEAD_FILES = 64;
const READ_AHEAD_BYTES = 64 * 1024 * 1024;

type Outcome =
	| { kind: 'failed'; reason: string }
	| { kind: 'unchanged' }
	| { kind: 'moved'; id: number }
	| { kind: 'parse'; hash: string; bytes: number; previousId?: number; story: Promise<ParseResult> };

/**
 * Brings the folder's stories into the store, in one transaction: new files are added, changed ones replaced
 * under the same story id, unchanged ones (same content hash) skipped without parsing, and moved ones keep their
 * id. Stories whose file is gone stay (and so do the buttons and bookmarks that point at them) unless `prune`
 * asks to remove them. A missing or empty folder is an ImportError, with the store untouched. A file that cannot
 * be parsed is reported with its reason and leaves its stored version (if any) as it was; an error in the store
 * itself rolls the whole run back.
 *
 * Files are read and hashed in order; the ones to parse go to worker threads (for big imports) while this
 * thread writes finished stories to the store in file order, so ids follow the sorted file names.
 */
export async function importArchive(
	store: ArchiveStore,
	dir: string,
	options: ImportOptions = {},
): Promise<ImportSummary> {
	const started = performance.now();
	const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
	const files = storyFilesIn(dir).map((file) => ({ file, size: statSync(join(dir, file)).size }));
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
		kept: 0,
		failed: [],
		files: files.length,
		bytes: bytesTotal,
		pages: 0,
		seconds: 0,
	};
	const workers = options.workers ?? (bytesTotal >= WORKER_THRESHOLD_BYTES ? defaultWorkerCount() : 0);
	const parser = workers > 0 ? workerParser(options, workers) : inlineParser(options);

	/** Reads and hashes one file and decides what to do with it (decisions are made in file order). */
	const classify = (file: string, size: number): Outcome => {
		const previous = stored.get(file);
		const read = readStory(dir, file, size, maxFileBytes);
		if ('reason' in read) return { kind: 'failed', reason: read.reason };
		if (previous?.hash === read.hash) return { kind: 'unchanged' };
		const movedFrom = previous ? undefined : gone.get(read.hash);
		if (movedFrom !== undefined) {
			gone.delete(read.hash);
			return { kind: 'moved', id: movedFrom };
		}
		return {
			kind: 'parse',
			hash: read.hash,
			bytes: read.bytes.length,
			...(previous ? { previousId: previous.id } : {}),
			story: parser.parse(file, read.bytes, read.sidecar),
		};
	};

	/** Writes one file's outcome to the store. */
	const apply = async (file: string, outcome: Outcome) => {
		switch (outcome.kind) {
			case 'failed':
				summary.failed.push({ file, reason: outcome.reason });
				break;
			case 'unchanged':
				summary.unchanged++;
				break;
			case 'moved':
				store.moveStory(outcome.id, file);
				summary.moved++;
				break;
			case 'parse': {
				const story = await outcome.story;
				if ('reason' in story) {
					summary.failed.push({ file, reason: story.reason });
					break;
				}
				try {
					store.putStory(file, outcome.hash, outcome.bytes, story, outcome.previousId);
				} catch (error) {
					// Refused before anything was written (too many pages): this file fails, the run goes on.
					if (!(error instanceof StoryError)) throw error;
					summary.failed.push({ file, reason: error.reason });
					break;
				}
				summary.pages += story.pages.length;
				if (outcome.previousId === undefined) summary.added++;
				else summary.updated++;
			}
		}
	};

	try {
		await store.transactionAsync(async () => {
			const queue: { file: string; size: number; outcome: Outcome }[] = [];
			let queuedBytes = 0;
			let done = 0;
			let bytesDone = 0;
			const applyNext = async () => {
				const next = queue.shift();
				if (!next) return;
				queuedBytes -= next.size;
				await apply(next.file, next.outcome);
				done++;
				bytesDone += next.size;
				options.onProgress?.({
					file: next.file,
					done,
					total: files.length,
					bytesDone,
					bytesTotal,
					pages: summary.pages,
				});
			};
			for (const { file, size } of files) {
				while (queue.length >= READ_AHEAD_FILES || (queue.length > 0 && queuedBytes + size > READ_AHEAD_BYTES)) {
					await applyNext();
				}
				queue.push({ file, size, outcome: classify(file, size) });
				queuedBytes += size;
			}
			while (queue.length) await applyNext();
			if (options.prune) {
				options.onPrune?.(gone.size);
				for (const id of gone.values()) {
					store.removeStory(id);
					summary.removed++;
				}
			} else {
				summary.kept = gone.size;
			}
			if (summary.added || summary.updated || summary.removed) {
				store.refreshSummaries();
				store.refreshSimilar();
			}
		});
	} finally {
		await parser.close();
	}
	summary.seconds = (performance.now() - started) / 1000;
	return summary;
}

/**
 * A file's bytes, its sidecar's text when it has one, and their hash (a changed sidecar is a changed story), or
 * why it cannot be read (too big, unreadable).
 */
export function readStory(
	dir: string,
	file: string,
	size: number,
	maxFileBytes: number,
): { bytes: Buffer; hash: string; sidecar?: string } | { reason: string } {
	if (size > maxFileBytes) return { reason: tooBigReason(size, maxFileBytes) };
	try {
		const bytes = readFileSync(join(dir, file));
		const hash = createHash('sha256').update(bytes);
		const sidecarPath = join(dir, sidecarOf(file));
		if (!existsSync(sidecarPath)) return { bytes, hash: hash.digest('hex') };
		const sidecar = readFileSync(sidecarPath, 'utf8');
		hash.update(`\0${SIDECAR_SUFFIX}\0`).update(sidecar);
		return { bytes, hash: hash.digest('hex'), sidecar };
	} catch (error) {
		return { reason: `the file cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
	}
}

/**
 * Imports a folder into the store file at `path`, holding the store's import lock (another import running is an
 * ImportError naming its process and start time; the bot reading the store meanwhile is fine). The first import, when there is no store yet, builds a new
 * file beside it without a journal and renames it into place when done (a crash leaves no store, as before);
 * later imports update the existing store in one write-ahead-logged transaction, so readers (the bot) keep
 * reading the previous version until the new one commits.
 */
export async function importToPath(path: string, dir: string, options: ImportOptions = {}): Promise<ImportSummary> {
	storyFilesIn(dir); // a wrong or empty folder is refused before the store is opened or made
	let release = () => {};
	try {
		if (path !== ':memory:') release = acquireImportLock(path);
	} catch (error) {
		throw error instanceof LockedError ? new ImportError(error.message) : error;
	}
	try {
		return await importLocked(path, dir, options);
	} catch (error) {
		// Something else writing to the store (not an import: that would hold the lock). The bot only reads.
		if ((error as { code?: string }).code === 'SQLITE_BUSY') {
			throw new ImportError(
				`The store ${path} is locked by another program writing to it (${(error as Error).message}); close it and import again.`,
			);
		}
		throw error;
	} finally {
		release();
	}
}

/** importToPath once it holds the store's import lock. */
async function importLocked(path: string, dir: string, options: ImportOptions): Promise<ImportSummary> {
	if (existsSync(path)) {
		const store = ArchiveStore.open(path);
		try {
			return await importArchive(store, dir, options);
		} finally {
			store.close();
		}
	}
	const building = `${path}.building`;
	const removeBuild = () => {
		for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(building + suffix, { force: true });
	};
	removeBuild();
	const store = ArchiveStore.open(building, { build: true });
	try {
		const summary = await importArchive(store, dir, options);
		store.finishBuild();
		store.close();
		renameSync(building, path);
		return summary;
	} catch (error) {
		store.close();
		removeBuild();
		throw error;
	}
}
