/**
 * The peers the search benchmark measures ours against: MiniSearch and FlexSearch, in-memory indexes built from
 * the store's pages, one at a time and dropped after, and skipped where their heap would not fit (estimated from
 * the per-byte cost the last run that built them measured).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import type Database from 'better-sqlite3';
import { Index as FlexIndex } from 'flexsearch';
import MiniSearch, { type SearchOptions as MiniOptions, type Query as MiniQuery } from 'minisearch';
import { parseQuery } from '../../src/archive/search/query.js';
import { type Engine, type EngineResult, type Mode, TOP } from './engines.js';
import { mb } from './format.js';
import { knownItems, type PageCheck } from './known-items.js';
import type { Queries } from './queries.js';
import { CACHE } from './store.js';
import { collect, heapUsed, type Phase, timeClasses } from './timing.js';

/** Per-byte heap costs of the peers' indexes, measured by the last run that built them: the estimate for 1 GB. */
const PEER_COSTS = join(CACHE, 'search-peer-costs.json');
/** MiniSearch and FlexSearch are built only over less page text than this, and within the heap. */
const PEER_TEXT_LIMIT = 400 * 1048576;

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
		cannot: { 'filter-only': 'no fields', 'tag-filter': 'no fields', 'tag-filter-words': 'no fields' },
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
		cannot: {
			'filter-only': 'no fields',
			'tag-filter': 'no fields',
			'tag-filter-words': 'no fields',
			prefix: 'no prefix index',
		},
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

function loadPeerCosts(): Record<string, number> {
	try {
		return JSON.parse(readFileSync(PEER_COSTS, 'utf8')) as Record<string, number>;
	} catch {
		return {};
	}
}

/**
 * Each peer built from the store's pages and run on the queries (or skipped, saying why: `--no-peers`, or too big
 * for the heap), one at a time; the per-byte costs measured are kept for the next run's estimates.
 */
export function runPeers(
	db: Database.Database,
	queries: Queries,
	check: PageCheck,
	options: { chars: number; phase: Phase; withPeers: boolean },
): EngineResult[] {
	const { chars, phase, withPeers } = options;
	let done: () => void;
	const costs = loadPeerCosts();
	const peers: EngineResult[] = [];
	for (const [name, build] of [
		['MiniSearch', buildMiniSearch],
		['FlexSearch', buildFlexSearch],
	] as const) {
		if (!withPeers) {
			console.log(`${name}: skipped (--no-peers)`);
			continue;
		}
		const perByte = costs[name];
		const estimate = perByte !== undefined ? perByte * chars : undefined;
		const room = getHeapStatistics().heap_size_limit * 0.75 - heapUsed();
		if (chars > PEER_TEXT_LIMIT || (estimate !== undefined && estimate > room)) {
			const need =
				estimate !== undefined
					? `would need ~${(estimate / 1024 ** 3).toFixed(1)} GB of heap`
					: `${mb(chars)} MB of page text is over ${mb(PEER_TEXT_LIMIT)} MB (no estimate yet: run 100 first)`;
			peers.push({ name, classes: new Map(), skipped: `skipped: ${need}` });
			continue;
		}
		done = phase(`${name} build`);
		collect();
		const before = heapUsed();
		const t0 = performance.now();
		let engine: Engine | undefined = build(db);
		const buildMs = performance.now() - t0;
		collect();
		const heap = heapUsed() - before;
		costs[name] = heap / chars;
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
	return peers;
}
