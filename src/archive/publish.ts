import { closeSync, fstatSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { ArchiveStore } from './store.js';

/**
 * Writes a consistent copy of the store at `from` to `to`, for other machines to fetch and serve. SQLite's
 * online backup copies the pages as they are (so story ids, page and quote rows are the same in the copy)
 * from one snapshot, even while an import writes. The copy is made under a temporary name in the target's
 * folder, switched to a rollback journal (readers then need no -wal/-shm beside it), synced, and renamed
 * over `to` in one step: a reader of `to` sees the old file or the new one, never half of one.
 */
export async function publishStore(from: string, to: string): Promise<{ path: string; bytes: number }> {
	const source = ArchiveStore.open(from, { readonly: true });
	const temp = join(dirname(to), `.${basename(to)}.${process.pid}.${Date.now()}.tmp`);
	try {
		await source.db.backup(temp);
		const copy = new Database(temp);
		try {
			copy.pragma('journal_mode = DELETE');
			const check = copy.pragma('quick_check', { simple: true });
			if (check !== 'ok') throw new Error(`the copy of ${from} failed its check: ${String(check)}`);
		} finally {
			copy.close();
		}
		const fd = openSync(temp, 'r+');
		let bytes: number;
		try {
			fsyncSync(fd);
			bytes = fstatSync(fd).size;
		} finally {
			closeSync(fd);
		}
		renameSync(temp, to);
		syncFolder(dirname(to));
		return { path: to, bytes };
	} catch (error) {
		rmSync(temp, { force: true });
		throw error;
	} finally {
		source.close();
	}
}

/** Makes a rename in `dir` durable (where the platform allows syncing a folder). */
function syncFolder(dir: string): void {
	let fd: number | undefined;
	try {
		fd = openSync(dir, 'r');
		fsyncSync(fd);
	} catch {
		// Some platforms cannot open or sync a folder; the rename is still atomic there.
	} finally {
		if (fd !== undefined) closeSync(fd);
	}
}
