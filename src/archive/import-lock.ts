import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';

/** Who holds a store's import lock: written into the lock file as JSON. */
export interface LockHolder {
	pid: number;
	host: string;
	/** ISO time the import started. */
	started: string;
}

/** The lock file beside a store (the archive folder's listing skips it, as it skips the store). */
export const lockPathFor = (storePath: string) => `${storePath}.import-lock`;

/** An import that cannot take the lock, with who holds it; import.ts turns it into an ImportError. */
export class LockedError extends Error {
	override name = 'LockedError';
	constructor(
		readonly holder: LockHolder,
		readonly lockPath: string,
	) {
		super(
			`Another import into this store is running: process ${holder.pid} on ${holder.host}, since ${holder.started}. ` +
				`Wait for it to finish; if that process is gone, delete ${lockPath}.`,
		);
	}
}

/** Whether a process with this id runs on this machine (EPERM: it does, as another user). */
function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

function readHolder(path: string): LockHolder | null {
	try {
		const holder = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
		if (typeof holder.pid === 'number' && typeof holder.host === 'string' && typeof holder.started === 'string') {
			return holder as LockHolder;
		}
	} catch {}
	return null;
}

/**
 * Takes the import lock of the store at `storePath`, or throws a LockedError naming the process that holds it.
 * The lock is a file created only if absent (so two imports cannot both take it); one left by a process that
 * died on this machine (kill -9, a crash) is taken over. Returns the function that releases it.
 */
export function acquireImportLock(storePath: string): () => void {
	const path = lockPathFor(storePath);
	mkdirSync(dirname(path), { recursive: true });
	const mine: LockHolder = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
	const text = JSON.stringify(mine);
	for (let attempt = 0; ; attempt++) {
		try {
			writeFileSync(path, text, { flag: 'wx' });
			break;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		}
		const holder = readHolder(path);
		// Unreadable (being written this instant, or damaged): another import may be starting; one more look.
		if (!holder && attempt === 0) {
			Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
			continue;
		}
		if (holder && (holder.host !== mine.host || alive(holder.pid))) throw new LockedError(holder, path);
		if (attempt >= 3) throw new LockedError(holder ?? { pid: 0, host: 'unknown', started: 'unknown' }, path);
		// Stale: moved aside rather than deleted, so of two imports taking it over at once only one succeeds.
		try {
			renameSync(path, `${path}.stale-${process.pid}`);
			rmSync(`${path}.stale-${process.pid}`, { force: true });
		} catch {}
	}
	return () => {
		// Only our own lock: never one another import took over after us.
		if (readHolder(path)?.pid === mine.pid && readHolder(path)?.started === mine.started) rmSync(path, { force: true });
	};
}
