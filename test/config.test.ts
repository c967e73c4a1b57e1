import { describe, expect, it } from 'vitest';
import { ConfigError, closestKey, loadArchiveConfig, loadBotConfig, tokenProblem } from '../src/config.js';
import { explainLoginError } from '../src/discord/login.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.Gabcde.abcdefghijklmnopqrstuvwxyz0123456789';
const CLIENT = '123456789012345678';

function problems(fn: () => unknown): string[] {
	try {
		fn();
	} catch (error) {
		if (error instanceof ConfigError) return error.problems;
		throw error;
	}
	return [];
}

describe('archive config', () => {
	it('has defaults for everything', () => {
		expect(loadArchiveConfig({})).toEqual({
			archiveDir: 'data',
			archiveDb: 'data/archive.sqlite',
			pageSize: 1800,
			maxFileBytes: 20 * 1024 * 1024,
		});
	});

	it('reports every bad key at once', () => {
		expect(problems(() => loadArchiveConfig({ PAGE_SIZE: '10', MAX_STORY_MB: 'lots' }))).toHaveLength(2);
	});
});

describe('bot config', () => {
	it('reads every key', () => {
		const config = loadBotConfig({
			DISCORD_TOKEN: TOKEN,
			DISCORD_CLIENT_ID: CLIENT,
			DEV_GUILD_ID: '223456789012345678',
			DISCORD_API_URL: 'http://127.0.0.1:8080/api',
			STATE_URL: 'redis://127.0.0.1:6379',
			LOG_LEVEL: 'DEBUG',
			ARCHIVE_DIR: 'stories',
		});
		expect(config).toMatchObject({
			token: TOKEN,
			clientId: CLIENT,
			devGuildId: '223456789012345678',
			apiUrl: 'http://127.0.0.1:8080/api',
			stateUrl: 'redis://127.0.0.1:6379',
			logLevel: 'debug',
			archiveDb: 'stories/archive.sqlite',
		});
		expect(Object.isFrozen(config)).toBe(true);
	});

	it('defaults the optional keys: no dev server, Discord itself, state beside the archive', () => {
		const config = loadBotConfig({ DISCORD_TOKEN: TOKEN, DISCORD_CLIENT_ID: CLIENT });
		expect(config).toMatchObject({
			devGuildId: null,
			apiUrl: null,
			stateUrl: 'sqlite://data/state.sqlite',
			logLevel: 'info',
		});
	});

	it('says how to get a token when there is none', () => {
		const found = problems(() => loadBotConfig({ DISCORD_CLIENT_ID: CLIENT }));
		expect(found).toHaveLength(1);
		expect(found[0]).toContain('DISCORD_TOKEN is not set');
		expect(found[0]).toContain('discord.com/developers/applications');
		expect(found[0]).toContain('.env');
	});

	it('lists every missing or malformed key in one error', () => {
		const found = problems(() =>
			loadBotConfig({
				DISCORD_TOKEN: 'short',
				DISCORD_CLIENT_ID: 'my-bot',
				DEV_GUILD_ID: 'server',
				DISCORD_API_URL: 'localhost:8080',
				STATE_URL: 'mongodb://x',
				LOG_LEVEL: 'loud',
				PAGE_SIZE: '5',
			}),
		);
		expect(found.join('\n')).toMatch(/PAGE_SIZE/);
		for (const key of [
			'DISCORD_TOKEN',
			'DISCORD_CLIENT_ID',
			'DEV_GUILD_ID',
			'DISCORD_API_URL',
			'STATE_URL',
			'LOG_LEVEL',
		]) {
			expect(
				found.some((p) => p.startsWith(key)),
				key,
			).toBe(true);
		}
		expect(found).toHaveLength(7);
	});

	it('runs a part of the shards with SHARD_IDS and SHARD_COUNT, and all of them without SHARD_IDS', () => {
		const bot = { DISCORD_TOKEN: TOKEN, DISCORD_CLIENT_ID: CLIENT };
		expect(loadBotConfig({ ...bot, SHARD_COUNT: '8', SHARD_IDS: '0-3' })).toMatchObject({
			shards: 8,
			shardIds: [0, 1, 2, 3],
		});
		expect(loadBotConfig({ ...bot, SHARD_COUNT: '8', SHARD_IDS: '5, 2,0' }).shardIds).toEqual([0, 2, 5]);
		expect(loadBotConfig({ ...bot, SHARD_COUNT: '8', SHARD_IDS: '6-7,1' }).shardIds).toEqual([1, 6, 7]);
		expect(loadBotConfig({ ...bot, SHARD_COUNT: '4' })).toMatchObject({ shards: 4, shardIds: null });
		expect(loadBotConfig({ ...bot, SHARDS: '2' })).toMatchObject({ shards: 2, shardIds: null });
		expect(loadBotConfig(bot)).toMatchObject({ shards: null, shardIds: null });
	});

	it('inside a shard ignores the sharding keys its manager has used', () => {
		const config = loadBotConfig({
			DISCORD_TOKEN: TOKEN,
			DISCORD_CLIENT_ID: CLIENT,
			SHARDING_MANAGER: 'true',
			SHARDS: '3',
			SHARD_COUNT: '4',
			SHARD_IDS: '2-3',
		});
		expect(config).toMatchObject({ shards: null, shardIds: null });
	});

	it('says what is wrong with SHARD_IDS and SHARD_COUNT', () => {
		const bot = { DISCORD_TOKEN: TOKEN, DISCORD_CLIENT_ID: CLIENT };
		expect(problems(() => loadBotConfig({ ...bot, SHARD_IDS: '0-1' }))).toEqual([
			'SHARD_IDS needs SHARD_COUNT: the number of shards across every machine',
		]);
		expect(problems(() => loadBotConfig({ ...bot, SHARD_COUNT: '4', SHARD_IDS: '2-4' }))).toEqual([
			'SHARD_IDS "2-4" names shard 4, but with SHARD_COUNT=4 the ids run from 0 to 3',
		]);
		for (const ids of ['3-1', 'one', '1,,2', '-1', '1.5'])
			expect(problems(() => loadBotConfig({ ...bot, SHARD_COUNT: '4', SHARD_IDS: ids }))[0]).toMatch(
				/^SHARD_IDS must be a range \("0-3"\) or a list \("0,2,5"\) of shard ids/,
			);
		expect(problems(() => loadBotConfig({ ...bot, SHARD_COUNT: '0' }))[0]).toMatch(/^SHARD_COUNT must be a whole/);
		expect(problems(() => loadBotConfig({ ...bot, SHARD_COUNT: '4', SHARDS: '4' }))[0]).toMatch(
			/^SHARDS and SHARD_COUNT are both set/,
		);
	});
});

