#!/usr/bin/env node
import { commands } from '../commands/index.js';
import { ArchiveSearch } from './archive/search.js';
import { ArchiveStore, StoreError } from './archive/store.js';
import { ConfigError, loadBotConfig } from './config.js';
import { createBot } from './discord/bot.js';
import { createLogger } from './log.js';
import { openState, StateError } from './state.js';

/** Start-up only: config → store → state → client → router. Problems a person can fix are said plainly. */
async function main(): Promise<number> {
	let config: ReturnType<typeof loadBotConfig>;
	try {
		config = loadBotConfig();
	} catch (error) {
		if (error instanceof ConfigError) {
			console.error(error.message);
			return 1;
		}
		throw error;
	}
	const log = createLogger(config.logLevel);
	let store: ArchiveStore;
	let state: ReturnType<typeof openState>;
	try {
		store = ArchiveStore.open(config.archiveDb, { readonly: true });
		state = openState(config.stateUrl, log);
	} catch (error) {
		if (error instanceof StoreError || error instanceof StateError) {
			console.error(error.message);
			return 1;
		}
		throw error;
	}
	const search = new ArchiveSearch(store);
	const stats = store.stats();
	log.info('archive open', { path: config.archiveDb, stories: stats.stories, pages: stats.pages });
	const client = createBot(commands, { store, search, state, log }, { apiUrl: config.apiUrl });

	let closing = false;
	const shutdown = async (signal: string) => {
		if (closing) return;
		closing = true;
		log.info('shutting down', { signal });
		await client.destroy();
		await state.close().catch((error: unknown) => log.warn('state store did not close cleanly', { error }));
		search.close();
		store.close();
		process.exit(0);
	};
	process.once('SIGINT', () => void shutdown('SIGINT'));
	process.once('SIGTERM', () => void shutdown('SIGTERM'));

	try {
		await client.login(config.token);
	} catch (error) {
		const why = error instanceof Error ? error.message : String(error);
		console.error(
			`Could not log in to Discord: ${why}\nCheck DISCORD_TOKEN in .env (Developer Portal → Bot → Reset Token).`,
		);
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
