import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DiscordAPIError, REST, Routes } from 'discord.js';
import Keyv from 'keyv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { ArchiveSearch } from '../../src/archive/search/index.js';
import { ArchiveStore } from '../../src/archive/store.js';
import { type ConfigError, loadProxyConfig } from '../../src/config.js';
import type { createBot } from '../../src/discord/bot.js';
import { memoryLogger } from '../../src/log.js';
import { createProxy } from '../../src/proxy.js';
import { State } from '../../src/state.js';
import type { FakeDiscord } from './fake-discord.js';
import { loginBot, startFake } from './harness.js';

const log = memoryLogger();
const servers: Server[] = [];

/** Starts a server on a free loopback port; its base URL. */
async function listen(server: Server): Promise<string> {
	servers.push(server);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterAll(async () => {
	for (const server of servers) {
		server.closeAllConnections();
		await new Promise((resolve) => server.close(resolve));
	}
});

describe('the REST proxy config', () => {
	it('listens on loopback port 8080 by default, and says what is wrong', () => {
		expect(loadProxyConfig({})).toEqual({
			port: 8080,
			host: '127.0.0.1',
			upstream: 'https://discord.com/api',
			logLevel: 'info',
		});
		expect(loadProxyConfig({ PROXY_PORT: '9000', PROXY_HOST: '0.0.0.0' })).toMatchObject({
			port: 9000,
			host: '0.0.0.0',
		});
		try {
			loadProxyConfig({ PROXY_PORT: '70000', PROXY_UPSTREAM_URL: 'discord.com' });
			expect.unreachable();
		} catch (error) {
			expect((error as ConfigError).problems).toEqual([
				'PROXY_PORT must be a whole number from 1 to 65535, not "70000"',
				'PROXY_UPSTREAM_URL must be an http(s) URL, not "discord.com"',
			]);
		}
	});
});

describe('a bot whose DISCORD_API_URL is the proxy in front of the fake Discord', () => {
	let fake: FakeDiscord;
	let client: ReturnType<typeof createBot>;
	let store: ArchiveStore;
	let proxyApi: string;

	beforeAll(async () => {
		fake = await startFake();
		proxyApi = `${await listen(createProxy(fake.restBase, log))}/api`;
		store = ArchiveStore.open(':memory:');
		client = await loginBot(
			fake,
			commands,
			{ store, search: new ArchiveSearch(store), state: new State(new Keyv(), log), log },
			// Through the proxy, with discord.js's own global request limit.
			{ apiUrl: proxyApi, globalRequestsPerSecond: undefined },
		);
	});
	afterAll(async () => {
		await client?.destroy();
		await fake?.stop();
		store?.close();
	});

	it('answers an interaction through the proxy', async () => {
		const before = fake.requests.length;
		const result = await fake.sendInteraction(fake.slashCommand('archive', {}, { guild: fake.guilds[0]?.id }));
		expect(result.type).toBe(4);
		// The callback reached the fake with the bot's own token, sent on by the proxy.
		const callbacks = fake.requests.slice(before).filter((r) => r.method === 'POST' && r.path.endsWith('/callback'));
		expect(callbacks).toHaveLength(1);
	});

	it('passes Discord errors back as they are, and a bot token from each process', async () => {
		const rest = new REST({ api: proxyApi }).setToken(fake.token);
		expect(((await rest.get(Routes.user())) as { id: string }).id).toBe(client.user?.id);
		const error = await rest.get(Routes.channel('123456789012345678')).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(DiscordAPIError);
		expect((error as DiscordAPIError).status).toBe(404);
		const stranger = await new REST({ api: proxyApi })
			.setToken('not-the-token.abcdefghijklmnopqrstuvwxyz')
			.get(Routes.user())
			.catch((e: unknown) => e);
		expect((stranger as DiscordAPIError).status).toBe(401);
	});
});

describe('the proxy without an upstream', () => {
	it('answers 502 and logs, rather than an empty success', async () => {
		const closed = createServer();
		const dead = await listen(closed);
		closed.close();
		const proxy = await listen(createProxy(`${dead}/api`, log));
		const res = await fetch(`${proxy}/api/v10/users/@me`, { headers: { authorization: 'Bot x' } });
		expect(res.status).toBe(502);
		expect(log.lines.some((l) => l.includes('proxy request failed'))).toBe(true);
	});
});

describe('one rate-limit state for every process', () => {
	it('holds a second process back when the first used up the route', async () => {
		// An upstream with a route that allows one request per second, as Discord says in its headers.
		const arrived: number[] = [];
		const upstream = await listen(
			createServer((req, res) => {
				arrived.push(Date.now());
				res.setHeader('Content-Type', 'application/json');
				res.setHeader('x-ratelimit-bucket', 'one-per-second');
				res.setHeader('x-ratelimit-limit', '1');
				res.setHeader('x-ratelimit-remaining', '0');
				res.setHeader('x-ratelimit-reset-after', '1');
				res.end(JSON.stringify({ path: req.url }));
			}),
		);
		const proxy = `${await listen(createProxy(`${upstream}/api`, log))}/api`;
		// Two processes: two REST clients with nothing shared but the proxy.
		const [a, b] = [0, 1].map(() => new REST({ api: proxy }).setToken('Bot token-shared-by-both.abcdefghijk'));
		// The first process uses up the route (its first request teaches the queue the route's bucket) …
		await a?.get('/channels/1/messages');
		await a?.get('/channels/1/messages');
		// … so the second process's request waits at the proxy until the bucket resets.
		await b?.get('/channels/1/messages');
		expect(arrived).toHaveLength(3);
		expect((arrived[2] as number) - (arrived[1] as number)).toBeGreaterThanOrEqual(900);

		// Without the proxy each process keeps its own count, and the second sends at once.
		const direct = [0, 1].map(() => new REST({ api: `${upstream}/api` }).setToken('Bot other.abcdefghijklmnopqrstu'));
		arrived.length = 0;
		await direct[0]?.get('/channels/2/messages');
		await direct[0]?.get('/channels/2/messages');
		await direct[1]?.get('/channels/2/messages');
		expect((arrived[2] as number) - (arrived[1] as number)).toBeLessThan(500);
	});
});
