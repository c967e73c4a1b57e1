import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/archive/schema.js';
import { ArchiveStore } from '../../src/archive/store.js';

/** The query plan's lines for a statement, as SQLite explains it. */
const plan = (store: ArchiveStore, sql: string) =>
	(store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail);

describe('removing a story', () => {
	it('finds the rows of every table that references the story through an index, never a scan', () => {
		const store = ArchiveStore.open(':memory:');
		const tables = store.db
			.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'")
			.pluck()
			.all() as string[];
		// Every foreign key to a story: SQLite looks its rows up for each story deleted (ON DELETE CASCADE).
		const references = tables.flatMap((table) =>
			(store.db.pragma(`foreign_key_list(${table})`) as { table: string; from: string }[])
				.filter((fk) => fk.table === 'stories')
				.map((fk) => ({ table, column: fk.from })),
		);
		expect(references.map((r) => r.table).sort()).toEqual([
			'chapters',
			'characters',
			'pages',
			'quotes',
			'story_facets',
		]);
		for (const { table, column } of references) {
			const lines = plan(store, `SELECT 1 FROM ${table} WHERE ${column} = 1`);
			expect(lines.join('; '), table).toMatch(/^SEARCH .* USING (?:COVERING )?(?:INDEX|PRIMARY KEY)/);
		}
		// The page index's rows go by their page ids, one range per story.
		expect(plan(store, 'SELECT id, text FROM pages WHERE id BETWEEN 65536 AND 131071').join('; ')).toMatch(
			/^SEARCH pages USING INTEGER PRIMARY KEY/,
		);
		store.close();
	});
});

describe('a store made before pages were indexed by story', () => {
	it('is rebuilt with the index by the next import that opens it', () => {
		const dir = mkdtempSync(join(tmpdir(), 'fic-archive-removal-'));
		const path = join(dir, 'archive.sqlite');
		const old = ArchiveStore.open(path);
		old.db.exec('DROP INDEX pages_story');
		old.db.pragma(`user_version = ${SCHEMA_VERSION - 1}`);
		old.close();
		expect(() => ArchiveStore.open(path, { readonly: true })).toThrow(/Run npm run import to rebuild it/);
		const store = ArchiveStore.open(path);
		expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
		expect(plan(store, 'SELECT 1 FROM pages WHERE story_id = 1').join('; ')).toMatch(
			/USING COVERING INDEX pages_story/,
		);
		store.close();
		rmSync(dir, { recursive: true, force: true });
	});
});
