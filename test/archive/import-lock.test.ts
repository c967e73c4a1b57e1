import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImportError, importToPath } from '../../src/archive/import.js';
import { lockPathFor } from '../../src/archive/import-lock.js';
import { ArchiveStore } from '../../src/archive/store.js';

const SAMPLES = new URL('../../data/', import.meta.url);
let root: string;
let dir: string;
let path: string;

beforeEach(() => {
	root = mkdtempSync(join(tmpdir(), 'fic-archive-lock-'));
	dir = join(root, 'stories');
	mkdirSync(dir);
	for (const name of ['leaving.txt', 'moving-day.txt']) copyFileSync(new URL(name, SAMPLES), join(dir, name));
	path = join(root, 'store', 'archive.sqlite');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const lockWith = (holder: object) => {
	mkdirSync(join(root, 'store'), { recursive: true });
	writeFileSync(lockPathFor(path), JSON.stringify(holder));
};

describe('two imports into one store', () => {
	it('two first builds at once: one builds the store, the other is told who is importing', async () => {
		const results = await Promise.allSettled([importToPath(path, dir), importToPath(path, dir)]);
		const [done, refused] = results[0].status === 'fulfilled' ? results : [results[1], results[0]];
		expect(done).toMatchObject({ status: 'fulfilled', value: { added: 2 } });
		expect(refused.status).toBe('rejected');
		const error = (refused as PromiseRejectedResult).reason as Error;
		expect(error).toBeInstanceOf(ImportError);
		expect(error.message).toMatch(
			new RegExp(`^Another import into this store is running: process ${process.pid} on ${hostname()}, since \\d{4}-`),
		);
		// The store is whole, and no lock or half-built file is left.
		const store = ArchiveStore.open(path, { readonly: true });
		expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
		expect(store.stats().stories).toBe(2);
		store.close();
		expect(readdirSync(join(root, 'store')).filter((f) => !/\.sqlite(?:-wal|-shm)?$/.test(f))).toEqual([]);
	});

	it('refuses while a live process holds the lock, on this machine or another, naming it and since when', async () => {
		lockWith({ pid: process.ppid, host: hostname(), started: '2026-12-06T10:00:00.000Z' });
		await expect(importToPath(path, dir)).rejects.toThrow(
			`Another import into this store is running: process ${process.ppid} on ${hostname()}, since 2026-12-06T10:00:00.000Z. Wait for it to finish; if that process is gone, delete ${lockPathFor(path)}.`,
		);
		lockWith({ pid: 1, host: 'elsewhere.invalid', started: '2026-12-06T10:00:00.000Z' });
		await expect(importToPath(path, dir)).rejects.toThrow(/process 1 on elsewhere\.invalid/);
		expect(existsSync(path)).toBe(false);
	});

	it('takes over a lock left by a process that died', async () => {
		const dead = spawnSync(process.execPath, ['-e', '']).pid as number;
		lockWith({ pid: dead, host: hostname(), started: '2026-12-06T10:00:00.000Z' });
		expect(await importToPath(path, dir)).toMatchObject({ added: 2 });
		expect(existsSync(lockPathFor(path))).toBe(false);
	});
});

describe('an import while others use the store', () => {
	it('goes on while the bot reads the store', async () => {
		await importToPath(path, dir);
		const bot = ArchiveStore.open(path, { readonly: true });
		// A read in progress: the reader holds its snapshot until the statement finishes.
		const reading = bot.db.prepare('SELECT id FROM pages').iterate();
		reading.next();
		writeFileSync(join(dir, 'new.txt'), 'New\nby Someone\n\nSpike walked into the Bronze and sat down.');
		expect(await importToPath(path, dir)).toMatchObject({ added: 1, unchanged: 2 });
		reading.return?.();
		expect(bot.stats().stories).toBe(3);
		bot.close();
	});

	it('says in one line that another program is writing to the store', async () => {
		await importToPath(path, dir);
		const other = new Database(path);
		other.exec('BEGIN IMMEDIATE');
		writeFileSync(join(dir, 'new.txt'), 'New\nby Someone\n\nSpike walked into the Bronze and sat down.');
		await expect(importToPath(path, dir)).rejects.toThrow(
			new ImportError(
				`The store ${path} is locked by another program writing to it (database is locked); close it and import again.`,
			),
		);
		other.exec('ROLLBACK');
		other.close();
		expect(await importToPath(path, dir)).toMatchObject({ added: 1 });
	}, 30_000);
});
