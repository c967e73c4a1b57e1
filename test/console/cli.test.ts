import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importToPath } from '../../src/archive/import.js';

const ENTRY = new URL('../../src/cli/console.ts', import.meta.url).pathname;
// The child runs in a folder of its own (no .env there), so tsx is found from here, not from its cwd.
const TSX = import.meta.resolve('tsx');
let dir: string;
let empty: string;

/** `npm run console` as a person runs it: a child process in a folder with no .env, stdin a pipe. */
function console_(args: string[], options: { input?: string; archiveDir?: string } = {}) {
	const child = spawn(process.execPath, ['--import', TSX, ENTRY, ...args], {
		cwd: dir,
		env: { PATH: process.env.PATH ?? '', ARCHIVE_DIR: options.archiveDir ?? dir, NO_COLOR: '1' },
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (c: Buffer) => {
		stdout += c.toString();
	});
	child.stderr.on('data', (c: Buffer) => {
		stderr += c.toString();
	});
	child.stdin.end(options.input ?? '');
	return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`console timed out: ${args.join(' ')}\n${stdout}\n${stderr}`));
		}, 30_000);
		child.on('exit', (code) => {
			clearTimeout(timer);
			resolve({ code, stdout, stderr });
		});
	});
}

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'fic-archive-console-cli-'));
	empty = mkdtempSync(join(tmpdir(), 'fic-archive-console-empty-'));
	for (const name of ['leaving.txt', 'moving-day.txt']) {
		copyFileSync(new URL(`../../data/${name}`, import.meta.url), join(dir, name));
	}
	await importToPath(join(dir, 'archive.sqlite'), dir);
});
afterAll(() => {
	rmSync(dir, { recursive: true, force: true });
	rmSync(empty, { recursive: true, force: true });
});

describe('npm run console', () => {
	it('without an imported archive, says how to import one and exits 1', async () => {
		const run = await console_(['--once', '/archive'], { archiveDir: empty });
		expect(run.code).toBe(1);
		expect(run.stderr).toMatch(/^No archive at .*archive\.sqlite\. Import the stories first: npm run import\n$/);
		expect(run.stdout).toBe('');
	});

	it('--once prints what the bot would post and exits', async () => {
		const run = await console_(['--once', '/read leaving 2']);
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		const lines = run.stdout.trimEnd().split('\n');
		expect(lines[0]).toMatch(/^┌ Leaving ─+┐$/);
		expect(run.stdout).toContain('│ Page 2 of 9 · Leaving · Slaymesoftly');
		expect(lines.slice(-2)).toEqual([
			'[1 « First] [2 ‹ Previous] [3 2 / 9] [4 Next ›] [5 Last »] [6 Bookmark]',
			'[7 Quote a line] [8 Everyone turns pages]',
		]);
		expect(run.stdout).not.toContain('\x1b[');
	});

	it('--once with a mistyped command says what is wrong and exits 1', async () => {
		const run = await console_(['--once', '/read leaving 0']);
		expect(run.code).toBe(1);
		expect(run.stdout).toBe('/read page must be at least 1.\n');
	});

	it('--json prints the raw payloads', async () => {
		const run = await console_(['--once', '/search "ten miles"', '--json']);
		expect(run.code).toBe(0);
		const responses = JSON.parse(run.stdout) as { kind: string; type?: number; data?: Record<string, unknown> }[];
		expect(responses.map((r) => [r.kind, r.type])).toEqual([['reply', 4]]);
		const reply = responses[0]?.data as { embeds: { title: string; fields: { name: string }[] }[] };
		expect(reply.embeds[0]?.title).toBe('Search: "ten miles"');
		expect(reply.embeds[0]?.fields[0]?.name).toBe('1. Leaving — Slaymesoftly · page 7');
		expect(responses[0]?.data?.allowed_mentions).toEqual({ parse: [] });
	});

	it('takes --channel and --user, and refuses what it does not know', async () => {
		const run = await console_(['--once', '/story leaving', '--channel', 'dm', '--user', '123456789012345678']);
		expect(run.code).toBe(0);
		expect(run.stdout).toContain('┌ Leaving');
		const bad = await console_(['--channel', 'somewhere']);
		expect(bad.code).toBe(2);
		expect(bad.stderr).toContain('Usage: npm run console');
	});

	it('runs a scripted session from stdin: commands, numbered clicks, a modal answered on the prompt', async () => {
		const script = ['/read leaving', '4', '3', '5', '/search spike', '2', 'help', 'exit', '/archive'].join('\n');
		const run = await console_([], { input: `${script}\n` });
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		const out = run.stdout;
		expect(out).toMatch(/^fic-archive console: 2 stories, in a server channel, as user \d+\./);
		// Each typed line is echoed after its prompt, so the output reads as a transcript.
		const at = (text: string) => {
			const i = out.indexOf(text);
			expect(i, text).toBeGreaterThanOrEqual(0);
			return i;
		};
		expect(at('> /read leaving\n┌ Leaving')).toBeLessThan(at('Page 1 of 9 · Leaving'));
		expect(at('> 4\n↻ updated:')).toBeLessThan(at('Page 2 of 9 · Leaving'));
		expect(at('> 3\n▣ Go to page · Leaving\n  Page (1 to 9) [2]\nPage (1 to 9): 5\n↻ updated:')).toBeLessThan(
			at('Page 5 of 9 · Leaving'),
		);
		expect(at('> /search spike')).toBeLessThan(at('Open a result at its page:\n  1. Leaving · page 4'));
		// Two hits and no Previous/Next: the menu's options are 1 and 2.
		expect(out.slice(at('> /search spike'))).toMatch(/> 2\n┌ Moving Day ─+┐[\s\S]*│ Page 6 of 6 · Moving Day/);
		expect(out).toContain('> help\nType a command as in Discord');
		// exit leaves: /archive after it never runs.
		expect(out.trimEnd().endsWith('> exit')).toBe(true);
	});
});
