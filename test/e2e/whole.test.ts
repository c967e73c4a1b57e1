// The whole of issue 24 at once: two machines (two shard managers) each running half of four shards,
// sharing Redis state and one REST proxy in front of the fake Discord, while the archive is republished.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { importToPath } from '../../src/archive/import.js';
import { publishStore } from '../../src/archive/publish.js';
import { ArchiveStore } from '../../src/archive/store.js';
import { GENERIC_ERROR } from '../../src/discord/errors.js';
import { localTime } from '../../src/discord/qotd.js';
import { memoryLogger } from '../../src/log.js';
import { createProxy } from '../../src/proxy.js';
import { openState, type State } from '../../src/state.js';
import { REDIS_URL, skipWithout } from '../services.js';
import {
	FakeDiscord,
	type FakeInteraction,
	type FakeMessage,
	type InteractionResult,
	shardOf,
	snowflake,
} from './fake-discord.js';
import { deployTo, problemsInEverythingSent, writeFixtureStories } from './harness.js';

const ENTRY = new URL('../../src/index.ts', import.meta.url).pathname;
const TSX = import.meta.resolve('tsx');
// A token's shape: the first part is an application id in base64url (config checks it).
const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GfakeW.fake-token-for-the-whole-test-of-it';
const SHARDS = 4;
/** Without Redis (outside CI) the test is skipped with the reason. */
const skipped = await skipWithout('Redis', REDIS_URL);
/** A Redis database of its own (the other state tests use the default one): nothing of theirs is read or cleared. */
const REDIS = (() => {
	const url = new URL(REDIS_URL);
	url.pathname = '/11';
	return url.toString();
})();

/** Two servers on each of the four shards: a snowflake's shard is its timestamp modulo the shard count. */
function guildIds(): string[] {
	const now = Date.now();
	const base = now - (now % SHARDS);
	return [0, 1].flatMap((k) => [0, 1, 2, 3].map((shard) => snowflake(base - SHARDS * (k + 1) + shard)));
}

interface Machine {
	child: ChildProcess;
	output: string;
}

let dir: string;
let fake: FakeDiscord;
let proxy: Server;
let proxyApi: string;
let state: State;
const machines: Machine[] = [];
const all = () => machines.map((m) => m.output).join('\n');

