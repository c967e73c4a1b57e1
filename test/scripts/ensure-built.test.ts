import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const SCRIPT = new URL('../../scripts/ensure-built.js', import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), 'fic-archive-built-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const run = (...args: string[]) =>
	execFileSync(process.execPath, [SCRIPT, ...args], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const at = (path: string, seconds: number) => utimesSync(join(root, path), seconds, seconds);

describe('scripts/ensure-built.js: build once, start the compiled code', () => {
	it('is stale with no build, fresh after one, stale again when a source changes', () => {
		mkdirSync(join(root, 'src', 'cli'), { recursive: true });
		mkdirSync(join(root, 'dist'), { recursive: true });
		writeFileSync(join(root, 'src', 'cli', 'a.ts'), 'export {};\n');
		at('src/cli/a.ts', 1_000);
		expect(run('--stale').trim()).toBe('stale');
		writeFileSync(join(root, 'dist', '.built'), 'now\n');
		at('dist/.built', 2_000);
		expect(run('--stale').trim()).toBe('fresh');
		// A file deep in the tree, and a build setting, count too; files that are not TypeScript do not.
		writeFileSync(join(root, 'src', 'notes.md'), 'x');
		at('src/notes.md', 3_000);
		expect(run('--stale').trim()).toBe('fresh');
		at('src/cli/a.ts', 3_000);
		expect(run('--stale').trim()).toBe('stale');
		at('src/cli/a.ts', 1_000);
		writeFileSync(join(root, 'tsconfig.build.json'), '{}');
		at('tsconfig.build.json', 3_000);
		expect(run('--stale').trim()).toBe('stale');
		at('tsconfig.build.json', 1_000);
	});

	it('when fresh, runs the compiled script as the entry point with its arguments, compiling nothing', () => {
		writeFileSync(
			join(root, 'dist', 'hello.js'),
			// The same main-module check as src/cli/archive.ts.
			"const main = import.meta.url === 'file://' + process.argv[1];\nconsole.log(JSON.stringify({ main, args: process.argv.slice(2) }));\n",
		);
		expect(run('--stale').trim()).toBe('fresh');
		const output = execFileSync(process.execPath, [SCRIPT, 'dist/hello.js', 'inspect', '--json'], {
			cwd: root,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		expect(JSON.parse(output)).toEqual({ main: true, args: ['inspect', '--json'] });
	});
});
