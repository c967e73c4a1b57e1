/**
 * Bot latency benchmark: the real bot in its own process (as `npm start` runs it, default REST settings),
 * logged into the fake Discord of the e2e tests, answers a mix of interactions: slash commands, page turns,
 * quotes, autocomplete and searches. Prints p50/p95/max from the moment an interaction is dispatched to the
 * moment its answer (the callback) reaches the fake, per kind and overall, with the requests each kind sent
 * Discord (round trips: 1 when answered in the callback, 2 when deferred and edited); for /search also until
 * the results are shown. Then a burst of searches, each sent as soon as the fake has the answer to the one
 * before, timed until its results are shown: past 50 a second, answers that need a second request wait for
 * discord.js's global REST limit.
 *
 *   npm run bench:bot                      # 500 interactions, 25 a second, on the sample archive
 *   npm run bench:bot -- --store bench/.cache/store-100mb.sqlite -n 1000 --rate 40
 *   npm run bench:bot -- --burst           # back to back, as fast as the bot answers
 *   npm run bench:bot -- --searches 200    # the burst's size (0: none)
 *   npm run bench:bot -- --bot ../other    # the bot of another checkout (to compare two versions)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { commands } from '../commands/index.js';
import { importToPath } from '../src/archive/import.js';
import { ArchiveSearch } from '../src/archive/search/index.js';
import { ArchiveStore } from '../src/archive/store.js';
import { deployCommands } from '../src/cli/deploy.js';
import {
	FakeDiscord,
	type FakeInteraction,
	type FakeMessage,
	type InteractionResult,
} from '../test/e2e/fake-discord.js';
import { benchQuoteImages } from './quote-image.js';
import { Rng } from './synth.js';

const { values } = parseArgs({
	options: {
		store: { type: 'string' },
		n: { type: 'string', default: '500' },
		rate: { type: 'string', default: '25' },
		burst: { type: 'boolean', default: false },
		searches: { type: 'string', default: '200' },
		bot: { type: 'string' },
	},
});
const N = Number(values.n);
const RATE = Number(values.rate);
// A token of a real one's shape (the bot checks it): the application id, encoded, then two parts.
const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GfakeB.fake-token-for-the-bot-benchmark';

const percentile = (sorted: number[], p: number) =>
	sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
function summary(label: string, ms: number[], trips?: number[]): string {
	const s = [...ms].sort((a, b) => a - b);
	const f = (x: number) => x.toFixed(1).padStart(7);
	const line = `${label.padEnd(30)} n=${String(s.length).padStart(4)}  p50 ${f(percentile(s, 0.5))} ms  p95 ${f(percentile(s, 0.95))} ms  max ${f(s.at(-1) ?? 0)} ms`;
	if (!trips?.length) return line;
	const mean = trips.reduce((a, b) => a + b, 0) / trips.length;
	return `${line}  round trips ${mean.toFixed(2)} (max ${Math.max(...trips)})`;
}

async function main() {
	const tmp = mkdtempSync(join(tmpdir(), 'fic-archive-bench-bot-'));
	let storePath = values.store && resolve(values.store);
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
		...(values.bot ? { cwd: values.bot } : {}),
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
	// A bot that cannot start says why on stderr and exits: stop then rather than wait for it.
	await Promise.race([
		ready,
		new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`the bot exited (${code})`)))),
	]);
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
		['/search', () => fake.slashCommand('search', { query: `${pick(words)} ${pick(words)}` })],
	];

	/** When the results of an answer are shown: at its callback, or at the edit after a deferral. */
	const shown = async (result: InteractionResult): Promise<number> => {
		if (result.type !== 5 && result.type !== 6) return performance.now();
		const { record } = result;
		if (!record.edits.length && !record.followups.length) {
			await new Promise<void>((resolve) => {
				record.events.once('edit', () => resolve());
				record.events.once('followup', () => resolve());
			});
		}
		return performance.now();
	};
	/** The interactions timed, by token, with their kind: their requests to Discord are counted at the end. */
	const tokens = new Map<string, string>();
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
		if (kind === '/search') {
			const at = await shown(result);
			if (i >= warmup) searchDone.push(at - sent);
		}
		if (result.type === 4 && result.message?.embeds[0]?.footer?.text.startsWith('Page ')) reader = result.message;
		if (result.type === 7 && result.message) reader = result.message;
		if (i < warmup) continue;
		all.push(ms);
		tokens.set(result.record.token, kind);
		by.set(kind, [...(by.get(kind) ?? []), ms]);
	}
	const seconds = (performance.now() - started) / 1000;

	// The burst: each search sent as soon as the fake has the answer to the one before.
	const SEARCHES = Number(values.searches);
	const burstDone: Promise<number>[] = [];
	const burstStarted = performance.now();
	for (let i = 0; i < SEARCHES; i++) {
		const sent = performance.now();
		const result = await fake.sendInteraction(fake.slashCommand('search', { query: `${pick(words)} ${pick(words)}` }));
		tokens.set(result.record.token, 'burst');
		burstDone.push(shown(result).then((at) => at - sent));
	}
	const burst = await Promise.all(burstDone);
	const burstSeconds = (performance.now() - burstStarted) / 1000;

	// Anything sent late (an edit after a deferral) has arrived by now: count each interaction's requests.
	await new Promise((r) => setTimeout(r, 500));
	const trips = new Map<string, number>();
	for (const request of fake.requests) {
		const token = request.path.split('/')[3];
		if (token && tokens.has(token)) trips.set(token, (trips.get(token) ?? 0) + 1);
	}
	const tripsOf = (kind: string) => [...tokens].filter(([, k]) => k === kind).map(([t]) => trips.get(t) ?? 0);

	console.log(
		`Bot latency: ${N} interactions ${values.burst ? 'back to back' : `at ${RATE}/s`} in ${seconds.toFixed(1)} s, ` +
			`${stories.length} stories (${values.store ?? 'the samples'}); bot in its own process, default REST settings` +
			(values.bot ? `; the bot of ${values.bot}` : ''),
	);
	for (const [kind, ms] of by) console.log(summary(kind, ms, tripsOf(kind)));
	console.log(summary('/search (results shown)', searchDone));
	const mixed = [...tokens].filter(([, k]) => k !== 'burst').map(([t]) => trips.get(t) ?? 0);
	console.log(summary('all (sent → answer)', all, mixed));
	if (SEARCHES) {
		console.log(
			`Burst: ${SEARCHES} searches, each sent when the one before was answered, in ${burstSeconds.toFixed(1)} s ` +
				`(${(SEARCHES / burstSeconds).toFixed(0)}/s)`,
		);
		console.log(summary('/search burst (results shown)', burst, tripsOf('burst')));
	}
	const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
	const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
	console.log(
		`bot process memory: RSS ${Math.round(Number(rss) / 1024)} MB now, peak ${Math.round(Number(hwm) / 1024)} MB`,
	);
	child.kill('SIGTERM');
	await new Promise((r) => child.once('exit', r));
	for (const line of await benchQuoteImages(store)) console.log(line);
	await fake.stop();
	search.close();
	store.close();
	rmSync(tmp, { recursive: true, force: true });
}

await main();
