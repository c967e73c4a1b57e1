#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { REST, Routes, ShardingManager } from 'discord.js';
import { commands } from '../commands/index.js';
import { LiveArchive } from './archive/live.js';
import { StoreError } from './archive/store.js';
import { type BotConfig, loadBotConfig, loadOrSay } from './config.js';
import { handleUncaughtErrors } from './crash.js';
import { createBot } from './discord/bot.js';
import { explainLoginError } from './discord/login.js';
import { createLogger, type Logger } from './log.js';
import { openState, type State, StateError } from './state.js';

/**
 * Start-up only: config → store → state → client → router. Problems a person can fix are said plainly.
 * With SHARDS set this process becomes discord.js's ShardingManager and each shard a child process running
 * this same file, each opening the archive read-only and sharing state through STATE_URL. With SHARD_COUNT
 * and SHARD_IDS it runs only the listed shards of SHARD_COUNT, so several machines share one set of shards.
 */
async function main(): Promise<number> {
	const config = loadOrSay(loadBotConfig);
	if (!config) return 1;
	const log = createLogger(config.logLevel);
	handleUncaughtErrors(log);
	if (config.shards !== null) return runShards(config, log);
	return runBot(config, log);
}

async function runShards(config: BotConfig, log: Logger): Promise<number> {
	let totalShards: number;
	if (config.shards === 'auto') {
		// Asked of the configured API (discord.js's own 'auto' always asks discord.com).
		const rest = new REST(config.apiUrl ? { api: config.apiUrl } : {}).setToken(config.token);
		const gateway = (await rest.get(Routes.gatewayBot())) as { shards: number };
		totalShards = gateway.shards;
	} else {
		totalShards = config.shards as number;
	}
	// With SHARD_IDS this machine runs its part of the shards; the other machines run the rest.
	const manager = new ShardingManager(fileURLToPath(import.meta.url), {
		token: config.token,
		totalShards,
		shardList: config.shardIds ?? 'auto',
		execArgv: process.execArgv,
		respawn: true,
	});
	manager.on('shardCreate', (shard) => {
		log.info('shard started', { shard: shard.id, of: totalShards });
		// A shard process that dies is started again (respawn); say so, and how it ended.
		shard.on('death', (child) => {
			const how = 'signalCode' in child ? { code: child.exitCode, signal: child.signalCode } : {};
			log.error('shard process ended; starting it again', { shard: shard.id, ...how });
		});
	});
	let closing = false;
	const shutdown = (signal: string) => {
		if (closing) return;
		closing = true;
		log.info('shutting down', { signal, shards: manager.shards.size });
		// Shard.kill() sends SIGTERM without respawning (killing the child directly would bring it back); each
		// shard then closes its client and store as a single process does.
		const children = [...manager.shards.values()].flatMap((shard) => (shard.process ? [shard.process] : []));
		const exited = children.map(
			(child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve))),
		);
		for (const shard of manager.shards.values()) shard.kill();
		setTimeout(() => process.exit(0), 5000).unref();
		void Promise.all(exited).then(() => process.exit(0));
	};
	process.once('SIGINT', () => shutdown('SIGINT'));
	process.once('SIGTERM', () => shutdown('SIGTERM'));
	await manager.spawn({ timeout: 60_000 });
	return -1;
}

async function runBot(config: BotConfig, log: Logger): Promise<number> {
	let archive: LiveArchive;
	let state: State;
	try {
		archive = new LiveArchive(config.archiveDb, log);
		state = openState(config.stateUrl, log);
	} catch (error) {
		if (error instanceof StoreError || error instanceof StateError) {
			console.error(error.message);
			return 1;
		}
		throw error;
	}
	// A new store published to the archive's path is picked up without a restart (npm run archive -- publish).
	archive.watch();
	const stats = archive.current.store.stats();
	log.info('archive open', { path: config.archiveDb, stories: stats.stories, pages: stats.pages });
	const client = createBot(commands, { ...archive.current, state, log }, { apiUrl: config.apiUrl, archive });

	let closing = false;
	const shutdown = async (signal: string) => {
		if (closing) return;
		closing = true;
		log.info('shutting down', { signal });
		client.qotd.stop();
		await client.destroy();
		await state.close().catch((error: unknown) => log.warn('state store did not close cleanly', { error }));
		archive.close();
		process.exit(0);
	};
	process.once('SIGINT', () => void shutdown('SIGINT'));
	process.once('SIGTERM', () => void shutdown('SIGTERM'));

	try {
		await client.login(config.token);
	} catch (error) {
		console.error(explainLoginError(error, config.apiUrl));
		await client.destroy();
		return 1;
	}
	return -1; // running until a signal
}

main().then(
	(code) => {
		if (code >= 0) process.exit(code);
	},
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