describe('unknown keys', () => {
	it('names a misspelt key in .env with the setting it meant', () => {
		const found = problems(() => loadArchiveConfig({ DEV_GUILD: '1', PAGESIZE: '900' }, ['DEV_GUILD', 'PAGESIZE']));
		expect(found).toEqual([
			'DEV_GUILD (in .env) is not a setting; did you mean DEV_GUILD_ID?',
			'PAGESIZE (in .env) is not a setting; did you mean PAGE_SIZE?',
		]);
	});

	it('names FIC_ and DISCORD_ keys of the environment that are not settings, and leaves others alone', () => {
		const found = problems(() =>
			loadBotConfig({
				DISCORD_TOKEN: TOKEN,
				DISCORD_CLIENT_ID: CLIENT,
				DISCORD_CLIENT: CLIENT,
				HOME: '/root',
				PATH: '/bin',
			}),
		);
		expect(found).toEqual(['DISCORD_CLIENT (in the environment) is not a setting; did you mean DISCORD_CLIENT_ID?']);
	});

	it('says when nothing is close, and knows the names other bots use', () => {
		expect(problems(() => loadArchiveConfig({ WEATHER: 'fine' }, ['WEATHER']))).toEqual([
			'WEATHER (in .env) is not a setting; see .env.example for the settings.',
		]);
		expect(closestKey('BOT_TOKEN')).toBe('DISCORD_TOKEN');
		expect(closestKey('APPLICATION_ID')).toBe('DISCORD_CLIENT_ID');
		expect(closestKey('STATE_ULR')).toBe('STATE_URL');
	});

	it('treats an empty value as unset', () => {
		const config = loadBotConfig({
			DISCORD_TOKEN: TOKEN,
			DISCORD_CLIENT_ID: CLIENT,
			SHARDS: '',
			DEV_GUILD_ID: ' ',
			PAGE_SIZE: '',
		});
		expect(config).toMatchObject({ shards: null, devGuildId: null, pageSize: 1800 });
	});
});

describe('a malformed token', () => {
	const shape = /three parts joined by dots.*application id/;
	it.each([
		['two parts', 'fake-token-for-the-start-up-test.abcdef', /has 2 parts, not 3/],
		['the Public Key', 'a'.repeat(64), /Public Key/],
		['the Client Secret', 'abcdefghijklmnopqrstuvwxyz012345', /Client Secret/],
		['"Bot " in front', `Bot ${TOKEN}`, /starts with "Bot "/],
		[
			'a first part that is not an id',
			'aGVsbG8gd29ybGQ.Gabcde.abcdefghijklmnopqrstuvwxyz',
			/decode to the application id.*"hello world"/,
		],
		['a character tokens never have', 'MTIzNDU2Nzg5MDEyMzQ1Njc4.Gab+de.abcdef', /characters a token never has/],
	])('%s: says why and what a token looks like', (_, token, why) => {
		const found = problems(() => loadBotConfig({ DISCORD_TOKEN: token, DISCORD_CLIENT_ID: CLIENT }));
		expect(found).toHaveLength(1);
		expect(found[0]).toMatch(why);
		expect(found[0]).toMatch(shape);
	});

	it('accepts a token of the right shape', () => {
		expect(tokenProblem(TOKEN)).toBeNull();
	});
});

describe('login failures', () => {
	it('tells DNS and refused connections from a refused token', () => {
		const dns = Object.assign(new Error('getaddrinfo ENOTFOUND discord.com'), { code: 'ENOTFOUND' });
		expect(explainLoginError(dns, null)).toMatch(
			/^Could not reach Discord at https:\/\/discord.com\/api \(ENOTFOUND\)/,
		);
		expect(explainLoginError(dns, null)).toMatch(/DNS.*not a problem with DISCORD_TOKEN/s);
		const wrapped = new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) });
		expect(explainLoginError(wrapped, 'http://127.0.0.1:8080/api')).toMatch(/ECONNREFUSED.*DISCORD_API_URL/s);
		const invalid = Object.assign(new Error('An invalid token was provided.'), { code: 'TokenInvalid' });
		expect(explainLoginError(invalid, null)).toMatch(/^Discord refused the token \(401 Unauthorized\).*DISCORD_TOKEN/s);
		expect(explainLoginError(Object.assign(new Error('401: Unauthorized'), { status: 401 }), null)).toMatch(
			/refused the token/,
		);
	});
});
