import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { importToPath } from '../../src/archive/import.js';
import { ArchiveStore } from '../../src/archive/store.js';
import { memoryLogger } from '../../src/log.js';
import { openState, type State } from '../../src/state.js';
import { REDIS_URL, skipWithout } from '../services.js';
import { FakeDiscord, type FakeInteraction, shardOf, snowflake } from './fake-discord.js';

const ENTRY = new URL('../../src/index.ts', import.meta.url).pathname;
const TSX = import.meta.resolve('tsx');
// A token's shape: the first part is an application id in base64url (config checks it).
const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GfakeS.fake-token-for-the-sharding-test';
const REDIS = REDIS_URL;
/** Without Redis (outside CI) the test is skipped with the reason. */
const skipped = await skipWithout('Redis', REDIS);

let dir: string;
let fake: FakeDiscord;
let manager: ChildProcess | undefined;
const machines: ChildProcess[] = [];
let output = '';
let state: State;
let leaving: number;

/** A guild id that lands on `shard` of 2: a snowflake's shard is its timestamp modulo the shard count. */
function guildOnShard(shard: number): string {
	const now = Date.now();
	return snowflake(now - (now % 2) + shard);
}

beforeAll(async () => {
	if (skipped) return;
	dir = mkdtempSync(join(tmpdir(), 'fic-archive-shards-'));
	for (const name of ['leaving.txt', 'moving-day.txt'])
		copyFileSync(new URL(`../../data/${name}`, import.meta.url), join(dir, name));
	await importToPath(join(dir, 'archive.sqlite'), dir);
	const store = ArchiveStore.open(join(dir, 'archive.sqlite'), { readonly: true });
	leaving = store.fileHashes().get('leaving.txt')?.id as number;
	store.close();
	fake = await new FakeDiscord({
		token: TOKEN,
		shards: 2,
		heartbeatInterval: 1000,
		guilds: [
			{ id: guildOnShard(0), name: 'Shard zero' },
			{ id: guildOnShard(1), name: 'Shard one' },
		],
	}).start();
	state = openState(REDIS, memoryLogger());
});

afterAll(async () => {
	manager?.kill('SIGKILL');
	for (const machine of machines) machine.kill('SIGKILL');
	await fake?.stop();
	// The Redis server is shared: leave nothing behind.
	if (fake) await state?.clearLibrary(fake.user.id).catch(() => undefined);
	await state?.close();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs src/index.ts as a shard manager with `env` added, its output collected in `output`. */
function startManager(env: Record<string, string>): ChildProcess {
	const child = spawn(process.execPath, ['--import', TSX, ENTRY], {
		cwd: dir,
		env: {
			PATH: process.env.PATH ?? '',
			DISCORD_TOKEN: TOKEN,
			DISCORD_CLIENT_ID: fake.applicationId,
			DISCORD_API_URL: fake.restBase,
			ARCHIVE_DIR: dir,
			STATE_URL: REDIS,
			...env,
		},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const collect = (c: Buffer) => {
		output += c.toString();
	};
	child.stdout?.on('data', collect);
	child.stderr?.on('data', collect);
	return child;
}

/** Sends until a shard's client is ready to answer (READY and the guild arrive just after IDENTIFY). */
async function answer(payload: () => FakeInteraction) {
	for (let i = 0; i < 40; i++) {
		const result = await fake.sendInteraction(payload()).catch(() => undefined);
		if (result) return result;
		await new Promise((r) => setTimeout(r, 250));
	}
	throw new Error(`no answer; bot output:\n${output}`);
}

describe('SHARDS=auto with the Redis state backend', () => {
	if (skipped) {
		it.skip(skipped, () => undefined);
		return;
	}
	it('runs two shard processes that share bookmarks', async () => {
		const [g0, g1] = fake.guilds;
		expect([shardOf(g0?.id ?? '', 2), shardOf(g1?.id ?? '', 2)]).toEqual([0, 1]);
		const identified: number[] = [];
		const both = new Promise<void>((resolve) =>
			fake.on('identify', (info) => {
				identified.push(info.shard[0]);
				if (identified.length === 2) resolve();
			}),
		);
		manager = startManager({ SHARDS: 'auto' });
		await Promise.race([both, new Promise((_, reject) => setTimeout(() => reject(new Error(output)), 40_000))]);
		expect(identified.sort()).toEqual([0, 1]);

		// Read page 5 in the server on shard 0 …
		const read = await answer(() => fake.slashCommand('read', { story: `id:${leaving}`, page: 5 }, { guild: g0?.id }));
		expect(read.data.embeds?.[0]?.footer?.text).toMatch(/^Page 5 of/);
		await vi.waitFor(async () => expect((await state.libraryEntry(fake.user.id, leaving))?.page).toBe(5), {
			timeout: 5000,
		});
		// … and the shard-1 process, holding the other server, offers to continue from it.
		const resume = await answer(() => fake.slashCommand('read', { story: `id:${leaving}` }, { guild: g1?.id }));
		expect(resume.data.content).toMatch(/Continue from page 5\?$/);

		const exited = new Promise<number | null>((resolve) => manager?.once('exit', resolve));
		manager.kill('SIGTERM');
		expect(await exited).toBe(0);
		expect(output).toMatch(/shard started shard=0/);
		expect(output).toMatch(/shard started shard=1/);
		// The manager and both shards each closed down (the shards' clients, state and store), none respawned.
		expect(output.match(/shutting down signal="SIGTERM"/g)?.length).toBe(3);
		expect(output.match(/shard started/g)?.length).toBe(2);
	}, 60_000);
});

describe('SHARD_COUNT and SHARD_IDS: one set of shards across two machines', () => {
	it('runs each shard on the machine that lists it, every server answered by exactly one', async () => {
		const [g0, g1] = fake.guilds;
		output = '';
		const identified: string[] = [];
		const both = new Promise<void>((resolve) => {
			const seen = (info: { shard: [number, number] }) => {
				identified.push(info.shard.join('/'));
				if (identified.length === 2) resolve();
			};
			fake.on('identify', seen);
		});
		// Two managers stand for two machines: each runs its half of two shards.
		machines.push(
			startManager({ SHARD_COUNT: '2', SHARD_IDS: '0' }),
			startManager({ SHARD_COUNT: '2', SHARD_IDS: '1' }),
		);
		await Promise.race([both, new Promise((_, reject) => setTimeout(() => reject(new Error(output)), 40_000))]);
		expect(identified.sort()).toEqual(['0/2', '1/2']);

		for (const guild of [g0, g1]) {
			const read = await answer(() =>
				fake.slashCommand('read', { story: `id:${leaving}`, page: 2 }, { guild: guild?.id }),
			);
			expect(read.data.embeds?.[0]?.footer?.text).toMatch(/^Page 2 of/);
		}
		// No process identified for a shard it does not list.
		expect(identified).toHaveLength(2);

		const exits = machines.map((m) => new Promise<number | null>((resolve) => m.once('exit', resolve)));
		for (const machine of machines) machine.kill('SIGTERM');
		expect(await Promise.all(exits)).toEqual([0, 0]);
		expect(output.match(/shard started shard=0 of=2/g)?.length).toBe(1);
		expect(output.match(/shard started shard=1 of=2/g)?.length).toBe(1);
	}, 60_000);
});
