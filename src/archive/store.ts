import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
	type ConditionsSql,
	chooseLead,
	conditionsSql,
	type FacetKind,
	facetWords,
	type Lead,
	type NumberRange,
	type StoryConditions,
	storyFacets,
} from './facets.js';
import { MAX_STORY_PAGES, tooManyPagesReason } from './pages.js';
import { migrate, SCHEMA_VERSION, SQLITE_PAGE_SIZE, storedVersion } from './schema.js';
import { featuresOf, type Neighbour, refreshSimilar, type SimilarStory, type StoryForFeatures } from './similar.js';
import {
	type Chapter,
	type Character,
	type Markup,
	type ParsedStory,
	type Quote,
	type Rating,
	StoryError,
	type StoryFormat,
	type StoryMeta,
} from './types.js';

/**
 * Page rows are keyed storyId × 2^16 + page number, so one story's pages are one rowid range. Page numbers start
 * at 1 and a story has at most MAX_STORY_PAGES (putStory refuses more), so ranges never meet and an id decodes
 * back to its story and page.
 */
export const PAGE_ROWID_SHIFT = MAX_STORY_PAGES + 1;
export const pageRowid = (storyId: number, page: number) => storyId * PAGE_ROWID_SHIFT + page;

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
	/** 1 for a story without chapters. */
	chapterCount: number;
	/** The file's format, and how its text is written (see Markup in types.ts). */
	format: StoryFormat;
	markup: Markup;
	meta: StoryMeta;
}

export interface StoredPage {
	storyId: number;
	number: number;
	/** The chapter the page is in (1-based). */
	chapter: number;
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
	chapter_count: number;
	format: StoryFormat;
	markup: Markup;
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
	chapterCount: row.chapter_count,
	format: row.format,
	markup: row.markup,
	meta: JSON.parse(row.meta) as StoryMeta,
});

/** A tag with how many stories carry it. */
export interface FacetValue {
	kind: FacetKind;
	key: string;
	/** Spelled as most of its stories spell it. */
	value: string;
	stories: number;
}

/**
 * Stories named by a part of a listing's conditions (a tag, a length) at most this many are read as a set and
 * sorted by title; a listing with no such part walks the stories in title order instead, and stops after a page.
 * Reading and sorting 2,000 stories takes about 3 ms; walking 2,000 titles to find five that match, as long.
 */
export const FEW_STORIES = 2000;
/**
 * How far a length's or completion's stories are counted along its index to choose what leads a listing: 20,000
 * index entries take about a millisecond; past them a part is taken to name too many to lead.
 */
