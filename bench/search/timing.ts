/**
 * How the search benchmark times: each class's queries run once after a warm-up, percentiles over them, the worst
 * inputs run a few times, and the heap measured after collecting garbage.
 */
import type { ArchiveSearch } from '../../src/archive/search/index.js';
import { CLASSES, type QueryClass } from './classes.js';
import { type Engine, type Mode, TOP } from './engines.js';
import type { Queries } from './queries.js';

/** Queries of each class run once, untimed, before timing. */
export const WARM_UP = 3;

export const gc = (globalThis as { gc?: () => void }).gc;
/** Collects garbage (twice, for weak references and finalisers) when run with --expose-gc. */
export function collect(): void {
	gc?.();
	gc?.();
}

export const heapUsed = () => process.memoryUsage().heapUsed;

export function percentile(sorted: readonly number[], p: number): number {
	if (!sorted.length) return Number.NaN;
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
}

/** One class's queries on one engine, timed. */
export interface ClassTiming {
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
export function runQueries(
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
export function timeClasses(engine: Engine, queries: Queries): Map<QueryClass, ClassTiming> {
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

/** One of the worst inputs, run a few times. */
export interface WorstTiming {
	name: string;
	query: string;
	times: number[];
	hits: number;
}

/** Runs of each worst input: the slowest is what holds the event loop. */
export const WORST_RUNS = 5;

/** The worst inputs (lines.ts), each run WORST_RUNS times. */
export function timeWorst(search: ArchiveSearch, inputs: Queries['worst']): WorstTiming[] {
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

/** Starts a phase of one size's run, logged on stderr; the function it returns logs the seconds it took. */
export type Phase = (what: string) => () => void;

export function phases(size: number): Phase {
	return (what) => {
		const t0 = performance.now();
		console.error(`[${size} MB] ${what} …`);
		return () => console.error(`[${size} MB] ${what}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
	};
}
