import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ao3EpubFiles, zip } from './fixtures/epub.js';

const run = promisify(execFile);
const CLI = new URL('../src/cli/archive.ts', import.meta.url).pathname;
let dir: string;

/** Runs the archive command line as a person would, in a child process; returns its output and exit code. */
async function archive(...args: string[]) {
	return archiveWith(join(dir, 'store', 'archive.sqlite'), ...args);
}

async function archiveWith(db: string, ...args: string[]) {
	try {
		const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', CLI, ...args], {
			env: { ...process.env, ARCHIVE_DB: db, ARCHIVE_DIR: dir },
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

	it('refuses a wrong or empty folder with one line and exit 1, keeps stories whose file is gone unless --prune', async () => {
		const before = await archive('stats', '--json');
		const wrong = await archive('import', join(dir, 'no-such-folder'));
		expect(wrong.code).toBe(1);
		expect(wrong.stderr.trim()).toMatch(
			/^There is no folder .*no-such-folder: nothing was imported and the store is unchanged/,
		);
		expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
		const empty = join(dir, 'empty-folder');
		mkdirSync(empty);
		const none = await archive('import', empty, '--prune');
		expect(none.code).toBe(1);
		expect(none.stderr).toMatch(/holds no story files/);
		expect((await archive('stats', '--json')).stdout).toBe(before.stdout);

		const other = join(dir, 'other-folder');
		mkdirSync(other);
		writeFileSync(join(other, 'crypt.txt'), 'The Crypt\nby Someone\n\nSpike sat in the crypt and waited for the rain.');
		const kept = await archive('import', other);
		expect(kept.code).toBe(0);
		expect(kept.stdout).toMatch(
			/0 removed, 0 failed\.\n2 stored stories have no file in the folder any more and were kept: npm run import -- --prune removes them\./,
		);
		const pruned = await archive('import', other, '--prune');
		expect(pruned.code).toBe(0);
		expect(pruned.stderr).toMatch(/--prune: removing 2 stories whose file is gone from .*other-folder\./);
		expect(pruned.stdout).toMatch(/2 removed/);
		expect(JSON.parse((await archive('stats', '--json')).stdout)).toMatchObject({ stories: 1 });
		rmSync(other, { recursive: true });
		rmSync(empty, { recursive: true });
		// Another import running: one line naming it, and the store untouched.
		const lock = join(dir, 'store', 'archive.sqlite.import-lock');
		writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), started: '2026-12-06T10:00:00.000Z' }));
		const locked = await archive('import', '--prune');
		expect(locked.code).toBe(1);
		expect(locked.stderr.trim()).toBe(
			`Another import into this store is running: process ${process.pid} on ${hostname()}, since 2026-12-06T10:00:00.000Z. Wait for it to finish; if that process is gone, delete ${lock}.`,
		);
		rmSync(lock);
		const back = await archive('import', '--prune');
		expect(back.stderr).toMatch(/--prune: removing 1 story whose file is gone/);
		expect(back.stdout).toMatch(/2 added, 0 updated, 0 unchanged, 0 moved, 1 removed/);
	}, 120_000);

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

	it('inspects every format, with its chapters, and names what is wrong with a broken file', async () => {
		const fixtures = new URL('fixtures/', import.meta.url);
		const formats = join(dir, 'formats');
		mkdirSync(formats);
		writeFileSync(join(formats, 'crypt-door.epub'), zip(ao3EpubFiles()));
		writeFileSync(join(formats, 'cut.epub'), zip(ao3EpubFiles()).subarray(0, 500));
		for (const name of ['ao3-the-long-night.html', 'fanficfare-slayers-almanac.txt', 'markdown-the-watchers-diary.md'])
			copyFileSync(new URL(name, fixtures), join(formats, name));
		// One process for all four (six processes, four at once, outran the test's 20 s on a loaded machine).
		const names = [
			'crypt-door.epub',
			'ao3-the-long-night.html',
			'fanficfare-slayers-almanac.txt',
			'markdown-the-watchers-diary.md',
		];
		const all = await archive('inspect', ...names.map((name) => join(formats, name)), '--json');
		expect(all.code).toBe(0);
		const reports = JSON.parse(all.stdout);
		expect(reports.map((r: { file: string }) => r.file)).toEqual(names.map((name) => join(formats, name)));
		const [epub, html, fff, md] = reports;
		expect(epub).toMatchObject({ format: 'epub', meta: { title: 'The Crypt Door', rating: 'Mature' } });
		expect(epub.chapters.map((c: { title: string }) => c.title)).toEqual(['Hinges', 'Paint']);
		expect(html).toMatchObject({ format: 'ao3-html', meta: { series: { name: 'Sunnydale Winters', part: 2 } } });
		expect(html.chapters).toHaveLength(3);
		expect(html.firstQuotes[0]).toHaveProperty('chapter', 1);
		expect(fff).toMatchObject({
			format: 'fanficfare-text',
			chapters: [{ title: 'The Almanac' }, { title: 'The Weather Report' }],
		});
		expect(md).toMatchObject({ format: 'markdown', meta: { title: "The Watcher's Diary" } });
		// One file's --json report is the object itself.
		const one = await archive('inspect', join(formats, 'markdown-the-watchers-diary.md'), '--json');
		expect(JSON.parse(one.stdout)).toEqual(md);
		// A broken file is named and fails the run; the good one beside it is still reported.
		const text = await archive('inspect', join(formats, 'ao3-the-long-night.html'), join(formats, 'cut.epub'));
		expect(text.stdout).toMatch(/Chapters: 3\n {2}1\. Blackout · pages 1–1\n {2}2\. \(untitled\)/);
		expect(text.stdout).toMatch(/Series: part 2 of Sunnydale Winters/);
		expect(text.stdout).toMatch(/^URL: http:\/\/archiveofourown\.org\/works\/12345678$/m);
		expect(html.meta.url).toBe('http://archiveofourown.org/works/12345678');
		expect(text.code).toBe(1);
		expect(text.stderr).toMatch(/cut\.epub: the zip archive is damaged or cut short/);
	});

	it('publishes a copy of the store for other machines, and will not publish over the store itself', async () => {
		const target = join(dir, 'published', 'archive.sqlite');
		mkdirSync(join(dir, 'published'));
		const { code, stdout } = await archive('publish', target);
		expect(code).toBe(0);
		expect(stdout).toMatch(/^Published .*archive\.sqlite to .*published\/archive\.sqlite \(\d+\.\d (KB|MB)\)\.$/m);
		const copy = await run(process.execPath, ['--import', 'tsx', CLI, 'stats', '--json'], {
			env: { ...process.env, ARCHIVE_DB: target, ARCHIVE_DIR: dir },
		});
		expect(JSON.parse(copy.stdout)).toMatchObject({ stories: 2, authors: 2 });
		const none = await archive('publish');
		expect(none.code).toBe(2);
		expect(none.stderr).toMatch(/publish needs a path/);
		const itself = await archive('publish', join(dir, 'store', 'archive.sqlite'));
		expect(itself.code).toBe(2);
		expect(itself.stderr).toMatch(/is the store itself/);
	});

	it('answers a bad command or a missing file with a message, not a stack trace', async () => {
		const bad = await archive('frobnicate');
		expect(bad.code).toBe(2);
		expect(bad.stderr).toMatch(/Unknown command "frobnicate"/);
		const missing = await archive('inspect', join(dir, 'nope.txt'));
		expect(missing.code).toBe(1);
		expect(missing.stderr).toMatch(/Cannot read .*nope\.txt: ENOENT/);
		expect(missing.stderr).not.toMatch(/at .*\.ts:\d+/);
		// A store that is not a database: one line, no stack.
		const garbage = join(dir, 'garbage', 'archive.sqlite');
		mkdirSync(join(dir, 'garbage'));
		writeFileSync(garbage, 'this is not a database, and it is long enough to be read as a header of one '.repeat(20));
		const broken = await archiveWith(garbage, 'import');
		expect(broken.code).toBe(1);
		expect(broken.stderr.trim()).toBe(
			'The store failed (SQLITE_NOTADB): file is not a database. Nothing of this run was saved.',
		);
		rmSync(join(dir, 'garbage'), { recursive: true });
	});
});
