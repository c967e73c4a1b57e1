import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const CLI = new URL('../src/cli/archive.ts', import.meta.url).pathname;
let dir: string;

/** Runs the archive command line as a person would, in a child process; returns its output and exit code. */
async function archive(...args: string[]) {
	try {
		const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', CLI, ...args], {
			env: { ...process.env, ARCHIVE_DB: join(dir, 'store', 'archive.sqlite'), ARCHIVE_DIR: dir },
		});
		return { code: 0, stdout, stderr };
	} catch (error) {
		const e = error as { code: number; stdout: string; stderr: string };
		return { code: e.code, stdout: e.stdout, stderr: e.stderr };
	}
}

beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'fic-archive-cli-'));
	for (const name of ['leaving.txt', 'moving-day.txt'])
		copyFileSync(new URL(`../data/${name}`, import.meta.url), join(dir, name));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run import / archive', () => {
	it('says how to import when there is no store yet', async () => {
		const { code, stderr } = await archive('stats');
		expect(code).toBe(1);
		expect(stderr).toMatch(/npm run import/);
	});

	it('imports, summarises, and exits non-zero naming each failed file while the good ones land', async () => {
		writeFileSync(join(dir, 'broken.txt'), Uint8Array.from([0, 159, 146, 150, 0]));
		const first = await archive('import');
		expect(first.code).toBe(1);
		expect(first.stdout).toMatch(/2 added, 0 updated, 0 unchanged, 0 moved, 0 removed, 1 failed/);
		expect(first.stdout).toMatch(/failed: broken\.txt: it is a binary file/);
		expect(first.stderr).toMatch(/import: 3\/3 files/);

		rmSync(join(dir, 'broken.txt'));
		const second = await archive('import');
		expect(second.code).toBe(0);
		expect(second.stdout).toMatch(/0 added, 0 updated, 2 unchanged/);

		const stats = await archive('stats', '--json');
		expect(JSON.parse(stats.stdout)).toMatchObject({ stories: 2, authors: 2 });
	});

	it('inspects one file as JSON without a store', async () => {
		const { code, stdout } = await archive('inspect', join(dir, 'leaving.txt'), '--json');
		expect(code).toBe(0);
		const report = JSON.parse(stdout);
		expect(report.meta).toMatchObject({ title: 'Leaving', rating: 'Teen', ratingText: 'PG13', date: '2003-09-24' });
		expect(report.words).toMatchObject({ declared: 2782 });
		expect(report.words.counted).toBeGreaterThan(2500);
		expect(report.pages).toBeGreaterThan(1);
		expect(report.firstQuotes.length).toBeGreaterThan(0);
	});

	it('answers a bad command or a missing file with a message, not a stack trace', async () => {
		const bad = await archive('frobnicate');
		expect(bad.code).toBe(2);
		expect(bad.stderr).toMatch(/Unknown command "frobnicate"/);
		const missing = await archive('inspect', join(dir, 'nope.txt'));
		expect(missing.code).toBe(1);
		expect(missing.stderr).toMatch(/Cannot read .*nope\.txt: ENOENT/);
		expect(missing.stderr).not.toMatch(/at .*\.ts:\d+/);
	});
});