const LEAD_COUNT_CAP = 20000;

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
			// Set before anything is written: a no-op on a store that exists (its page size is fixed when made).
			if (!options.readonly) db.pragma(`page_size = ${SQLITE_PAGE_SIZE}`);
			if (options.build) {
				db.pragma('journal_mode = OFF');
				db.pragma('synchronous = OFF');
			} else if (!options.readonly) {
				db.pragma('journal_mode = WAL');
				db.pragma('synchronous = NORMAL');
			}
			db.pragma('foreign_keys = ON');
			const version = storedVersion(db);
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
		const row = this.statement('SELECT chapter, text FROM pages WHERE id = ?').get(pageRowid(storyId, number)) as
			| { chapter: number; text: string }
			| undefined;
		return row && { storyId, number, chapter: row.chapter, text: row.text };
	}

	/** A story's chapters in order (one, titled null, for a story without chapters); empty for no such story. */
	chapters(storyId: number): Chapter[] {
		return this.statement(
			`SELECT number, title, first_page AS firstPage, page_count AS pageCount FROM chapters
				WHERE story_id = ? ORDER BY number`,
		).all(storyId) as Chapter[];
	}

	/** One chapter of a story, by its number. */
	chapter(storyId: number, number: number): Chapter | undefined {
		return this.statement(
			`SELECT number, title, first_page AS firstPage, page_count AS pageCount FROM chapters
				WHERE story_id = ? AND number = ?`,
		).get(storyId, number) as Chapter | undefined;
	}

	/** The chapter holding a page of a story (the Discord reader's footer; a search hit's chapter). */
	chapterOfPage(storyId: number, page: number): Chapter | undefined {
		return this.statement(
			`SELECT number, title, first_page AS firstPage, page_count AS pageCount FROM chapters
				WHERE story_id = ? AND first_page <= ? ORDER BY number DESC LIMIT 1`,
		).get(storyId, page) as Chapter | undefined;
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

	/** The quotable lines on one page, in reading order. */
	quotesOnPage(storyId: number, page: number): StoredQuote[] {
		return (
			this.statement('SELECT * FROM quotes WHERE story_id = ? AND page = ? ORDER BY offset').all(
				storyId,
				page,
			) as QuoteRow[]
		).map(toQuote);
	}

	/** Whether a page has any quotable lines (the reader offers "Quote a line" only then). */
	hasQuotesOnPage(storyId: number, page: number): boolean {
		return (
			this.statement('SELECT EXISTS (SELECT 1 FROM quotes WHERE story_id = ? AND page = ?)')
				.pluck()
				.get(storyId, page) === 1
		);
	}

	/** One quote by id; undefined when it is gone (a re-import replaces a changed story's quotes). */
	quote(id: number): StoredQuote | undefined {
		const row = this.statement('SELECT * FROM quotes WHERE id = ?').get(id) as QuoteRow | undefined;
		return row && toQuote(row);
	}

	/**
	 * A random quote, optionally from one story, by one speaker (case-insensitive) and/or from stories of the
	 * given ratings; undefined if there is none. Never a scan of every quote: a story's quotes are one index
	 * range, a speaker's stories come from the characters index, and a quote from anywhere is the first one
	 * at or after a random id.
	 */
	randomQuote(
		filter: { storyId?: number; speaker?: string; ratings?: readonly Rating[] } = {},
		random = Math.random,
	): StoredQuote | undefined {
		const ratings = filter.ratings ? [...new Set(filter.ratings)] : null;
		if (ratings?.length === 0) return undefined;
		if (filter.storyId !== undefined) {
			const rating = this.statement('SELECT rating FROM stories WHERE id = ?').pluck().get(filter.storyId) as
				| Rating
				| undefined;
			if (!rating || (ratings && !ratings.includes(rating))) return undefined;
			return this.randomQuoteIn(filter.storyId, filter.speaker, random);
		}
		if (filter.speaker) {
			// Stories the character is in (most central first), tried in a random order until one has their lines.
			const stories = this.statement(
				`SELECT c.story_id FROM characters c JOIN stories s ON s.id = c.story_id
					WHERE c.name = ? COLLATE NOCASE AND s.quote_count > 0 ${ratings ? `AND s.rating IN (${ratings.map(() => '?').join(', ')})` : ''}
					ORDER BY c.weight DESC LIMIT 500`,
			)
				.raw()
				.all(filter.speaker, ...(ratings ?? [])) as [number][];
			for (let tries = 0; tries < 12 && stories.length; tries++) {
				const [pick] = stories.splice(Math.floor(random() * stories.length), 1);
				const quote = pick && this.randomQuoteIn(pick[0], filter.speaker, random);
				if (quote) return quote;
			}
			return undefined;
		}
		const bounds = this.statement(
			'SELECT (SELECT min(id) FROM quotes) AS lo, (SELECT max(id) FROM quotes) AS hi',
		).get() as {
			lo: number | null;
			hi: number | null;
		};
		if (bounds.lo === null || bounds.hi === null) return undefined;
		const at = bounds.lo + Math.floor(random() * (bounds.hi - bounds.lo + 1));
		// A join, not `story_id IN (SELECT …)`: that builds the set of every allowed story first (150 ms at 1 GB).
		const rated = ratings ? `AND s.rating IN (${ratings.map(() => '?').join(', ')})` : '';
		const first = (direction: '>=' | '<') =>
			this.statement(
				`SELECT q.* FROM quotes q JOIN stories s ON s.id = q.story_id
					WHERE q.id ${direction} CAST(? AS INTEGER) ${rated} ORDER BY q.id LIMIT 1`,
			).get(at, ...(ratings ?? [])) as QuoteRow | undefined;
		const row = first('>=') ?? first('<');
		return row && toQuote(row);
	}

	private randomQuoteIn(storyId: number, speaker: string | undefined, random: () => number): StoredQuote | undefined {
		const clause = speaker ? 'story_id = ? AND speaker = ? COLLATE NOCASE' : 'story_id = ?';
		const params: (number | string)[] = speaker ? [storyId, speaker] : [storyId];
		const { n } = this.statement(`SELECT count(*) AS n FROM quotes WHERE ${clause}`).get(...params) as { n: number };
		if (n === 0) return undefined;
		const row = this.statement(`SELECT * FROM quotes WHERE ${clause} ORDER BY id LIMIT 1 OFFSET ?`).get(
			...params,
			Math.floor(random() * n),
		) as QuoteRow;
		return toQuote(row);
	}

	/** Character names starting with `prefix` (case-insensitive): one story's, or the archive's most central. */
	characterNames(prefix: string, storyId?: number, limit = 25): string[] {
		const from = prefix.trim();
		const to = `${from}\uffff`;
		if (storyId !== undefined) {
			return this.statement(
				`SELECT name FROM characters WHERE story_id = ? AND name >= ? COLLATE NOCASE AND name < ? COLLATE NOCASE
					ORDER BY count DESC, name LIMIT ?`,
			)
				.pluck()
				.all(storyId, from, to, limit) as string[];
		}
		// Nothing typed yet (autocomplete's first call): the top of the weight index. Else the names with the prefix,
		// one range of the table's key, ranked.
		if (!from) {
			return this.statement('SELECT name FROM character_names ORDER BY weight DESC, name LIMIT ?')
				.pluck()
				.all(limit) as string[];
		}
		return this.statement(
			'SELECT name FROM character_names WHERE name >= ? AND name < ? ORDER BY weight DESC, name LIMIT ?',
		)
			.pluck()
			.all(from, to, limit) as string[];
	}

	/**
	 * Tags of one kind and how many stories carry each (of `ratings` only, when given), most used first.
	 * `typed`: only tags with a word starting with each typed word ("vamp sl" finds Buffy the Vampire Slayer).
	 */
	facetValues(
		kind: FacetKind,
		options: { typed?: string; ratings?: readonly Rating[]; limit?: number; offset?: number } = {},
	): FacetValue[] {
		const words = facetWords(options.typed ?? '')
			.split(' ')
			.filter(Boolean)
			.slice(0, 8);
		const ratings = options.ratings ? [...new Set(options.ratings)] : null;
		if (ratings?.length === 0) return [];
		const where = ['kind = ?'];
		const params: (string | number)[] = [kind];
		if (ratings) {
			where.push(`rating IN (${ratings.map(() => '?').join(', ')})`);
			params.push(...ratings);
		}
		for (const word of words) {
			where.push("(' ' || words) LIKE ? ESCAPE '\\'");
			params.push(`% ${word.replace(/[\\%_]/g, '\\$&')}%`);
		}
		// With one max() aggregate, the bare value is the one on the rating with the most stories.
		const rows = this.statement(
			`SELECT value_key AS key, value, max(stories), sum(stories) AS stories FROM facet_values
				WHERE ${where.join(' AND ')} GROUP BY value_key ORDER BY sum(stories) DESC, value_key LIMIT ? OFFSET ?`,
		).all(...params, options.limit ?? 25, options.offset ?? 0) as { key: string; value: string; stories: number }[];
		return rows.map((r) => ({ kind, key: r.key, value: r.value, stories: r.stories }));
	}

	/** One tag by its key, with its stories (of `ratings` only, when given); undefined when no story carries it. */
	facetValue(kind: FacetKind, key: string, ratings?: readonly Rating[]): FacetValue | undefined {
		const counted = this.facetStories(kind, [key], ratings);
		if (!counted) return undefined;
		const value = this.statement(
			'SELECT value FROM facet_values WHERE kind = ? AND value_key = ? ORDER BY stories DESC LIMIT 1',
		)
			.pluck()
			.get(kind, key) as string;
		return { kind, key, value, stories: counted };
	}

	/**
	 * How many stories carry any of these tags (of `ratings` only, when given), from the summary: a story carrying
	 * two of them counts twice.
	 */
	facetStories(kind: FacetKind, keys: readonly string[], ratings?: readonly Rating[]): number {
		if (!keys.length || ratings?.length === 0) return 0;
		const rated = ratings ? `AND rating IN (${ratings.map(() => '?').join(', ')})` : '';
		return this.statement(
			`SELECT coalesce(sum(stories), 0) FROM facet_values
				WHERE kind = ? AND value_key IN (${keys.map(() => '?').join(', ')}) ${rated}`,
		)
			.pluck()
			.get(kind, ...keys, ...(ratings ?? [])) as number;
	}

	/**
	 * The stories that meet all the conditions, in title order (`limit` of them from `offset`): see listingOf for how
	 * they are found (`few`: its threshold, for tests).
	 */
	storiesWhere(conditions: StoryConditions, page: { limit: number; offset?: number }, few = FEW_STORIES): number[] {
		const offset = page.offset ?? 0;
		const sql = this.listingOf(conditions, few < 0 ? 0 : offset + page.limit, few);
		return this.statement(
			`SELECT id FROM ${sql.source} WHERE ${sql.where.join(' AND ') || '1'} ORDER BY title COLLATE NOCASE, id LIMIT ? OFFSET ?`,
		)
			.pluck()
			.all(...sql.params, page.limit, offset) as number[];
	}

	/**
	 * Conditions as SQL over the stories table, and the table with the index to list `need` of their stories in
	 * title order by (`source`, for `FROM`; need 0: they are not listed, only checked). The part naming fewest
	 * stories leads when it names few (at most `few`) or fewer than walking the titles to `need` stories would read
	 * (chooseLead): a tag is then read as a set by its key, a length or completion along its index, and its stories
	 * sorted. Else the stories are walked in title order along the listing index, which stops after a page when the
	 * conditions are common. `few` is set when a tag carried by at most `few` stories leads (one set for text hits).
	 */
	listingOf(conditions: StoryConditions, need = 0, few = FEW_STORIES): ConditionsSql & { source: string } {
		const total = this.totals().stories || 1;
		const cap = Math.max(few, LEAD_COUNT_CAP);
		const leads: Lead[] = [];
		let share = 1;
		const part = (lead: Lead) => {
			leads.push(lead);
			share *= Math.min(1, lead.stories / total);
		};
		for (const [i, { kind, keys }] of (conditions.facets ?? []).entries())
			part({ stories: this.facetStories(kind, keys), facet: i });
		for (const range of conditions.words ?? [])
			part({ stories: this.rangeStories('stories_words', 'words', range, cap), index: 'stories_words' });
		for (const range of conditions.chapters ?? [])
			part({ stories: this.rangeStories('stories_chapters', 'chapter_count', range, cap), index: 'stories_chapters' });
		if (conditions.complete !== undefined)
			part({ stories: this.completeStories(conditions.complete, cap), index: 'stories_complete' });
		const lead = chooseLead(leads, share, need, few);
		const sql = conditionsSql(conditions, lead?.facet ?? null);
		const source = !lead
			? 'stories INDEXED BY stories_listing'
			: lead.facet !== undefined
				? 'stories NOT INDEXED'
				: `stories INDEXED BY ${lead.index}`;
		return { ...sql, few: lead?.facet !== undefined && lead.stories <= few, source };
	}

	/** How many stories' `column` is in the range, counted along its index up to `atMost`. */
	private rangeStories(index: string, column: string, range: NumberRange, atMost: number): number {
		if (!['=', '<', '<=', '>', '>='].includes(range.op) || !Number.isFinite(range.value)) return 0;
		return this.statement(
			`SELECT count(*) FROM (SELECT 1 FROM stories INDEXED BY ${index} WHERE ${column} ${range.op} ? LIMIT ?)`,
		)
			.pluck()
			.get(range.value, atMost) as number;
	}

	/** Stories marked complete (or in progress), counted along their index up to `atMost`. */
	private completeStories(complete: boolean, atMost: number): number {
		return this.statement(
			'SELECT count(*) FROM (SELECT 1 FROM stories INDEXED BY stories_complete WHERE complete = ? LIMIT ?)',
		)
			.pluck()
			.get(complete ? 1 : 0, atMost) as number;
	}

	/** A story by its exact title (case-insensitive), the first by id when titles repeat. */
	storyByTitle(title: string): StoryRecord | undefined {
		const row = this.statement('SELECT * FROM stories WHERE title = ? COLLATE NOCASE ORDER BY id LIMIT 1').get(
			title.trim(),
		) as StoryRow | undefined;
		return row && toRecord(row);
	}

	/** The archive's totals as of the last import (all 0 before one has stored anything). */
	totals(): Omit<ArchiveStats, 'bytesOnDisk'> {
		const row = this.statement('SELECT stories, authors, words, pages, quotes FROM archive_totals').get() as
			| Omit<ArchiveStats, 'bytesOnDisk'>
			| undefined;
		return row ?? { stories: 0, authors: 0, words: 0, pages: 0, quotes: 0 };
	}

	/** The archive's totals and the store's size on disk. */
	stats(): ArchiveStats {
		return { ...this.totals(), bytesOnDisk: this.bytesOnDisk() };
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

	/**
	 * Writes a parsed story under its file path: a new id for a new path, the same id for a changed file. A story
	 * of more than MAX_STORY_PAGES pages is refused with a StoryError before anything is written.
	 */
	putStory(
		path: string,
		hash: string,
		bytes: number,
		story: Omit<ParsedStory, 'body'> & Pick<StoryForFeatures, 'terms'>,
		existingId?: number,
	): number {
		if (story.pages.length > MAX_STORY_PAGES) throw new StoryError(path, tooManyPagesReason(story.pages.length));
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
			chapter_count: story.chapters.length,
			complete: meta.complete === undefined ? null : Number(meta.complete),
			format: story.format,
			markup: story.markup,
			meta: JSON.stringify(meta),
			imported_at: new Date().toISOString(),
		};
		let id: number;
		if (existingId === undefined) {
			id = Number(
				this.statement(
					`INSERT INTO stories (path, hash, bytes, title, author, rating, rating_text, date, summary, declared_words,
						words, page_count, quote_count, chapter_count, complete, format, markup, meta, imported_at)
					VALUES (:path, :hash, :bytes, :title, :author, :rating, :rating_text, :date, :summary, :declared_words,
						:words, :page_count, :quote_count, :chapter_count, :complete, :format, :markup, :meta, :imported_at)`,
				).run(values).lastInsertRowid,
			);
		} else {
			id = existingId;
			this.clearStoryContent(id);
			this.statement(
				`UPDATE stories SET path = :path, hash = :hash, bytes = :bytes, title = :title, author = :author,
					rating = :rating, rating_text = :rating_text, date = :date, summary = :summary,
					declared_words = :declared_words, words = :words, page_count = :page_count, quote_count = :quote_count,
					chapter_count = :chapter_count, complete = :complete, format = :format, markup = :markup, meta = :meta,
					imported_at = :imported_at WHERE id = :id`,
			).run({ ...values, id });
		}
		this.statement('INSERT INTO stories_fts (rowid, title, author, summary) VALUES (?, ?, ?, ?)').run(
			id,
			meta.title,
			meta.author,
			meta.summary ?? null,
		);
		this.statement('INSERT INTO story_words (rowid, title, author) VALUES (?, ?, ?)').run(id, meta.title, meta.author);
		const insertChapter = this.statement(
			'INSERT INTO chapters (story_id, number, title, first_page, page_count) VALUES (?, ?, ?, ?, ?)',
		);
		for (const c of story.chapters) insertChapter.run(id, c.number, c.title, c.firstPage, c.pageCount);
		const insertPage = this.statement(
			'INSERT INTO pages (id, story_id, number, chapter, offset, text) VALUES (?, ?, ?, ?, ?, ?)',
		);
		const indexPage = this.statement('INSERT INTO pages_fts (rowid, text) VALUES (?, ?)');
		for (const page of story.pages) {
			const rowid = pageRowid(id, page.number);
			insertPage.run(rowid, id, page.number, page.chapter, page.offset, page.text);
			indexPage.run(rowid, page.text);
		}
		const insertQuote = this.statement(
			'INSERT INTO quotes (story_id, page, chapter, offset, kind, speaker, text) VALUES (?, ?, ?, ?, ?, ?, ?)',
		);
		for (const q of story.quotes) insertQuote.run(id, q.page, q.chapter, q.offset, q.kind, q.speaker, q.text);
		const insertCharacter = this.statement(
			'INSERT INTO characters (story_id, name, count, weight, pages) VALUES (?, ?, ?, ?, ?)',
		);
		for (const c of story.characters)
			insertCharacter.run(id, c.name, c.count, (c.count * 1000) / Math.max(story.words, 1), c.pages?.join(' ') ?? null);
		this.statement('INSERT OR REPLACE INTO story_features (story_id, features) VALUES (?, ?)').run(
			id,
			JSON.stringify(featuresOf(story)),
		);
		const insertFacet = this.statement(
			'INSERT INTO story_facets (kind, value_key, value, story_id) VALUES (?, ?, ?, ?)',
		);
		for (const f of storyFacets(meta)) insertFacet.run(f.kind, f.key, f.value, id);
		return id;
	}

	/**
	 * Rebuilds the tables summarising the whole archive: its totals, the vocabularies from the indexes, and the
	 * characters' names from every story's characters. One pass over each; an import calls it once, after its last
	 * write.
	 */
	refreshSummaries(): void {
		this.db.exec('DELETE FROM archive_totals');
		this.db.exec(
			`INSERT INTO archive_totals (stories, authors, words, pages, quotes)
				SELECT count(*), count(DISTINCT author), coalesce(sum(words), 0), coalesce(sum(page_count), 0),
					coalesce(sum(quote_count), 0) FROM stories`,
		);
		this.db.exec('DELETE FROM vocabulary');
		this.db.exec('INSERT INTO vocabulary (term, pages, occurrences) SELECT term, doc, cnt FROM pages_vocab');
		this.db.exec('DELETE FROM story_vocabulary');
		this.db.exec('INSERT INTO story_vocabulary (term, col, stories) SELECT term, col, doc FROM stories_vocab');
		this.db.exec('DELETE FROM character_names');
		// Spellings of one name in different cases ("Anya", "ANYA") are one name, spelled as the most central of them
		// spells it: with a single max() aggregate, SQLite takes the bare name from the row that has the max.
		this.db.exec(
			`INSERT INTO character_names (name, stories, weight)
				SELECT name, stories, weight FROM (
					SELECT name, max(w), sum(n) AS stories, sum(w) AS weight
					FROM (SELECT name, count(*) AS n, sum(weight) AS w FROM characters GROUP BY name)
					GROUP BY name COLLATE NOCASE
				)`,
		);
		this.refreshFacetValues();
	}

	/**
	 * Every tag once per kind and rating with its stories, spelled as most of its stories spell it (with a single
	 * max() aggregate, SQLite takes the bare value from the row that has the max).
	 */
	private refreshFacetValues(): void {
		this.db.exec('DELETE FROM facet_values');
		const rows = this.db
			.prepare(
				`SELECT kind, value_key, rating, value, max(n), sum(n) AS stories FROM (
					SELECT f.kind, f.value_key, s.rating, f.value, count(*) AS n
					FROM story_facets f JOIN stories s ON s.id = f.story_id GROUP BY f.kind, f.value_key, s.rating, f.value
				) GROUP BY kind, value_key, rating`,
			)
			.raw()
			.all() as [FacetKind, string, string, string, number, number][];
		const insert = this.db.prepare(
			'INSERT INTO facet_values (kind, value_key, rating, value, words, stories) VALUES (?, ?, ?, ?, ?, ?)',
		);
		for (const [kind, key, rating, value, , stories] of rows)
			insert.run(kind, key, rating, value, facetWords(value), stories);
	}

	/** Recomputes every story's "More like this" list (similar.ts); an import calls it once, after its last write. */
	refreshSimilar(): void {
		refreshSimilar(this.db);
	}

	/**
	 * A story's nearest stories as the last import found them, nearest first, with their titles, authors and
	 * ratings as stored now (a story removed since is left out).
	 */
	similar(storyId: number): SimilarStory[] {
		const list = this.statement('SELECT list FROM similar WHERE story_id = ?').pluck().get(storyId) as
			| string
			| undefined;
		if (!list) return [];
		const about = this.statement('SELECT title, author, rating FROM stories WHERE id = ?');
		return (JSON.parse(list) as Neighbour[]).flatMap((n) => {
			const row = about.get(n.id) as Pick<SimilarStory, 'title' | 'author' | 'rating'> | undefined;
			return row ? [{ ...n, ...row }] : [];
		});
	}

	/** Records that a stored story's file moved: same content, same id, new path. */
	moveStory(id: number, path: string): void {
		this.statement('UPDATE stories SET path = ? WHERE id = ?').run(path, id);
	}

	removeStory(id: number): void {
		this.clearStoryContent(id);
		this.statement('DELETE FROM story_features WHERE story_id = ?').run(id);
		this.statement('DELETE FROM similar WHERE story_id = ?').run(id);
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
			`INSERT INTO story_words (story_words, rowid, title, author)
				SELECT 'delete', id, title, author FROM stories WHERE id = ?`,
		).run(id);
		this.statement(
			`INSERT INTO pages_fts (pages_fts, rowid, text) SELECT 'delete', id, text FROM pages WHERE id BETWEEN ? AND ?`,
		).run(pageRowid(id, 0), pageRowid(id, PAGE_ROWID_SHIFT - 1));
		this.statement('DELETE FROM pages WHERE id BETWEEN ? AND ?').run(
			pageRowid(id, 0),
			pageRowid(id, PAGE_ROWID_SHIFT - 1),
		);
		this.statement('DELETE FROM quotes WHERE story_id = ?').run(id);
		this.statement('DELETE FROM chapters WHERE story_id = ?').run(id);
		this.statement('DELETE FROM characters WHERE story_id = ?').run(id);
		this.statement('DELETE FROM story_facets WHERE story_id = ?').run(id);
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
	chapter: number;
	offset: number;
	kind: Quote['kind'];
	speaker: string | null;
	text: string;
}

const toQuote = (row: QuoteRow): StoredQuote => ({
	id: row.id,
	storyId: row.story_id,
	page: row.page,
	chapter: row.chapter,
	offset: row.offset,
	kind: row.kind,
	speaker: row.speaker,
	text: row.text,
});
