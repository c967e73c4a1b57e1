import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Character, ParsedStory, Quote, Rating, StoryMeta } from './types.js';

/** Bumped whenever the schema or the parser's output changes; an older store is rebuilt by the next import. */
export const SCHEMA_VERSION = 3;

/** Page rows are keyed storyId × 2^16 + page number, so one story's pages are one rowid range. */
export const PAGE_ROWID_SHIFT = 65536;
export const pageRowid = (storyId: number, page: number) => storyId * PAGE_ROWID_SHIFT + page;

const TOKENIZER = "tokenize = 'porter unicode61 remove_diacritics 2'";

const SCHEMA = `
CREATE TABLE stories (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	path TEXT NOT NULL UNIQUE,
	hash TEXT NOT NULL,
	bytes INTEGER NOT NULL,
	title TEXT NOT NULL,
	author TEXT,
	rating TEXT NOT NULL,
	rating_text TEXT,
	date TEXT,
	summary TEXT,
	declared_words INTEGER,
	words INTEGER NOT NULL,
	page_count INTEGER NOT NULL,
	quote_count INTEGER NOT NULL,
	meta TEXT NOT NULL,
	imported_at TEXT NOT NULL
);
CREATE INDEX stories_hash ON stories(hash);
-- Search by filters alone lists stories in title order, and filters with words read the stories a filter allows:
-- this index holds what both need, so neither reads the stories themselves (their metadata makes them large).
CREATE INDEX stories_listing ON stories(title COLLATE NOCASE, id, author, rating);
CREATE TABLE pages (
	id INTEGER PRIMARY KEY,
	story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
	number INTEGER NOT NULL,
	offset INTEGER NOT NULL,
	text TEXT NOT NULL
);
CREATE TABLE quotes (
	id INTEGER PRIMARY KEY,
	story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
	page INTEGER NOT NULL,
	offset INTEGER NOT NULL,
	kind TEXT NOT NULL,
	speaker TEXT,
	text TEXT NOT NULL
);
CREATE INDEX quotes_story ON quotes(story_id, speaker);
CREATE TABLE characters (
	story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	count INTEGER NOT NULL,
	-- Mentions per thousand words: how central the character is to the story, for ranking stories by name.
	weight REAL NOT NULL,
	PRIMARY KEY (story_id, name)
) WITHOUT ROWID;
CREATE INDEX characters_name ON characters(name COLLATE NOCASE, weight DESC);
CREATE VIRTUAL TABLE pages_fts USING fts5(text, content = 'pages', content_rowid = 'id', ${TOKENIZER});
CREATE VIRTUAL TABLE pages_vocab USING fts5vocab(pages_fts, row);
-- The page index's terms (porter stems) and how many pages hold each, refreshed by every import: document
-- frequencies for ranking and the vocabulary for typo correction, without walking the index at query time.
CREATE TABLE vocabulary (term TEXT PRIMARY KEY, pages INTEGER NOT NULL, occurrences INTEGER NOT NULL) WITHOUT ROWID;
CREATE VIRTUAL TABLE stories_fts USING fts5(title, author, summary, content = 'stories', content_rowid = 'id', ${TOKENIZER});
`;

export interface StoryRecord {
	id: number;
	path: string;
	title: string;
	author: string | null;
	rating: Rating;
	ratingText: string | null;
	date: string | null;
	words: number;
	declaredWords: number | null;
	pageCount: number;
	quoteCount: number;
	meta: StoryMeta;
}

export interface StoredPage {
	storyId: number;
	number: number;
	text: string;
}

export interface StoredQuote extends Quote {
	id: number;
	storyId: number;
}

export interface ArchiveStats {
	stories: number;
	authors: number;
	words: number;
	pages: number;
	quotes: number;
	/** The store's files on disk (database and write-ahead log), in bytes; 0 in memory. */
	bytesOnDisk: number;
}

interface StoryRow {
	id: number;
	path: string;
	title: string;
	author: string | null;
	rating: Rating;
	rating_text: string | null;
	date: string | null;
	words: number;
	declared_words: number | null;
	page_count: number;
	quote_count: number;
	meta: string;
}

