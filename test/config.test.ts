import { describe, expect, it } from 'vitest';
import { ConfigError, loadArchiveConfig, loadBotConfig } from '../src/config.js';

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
});
