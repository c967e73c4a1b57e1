import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importToPath } from '../../src/archive/import.js';
import { FakeDiscord } from './fake-discord.js';

const ENTRY = new URL('../../src/index.ts', import.meta.url).pathname;
// The child runs in a folder of its own (no .env there), so tsx is found from here, not from its cwd.
const TSX = import.meta.resolve('tsx');
// A token's shape: the first part is an application id in base64url (config checks it).
const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GfakeT.fake-token-for-the-start-up-test';
let dir: string;

/** `npm start` as a person runs it: a child process, in a folder with no .env, with only the given keys. */
function start(env: Record<string, string>, cwd = dir) {
	const child = spawn(process.execPath, ['--import', TSX, ENTRY], {
		cwd,
		env: { PATH: process.env.PATH ?? '', ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	child.stdout?.on('data', (c: Buffer) => {
		output += c.toString();
	});
	child.stderr?.on('data', (c: Buffer) => {
		output += c.toString();
	});
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	return { child, exited, output: () => output };
}

const within = <T>(promise: Promise<T>, ms: number, what: string) =>
	Promise.race([
		promise,
		new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), ms)),
	]);

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'fic-archive-start-'));
	for (const name of ['leaving.txt', 'moving-day.txt'])
		copyFileSync(new URL(`../../data/${name}`, import.meta.url), join(dir, name));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm start', () => {
	it('without a token, says what to put in .env and how to get a token: no stack trace', async () => {
		const run = start({});
		expect(await within(run.exited, 15_000, 'exit')).toBe(1);
		expect(run.output()).toContain('DISCORD_TOKEN is not set');
		expect(run.output()).toContain('Copy .env.example to .env');
		expect(run.output()).not.toMatch(/^\s+at /m);
	});

	it('without an imported archive, says how to import one', async () => {
		const run = start({ DISCORD_TOKEN: TOKEN, DISCORD_CLIENT_ID: '123456789012345678', ARCHIVE_DIR: dir });
		expect(await within(run.exited, 15_000, 'exit')).toBe(1);
		expect(run.output()).toMatch(/No archive at .*npm run import/);
	});

	it('logs in, answers, and closes cleanly on SIGTERM', async () => {
		await importToPath(join(dir, 'archive.sqlite'), dir);
		const fake = await new FakeDiscord({ token: TOKEN, heartbeatInterval: 1000 }).start();
		let run: { child: ChildProcess; exited: Promise<number | null>; output: () => string } | undefined;
		try {
			const identified = new Promise<number | undefined>((resolve) =>
				fake.once('identify', (info) => resolve(info.intents)),
			);
			run = start({
				DISCORD_TOKEN: TOKEN,
				DISCORD_CLIENT_ID: fake.applicationId,
				DISCORD_API_URL: fake.restBase,
				ARCHIVE_DIR: dir,
				STATE_URL: `sqlite://${join(dir, 'state.sqlite')}`,
			});
			// Only the Guilds intent (1): no privileged intents.
			expect(await within(identified, 15_000, 'login')).toBe(1);
			// READY and the guild arrive just after IDENTIFY: retry until the client routes interactions.
			let answer: Awaited<ReturnType<typeof fake.sendInteraction>> | undefined;
			for (let i = 0; i < 20 && !answer; i++) {
				answer = await fake.sendInteraction(fake.slashCommand('archive')).catch(async () => {
					await new Promise((r) => setTimeout(r, 200));
					return undefined;
				});
			}
			expect(answer?.data.embeds?.[0]?.description).toMatch(/^2 stories by 2 authors/);
			run.child.kill('SIGTERM');
			expect(await within(run.exited, 10_000, 'shutdown')).toBe(0);
			expect(run.output()).toContain('shutting down');
		} finally {
			run?.child.kill('SIGKILL');
			await fake.stop();
		}
	});

	it('starts from .env.example as copied, with only the token and the application id filled in', async () => {
		// As the README says: cp .env.example .env, fill in two lines, npm run import, npm start.
		const home = join(dir, 'from-example');
		mkdirSync(join(home, 'data'), { recursive: true });
		await importToPath(join(home, 'data', 'archive.sqlite'), dir);
		const fake = await new FakeDiscord({ token: TOKEN, heartbeatInterval: 1000 }).start();
		const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
		expect(example).toMatch(/^DISCORD_TOKEN=$/m);
		expect(example).toMatch(/^DISCORD_CLIENT_ID=$/m);
		writeFileSync(
			join(home, '.env'),
			example
				.replace(/^DISCORD_TOKEN=$/m, `DISCORD_TOKEN=${TOKEN}`)
				.replace(/^DISCORD_CLIENT_ID=$/m, `DISCORD_CLIENT_ID=${fake.applicationId}`),
		);
		let run: ReturnType<typeof start> | undefined;
		try {
			const identified = new Promise<void>((resolve) => fake.once('identify', () => resolve()));
			// The fake stands in for discord.com: set in the environment, which wins over .env's empty line.
			run = start({ DISCORD_API_URL: fake.restBase }, home);
			await within(identified, 15_000, `login; output so far:\n${run.output()}`);
			run.child.kill('SIGTERM');
			expect(await within(run.exited, 10_000, 'shutdown')).toBe(0);
			expect(run.output()).not.toMatch(/SyntaxError|^\s+at /m);
		} finally {
			run?.child.kill('SIGKILL');
			await fake.stop();
		}
	});

	it('names a misspelt key in .env with the setting it meant', async () => {
		const home = join(dir, 'misspelt');
		mkdirSync(home, { recursive: true });
		writeFileSync(
			join(home, '.env'),
			`DISCORD_TOKEN=${TOKEN}\nDISCORD_CLIENT_ID=123456789012345678\nDEV_GUILD=223456789012345678\n`,
		);
		const run = start({}, home);
		expect(await within(run.exited, 15_000, 'exit')).toBe(1);
		expect(run.output()).toContain('DEV_GUILD (in .env) is not a setting; did you mean DEV_GUILD_ID?');
	});

	it('says a refused connection is a network problem, not the token', async () => {
		await importToPath(join(dir, 'archive.sqlite'), dir);
		// Nothing listens on port 9 (discard) on loopback: the connection is refused.
		const run = start({ ...loginEnv(), DISCORD_TOKEN: TOKEN, DISCORD_API_URL: 'http://127.0.0.1:9/api' });
		expect(await within(run.exited, 15_000, 'exit')).toBe(1);
		expect(run.output()).toContain('Could not reach Discord at http://127.0.0.1:9/api (ECONNREFUSED)');
		expect(run.output()).toContain('not a problem with DISCORD_TOKEN');
		expect(run.output()).not.toContain('refused the token');
	});

	it('says a token Discord refuses (401) is the token, not the network', async () => {
		await importToPath(join(dir, 'archive.sqlite'), dir);
		const fake = await new FakeDiscord({ token: TOKEN }).start();
		try {
			const other = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GfakeT.a-token-the-fake-does-not-know';
			const run = start({ ...loginEnv(), DISCORD_TOKEN: other, DISCORD_API_URL: fake.restBase });
			expect(await within(run.exited, 15_000, 'exit')).toBe(1);
			expect(run.output()).toContain('Discord refused the token (401 Unauthorized)');
			expect(run.output()).not.toContain('Could not reach');
		} finally {
			await fake.stop();
		}
	});
});

/** An imported archive and the keys for a login attempt, but no token or API yet. */
function loginEnv() {
	return {
		DISCORD_CLIENT_ID: '123456789012345678',
		ARCHIVE_DIR: dir,
		STATE_URL: `sqlite://${join(dir, 'state.sqlite')}`,
	};
}