const toRecord = (row: StoryRow): StoryRecord => ({
	id: row.id,
	path: row.path,
	title: row.title,
	author: row.author,
	rating: row.rating,
	ratingText: row.rating_text,
	date: row.date,
	words: row.words,
	declaredWords: row.declared_words,
	pageCount: row.page_count,
	quoteCount: row.quote_count,
	meta: JSON.parse(row.meta) as StoryMeta,
});

export class StoreError extends Error {
	override name = 'StoreError';
}

export interface OpenOptions {
	/** Open an existing store for reading only (the bot); the default creates or migrates it (the importer). */
	readonly?: boolean;
	/**
	 * For building a new store file that nobody else has open: no journal and no syncs until `finishBuild`.
	 * Much faster for a big first import; a failed build is thrown away whole, never opened.
	 */
	build?: boolean;
}

/**
 * The parsed story store: one SQLite file holding stories, pages, quotes, characters and the FTS5 indexes.
 * Written only by the importer, in one transaction per run; read by everything else without any parsing.
 */
export class ArchiveStore {
	readonly db: Database.Database;

	private constructor(
		db: Database.Database,
		readonly path: string,
	) {
		this.db = db;
		this.statement = statementCache(db);
	}

	/** Opens (and for writing, creates) the store. ":memory:" gives an empty in-memory store for tests. */
	static open(path: string, options: OpenOptions = {}): ArchiveStore {
		const memory = path === ':memory:';
		if (options.readonly && !memory && !existsSync(path)) {
			throw new StoreError(`No archive at ${path}. Import the stories first: npm run import`);
		}
		if (!memory) mkdirSync(dirname(path), { recursive: true });
		const db = new Database(path, {
			readonly: Boolean(options.readonly) && !memory,
			fileMustExist: Boolean(options.readonly),
		});
		try {
			if (options.build) {
				db.pragma('journal_mode = OFF');
				db.pragma('synchronous = OFF');
			} else if (!options.readonly) {
				db.pragma('journal_mode = WAL');
				db.pragma('synchronous = NORMAL');
			}
			db.pragma('foreign_keys = ON');
			const version = db.pragma('user_version', { simple: true }) as number;
			if (version !== SCHEMA_VERSION) {
				if (options.readonly) {
					throw new StoreError(
						`The archive at ${path} was written by ${version ? 'another version' : 'nothing yet'} of fic-archive. Run npm run import to rebuild it.`,
					);
				}
				migrate(db, version);
			}
		} catch (error) {
			db.close();
			throw error;
		}
		return new ArchiveStore(db, path);
	}

	/** Ends a build: the file goes to write-ahead logging for its readers, synced to disk before it is used. */
	finishBuild(): void {
		this.db.pragma('synchronous = FULL');
		this.db.pragma('journal_mode = WAL');
	}

	close(): void {
		if (this.db.open) this.db.close();
	}

	story(id: number): StoryRecord | undefined {
		const row = this.statement('SELECT * FROM stories WHERE id = ?').get(id) as StoryRow | undefined;
		return row && toRecord(row);
	}

	stories(): StoryRecord[] {
		return (this.statement('SELECT * FROM stories ORDER BY title COLLATE NOCASE, id').all() as StoryRow[]).map(
			toRecord,
		);
	}

	page(storyId: number, number: number): StoredPage | undefined {
		const row = this.statement('SELECT text FROM pages WHERE id = ?').get(pageRowid(storyId, number)) as
			| { text: string }
			| undefined;
		return row && { storyId, number, text: row.text };
	}

	characters(storyId: number): Character[] {
		return this.statement('SELECT name, count FROM characters WHERE story_id = ? ORDER BY count DESC, name').all(
			storyId,
		) as Character[];
	}

	quotes(storyId: number): StoredQuote[] {
		return (
			this.statement('SELECT * FROM quotes WHERE story_id = ? ORDER BY page, offset').all(storyId) as QuoteRow[]
		).map(toQuote);
	}

