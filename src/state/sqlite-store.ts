import { EventEmitter } from 'node:events';
import Database from 'better-sqlite3';
import type { KeyvStoreAdapter, StoredData } from 'keyv';

export interface SqliteStoreOptions {
	/** `sqlite://path`, a plain path, or ':memory:'. */
	uri: string;
	/** The table; default keyv, as @keyv/sqlite names it. */
	table?: string;
	/** How long a write waits for another connection's lock, in ms. */
	busyTimeout?: number;
}

/**
 * A keyv store on better-sqlite3, the SQLite the archive already uses (so `npm ci` builds one native SQLite,
 * not two). The file layout is @keyv/sqlite's: a `keyv` table of `key VARCHAR(255) PRIMARY KEY, value TEXT`,
 * keys prefixed `namespace:`, values keyv's serialized strings. Files written by @keyv/sqlite open as they are.
 * Expiry is keyv's own (ttlSupport false: the expiry time is inside the value).
 */
export class SqliteStore extends EventEmitter implements KeyvStoreAdapter {
	readonly ttlSupport = false;
	/** keyv reads `dialect` (and `url`) to know the store can be iterated. */
	readonly opts: Required<SqliteStoreOptions> & { dialect: 'sqlite'; url: string };
	namespace?: string | undefined;
	private readonly db: Database.Database;
	private readonly sql: {
		get: Database.Statement<[string], { value: string }>;
		set: Database.Statement<[string, string]>;
		delete: Database.Statement<[string]>;
		setIfChanged: Database.Statement<[string, string]>;
		has: Database.Statement<[string], { found: number }>;
		clearAll: Database.Statement<[]>;
		clearPrefix: Database.Statement<[{ prefix: string; length: number }]>;
		page: Database.Statement<
			[{ prefix: string; length: number; after: string; limit: number }],
			{ key: string; value: string }
		>;
	};

	constructor(options: SqliteStoreOptions | string) {
		super();
		const opts = typeof options === 'string' ? { uri: options } : options;
		this.opts = { table: 'keyv', busyTimeout: 5000, ...opts, dialect: 'sqlite', url: opts.uri };
		const table = this.opts.table.replace(/[^A-Za-z0-9_]/g, '');
		if (!/^[A-Za-z]/.test(table)) throw new Error(`Invalid table name "${this.opts.table}"`);
		this.db = new Database(this.opts.uri.replace(/^sqlite:\/\//, ''));
		this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(this.opts.busyTimeout))}`);
		// The same statement @keyv/sqlite runs, so a file either adapter made is the same file.
		this.db.exec(`CREATE TABLE IF NOT EXISTS ${table}(key VARCHAR(255) PRIMARY KEY, value TEXT )`);
		this.sql = {
			get: this.db.prepare(`SELECT value FROM ${table} WHERE key = ?`),
			set: this.db.prepare(
				`INSERT INTO ${table} (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
			),
			delete: this.db.prepare(`DELETE FROM ${table} WHERE key = ?`),
			setIfChanged: this.db.prepare(
				`INSERT INTO ${table} (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value
				 WHERE ${table}.value IS NOT excluded.value`,
			),
			has: this.db.prepare(`SELECT EXISTS (SELECT 1 FROM ${table} WHERE key = ?) AS found`),
			clearAll: this.db.prepare(`DELETE FROM ${table}`),
			// A prefix compared as text, not LIKE: a namespace with % or _ in it matches only itself.
			clearPrefix: this.db.prepare(`DELETE FROM ${table} WHERE substr(key, 1, @length) = @prefix`),
			page: this.db.prepare(
				`SELECT key, value FROM ${table} WHERE substr(key, 1, @length) = @prefix AND key > @after ORDER BY key LIMIT @limit`,
			),
		};
	}

	/** Runs a statement; a failure is emitted (keyv listens) and thrown. */
	private run<T>(work: () => T): Promise<T> {
		try {
			return Promise.resolve(work());
		} catch (error) {
			this.emit('error', error);
			return Promise.reject(error);
		}
	}

	get<Value>(key: string): Promise<StoredData<Value> | undefined> {
		return this.run(() => this.sql.get.get(key)?.value as StoredData<Value> | undefined);
	}

	getMany<Value>(keys: string[]): Promise<Array<StoredData<Value | undefined>>> {
		return this.run(() => keys.map((key) => this.sql.get.get(key)?.value as StoredData<Value | undefined>));
	}

	set(key: string, value: unknown): Promise<void> {
		return this.run(() => {
			this.sql.set.run(key, typeof value === 'string' ? value : JSON.stringify(value));
		});
	}

	setMany(entries: Array<{ key: string; value: unknown }>): Promise<void> {
		return this.run(() =>
			this.db.transaction(() => {
				for (const { key, value } of entries)
					this.sql.set.run(key, typeof value === 'string' ? value : JSON.stringify(value));
			})(),
		);
	}

	/**
	 * Sets `key` to the string `value` unless it holds it already, in one statement (SQLite's write lock makes
	 * it atomic across processes): true when this call changed it. Quote of the day claims its day with it.
	 */
	setIfChanged(key: string, value: string): Promise<boolean> {
		return this.run(() => this.sql.setIfChanged.run(key, value).changes > 0);
	}

	delete(key: string): Promise<boolean> {
		return this.run(() => this.sql.delete.run(key).changes > 0);
	}

	deleteMany(keys: string[]): Promise<boolean> {
		return this.run(() =>
			this.db.transaction(() => keys.reduce((any, key) => this.sql.delete.run(key).changes > 0 || any, false))(),
		);
	}

	has(key: string): Promise<boolean> {
		return this.run(() => this.sql.has.get(key)?.found === 1);
	}

	hasMany(keys: string[]): Promise<boolean[]> {
		return this.run(() => keys.map((key) => this.sql.has.get(key)?.found === 1));
	}

	/** Deletes this namespace's keys, or every key without a namespace (as @keyv/sqlite does). */
	clear(): Promise<void> {
		return this.run(() => {
			if (this.namespace) {
				const prefix = `${this.namespace}:`;
				this.sql.clearPrefix.run({ prefix, length: prefix.length });
			} else this.sql.clearAll.run();
		});
	}

	/** Every [key, value] of a namespace (every one without), read a page at a time in key order. */
	async *iterator<Value>(namespace?: string): AsyncGenerator<Array<string | Awaited<Value> | undefined>, void> {
		const prefix = namespace ? `${namespace}:` : '';
		let after = '';
		for (;;) {
			const rows = await this.run(() => this.sql.page.all({ prefix, length: prefix.length, after, limit: 100 }));
			for (const row of rows) yield [row.key, row.value as Awaited<Value>];
			const last = rows.at(-1);
			if (!last || rows.length < 100) return;
			after = last.key;
		}
	}

	async disconnect(): Promise<void> {
		if (this.db.open) this.db.close();
	}
}
