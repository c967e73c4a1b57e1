/**
 * Import benchmark: generates deterministic synthetic archives (bench/synth.ts) of the sizes given in MB,
 * imports each into a fresh store in a child process (so peak RSS is the importer's own), then opens the
 * store as the bot would and prints MB/s, pages/s, store size, peak RSS and open time.
 *
 *   npm run bench:import                 # 10 and 100 MB
 *   npm run bench:import -- 10 100 1000  # up to 1 GB (about 2 GB of disk for the files and the store)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importToPath } from '../src/archive/import.js';
import { ArchiveStore } from '../src/archive/store.js';
import { cachedArchive } from './synth.js';

const CACHE = process.env.BENCH_CACHE ?? join(process.cwd(), 'bench', '.cache');
const SEED = 1;

interface ChildResult {
	files: number;
	bytes: number;
	pages: number;
	seconds: number;
	failed: number;
	maxRssMb: number;
}

/** Runs in the child: imports dir into db and prints the figures as JSON. */
async function child(dir: string, db: string): Promise<void> {
	const summary = await importToPath(db, dir);
	const result: ChildResult = {
		files: summary.files,
		bytes: summary.bytes,
		pages: summary.pages,
		seconds: summary.seconds,
		failed: summary.failed.length,
		maxRssMb: process.resourceUsage().maxRSS / 1024,
	};
	process.stdout.write(JSON.stringify(result));
}

/** Opens the store read-only as the bot does at start-up and reads one page; milliseconds. */
function openTime(db: string): number {
	const started = performance.now();
	const store = ArchiveStore.open(db, { readonly: true });
	const first = store.story(1);
	if (first) store.page(first.id, 1);
	store.stats();
	store.close();
	return performance.now() - started;
}

const pad = (s: string | number, n: number) => String(s).padStart(n);

async function main(sizes: number[]): Promise<void> {
	mkdirSync(CACHE, { recursive: true });
	const rows: string[] = [];
	const header = `${pad('archive', 9)} ${pad('files', 7)} ${pad('import s', 9)} ${pad('MB/s', 6)} ${pad('pages/s', 8)} ${pad('pages', 8)} ${pad('store MB', 9)} ${pad('peak RSS MB', 12)} ${pad('open ms', 8)}`;
	for (const mb of sizes) {
		const dir = await cachedArchive(CACHE, mb, SEED);
		// Not the search benchmark's store-<MB>mb.sqlite, which it keeps between runs: this one is thrown away.
		const db = join(CACHE, `import-${mb}mb.sqlite`);
		for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
		const output = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', dir, db], {
			maxBuffer: 1 << 20,
			stdio: ['ignore', 'pipe', 'inherit'],
		}).toString();
		const r = JSON.parse(output) as ChildResult;
		const storeMb = ['', '-wal'].reduce((s, x) => s + (existsSync(db + x) ? statSync(db + x).size : 0), 0) / 1048576;
		const open = Math.min(openTime(db), openTime(db), openTime(db));
		const rateMb = r.bytes / 1048576 / r.seconds;
		rows.push(
			`${pad(`${mb} MB`, 9)} ${pad(r.files, 7)} ${pad(r.seconds.toFixed(1), 9)} ${pad(rateMb.toFixed(1), 6)} ${pad(Math.round(r.pages / r.seconds), 8)} ${pad(r.pages, 8)} ${pad(storeMb.toFixed(0), 9)} ${pad(r.maxRssMb.toFixed(0), 12)} ${pad(open.toFixed(1), 8)}`,
		);
		if (r.failed) rows.push(`          (${r.failed} files failed to import)`);
		console.log(`\n${header}\n${rows.join('\n')}`);
		for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
	}
	console.log('\nTargets: ≥ 20 MB/s import, peak RSS ≤ 300 MB at 1 GB, open ≤ 2 s (2-core machine).');
}

if (process.argv[2] === '--child') await child(process.argv[3] as string, process.argv[4] as string);
else {
	const sizes = process.argv
		.slice(2)
		.map(Number)
		.filter((n) => n > 0);
	await main(sizes.length ? sizes : [10, 100]);
}
