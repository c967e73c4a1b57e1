/**
 * One archive size: its store, the queries drawn from it, ours, raw FTS5 and the peers timed and scored in turn,
 * and the tables printed.
 */
import Database from 'better-sqlite3';
import { ArchiveSearch } from '../../src/archive/search/index.js';
import { Stemmer } from '../../src/archive/search/stemmer.js';
import { ArchiveStore } from '../../src/archive/store.js';
import { timeAutocomplete } from './autocomplete.js';
import { CLASSES } from './classes.js';
import { type EngineResult, Ours, rawFts, TOP } from './engines.js';
import { mb, shown, table } from './format.js';
import { knownItems, PageCheck } from './known-items.js';
import { runPeers } from './peers.js';
import { generateQueries, SEED } from './queries.js';
import { type Diagnostics, printSize } from './report.js';
import { fileSize, readThrough, storePath } from './store.js';
import { collect, heapUsed, phases, timeClasses, timeWorst, type WorstTiming } from './timing.js';

export interface SizeResult {
	size: number;
	engines: EngineResult[];
	worst: WorstTiming[];
}

/** `withPeers: false` runs our search and raw FTS5 only (--no-peers). */
export async function benchSize(size: number, withPeers: boolean): Promise<SizeResult> {
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
	const phase = phases(size);

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
	const peers = runPeers(store.db, queries, check, { chars: facts.chars, phase, withPeers });
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
