#!/usr/bin/env node
import { REST, Routes } from 'discord.js';
import { commands } from '../../commands/index.js';
import { type BotConfig, ConfigError, loadBotConfig } from '../config.js';
import type { Command } from '../discord/context.js';

/**
 * Registers the slash commands from the same list the router answers: to DEV_GUILD_ID when set (at once, for
 * development), else globally. Run it when the commands change, never on every start.
 */
export async function deployCommands(
	config: Pick<BotConfig, 'token' | 'clientId' | 'devGuildId' | 'apiUrl'>,
	list: readonly Command[] = commands,
): Promise<{ scope: string; count: number }> {
	const rest = new REST(config.apiUrl ? { api: config.apiUrl } : {}).setToken(config.token);
	const body = list.map((c) => {
		const json = c.data.toJSON();
		// Builders write the permission bit set as a string; Discord's OpenAPI spec types it as an integer (the
		// API takes either). The integer matches the spec, and every permission bit still fits in one.
		const permissions = json.default_member_permissions;
		return typeof permissions === 'string' && Number.isSafeInteger(Number(permissions))
			? { ...json, default_member_permissions: Number(permissions) }
			: json;
	});
	const route = config.devGuildId
		? Routes.applicationGuildCommands(config.clientId, config.devGuildId)
		: Routes.applicationCommands(config.clientId);
	const saved = (await rest.put(route, { body })) as unknown[];
	return { scope: config.devGuildId ? `server ${config.devGuildId}` : 'every server (global)', count: saved.length };
}

async function main(): Promise<number> {
	try {
		const { scope, count } = await deployCommands(loadBotConfig());
		console.log(`Registered ${count} commands to ${scope}.`);
		if (!scope.startsWith('server')) console.log('Global commands can take up to an hour to show in every server.');
		return 0;
	} catch (error) {
		console.error(
			error instanceof ConfigError
				? error.message
				: `Could not register the commands: ${error instanceof Error ? error.message : String(error)}`,
		);
		return 1;
	}
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(await main());
