/** The store's SQLite schema, its version, and the migration that creates or rebuilds it. */
import type Database from 'better-sqlite3';

/** Bumped whenever the schema or the parser's output changes; an older store is rebuilt by the next import. */
export const SCHEMA_VERSION = 16;

/**
 * SQLite's largest page size, for a new store. Measured on the 100 MB synthetic archive (interleaved runs): import
 * 5–10% faster than with the default 4 KB (the page index's segments are written and merged in fewer, bigger
 * pages; indexing the pages alone, 20% faster), a store 7% smaller, and searches as fast or a little faster.
 */
export const SQLITE_PAGE_SIZE = 65536;

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
	chapter_count INTEGER NOT NULL,
	-- 1 when the source says the story is finished, 0 when in progress, NULL when it does not say.
	complete INTEGER,
	format TEXT NOT NULL,
	markup TEXT NOT NULL,
	meta TEXT NOT NULL,
	imported_at TEXT NOT NULL
);
CREATE INDEX stories_hash ON stories(hash);
-- Search by filters alone lists stories in title order, and filters with words read the stories a filter allows:
-- this index holds what both need, so neither reads the stories themselves (their metadata makes them large).
CREATE INDEX stories_listing ON stories(title COLLATE NOCASE, id, author, rating);
-- Filters by length and completion (words:>10000, chapters:1, complete:yes): a range of stories each.
CREATE INDEX stories_words ON stories(words);
CREATE INDEX stories_chapters ON stories(chapter_count);
CREATE INDEX stories_complete ON stories(complete);
CREATE TABLE pages (
	id INTEGER PRIMARY KEY,
	story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
	number INTEGER NOT NULL,
	chapter INTEGER NOT NULL,
	offset INTEGER NOT NULL,
	text TEXT NOT NULL
);
-- Deleting a story makes SQLite find the rows that reference it (foreign keys): without this index, a scan of
-- every page for each story removed (12,239 removals took 578 s).
CREATE INDEX pages_story ON pages(story_id);
-- A story's chapters: pages first_page to first_page + page_count - 1 (pages never span two chapters).
CREATE TABLE chapters (
	story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
	number INTEGER NOT NULL,
	title TEXT,
	first_page INTEGER NOT NULL,
	page_count INTEGER NOT NULL,
	PRIMARY KEY (story_id, number)
) WITHOUT ROWID;
CREATE TABLE quotes (
	id INTEGER PRIMARY KEY,
	story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
	page INTEGER NOT NULL,
	chapter INTEGER NOT NULL,
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
	-- The pages that mention them, most mentions for its length first, as numbers separated by spaces (at most 32):
	-- where a search for the name opens the story, and for several names the first of the rarest's the others share.
	pages TEXT,
	PRIMARY KEY (story_id, name)
) WITHOUT ROWID;
CREATE INDEX characters_name ON characters(name COLLATE NOCASE, weight DESC);
-- Every character of the archive once (names that differ only in case are one, spelled as its most central spelling):
-- the stories they are in and how central they are in all (their weights summed), refreshed by every import. Autocomplete
-- ranks the names with a prefix from here, without reading each story's characters (60,000 rows start with "a" at
-- 1 GB), and the names everyone knows come first.
CREATE TABLE character_names (
	name TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
	stories INTEGER NOT NULL,
	weight REAL NOT NULL
) WITHOUT ROWID;
CREATE INDEX character_names_weight ON character_names(weight DESC);
-- Each story's tags by kind (fandom, relationship, character, tag, warning; see facets.ts), the value as the source
-- wrote it and a key its spellings share: the stories of a tag are one range of the key, and a story's own tags one
-- range of the second index (a filter checks a story there; removing a story finds its rows there).
CREATE TABLE story_facets (
	kind TEXT NOT NULL,
	value_key TEXT NOT NULL,
	value TEXT NOT NULL,
	story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
	PRIMARY KEY (kind, value_key, story_id)
) WITHOUT ROWID;
CREATE INDEX story_facets_story ON story_facets(story_id, kind, value_key);
-- Every tag of the archive once per rating, with the stories that carry it, refreshed by every import: /browse and
-- autocomplete count and rank tags from here for the ratings a channel may show, without reading story_facets.
-- \`value\` is its most used spelling, \`words\` its letters and digits (facetWords) for matching what is typed.
CREATE TABLE facet_values (
	kind TEXT NOT NULL,
	value_key TEXT NOT NULL,
	rating TEXT NOT NULL,
	value TEXT NOT NULL,
	words TEXT NOT NULL,
	stories INTEGER NOT NULL,
	PRIMARY KEY (kind, value_key, rating)
) WITHOUT ROWID;
-- The archive's totals, refreshed by every import: /archive and search read one row rather than every story's
-- (120 ms at 1 GB). No row until an import has stored something.
CREATE TABLE archive_totals (
	stories INTEGER NOT NULL,
	authors INTEGER NOT NULL,
	words INTEGER NOT NULL,
	pages INTEGER NOT NULL,
	quotes INTEGER NOT NULL
);
-- "More like this" (src/archive/similar.ts, docs/similar.md): each story's features (series, fandoms, relationships,
-- characters, tags, distinctive words) as JSON, written with the story; and its nearest stories as JSON, recomputed
-- for every story from all the features by each import that adds, changes or removes one. No foreign keys: with
-- one on story_features, writing stories took twice as long (SQLite checks the parent row on every insert);
-- removeStory deletes both rows itself.
CREATE TABLE story_features (story_id INTEGER PRIMARY KEY, features TEXT NOT NULL);
CREATE TABLE similar (story_id INTEGER PRIMARY KEY, list TEXT NOT NULL);
CREATE VIRTUAL TABLE pages_fts USING fts5(text, content = 'pages', content_rowid = 'id', ${TOKENIZER});
-- FTS5 buffers new terms in memory and flushes a segment whenever the buffer reaches 'hashsize' (1 MB by default):
-- at 8 MB it flushes an eighth as often and merges less, which makes indexing alone about 15% faster (bigger
-- buffers gain nothing more) for 8 MB more memory while importing. A setting of the index, kept with it.
INSERT INTO pages_fts (pages_fts, rank) VALUES ('hashsize', ${8 * 1024 * 1024});
CREATE VIRTUAL TABLE pages_vocab USING fts5vocab(pages_fts, row);
-- The page index's terms (porter stems) and how many pages hold each, refreshed by every import: document
-- frequencies for ranking and the vocabulary for typo correction, without walking the index at query time.
CREATE TABLE vocabulary (term TEXT PRIMARY KEY, pages INTEGER NOT NULL, occurrences INTEGER NOT NULL) WITHOUT ROWID;
CREATE VIRTUAL TABLE stories_fts USING fts5(title, author, summary, content = 'stories', content_rowid = 'id', ${TOKENIZER});
CREATE VIRTUAL TABLE stories_vocab USING fts5vocab(stories_fts, col);
-- The same for titles, authors and summaries: how many stories hold each term in each of them. Ranking them by
-- BM25 scores every story that matches, so a term in thousands of summaries ("buffy") is ranked by title alone.
CREATE TABLE story_vocabulary (
	term TEXT NOT NULL,
	col TEXT NOT NULL,
	stories INTEGER NOT NULL,
	PRIMARY KEY (term, col)
) WITHOUT ROWID;
-- Titles and authors word by word as written, not stemmed, for autocomplete: what is typed so far is the start of a
-- word ("sunny" of Sunnydale, "goodby" of Goodbye), which a stemmed index cannot match (it holds "sunnydal" and
-- "goodby", and stems the typed prefix too: "sunni", "goodbi").
CREATE VIRTUAL TABLE story_words USING fts5(
	title, author, content = 'stories', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
);
`;

/** The schema version the store file was written with: 0 for a new, empty file. */
export const storedVersion = (db: Database.Database) => db.pragma('user_version', { simple: true }) as number;

/** Creates the schema, or rebuilds an older one from scratch (the files on disk are the source of truth). */
export function migrate(db: Database.Database, from: number): void {
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
