/**
 * Search benchmark: on the deterministic synthetic archives of bench/synth.ts, in the sizes given in MB, builds
 * the store once (kept in bench/.cache/store-<MB>mb.sqlite for re-runs), draws classes of queries from the
 * archive's own text with a seeded PRNG, and measures ArchiveSearch against raw FTS5 ranking, MiniSearch and
 * FlexSearch: latency per query class (p50, p95, p99, max), known-item MRR (exact and with a typo) and the share
 * of lines whose story comes first, index build time and memory. Known-item lines are drawn as readers copy them
 * (bench/search-queries.ts): the first ten words of a random paragraph of a random page, quote marks and `*()^:-`
 * removed.
 *
 *   npm run bench:search                # 100 MB
 *   npm run bench:search -- 100 1000    # and 1 GB (MiniSearch and FlexSearch only while the text fits in memory)
 */
import {
	closeSync,
	existsSync,
	mkdirSync,
	openSync,
	readFileSync,
	readSync,
	rmSync,
	statSync,
	writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import Database from 'better-sqlite3';
import { Index as FlexIndex } from 'flexsearch';
import MiniSearch, { type SearchOptions as MiniOptions, type Query as MiniQuery } from 'minisearch';
import { importToPath } from '../src/archive/import.js';
import { ArchiveSearch, type SearchResults } from '../src/archive/search/index.js';
import { parseQuery, toFtsMatch } from '../src/archive/search/query.js';
import { Stemmer } from '../src/archive/search/stemmer.js';
import { ArchiveStore, PAGE_ROWID_SHIFT, pageRowid, StoreError } from '../src/archive/store.js';
import {
	CLASSES,
	COPY_LOSES,
	generateQueries,
	PER_CLASS,
	type Queries,
	type QueryClass,
	SEED,
	type TypoQuery,
} from './search-queries.js';
import { cachedArchive, Rng } from './synth.js';

const CACHE = process.env.BENCH_CACHE ?? join(process.cwd(), 'bench', '.cache');
/** Per-byte heap costs of the peers' indexes, measured by the last run that built them: the estimate for 1 GB. */
const PEER_COSTS = join(CACHE, 'search-peer-costs.json');
const TOP = 10;
/** Queries of each class run once, untimed, before timing. */
const WARM_UP = 3;
/** MiniSearch and FlexSearch are built only over less page text than this, and within the heap. */
const PEER_TEXT_LIMIT = 400 * 1048576;
const MB = 1048576;

/** How an engine is asked: a class's queries, or the known-item lines with a typo. */
type Mode = QueryClass | 'known-item-typo';

// ---------------------------------------------------------------------------------------------------------------
// Helpers

const gc = (globalThis as { gc?: () => void }).gc;
/** Collects garbage (twice, for weak references and finalisers) when run with --expose-gc. */
function collect(): void {
	gc?.();
	gc?.();
}

const heapUsed = () => process.memoryUsage().heapUsed;
const normalize = (text: string) => text.replace(/\s+/g, ' ').trim().toLowerCase();
const fileSize = (path: string) => (existsSync(path) ? statSync(path).size : 0);

function percentile(sorted: readonly number[], p: number): number {
	if (!sorted.length) return Number.NaN;
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
}

const ms = (x: number) => (Number.isNaN(x) ? '—' : x < 10 ? x.toFixed(2) : x.toFixed(1));
const mb = (bytes: number) => (bytes / MB).toFixed(0);
const ratio = (peer: number, ours: number) =>
	Number.isNaN(peer) || Number.isNaN(ours) ? '—' : `${(peer / Math.max(ours, 0.001)).toFixed(1)}×`;

/** An aligned table: the `left` columns (by default the first) left-aligned, the rest right-aligned. */
function table(header: string[], rows: string[][], left: readonly number[] = [0]): string {
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
	const line = (cells: string[]) =>
		cells
			.map((c, i) => (left.includes(i) ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
			.join('  ')
			.trimEnd();
	return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** A query or line shown on one line of output. */
const shown = (text: string, max = 90) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

// ---------------------------------------------------------------------------------------------------------------
// Archive and store

/**
 * The store for that size, imported once and kept; rebuilt when missing, older than its archive (made again by a
 * newer generator) or written by another schema.
 */
async function storePath(size: number): Promise<{ path: string; buildSeconds?: number }> {
	const path = join(CACHE, `store-${size}mb.sqlite`);
	const dir = await cachedArchive(CACHE, size, SEED);
	if (existsSync(path) && statSync(path).mtimeMs < statSync(join(dir, '.complete')).mtimeMs) {
		console.log(`rebuilding ${path}: its archive is newer`);
		for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
	}
	if (existsSync(path)) {
		try {
			ArchiveStore.open(path, { readonly: true }).close();
			return { path };
		} catch (error) {
			if (!(error instanceof StoreError)) throw error;
			console.log(`rebuilding ${path}: ${error.message}`);
		}
	}
	for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
	console.error(`importing ${dir} into ${path} …`);
	const summary = await importToPath(path, dir);
	console.log(
		`built store-${size}mb.sqlite: ${summary.files} stories, ${summary.pages} pages in ${summary.seconds.toFixed(1)} s`,
	);
	return { path, buildSeconds: summary.seconds };
}

// ---------------------------------------------------------------------------------------------------------------
// Engines

interface Engine {
	name: string;
	/** The top pages (page row ids, best first) for a query, or null when the engine cannot run it. */
	run(query: string, mode: Mode): number[] | null;
	/** Classes the engine cannot run, with why. */
	cannot?: Partial<Record<QueryClass, string>>;
}

interface ClassTiming {
	times: number[];
	sorted: number[];
	noHits: string[];
	errors: string[];
	skipped?: string;
	p50: number;
	p95: number;
	p99: number;
	max: number;
}

interface KnownItemScore {
	mrr: number;
	found: number;
	/** Per line: the rank of the first page holding it (1-based), 0 when not in the top 10. */
	ranks: number[];
	/** The same when a page only needs to hold the line's words in order (punctuation ignored). */
	wordRanks: number[];
	wordMrr: number;
	wordFound: number;
	/** The share of lines whose first hit is a page of the story the line was drawn from. */
	storyFirst: number;
}

interface EngineResult {
	name: string;
	classes: Map<QueryClass, ClassTiming>;
	exact?: KnownItemScore;
	typo?: KnownItemScore;
	buildSeconds?: number;
	heapBytes?: number;
	diskBytes?: number;
	note?: string;
	skipped?: string;
}

function summarize(timing: ClassTiming): ClassTiming {
	timing.sorted = [...timing.times].sort((a, b) => a - b);
	timing.p50 = percentile(timing.sorted, 0.5);
	timing.p95 = percentile(timing.sorted, 0.95);
	timing.p99 = percentile(timing.sorted, 0.99);
	timing.max = timing.sorted.at(-1) ?? Number.NaN;
	return timing;
}

const emptyTiming = (): ClassTiming => ({
	times: [],
	sorted: [],
	noHits: [],
	errors: [],
	p50: Number.NaN,
	p95: Number.NaN,
	p99: Number.NaN,
	max: Number.NaN,
});

/** Runs and times each query once; the pages each returned. */
function runQueries(
	engine: Engine,
	list: readonly string[],
	mode: Mode,
	after?: (i: number) => void,
): { timing: ClassTiming; ids: number[][] } {
	const timing = emptyTiming();
	const ids: number[][] = [];
	for (const [i, q] of list.entries()) {
		const started = performance.now();
		let result: number[] | null;
		try {
			result = engine.run(q, mode);
		} catch (error) {
			timing.errors.push(`${q}: ${error instanceof Error ? error.message : String(error)}`);
			result = [];
		}
		const elapsed = performance.now() - started;
		if (result === null) {
			timing.skipped = 'n/a';
			break;
		}
		timing.times.push(elapsed);
		ids.push(result);
		if (!result.length) timing.noHits.push(q);
		after?.(i);
	}
	return { timing: summarize(timing), ids };
}

/** Every class but known-item (timed with the known-item MRR), after a warm-up over a few of each. */
function timeClasses(engine: Engine, queries: Queries): Map<QueryClass, ClassTiming> {
	for (const cls of CLASSES)
		if (!engine.cannot?.[cls])
			for (const q of (queries.byClass.get(cls) ?? []).slice(0, WARM_UP)) {
				try {
					engine.run(q, cls);
				} catch {}
			}
	const timings = new Map<QueryClass, ClassTiming>();
	for (const cls of CLASSES) {
		if (cls === 'known-item') continue;
		const why = engine.cannot?.[cls];
		timings.set(
			cls,
			why ? { ...emptyTiming(), skipped: why } : runQueries(engine, queries.byClass.get(cls) ?? [], cls).timing,
		);
	}
	return timings;
}

/** Whether a page holds a line: as text (whitespace collapsed, case folded), or as words (punctuation ignored). */
class PageCheck {
	private readonly text = new Map<number, { text: string; words: string }>();
	private readonly read: Database.Statement;

	constructor(db: Database.Database) {
		this.read = db.prepare('SELECT text FROM pages WHERE id = ?').pluck();
	}

	private page(id: number): { text: string; words: string } {
		let page = this.text.get(id);
		if (!page) {
			// (As the lines were drawn: without what a reader's copy loses.)
			const raw = ((this.read.get(id) as string | undefined) ?? '').replace(COPY_LOSES, '');
			page = { text: normalize(raw), words: words(raw) };
			this.text.set(id, page);
		}
		return page;
	}

	/** The 1-based ranks of the first page holding the line, as text and as words; 0 when none does. */
	ranks(ids: readonly number[], line: string): { text: number; words: number } {
		const text = normalize(line);
		const lineWords = words(line);
		const top = ids.slice(0, TOP);
		return {
			text: top.findIndex((id) => this.page(id).text.includes(text)) + 1,
			words: top.findIndex((id) => this.page(id).words.includes(lineWords)) + 1,
		};
	}
}

/** Letters and digits only, each word between spaces. */
const words = (text: string) => ` ${(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).join(' ')} `;
const reciprocal = (ranks: readonly number[]) =>
	ranks.reduce((s, r) => s + (r ? 1 / r : 0), 0) / Math.max(1, ranks.length);

function score(
	ids: readonly number[][],
	lines: readonly string[],
	stories: readonly number[],
	check: PageCheck,
): KnownItemScore {
	const ranks: number[] = [];
	const wordRanks: number[] = [];
	for (const [i, line] of lines.entries()) {
		const rank = check.ranks(ids[i] ?? [], line);
		ranks.push(rank.text);
		wordRanks.push(rank.words);
	}
	return {
		mrr: reciprocal(ranks),
		found: ranks.filter((r) => r > 0).length,
		ranks,
		wordRanks,
		wordMrr: reciprocal(wordRanks),
		wordFound: wordRanks.filter((r) => r > 0).length,
		storyFirst:
			lines.filter((_, i) => {
				const first = ids[i]?.[0];
				return first !== undefined && Math.floor(first / PAGE_ROWID_SHIFT) === stories[i];
			}).length / Math.max(1, lines.length),
	};
}

/**
 * Known-item MRR over the lines, asked as they are and with a typo each; the known-item class's latency is that
 * of the lines as they are. `after` sees each typo'd line's query just run.
 */
function knownItems(
	engine: Engine,
	queries: Queries,
	check: PageCheck,
	classes: Map<QueryClass, ClassTiming>,
	after?: (i: number) => void,
): { exact: KnownItemScore; typo: KnownItemScore } {
	const exact = runQueries(engine, queries.lines, 'known-item');
	const typo = runQueries(engine, queries.typoLines, 'known-item-typo', after);
	classes.set('known-item', exact.timing);
	return {
		exact: score(exact.ids, queries.lines, queries.lineStories, check),
		typo: score(typo.ids, queries.lines, queries.lineStories, check),
	};
}

/** Our search, keeping its last results for the diagnostics. */
class Ours implements Engine {
	readonly name = 'ours';
	last: SearchResults | undefined;

	constructor(private readonly search: ArchiveSearch) {}

	run(query: string): number[] {
		this.last = this.search.search(query, { limit: TOP });
		return this.last.hits.map((h) => pageRowid(h.storyId, h.page));
	}
}

function rawFts(db: Database.Database): Engine {
	const ranked = db.prepare('SELECT rowid FROM pages_fts WHERE pages_fts MATCH ? ORDER BY rank LIMIT ?').pluck();
	return {
		name: 'FTS5 rank',
		cannot: { 'filter-only': 'no text' },
		run(query) {
			const match = toFtsMatch(parseQuery(query));
			return match === null ? null : (ranked.all(match, TOP) as number[]);
		},
	};
}

/** Every page's id and text, streamed from the store. */
function* allPages(db: Database.Database): Generator<{ id: number; text: string }> {
	yield* db.prepare('SELECT id, text FROM pages ORDER BY id').iterate() as IterableIterator<{
		id: number;
		text: string;
	}>;
}

/** A query's words for the peers: terms (with their prefix flag) and the words of its phrases. */
function peerTerms(query: string): { text: string; prefix: boolean }[] {
	const parsed = parseQuery(query);
	return [...parsed.terms, ...parsed.phrases.flatMap((p) => p.split(' ').map((text) => ({ text, prefix: false })))];
}

const FUZZY_MODES = new Set<Mode>(['typo', 'known-item-typo']);

function buildMiniSearch(db: Database.Database): Engine {
	const index = new MiniSearch<{ id: number; text: string }>({ fields: ['text'] });
	for (const page of allPages(db)) index.add(page);
	return {
		name: 'MiniSearch',
		cannot: { 'filter-only': 'no fields' },
		run(query, mode) {
			// All words must match (as in ours); typo tolerance where the class asks for it.
			const options: MiniOptions = { combineWith: 'AND', ...(FUZZY_MODES.has(mode) ? { fuzzy: 0.2 } : {}) };
			let q: MiniQuery;
			if (mode === 'known-item' || mode === 'known-item-typo') q = query;
			else {
				const terms = peerTerms(query);
				if (!terms.length) return null;
				q = { combineWith: 'AND', queries: terms.map((t) => ({ queries: [t.text], prefix: t.prefix })) };
			}
			return index
				.search(q, options)
				.slice(0, TOP)
				.map((r) => r.id as number);
		},
	};
}

function buildFlexSearch(db: Database.Database): Engine {
	const index = new FlexIndex({ tokenize: 'strict' });
	for (const page of allPages(db)) index.add(page.id, page.text);
	return {
		name: 'FlexSearch',
		cannot: { 'filter-only': 'no fields', prefix: 'no prefix index' },
		run(query, mode) {
			// Known-item lines with suggest: pages holding most of the words when none holds all (a typo).
			if (mode === 'known-item' || mode === 'known-item-typo')
				return index.search(query, { limit: TOP, suggest: true }) as number[];
			const terms = peerTerms(query);
			if (!terms.length) return null;
			return index.search(terms.map((t) => t.text).join(' '), { limit: TOP }) as number[];
		},
	};
}

// ---------------------------------------------------------------------------------------------------------------
// One archive size

interface SizeResult {
	size: number;
	engines: EngineResult[];
	worst: WorstTiming[];
}

/** One of the worst inputs, run a few times. */
interface WorstTiming {
	name: string;
	query: string;
	times: number[];
	hits: number;
}

/** Runs of each worst input: the slowest is what holds the event loop. */
const WORST_RUNS = 5;

/** The worst inputs (bench/search-queries.ts), each run WORST_RUNS times. */
function timeWorst(search: ArchiveSearch, inputs: Queries['worst']): WorstTiming[] {
	return inputs.map(({ name, query }) => {
		const timing: WorstTiming = { name, query, times: [], hits: 0 };
		for (let i = 0; i < WORST_RUNS; i++) {
			const t0 = performance.now();
			timing.hits = search.search(query, { limit: TOP }).hits.length;
			timing.times.push(performance.now() - t0);
		}
		timing.times.sort((a, b) => a - b);
		return timing;
	});
}

function loadPeerCosts(): Record<string, number> {
	try {
		return JSON.parse(readFileSync(PEER_COSTS, 'utf8')) as Record<string, number>;
	} catch {
		return {};
	}
}

/**
 * Reads a file from end to end (seconds taken), so that it is in the OS file cache: this machine's memory
 * manager evicts files left idle, and a store read back from disk page by page would time the disk instead.
 */
function readThrough(path: string): number {
	const started = performance.now();
	const fd = openSync(path, 'r');
	try {
		const buffer = Buffer.allocUnsafe(16 * MB);
		while (readSync(fd, buffer, 0, buffer.length, null) > 0);
	} finally {
		closeSync(fd);
	}
	return (performance.now() - started) / 1000;
}

/** One kind of autocomplete input, timed: what the bot asks for as someone types a story or a character. */
interface AutocompleteTiming {
	kind: string;
	examples: string[];
	times: number[];
	/** Inputs answered with no choices (none, but for prefixes that match nothing: each is drawn from the archive). */
	empty: number;
}

/**
 * Autocomplete as the bot asks for it (at most 25 choices): stories by the start of a title or an author's name and
 * by a word inside a title, prefixes that match nothing, and characters by the start of a name, the archive's
 * (as /quote asks before a story is chosen) or one story's. Inputs are drawn from the archive; each is timed once
 * after a warm-up of the same kind.
 */
function timeAutocomplete(store: ArchiveStore, search: ArchiveSearch): AutocompleteTiming[] {
	const rng = new Rng(SEED * 104729 + 3);
	const stories = store.db.prepare('SELECT id, title, author FROM stories ORDER BY id').all() as {
		id: number;
		title: string;
		author: string | null;
	}[];
	const cast = store.db
		.prepare('SELECT name FROM character_names ORDER BY weight DESC LIMIT 200')
		.pluck()
		.all() as string[];
	const storyCast = store.db.prepare('SELECT name FROM characters WHERE story_id = ? ORDER BY count DESC').pluck();
	const start = (text: string, lo: number, hi: number) => text.slice(0, rng.range(lo, hi)).toLowerCase();
	type Draw = { input: string; storyId?: number };
	const story = () => rng.pick(stories) as (typeof stories)[number];
	const kinds: { kind: string; draw: () => Draw | undefined; run: (d: Draw) => number }[] = [
		{
			kind: 'story: title start',
			draw: () => {
				const { title } = story();
				return { input: start(title, 1, 8) };
			},
			run: (d) => search.suggest(d.input).length,
		},
		{
			kind: 'story: author start',
			draw: () => {
				const { author } = story();
				return author ? { input: start(author, 1, 5) } : undefined;
			},
			run: (d) => search.suggest(d.input).length,
		},
		{
			kind: 'story: word in title',
			draw: () => {
				const { title } = story();
				const words = title
					.split(/\s+/)
					.slice(1)
					.filter((w) => /^\p{L}{4,}$/u.test(w));
				const word = rng.pick(words);
				return word ? { input: start(word, 3, word.length) } : undefined;
			},
			run: (d) => search.suggest(d.input).length,
		},
		{
			kind: 'story: no match',
			draw: () => ({ input: `${rng.pick(['zq', 'qx', 'xj', 'vq'])}${String.fromCharCode(97 + rng.int(26))}` }),
			run: (d) => search.suggest(d.input).length,
		},
		{
			kind: 'character: archive',
			draw: () => {
				const name = rng.pick(cast);
				return name ? { input: start(name, 0, 3) } : undefined;
			},
			run: (d) => store.characterNames(d.input).length,
		},
		{
			kind: 'character: one story',
			draw: () => {
				const { id } = story();
				const name = rng.pick(storyCast.all(id) as string[]);
				return name ? { input: start(name, 0, 3), storyId: id } : undefined;
			},
			run: (d) => store.characterNames(d.input, d.storyId).length,
		},
	];
	return kinds.map(({ kind, draw, run }) => {
		const draws: Draw[] = [];
		for (let i = 0; i < PER_CLASS * 20 && draws.length < PER_CLASS; i++) {
			const d = draw();
			if (d) draws.push(d);
		}
		for (const d of draws.slice(0, WARM_UP)) run(d);
		const timing: AutocompleteTiming = { kind, examples: [], times: [], empty: 0 };
		for (const d of draws) {
			const t0 = performance.now();
			const choices = run(d);
			timing.times.push(performance.now() - t0);
			if (timing.examples.length < 3) timing.examples.push(JSON.stringify(d.input));
			if (choices === 0) timing.empty++;
		}
		timing.times.sort((a, b) => a - b);
		return timing;
	});
}

async function benchSize(size: number): Promise<SizeResult> {
	const { path, buildSeconds } = await storePath(size);
	const diskBytes = fileSize(path) + fileSize(`${path}-wal`);
	const warmed = readThrough(path);

	const started = performance.now();
	const genDb = new Database(path, { readonly: true });
	const queries = generateQueries(genDb);
	const facts = genDb
		.prepare(
			'SELECT (SELECT count(*) FROM stories) AS stories, count(*) AS pages, sum(length(text)) AS chars FROM pages',
		)
		.get() as { stories: number; pages: number; chars: number };
	genDb.close();

	console.log(
		`\n=== ${size} MB archive: ${facts.stories} stories, ${facts.pages} pages, ${mb(facts.chars)} MB of page text, store ${mb(diskBytes)} MB ===`,
	);
	console.log(
		`store read once into the OS file cache before timing (${warmed.toFixed(1)} s), as a running bot's would be: every engine's figures are with a warm cache`,
	);
	console.log(`queries drawn in ${((performance.now() - started) / 1000).toFixed(1)} s (seed ${SEED}); examples:`);
	console.log(
		table(
			['class', 'n', 'examples'],
			CLASSES.map((cls) => {
				const list = queries.byClass.get(cls) ?? [];
				return [cls, String(list.length), shown(list.slice(0, 3).join('  |  '), 100)];
			}),
			[0, 2],
		),
	);

	// Ours: memory is the store on disk and the heap the open search takes.
	collect();
	const heapBefore = heapUsed();
	const rssBefore = process.memoryUsage().rss;
	const store = ArchiveStore.open(path, { readonly: true });
	const search = new ArchiveSearch(store);
	collect();
	const heapOpen = heapUsed() - heapBefore;
	const ours = new Ours(search);
	const check = new PageCheck(store.db);
	const phase = (what: string) => {
		const t0 = performance.now();
		console.error(`[${size} MB] ${what} …`);
		return () => console.error(`[${size} MB] ${what}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
	};

	let done = phase('ours');
	const oursResult: EngineResult = { name: 'ours', classes: timeClasses(ours, queries), diskBytes };
	if (buildSeconds !== undefined) oursResult.buildSeconds = buildSeconds;
	// The typo'd lines with what ours corrected them to.
	const typoLineDetails: Diagnostics['typoLineDetails'] = [];
	Object.assign(
		oursResult,
		knownItems(ours, queries, check, oursResult.classes, (i) => {
			const detail: Diagnostics['typoLineDetails'][number] = {
				typo: queries.typoLines[i] as string,
				hits: ours.last?.hits.length ?? 0,
			};
			if (ours.last?.corrected) detail.corrected = ours.last.corrected;
			typoLineDetails.push(detail);
		}),
	);
	const autocomplete = timeAutocomplete(store, search);
	const worst = timeWorst(search, queries.worst);
	const stemmer = new Stemmer();
	const typoFixes = queries.typos.map((t) => {
		const result = search.search(t.query, { limit: TOP });
		const corrected = result.corrected?.toLowerCase();
		const fixed = corrected !== undefined && stemmer.stems(corrected)[0] === stemmer.stems(t.original)[0];
		return { ...t, corrected, fixed, hits: result.hits.length };
	});
	stemmer.close();
	collect();
	oursResult.heapBytes = heapUsed() - heapBefore;
	const rssAfter = process.memoryUsage().rss - rssBefore;
	done();

	// Raw FTS5 ranking on the same store.
	done = phase('raw FTS5');
	const fts = rawFts(store.db);
	const ftsResult: EngineResult = { name: fts.name, classes: timeClasses(fts, queries), note: 'same store' };
	Object.assign(ftsResult, knownItems(fts, queries, check, ftsResult.classes));
	done();

	// MiniSearch and FlexSearch, one at a time, each built from the store's pages and dropped after.
	const costs = loadPeerCosts();
	const peers: EngineResult[] = [];
	for (const [name, build] of [
		['MiniSearch', buildMiniSearch],
		['FlexSearch', buildFlexSearch],
	] as const) {
		if (!WITH_PEERS) {
			console.log(`${name}: skipped (--no-peers)`);
			continue;
		}
		const perByte = costs[name];
		const estimate = perByte !== undefined ? perByte * facts.chars : undefined;
		const room = getHeapStatistics().heap_size_limit * 0.75 - heapUsed();
		if (facts.chars > PEER_TEXT_LIMIT || (estimate !== undefined && estimate > room)) {
			const need =
				estimate !== undefined
					? `would need ~${(estimate / 1024 ** 3).toFixed(1)} GB of heap`
					: `${mb(facts.chars)} MB of page text is over ${mb(PEER_TEXT_LIMIT)} MB (no estimate yet: run 100 first)`;
			peers.push({ name, classes: new Map(), skipped: `skipped: ${need}` });
			continue;
		}
		done = phase(`${name} build`);
		collect();
		const before = heapUsed();
		const t0 = performance.now();
		let engine: Engine | undefined = build(store.db);
		const buildMs = performance.now() - t0;
		collect();
		const heap = heapUsed() - before;
		costs[name] = heap / facts.chars;
		done();
		done = phase(name);
		const result: EngineResult = { name, classes: timeClasses(engine, queries), buildSeconds: buildMs / 1000 };
		result.heapBytes = heap;
		Object.assign(result, knownItems(engine, queries, check, result.classes));
		peers.push(result);
		done();
		engine = undefined;
		collect();
	}
	writeFileSync(PEER_COSTS, JSON.stringify(costs, null, '\t'));
	search.close();
	store.close();

	const engines = [oursResult, ftsResult, ...peers];
	printSize(engines, {
		heapOpen,
		rssAfter,
		queries,
		typoLineDetails,
		typoFixes,
		autocomplete,
		worst,
		errors: [...oursResult.classes].flatMap(([cls, t]) => t.errors.map((e) => `${cls}: ${e}`)),
	});
	return { size, engines, worst };
}

// ---------------------------------------------------------------------------------------------------------------
// Output

interface Diagnostics {
	heapOpen: number;
	rssAfter: number;
	queries: Queries;
	typoLineDetails: { typo: string; hits: number; corrected?: string }[];
	typoFixes: (TypoQuery & { corrected: string | undefined; fixed: boolean; hits: number })[];
	autocomplete: AutocompleteTiming[];
	worst: WorstTiming[];
	errors: string[];
}

function printSize(engines: EngineResult[], d: Diagnostics): void {
	const [ours, ...peers] = engines as [EngineResult, ...EngineResult[]];
	console.log(`\nOur search, latency per class (ms, limit ${TOP}, after a warm-up of ${WARM_UP} per class):`);
	console.log(
		table(
			['class', 'n', 'p50', 'p95', 'p99', 'max', 'mean', 'no hits', 'errors'],
			CLASSES.map((cls) => {
				const t = ours.classes.get(cls);
				const mean = t?.times.length ? t.times.reduce((a, b) => a + b, 0) / t.times.length : Number.NaN;
				return [
					cls,
					String(t?.times.length ?? 0),
					ms(t?.p50 ?? Number.NaN),
					ms(t?.p95 ?? Number.NaN),
					ms(t?.p99 ?? Number.NaN),
					ms(t?.max ?? Number.NaN),
					ms(mean),
					String(t?.noHits.length ?? 0),
					String(t?.errors.length ?? 0),
				];
			}),
		),
	);

	console.log(
		`\nAutocomplete (ms, at most 25 choices, ${PER_CLASS} inputs a kind: the start of a title, an author, a word of a title or a name drawn from the archive; "no match": letters no title holds):`,
	);
	console.log(
		table(
			['kind', 'n', 'p50', 'p95', 'max', 'no choices', 'examples'],
			d.autocomplete.map((a) => [
				a.kind,
				String(a.times.length),
				ms(percentile(a.times, 0.5)),
				ms(percentile(a.times, 0.95)),
				ms(a.times.at(-1) ?? Number.NaN),
				String(a.empty),
				a.examples.join(' '),
			]),
			[0, 6],
		),
	);

	console.log(
		`\nWorst inputs (ms, each run ${WORST_RUNS} times; better-sqlite3 is synchronous, so a search holds the bot for as long as it runs):`,
	);
	console.log(
		table(
			['input', 'chars', 'words', 'p50', 'max', 'hits', 'query'],
			d.worst.map((w) => [
				w.name,
				String(w.query.length),
				String(w.query.split(/\s+/).length),
				ms(percentile(w.times, 0.5)),
				ms(w.times.at(-1) ?? Number.NaN),
				String(w.hits),
				shown(w.query, 50),
			]),
			[0, 6],
		),
	);

	const running = peers.filter((p) => !p.skipped);
	console.log('\nPeers on the same queries (ms; × = peer p50 / our p50, above 1 means ours is faster):');
	const header = ['class', 'ours p50', 'p95'];
	for (const p of running) header.push(`${p.name} p50`, 'p95', '×');
	console.log(
		table(
			header,
			CLASSES.map((cls) => {
				const o = ours.classes.get(cls);
				const row = [cls, ms(o?.p50 ?? Number.NaN), ms(o?.p95 ?? Number.NaN)];
				for (const p of running) {
					const t = p.classes.get(cls);
					if (!t || t.skipped) row.push(t?.skipped ?? '—', '', '');
					else row.push(ms(t.p50), ms(t.p95), ratio(t.p50, o?.p50 ?? Number.NaN));
				}
				return row;
			}),
		),
	);
	for (const p of peers) if (p.skipped) console.log(`${p.name}: ${p.skipped}`);

	console.log(
		`\nKnown-item search (${d.queries.lines.length} lines as readers copy them: a paragraph's first ten words, quote marks and *()^:- removed; typo = two letters swapped in the longest word):`,
	);
	console.log(
		table(
			[
				'engine',
				'build s',
				'disk MB',
				'heap MB',
				'total MB',
				'MRR',
				'found',
				'MRR typo',
				'found typo',
				'MRR words',
				'typo words',
				'story 1st',
				'typo 1st',
			],
			engines.map((e) => {
				if (e.skipped) return [e.name, 'skipped (above)'];
				const n = d.queries.lines.length;
				const disk = e.diskBytes ?? 0;
				const heap = e.heapBytes;
				return [
					e.name,
					e.buildSeconds !== undefined ? e.buildSeconds.toFixed(1) : e === ours ? 'cached' : '—',
					disk ? mb(disk) : '—',
					heap !== undefined ? mb(heap) : '—',
					heap !== undefined ? mb(disk + heap) : (e.note ?? '—'),
					e.exact ? e.exact.mrr.toFixed(3) : '—',
					e.exact ? `${e.exact.found}/${n}` : '—',
					e.typo ? e.typo.mrr.toFixed(3) : '—',
					e.typo ? `${e.typo.found}/${n}` : '—',
					e.exact ? e.exact.wordMrr.toFixed(3) : '—',
					e.typo ? e.typo.wordMrr.toFixed(3) : '—',
					e.exact ? e.exact.storyFirst.toFixed(3) : '—',
					e.typo ? e.typo.storyFirst.toFixed(3) : '—',
				];
			}),
		),
	);
	console.log(
		'MRR/found: a hit counts when its page holds the line as text (whitespace collapsed, case folded, without what the copy lost); "words": when it holds its words in order, punctuation ignored; "story 1st": the share of lines whose first hit is in the story the line was drawn from.',
	);
	console.log(
		`ours: heap ${(Math.max(0, d.heapOpen) / MB).toFixed(1)} MB right after opening, ${mb(ours.heapBytes ?? 0)} MB after all its queries (in "heap MB"); RSS +${mb(d.rssAfter)} MB.`,
	);
	console.log(
		'MiniSearch: AND of all words, fuzzy 0.2 for the typo class and the typo lines only, prefix for prefix*, phrases as words.',
	);
	console.log(
		"FlexSearch: Index, tokenize 'strict' (prefix* would need 'forward'), default encoder; known-item lines with suggest: true; phrases as words.",
	);

	// Diagnostics: what looked slow or wrong in ours.
	console.log('\nOur slowest queries, 3 per class:');
	const slowest = CLASSES.flatMap((cls) => {
		const t = ours.classes.get(cls);
		const list = d.queries.byClass.get(cls) ?? [];
		return (t?.times ?? [])
			.map((time, i) => ({ cls, time, q: list[i] ?? '' }))
			.sort((a, b) => b.time - a.time)
			.slice(0, 3);
	});
	console.log(
		table(
			['class', 'ms', 'query'],
			slowest.map((x) => [x.cls, ms(x.time), shown(x.q)]),
			[0, 2],
		),
	);
	for (const cls of CLASSES) {
		const none = ours.classes.get(cls)?.noHits ?? [];
		if (none.length && cls !== 'typo')
			console.log(`${cls}: ${none.length} with no hits: ${shown(none.slice(0, 6).join('  |  '), 200)}`);
	}
	for (const e of d.errors.slice(0, 10)) console.log(`error: ${e}`);

	const rank = (r: number | undefined) => (r ? String(r) : '-');
	const exact = ours.exact;
	const misses = d.queries.lines
		.map((line, i) => ({ line, rank: exact?.ranks[i] ?? 0, words: exact?.wordRanks[i] ?? 0 }))
		.filter((m) => m.rank !== 1);
	console.log(
		`\nKnown-item lines ours did not rank first (${misses.length} of ${d.queries.lines.length}; rank as text / as words, - = not in top ${TOP}):`,
	);
	if (misses.length)
		console.log(
			table(
				['rank', 'line'],
				misses.slice(0, 15).map((m) => [`${rank(m.rank)} / ${rank(m.words)}`, shown(m.line, 110)]),
				[1],
			),
		);
	const typo = ours.typo;
	const typoMisses = d.typoLineDetails
		.map((t, i) => ({ ...t, rank: typo?.ranks[i] ?? 0, words: typo?.wordRanks[i] ?? 0 }))
		.filter((t) => t.rank !== 1);
	console.log(
		`\nTypo'd known-item lines ours did not rank first (${typoMisses.length} of ${d.typoLineDetails.length}):`,
	);
	if (typoMisses.length)
		console.log(
			table(
				['rank', 'hits', 'typo line', 'corrected to'],
				typoMisses
					.slice(0, 15)
					.map((m) => [
						`${rank(m.rank)} / ${rank(m.words)}`,
						String(m.hits),
						shown(m.typo, 80),
						shown(m.corrected ?? '(none)', 50),
					]),
				[2, 3],
			),
		);

	const fixes = d.typoFixes;
	const firstPair = fixes.filter((f) => f.at === 0);
	console.log(
		`\nTypo class: ${fixes.filter((f) => f.fixed).length}/${fixes.length} corrected to the intended word (${firstPair.filter((f) => f.fixed).length}/${firstPair.length} when the first two letters were swapped), ${fixes.filter((f) => f.hits === 0).length} with no hits.`,
	);
	const wrong = fixes.filter((f) => !f.fixed);
	if (wrong.length)
		console.log(
			table(
				['typo', 'meant', 'corrected to', 'hits'],
				wrong.slice(0, 15).map((f) => [f.query, f.original, f.corrected ?? '(none)', String(f.hits)]),
				[0, 1, 2],
			),
		);
}

function printTargets(results: SizeResult[]): void {
	const yes = (ok: boolean) => (ok ? 'met' : 'NOT met');
	console.log('\nTargets:');
	const at1g = results.find((r) => r.size >= 1000);
	for (const r of results) {
		const [ours, fts, ...peers] = r.engines as [EngineResult, EngineResult, ...EngineResult[]];
		const worst = CLASSES.map((cls) => ({ cls, p95: ours.classes.get(cls)?.p95 ?? Number.NaN })).sort(
			(a, b) => b.p95 - a.p95,
		)[0];
		const p95ok = CLASSES.every((cls) => (ours.classes.get(cls)?.p95 ?? Infinity) <= 20);
		const label = `${r.size} MB`;
		console.log(
			`  [${label}] every class p95 ≤ 20 ms${r === at1g ? '' : ' (target is at 1 GB)'}: ${yes(p95ok)} — worst ${worst?.cls} ${ms(worst?.p95 ?? Number.NaN)} ms`,
		);
		const k = ours.classes.get('known-item');
		console.log(
			`  [${label}] copied lines (known-item) p95 ≤ 20 ms and max ≤ 50 ms${r === at1g ? '' : ' (target is at 1 GB)'}: ${yes((k?.p95 ?? Infinity) <= 20 && (k?.max ?? Infinity) <= 50)} — p95 ${ms(k?.p95 ?? Number.NaN)}, max ${ms(k?.max ?? Number.NaN)} ms; story first ${((ours.exact?.storyFirst ?? 0) * 100).toFixed(1)}%, a page holding the line first ${(((ours.exact?.ranks.filter((x) => x === 1).length ?? 0) / Math.max(1, ours.exact?.ranks.length ?? 0)) * 100).toFixed(1)}%`,
		);
		const worstInput = [...r.worst].sort((a, b) => (b.times.at(-1) ?? 0) - (a.times.at(-1) ?? 0))[0];
		const worstMs = worstInput?.times.at(-1) ?? Number.NaN;
		const slowest = Math.max(...CLASSES.map((cls) => ours.classes.get(cls)?.max ?? 0));
		console.log(
			`  [${label}] no search over 50 ms${r === at1g ? '' : ' (target is at 1 GB)'}: ${yes(slowest <= 50 && worstMs <= 50)} — slowest drawn query ${ms(slowest)} ms; worst input "${worstInput?.name}" ${ms(worstMs)} ms`,
		);
		const o = ours.classes.get('frequent-name');
		const f = fts.classes.get('frequent-name');
		const x50 = (f?.p50 ?? Number.NaN) / (o?.p50 ?? Number.NaN);
		const x95 = (f?.p95 ?? Number.NaN) / (o?.p95 ?? Number.NaN);
		console.log(
			`  [${label}] ≥ 10× faster than raw FTS5 rank on frequent-name: ${yes(x50 >= 10)} — ${x50.toFixed(1)}× at p50, ${x95.toFixed(1)}× at p95`,
		);
		for (const p of peers) {
			if (p.skipped) {
				console.log(`  [${label}] vs ${p.name}: not measured (${p.skipped})`);
				continue;
			}
			const slower = CLASSES.filter((cls) => {
				const t = p.classes.get(cls);
				return t && !t.skipped && t.times.length && (ours.classes.get(cls)?.p95 ?? Infinity) > t.p95;
			});
			const mrrOk =
				(ours.exact?.mrr ?? 0) >= (p.exact?.mrr ?? 0) - 1e-9 && (ours.typo?.mrr ?? 0) >= (p.typo?.mrr ?? 0) - 1e-9;
			const oursMem = (ours.diskBytes ?? 0) + (ours.heapBytes ?? 0);
			const memOk = oursMem < (p.heapBytes ?? 0);
			console.log(
				`  [${label}] vs ${p.name}: faster (p95, every class both run): ${yes(!slower.length)}${slower.length ? ` — slower on ${slower.join(', ')}` : ''}; known-item MRR ≥: ${yes(mrrOk)} (${ours.exact?.mrr.toFixed(3)}/${ours.typo?.mrr.toFixed(3)} vs ${p.exact?.mrr.toFixed(3)}/${p.typo?.mrr.toFixed(3)}); less memory: ${yes(memOk)} (${mb(oursMem)} MB disk+heap vs ${mb(p.heapBytes ?? 0)} MB heap)`,
			);
		}
	}
	if (!at1g) console.log('  (1 GB not run: npm run bench:search -- 1000)');
}

async function main(sizes: number[]): Promise<void> {
	if (!gc) console.log('note: run with node --expose-gc for heap figures (npm run bench:search does)');
	mkdirSync(CACHE, { recursive: true });
	const results: SizeResult[] = [];
	for (const size of sizes) results.push(await benchSize(size));
	printTargets(results);
}

/** `--no-peers` runs our search and raw FTS5 only: minutes faster, for checking a change to the search. */
const WITH_PEERS = !process.argv.includes('--no-peers');
const sizes = process.argv
	.slice(2)
	.map(Number)
	.filter((n) => n > 0);
await main(sizes.length ? sizes : [100]);
