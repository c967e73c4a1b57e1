/**
 * Search benchmark: on the deterministic synthetic archives of bench/synth.ts, in the sizes given in MB, builds
 * the store once (kept in bench/.cache/store-<MB>mb.sqlite for re-runs), draws classes of queries from the
 * archive's own text with a seeded PRNG, and measures ArchiveSearch against raw FTS5 ranking, MiniSearch and
 * FlexSearch: latency per query class (p50, p95, p99, max), known-item MRR (exact and with a typo) and the share
 * of lines whose story comes first, index build time and memory. Known-item lines are drawn as readers copy them
 * (lines.ts): the first ten words of a random paragraph of a random page, quote marks and `*()^:-` removed.
 *
 *   npm run bench:search                # 100 MB
 *   npm run bench:search -- 100 1000    # and 1 GB (MiniSearch and FlexSearch only while the text fits in memory)
 *   npm run bench:search -- 1 --no-peers    # ours and raw FTS5 only, on 1 MB: a quick check that it runs
 *
 * The rooms: main.ts (this command line), store.ts (archives and stores, cached), queries.ts with classes.ts (the
 * query classes: add a class there), corpus.ts and lines.ts (drawing words and readers' lines), engines.ts (ours,
 * raw FTS5) and peers.ts (MiniSearch, FlexSearch), timing.ts, known-items.ts (MRR), autocomplete.ts, size.ts (one
 * size from store to tables), report.ts and targets.ts (what is printed), format.ts.
 */
import { mkdirSync } from 'node:fs';
import { benchSize, type SizeResult } from './size.js';
import { CACHE } from './store.js';
import { printTargets } from './targets.js';
import { gc } from './timing.js';

async function main(sizes: number[]): Promise<void> {
	if (!gc) console.log('note: run with node --expose-gc for heap figures (npm run bench:search does)');
	mkdirSync(CACHE, { recursive: true });
	const results: SizeResult[] = [];
	for (const size of sizes) results.push(await benchSize(size, WITH_PEERS));
	printTargets(results);
}

/** `--no-peers` runs our search and raw FTS5 only: minutes faster, for checking a change to the search. */
const WITH_PEERS = !process.argv.includes('--no-peers');
const sizes = process.argv
	.slice(2)
	.map(Number)
	.filter((n) => n > 0);
await main(sizes.length ? sizes : [100]);