	/** A random quote, optionally from one story and/or by one speaker (case-insensitive); undefined if none. */
	randomQuote(filter: { storyId?: number; speaker?: string } = {}, random = Math.random): StoredQuote | undefined {
		const where: string[] = [];
		const params: (number | string)[] = [];
		if (filter.storyId !== undefined) {
			where.push('story_id = ?');
			params.push(filter.storyId);
		}
		if (filter.speaker) {
			where.push('speaker = ? COLLATE NOCASE');
			params.push(filter.speaker);
		}
		const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
		const { n } = this.statement(`SELECT count(*) AS n FROM quotes ${clause}`).get(...params) as { n: number };
		if (n === 0) return undefined;
		const row = this.statement(`SELECT * FROM quotes ${clause} ORDER BY id LIMIT 1 OFFSET ?`).get(
			...params,
			Math.floor(random() * n),
		) as QuoteRow;
		return toQuote(row);
	}

	stats(): ArchiveStats {
		const row = this.statement(
			`SELECT count(*) AS stories, count(DISTINCT author) AS authors, coalesce(sum(words), 0) AS words,
				coalesce(sum(page_count), 0) AS pages, coalesce(sum(quote_count), 0) AS quotes FROM stories`,
		).get() as Omit<ArchiveStats, 'bytesOnDisk'>;
		return { ...row, bytesOnDisk: this.bytesOnDisk() };
	}

	bytesOnDisk(): number {
		if (this.path === ':memory:') return 0;
		return ['', '-wal'].reduce((sum, suffix) => {
			try {
				return sum + statSync(this.path + suffix).size;
			} catch {
				return sum;
			}
		}, 0);
	}

	/** Stored files: path → content hash, for the importer to tell what changed. */
	fileHashes(): Map<string, { id: number; hash: string }> {
		const rows = this.statement('SELECT id, path, hash FROM stories').all() as {
			id: number;
			path: string;
			hash: string;
		}[];
		return new Map(rows.map((r) => [r.path, { id: r.id, hash: r.hash }]));
	}

	/** Writes a parsed story under its file path: a new id for a new path, the same id for a changed file. */
	putStory(path: string, hash: string, bytes: number, story: Omit<ParsedStory, 'body'>, existingId?: number): number {
		const { meta } = story;
		const values = {
			path,
			hash,
			bytes,
			title: meta.title,
			author: meta.author,
			rating: meta.rating,
			rating_text: meta.ratingText,
			date: meta.date,
			summary: meta.summary ?? null,
			declared_words: meta.declaredWords,
			words: story.words,
			page_count: story.pages.length,
			quote_count: story.quotes.length,
			meta: JSON.stringify(meta),
			imported_at: new Date().toISOString(),
		};
		let id: number;
		if (existingId === undefined) {
			id = Number(
				this.statement(
					`INSERT INTO stories (path, hash, bytes, title, author, rating, rating_text, date, summary, declared_words,
						words, page_count, quote_count, meta, imported_at)
					VALUES (:path, :hash, :bytes, :title, :author, :rating, :rating_text, :date, :summary, :declared_words,
						:words, :page_count, :quote_count, :meta, :imported_at)`,
				).run(values).lastInsertRowid,
			);
		} else {
			id = existingId;
			this.clearStoryContent(id);
			this.statement(
				`UPDATE stories SET path = :path, hash = :hash, bytes = :bytes, title = :title, author = :author,
					rating = :rating, rating_text = :rating_text, date = :date, summary = :summary,
					declared_words = :declared_words, words = :words, page_count = :page_count, quote_count = :quote_count,
					meta = :meta, imported_at = :imported_at WHERE id = :id`,
			).run({ ...values, id });
		}
		this.statement('INSERT INTO stories_fts (rowid, title, author, summary) VALUES (?, ?, ?, ?)').run(
			id,
			meta.title,
			meta.author,
			meta.summary ?? null,
		);
		const insertPage = this.statement('INSERT INTO pages (id, story_id, number, offset, text) VALUES (?, ?, ?, ?, ?)');
		const indexPage = this.statement('INSERT INTO pages_fts (rowid, text) VALUES (?, ?)');
		for (const page of story.pages) {
			const rowid = pageRowid(id, page.number);
			insertPage.run(rowid, id, page.number, page.offset, page.text);
			indexPage.run(rowid, page.text);
		}
		const insertQuote = this.statement(
			'INSERT INTO quotes (story_id, page, offset, kind, speaker, text) VALUES (?, ?, ?, ?, ?, ?)',
		);
		for (const q of story.quotes) insertQuote.run(id, q.page, q.offset, q.kind, q.speaker, q.text);
		const insertCharacter = this.statement(
			'INSERT INTO characters (story_id, name, count, weight) VALUES (?, ?, ?, ?)',
		);
		for (const c of story.characters)
			insertCharacter.run(id, c.name, c.count, (c.count * 1000) / Math.max(story.words, 1));
		return id;
	}

