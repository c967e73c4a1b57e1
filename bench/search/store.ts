/**
 * The synthetic archive and its store for each size, generated and imported once and kept in the cache, and
 * read into the OS file cache before timing.
 */
import { closeSync, existsSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { importToPath } from '../../src/archive/import.js';
import { ArchiveStore, StoreError } from '../../src/archive/store.js';
import { cachedArchive } from '../synth.js';
import { MB } from './format.js';
import { SEED } from './queries.js';

export const CACHE = process.env.BENCH_CACHE ?? join(process.cwd(), 'bench', '.cache');

export const fileSize = (path: string) => (existsSync(path) ? statSync(path).size : 0);

/**
 * The store for that size, imported once and kept; rebuilt when missing, older than its archive (made again by a
 * newer generator) or written by another schema.
 */
export async function storePath(size: number): Promise<{ path: string; buildSeconds?: number }> {
	const path = join(CACHE, `store-${size}mb.sqlite`);
	const dir = await cachedArchive(CACHE, size, SEED);
	if (existsSync(path) && statSync(path).mtimeMs < statSync(join(dir, '.complete')).mtimeMs) {
		console.log(`rebuilding ${path}: its archive is newer`);
		for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
	}
	if (existsSync(path)) {
		try {
			ArchiveStore.open(path, { readonly: true }).close();
			return { path };
		} catch (error) {
			if (!(error instanceof StoreError)) throw error;
			console.log(`rebuilding ${path}: ${error.message}`);
		}
	}
	for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
	console.error(`importing ${dir} into ${path} …`);
	const summary = await importToPath(path, dir);
	console.log(
		`built store-${size}mb.sqlite: ${summary.files} stories, ${summary.pages} pages in ${summary.seconds.toFixed(1)} s`,
	);
	return { path, buildSeconds: summary.seconds };
}

/**
 * Reads a file from end to end (seconds taken), so that it is in the OS file cache: this machine's memory
 * manager evicts files left idle, and a store read back from disk page by page would time the disk instead.
 */
export function readThrough(path: string): number {
	const started = performance.now();
	const fd = openSync(path, 'r');
	try {
		const buffer = Buffer.allocUnsafe(16 * MB);
		while (readSync(fd, buffer, 0, buffer.length, null) > 0);
	} finally {
		closeSync(fd);
	}
	return (performance.now() - started) / 1000;
}
