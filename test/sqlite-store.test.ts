import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keyvTestSuite, { keyvIteratorTests } from '@keyv/test-suite';
import Database from 'better-sqlite3';
import Keyv from 'keyv';
import * as vitest from 'vitest';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../src/log.js';
import { SqliteStore } from '../src/state/sqlite-store.js';
import { openState } from '../src/state.js';

const dir = mkdtempSync(join(tmpdir(), 'fic-archive-sqlite-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The keyv project's own compliance suite (api, values, namespaces, iterator), against one file.
const file = join(dir, 'suite.sqlite');
const store = () => new SqliteStore({ uri: `sqlite://${file}`, busyTimeout: 3000 });
keyvTestSuite(vitest, Keyv, store);
keyvIteratorTests(vitest, Keyv, store);

describe('SqliteStore and files @keyv/sqlite wrote', () => {
	it('opens a state file written by @keyv/sqlite 4.0.8 and reads what it holds', async () => {
		const copy = join(dir, 'old-state.sqlite');
		copyFileSync(new URL('fixtures/keyv-sqlite-state.sqlite', import.meta.url), copy);
		const state = openState(`sqlite://${copy}`, memoryLogger());
		try {
			expect((await state.settings('100000000000000001')).maxRating).toBe('General');
			const library = await state.library('200000000000000002');
			expect(library.map((e) => [e.storyId, e.page, e.bookmark])).toEqual([
				[8, 1, null],
				[7, 3, 3],
			]);
			expect((await state.board('100000000000000001')).map((e) => e.text)).toEqual(['Not the bronze again.']);
			await state.recordRead('200000000000000002', 9, 2, 5);
			expect(await state.library('200000000000000002')).toHaveLength(3);
		} finally {
			await state.close();
		}
	});

	it('keeps @keyv/sqlite’s layout: a keyv table of key and value, keys prefixed with the namespace', async () => {
		const path = join(dir, 'layout.sqlite');
		const keyv = new Keyv({ store: new SqliteStore(`sqlite://${path}`), namespace: 'fic-archive' });
		await keyv.set('settings:1', { maxRating: 'Teen' });
		await keyv.disconnect();
		const db = new Database(path, { readonly: true });
		try {
			const columns = db.prepare('PRAGMA table_info(keyv)').all() as { name: string; type: string; pk: number }[];
			expect(columns.map((c) => [c.name, c.type, c.pk])).toEqual([
				['key', 'VARCHAR(255)', 1],
				['value', 'TEXT', 0],
			]);
			const row = db.prepare('SELECT key, value FROM keyv').get() as { key: string; value: string };
			expect(row.key).toBe('fic-archive:settings:1');
			expect(JSON.parse(row.value)).toEqual({ value: { maxRating: 'Teen' } });
		} finally {
			db.close();
		}
	});

	it('clears only its own namespace, even one with LIKE wildcards in it', async () => {
		const uri = `sqlite://${join(dir, 'wild.sqlite')}`;
		const wild = new Keyv({ store: new SqliteStore(uri), namespace: 'a_%' });
		const other = new Keyv({ store: new SqliteStore(uri), namespace: 'abc' });
		await wild.set('k', 1);
		await other.set('k', 2);
		await wild.clear();
		expect(await wild.get('k')).toBeUndefined();
		expect(await other.get('k')).toBe(2);
		await wild.disconnect();
		await other.disconnect();
	});
});
