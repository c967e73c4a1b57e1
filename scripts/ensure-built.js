#!/usr/bin/env node
// Build once, start fast: `node scripts/ensure-built.js dist/src/cli/archive.js inspect …` runs the compiled
// script, compiling first only when a source is newer than the last build (or there is none). `npm ci` builds
// through the `prepare` script, so after an install nothing is compiled at start-up.
//   node scripts/ensure-built.js            build if stale, run nothing (the prepare script)
//   node scripts/ensure-built.js --stale    print "stale" or "fresh" (exit 0), build nothing
//   node scripts/ensure-built.js --build    build whatever the times say (npm run build)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = process.cwd();
/** Written after every successful build: its time is the build's. */
const STAMP = join(root, 'dist', '.built');
const SOURCES = ['src', 'commands', 'bench'];
const CONFIGS = ['tsconfig.json', 'tsconfig.build.json'];

/** The newest modification time of a TypeScript source or build setting, in ms. */
function newestSource() {
	let newest = 0;
	const visit = (dir) => {
		let entries;
		try {
			entries = readdirSync(dir, { withFileTypes: true });
		} catch {
			return;
		}
		for (const entry of entries) {
			const path = join(dir, entry.name);
			if (entry.isDirectory()) visit(path);
			else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
		}
	};
	for (const dir of SOURCES) visit(join(root, dir));
	for (const file of CONFIGS)
		if (existsSync(join(root, file))) newest = Math.max(newest, statSync(join(root, file)).mtimeMs);
	return newest;
}

function stale() {
	return !existsSync(STAMP) || newestSource() > statSync(STAMP).mtimeMs;
}

function build(why = '') {
	if (why) process.stderr.write(`Building (${why})…\n`);
	const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
	const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
	if (result.status !== 0) {
		process.stderr.write('The build failed: see the errors above (npx tsc --noEmit shows them too).\n');
		process.exit(result.status ?? 1);
	}
	writeFileSync(STAMP, `${new Date().toISOString()}\n`);
}

const [target, ...rest] = process.argv.slice(2);
if (target === '--stale') {
	console.log(stale() ? 'stale' : 'fresh');
} else if (target === '--build') {
	build();
} else {
	if (stale()) build(existsSync(STAMP) ? 'the sources are newer than dist/' : 'first run');
	if (target) {
		const script = resolve(root, target);
		// The script sees itself as the entry point, as with `node dist/...` (its main-module check reads argv[1]).
		process.argv = [process.argv[0], script, ...rest];
		await import(pathToFileURL(script).href);
	}
}