	/** Rebuilds the vocabulary table from the page index (one pass over the index; import calls it once). */
	refreshVocabulary(): void {
		this.db.exec('DELETE FROM vocabulary');
		this.db.exec('INSERT INTO vocabulary (term, pages, occurrences) SELECT term, doc, cnt FROM pages_vocab');
	}

	/** Records that a stored story's file moved: same content, same id, new path. */
	moveStory(id: number, path: string): void {
		this.statement('UPDATE stories SET path = ? WHERE id = ?').run(path, id);
	}

	removeStory(id: number): void {
		this.clearStoryContent(id);
		this.statement('DELETE FROM stories WHERE id = ?').run(id);
	}

	/**
	 * Runs an async fn in one write transaction: all of it lands, or (on a throw) none of it. Only one may run at
	 * a time on a store, and nothing else may write to it meanwhile.
	 */
	async transactionAsync<T>(fn: () => Promise<T>): Promise<T> {
		this.db.exec('BEGIN IMMEDIATE');
		try {
			const result = await fn();
			this.db.exec('COMMIT');
			return result;
		} catch (error) {
			if (this.db.inTransaction) this.db.exec('ROLLBACK');
			throw error;
		}
	}

	/** Drops a story's pages, quotes, characters and index entries (external-content FTS needs the old text). */
	private clearStoryContent(id: number): void {
		this.statement(
			`INSERT INTO stories_fts (stories_fts, rowid, title, author, summary)
				SELECT 'delete', id, title, author, summary FROM stories WHERE id = ?`,
		).run(id);
		this.statement(
			`INSERT INTO pages_fts (pages_fts, rowid, text) SELECT 'delete', id, text FROM pages WHERE id BETWEEN ? AND ?`,
		).run(pageRowid(id, 0), pageRowid(id, PAGE_ROWID_SHIFT - 1));
		this.statement('DELETE FROM pages WHERE id BETWEEN ? AND ?').run(
			pageRowid(id, 0),
			pageRowid(id, PAGE_ROWID_SHIFT - 1),
		);
		this.statement('DELETE FROM quotes WHERE story_id = ?').run(id);
		this.statement('DELETE FROM characters WHERE story_id = ?').run(id);
	}

	/** A prepared statement for this SQL, prepared once per store. */
	private readonly statement: (sql: string) => Database.Statement;
}

/** Prepares each SQL text once and hands back the same statement after. */
export function statementCache(db: Database.Database): (sql: string) => Database.Statement {
	const statements = new Map<string, Database.Statement>();
	return (sql) => {
		let statement = statements.get(sql);
		if (!statement) {
			statement = db.prepare(sql);
			statements.set(sql, statement);
		}
		return statement;
	};
}

interface QuoteRow {
	id: number;
	story_id: number;
	page: number;
	offset: number;
	kind: Quote['kind'];
	speaker: string | null;
	text: string;
}

const toQuote = (row: QuoteRow): StoredQuote => ({
	id: row.id,
	storyId: row.story_id,
	page: row.page,
	offset: row.offset,
	kind: row.kind,
	speaker: row.speaker,
	text: row.text,
});

/** Creates the schema, or rebuilds an older one from scratch (the files on disk are the source of truth). */
function migrate(db: Database.Database, from: number): void {
	db.transaction(() => {
		if (from !== 0) {
			const tables = db
				.prepare(
					"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts_%'",
				)
				.all() as { name: string }[];
			for (const { name } of tables) db.exec(`DROP TABLE IF EXISTS "${name}"`);
		}
		db.exec(SCHEMA);
		db.pragma(`user_version = ${SCHEMA_VERSION}`);
	})();
}