beforeAll(async () => {
	if (skipped) return;
	dir = mkdtempSync(join(tmpdir(), 'fic-archive-whole-'));
	mkdirSync(join(dir, 'stories'));
	mkdirSync(join(dir, 'served'));
	writeFixtureStories(join(dir, 'stories'));
	await importToPath(join(dir, 'archive.sqlite'), join(dir, 'stories'));
	await publishStore(join(dir, 'archive.sqlite'), join(dir, 'served', 'archive.sqlite'));
	fake = await new FakeDiscord({
		token: TOKEN,
		shards: SHARDS,
		heartbeatInterval: 1000,
		// Two cores shared with other work: an answer may be slow, but it must come.
		callbackTimeout: 20_000,
		guilds: guildIds().map((id, i) => ({ id, name: `Server ${i}` })),
	}).start();
	// Registered (globally, straight at the fake) so that interactions carry the commands' option types.
	await deployTo(fake, commands, null);
	proxy = createProxy(fake.restBase, memoryLogger());
	await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
	proxyApi = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/api`;
	state = openState(REDIS, memoryLogger());
});

afterAll(async () => {
	for (const machine of machines) machine.child.kill('SIGKILL');
	if (proxy) {
		proxy.closeAllConnections();
		await new Promise((resolve) => proxy.close(resolve));
	}
	await fake?.stop();
	// Leave nothing behind in Redis: this run's servers' records and the reader's library.
	if (fake && state) {
		const keys = fake.guilds.flatMap((g) => ['settings', 'qotd', 'qotd-claim'].map((kind) => `${kind}:${g.id}`));
		await Promise.all(keys.map((key) => state.keyv.delete(key))).catch(() => undefined);
		await state.clearLibrary(fake.user.id).catch(() => undefined);
	}
	await state?.close();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

/** One machine: src/index.ts as a shard manager running `ids` of four shards, its REST through the proxy. */
function startMachine(ids: string): Machine {
	const child = spawn(process.execPath, ['--import', TSX, ENTRY], {
		cwd: dir,
		env: {
			PATH: process.env.PATH ?? '',
			DISCORD_TOKEN: TOKEN,
			DISCORD_CLIENT_ID: fake.applicationId,
			DISCORD_API_URL: proxyApi,
			ARCHIVE_DIR: join(dir, 'stories'),
			ARCHIVE_DB: join(dir, 'served', 'archive.sqlite'),
			STATE_URL: REDIS,
			SHARD_COUNT: String(SHARDS),
			SHARD_IDS: ids,
		},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const machine: Machine = { child, output: '' };
	const collect = (c: Buffer) => {
		machine.output += c.toString();
	};
	child.stdout?.on('data', collect);
	child.stderr?.on('data', collect);
	return machine;
}

/** Waits until `ok()` holds, looking every 100 ms; past the deadline, fails saying what and the bots' output. */
async function until(what: string, ok: () => boolean, ms: number): Promise<void> {
	const deadline = Date.now() + ms;
	while (!ok()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; bot output:\n${all()}`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

const count = (text: string, pattern: RegExp) => text.match(new RegExp(pattern, 'g'))?.length ?? 0;
/** Every callback the fake received for an interaction (through the proxy, from whichever process held it). */
const callbacks = (payload: FakeInteraction) =>
	fake.requests.filter(
		(r) => r.method === 'POST' && r.path === `/interactions/${payload.id}/${payload.token}/callback`,
	);
const footer = (result: InteractionResult) => result.data.embeds?.[0]?.footer?.text ?? '';

describe('two machines, four shards, one Redis, one proxy, one archive republished', () => {
	if (skipped) {
		it.skip(skipped, () => undefined);
		return;
	}

	it('answers every server once, posts one quote of the day each, and switches the store with no failure', async () => {
		const guilds = fake.guilds;
		expect(guilds.map((g) => shardOf(g.id, SHARDS)).sort()).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
		const identified: string[] = [];
		fake.on('identify', (info) => identified.push(info.shard.join('/')));
		machines.push(startMachine('0-1'), startMachine('2-3'));
		// Each machine's two shard processes are ready (their guilds arrived) before anything is sent.
		await until('every shard to log in', () => machines.every((m) => count(m.output, /logged in/) === 2), 120_000);
		expect(identified.sort()).toEqual(['0/4', '1/4', '2/4', '3/4']);
		const ranges: [Machine | undefined, number[]][] = [
			[machines[0], [0, 1]],
			[machines[1], [2, 3]],
		];
		for (const [machine, mine] of ranges) {
			for (let shard = 0; shard < SHARDS; shard++)
				expect(count(machine?.output ?? '', new RegExp(`shard started shard=${shard} of=4`))).toBe(
					mine.includes(shard) ? 1 : 0,
				);
		}

		// Every server answered by exactly one process: one callback per interaction, no more, no less.
		const leaving = (() => {
			const store = ArchiveStore.open(join(dir, 'served', 'archive.sqlite'), { readonly: true });
			try {
				return store.fileHashes().get('leaving.txt')?.id as number;
			} finally {
				store.close();
			}
		})();
		const read = (guild: string, page: number) =>
			fake.slashCommand('read', { story: `id:${leaving}`, page }, { guild });
		const first = guilds.map((g) => read(g.id, 2));
		for (const result of await Promise.all(first.map((p) => fake.sendInteraction(p))))
			expect(footer(result)).toMatch(/^Page 2 of/);
		for (const payload of first) expect(callbacks(payload)).toHaveLength(1);

		// Quote of the day in every server, at an hour that is now and stays so for the next half hour.
		const zone = new Date().getUTCMinutes() < 30 ? 'UTC' : 'Asia/Kolkata';
		const { hour } = localTime(new Date(), zone);
		const settings = guilds.map((g) =>
			fake.slashCommand(
				'settings',
				{ qotd: { channel: g.channels[0]?.id ?? '', hour, timezone: zone } },
				{ guild: g.id },
			),
		);
		for (const result of await Promise.all(settings.map((p) => fake.sendInteraction(p))))
			expect(result.data.content).toMatch(/^A quote of the day will be posted in <#\d+> at /);
		for (const payload of settings) expect(callbacks(payload)).toHaveLength(1);

		// A new store published at the bots' path while interactions keep arriving in every server.
		writeFileSync(
			join(dir, 'stories', 'late-arrival.txt'),
			'Title: Late Arrival\nAuthor: Keeper\nRating: G\n\nThe ferry came in after dark.\n\n"Nobody missing," Willow said.\n',
		);
		await importToPath(join(dir, 'archive.sqlite'), join(dir, 'stories'));
		const load: { payload: FakeInteraction; result: Promise<InteractionResult> }[] = [];
		let page = 1;
		const round = () =>
			guilds.map((g) => {
				const payload = read(g.id, (page++ % 5) + 1);
				const entry = { payload, result: fake.sendInteraction(payload) };
				load.push(entry);
				return entry.result;
			});
		await Promise.all(round());
		await publishStore(join(dir, 'archive.sqlite'), join(dir, 'served', 'archive.sqlite'));
		// Every shard process notices the file (it looks every 2 s) and switches; the load goes on meanwhile.
		const switched = () => count(all(), /archive switched/) === SHARDS;
		const deadline = Date.now() + 90_000;
		while (!switched()) {
			if (Date.now() > deadline) throw new Error(`not every shard switched; bot output:\n${all()}`);
			await Promise.all(round());
		}
		await Promise.all(round());
		const results = await Promise.all(load.map((l) => l.result));
		expect(results.length).toBeGreaterThanOrEqual(3 * guilds.length);
		for (const result of results) {
			expect(result.data.content ?? '').not.toBe(GENERIC_ERROR);
			expect(footer(result)).toMatch(/^Page \d+ of/);
		}
		for (const { payload } of load) expect(callbacks(payload)).toHaveLength(1);
		// The new story is served in every server, by whichever process holds it.
		for (const g of guilds) {
			const added = await fake.sendInteraction(fake.slashCommand('read', { story: 'Late Arrival' }, { guild: g.id }));
			expect(added.data.embeds?.[0]?.title).toMatch(/Late Arrival/);
		}

		// The quote of the day comes at the processes' next round (once a minute): one post in each server.
		const posts = (g: (typeof guilds)[number]) =>
			[...fake.messages.values()].filter(
				(m: FakeMessage) => m.channel_id === g.channels[0]?.id && /^\*\*Quote of the day\*\*/.test(m.content ?? ''),
			);
		await until('a quote of the day in every server', () => guilds.every((g) => posts(g).length > 0), 150_000);
		const channelOf = new Map(guilds.map((g) => [g.channels[0]?.id, g.id]));
		const perGuild = new Map<string, number>();
		for (const r of fake.requests) {
			const channel = /^\/channels\/(\d+)\/messages$/.exec(r.path)?.[1];
			if (r.method === 'POST' && channel && channelOf.has(channel)) {
				const guild = channelOf.get(channel) as string;
				perGuild.set(guild, (perGuild.get(guild) ?? 0) + 1);
			}
		}
		expect(guilds.map((g) => perGuild.get(g.id))).toEqual(guilds.map(() => 1));
		for (const g of guilds) expect((await state.lastQotd(g.id))?.length).toBe(10);

		expect(all()).not.toMatch(/interaction failed|router failed|quote of the day (failed|skipped)/);
		const { sent, problems } = problemsInEverythingSent(fake);
		expect(sent).toBeGreaterThanOrEqual(results.length + 2 * guilds.length);
		expect(problems).toEqual([]);

		const exits = machines.map((m) => new Promise<number | null>((resolve) => m.child.once('exit', resolve)));
		for (const machine of machines) machine.child.kill('SIGTERM');
		expect(await Promise.all(exits)).toEqual([0, 0]);
	}, 420_000);
});
