import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateArchive } from '../../bench/synth.js';
import { importArchive } from '../../src/archive/import.js';
import { ArchiveStore } from '../../src/archive/store.js';

const CLI = new URL('../../src/cli/archive.ts', import.meta.url).pathname;
let dir: string;
let db: string;

/** What a reader sees in the store: every story's path, hash and page count, and the index's health. */
function contents(path: string) {
	const store = ArchiveStore.open(path, { readonly: true });
	try {
		const rows = store.db.prepare('SELECT path, hash, page_count FROM stories ORDER BY path').all();
		const check = store.db.prepare('PRAGMA integrity_check').pluck().get();
		return { rows, check, pages: store.stats().pages };
	} finally {
		store.close();
	}
}

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'fic-archive-crash-'));
	db = join(dir, 'store', 'archive.sqlite');
	for (const name of ['leaving.txt', 'moving-day.txt'])
		copyFileSync(new URL(`../../data/${name}`, import.meta.url), join(dir, name));
	const store = ArchiveStore.open(db);
	await importArchive(store, dir);
	store.close();
	// Enough new text that the import is still writing when it is killed.
	await generateArchive(join(dir, 'more'), { bytes: 24 * 1024 * 1024, seed: 7 });
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('an import killed part way', () => {
	it('leaves the previous store exactly as it was', async () => {
		const before = contents(db);
		expect(before.rows).toHaveLength(2);
		const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'import', dir], {
			env: { ...process.env, ARCHIVE_DB: db },
			stdio: 'ignore',
		});
		const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
		// Kill it once its transaction has started writing: the write-ahead log grows past a megabyte.
		const wal = `${db}-wal`;
		const started = Date.now();
		while (!(existsSync(wal) && statSync(wal).size > 1024 * 1024) && Date.now() - started < 30_000) {
			await new Promise((r) => setTimeout(r, 5));
		}
		child.kill('SIGKILL');
		expect(await exited).toBeNull();
		expect(contents(db)).toEqual(before);
	}, 60_000);
});
