/**
 * Bot latency benchmark: the real bot in its own process (as `npm start` runs it, default REST settings),
 * logged into the fake Discord of the e2e tests, answers a mix of interactions: slash commands, page turns,
 * quotes, autocomplete and searches. Prints p50/p95/max from the moment an interaction is dispatched to the
 * moment its answer (the callback) reaches the fake, per kind and overall; for the deferred /search also
 * until the results arrive.
 *
 *   npm run bench:bot                      # 500 interactions, 25 a second, on the sample archive
 *   npm run bench:bot -- --store bench/.cache/store-100mb.sqlite -n 1000 --rate 40
 *   npm run bench:bot -- --burst           # back to back, as fast as the bot answers
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { commands } from '../commands/index.js';
import { importToPath } from '../src/archive/import.js';
import { ArchiveSearch } from '../src/archive/search/index.js';
import { ArchiveStore } from '../src/archive/store.js';
import { deployCommands } from '../src/cli/deploy.js';
import { FakeDiscord, type FakeInteraction, type FakeMessage } from '../test/e2e/fake-discord.js';
import { Rng } from './synth.js';

const { values } = parseArgs({
	options: {
		store: { type: 'string' },
		n: { type: 'string', default: '500' },
		rate: { type: 'string', default: '25' },
		burst: { type: 'boolean', default: false },
	},
});
const N = Number(values.n);
const RATE = Number(values.rate);
const TOKEN = 'bench-token-for-the-fake-discord.abcdef';

const percentile = (sorted: number[], p: number) =>
	sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
function summary(label: string, ms: number[]): string {
	const s = [...ms].sort((a, b) => a - b);
	const f = (x: number) => x.toFixed(1).padStart(7);
	return `${label.padEnd(28)} n=${String(s.length).padStart(4)}  p50 ${f(percentile(s, 0.5))} ms  p95 ${f(percentile(s, 0.95))} ms  max ${f(s.at(-1) ?? 0)} ms`;
}

async function main() {
	const tmp = mkdtempSync(join(tmpdir(), 'fic-archive-bench-bot-'));
	let storePath = values.store;
	if (!storePath) {
		storePath = join(tmp, 'archive.sqlite');
		await importToPath(storePath, new URL('../data', import.meta.url).pathname);
	}
	// The bench reads the store too, to pick real stories, pages and characters to ask for.
	const store = ArchiveStore.open(storePath, { readonly: true });
	const search = new ArchiveSearch(store);
	const stories = store.stories();
	const rng = new Rng(7);
	const pick = <T>(list: readonly T[]) => list[Math.floor(rng.next() * list.length)] as T;

	const fake = await new FakeDiscord({ token: TOKEN, heartbeatInterval: 5000, callbackTimeout: 10_000 }).start();
	const guild = fake.guilds[0]?.id as string;
	await deployCommands(
		{ token: TOKEN, clientId: fake.applicationId, devGuildId: guild, apiUrl: fake.restBase },
		commands,
	);
	const ready = new Promise<void>((resolve) => fake.once('identify', () => resolve()));
	const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
		env: {
			...process.env,
			DISCORD_TOKEN: TOKEN,
			DISCORD_CLIENT_ID: fake.applicationId,
			DISCORD_API_URL: fake.restBase,
			ARCHIVE_DB: storePath,
			STATE_URL: `sqlite://${join(tmp, 'state.sqlite')}`,
			LOG_LEVEL: 'warn',
		},
		stdio: ['ignore', 'inherit', 'inherit'],
	});
	await ready;
	await new Promise((r) => setTimeout(r, 500)); // READY and GUILD_CREATE reach the client

	const words = ['love', 'night', 'door', 'never', 'home', 'spike', 'buffy', 'window', 'rain', 'tomorrow'];
	let reader: FakeMessage | undefined;
	const kinds: [string, () => FakeInteraction][] = [
		['/story', () => fake.slashCommand('story', { story: `id:${pick(stories).id}` })],
		['/read', () => fake.slashCommand('read', { story: `id:${pick(stories).id}` })],
		[
			'button: next page',
			() => {
				const next = reader?.components[0]?.components?.find((c) => c.label === 'Next ›' && !c.disabled)?.custom_id;
				return next && reader
					? fake.buttonClick(next, reader)
					: fake.slashCommand('read', { story: `id:${pick(stories).id}` });
			},
		],
		['/quote', () => fake.slashCommand('quote', {})],
		['autocomplete: story', () => fake.autocomplete('read', { story: pick(stories).title.slice(0, 3) }, 'story')],
		['/search (acknowledged)', () => fake.slashCommand('search', { query: `${pick(words)} ${pick(words)}` })],
	];

	const by = new Map<string, number[]>();
	const searchDone: number[] = [];
	const all: number[] = [];
	const gap = values.burst ? 0 : 1000 / RATE;
	const warmup = 30;
	const started = performance.now();
	for (let i = 0; i < N + warmup; i++) {
		const [kind, make] = kinds[i % kinds.length] as (typeof kinds)[0];
		const due = started + i * gap;
		const wait = due - performance.now();
		if (wait > 0) await new Promise((r) => setTimeout(r, wait));
		const sent = performance.now();
		const result = await fake.sendInteraction(make());
		const ms = Number(result.record.latencyNs ?? 0n) / 1e6;
		if (kind === '/search (acknowledged)') {
			await result.record.waitFor('edit', 10_000);
			if (i >= warmup) searchDone.push(performance.now() - sent);
		}
		if (result.type === 4 && result.message?.embeds[0]?.footer?.text.startsWith('Page ')) reader = result.message;
		if (result.type === 7 && result.message) reader = result.message;
		if (i < warmup) continue;
		all.push(ms);
		by.set(kind, [...(by.get(kind) ?? []), ms]);
	}
	const seconds = (performance.now() - started) / 1000;
	console.log(
		`Bot latency: ${N} interactions ${values.burst ? 'back to back' : `at ${RATE}/s`} in ${seconds.toFixed(1)} s, ` +
			`${stories.length} stories (${values.store ?? 'the samples'}); bot in its own process, default REST settings`,
	);
	for (const [kind, ms] of by) console.log(summary(kind, ms));
	console.log(summary('/search (results shown)', searchDone));
	console.log(summary('all (sent → answer)', all));
	const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
	const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
	console.log(
		`bot process memory: RSS ${Math.round(Number(rss) / 1024)} MB now, peak ${Math.round(Number(hwm) / 1024)} MB`,
	);
	child.kill('SIGTERM');
	await new Promise((r) => child.once('exit', r));
	await fake.stop();
	search.close();
	store.close();
	rmSync(tmp, { recursive: true, force: true });
}

await main();
