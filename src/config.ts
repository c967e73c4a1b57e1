import { config as loadDotenv } from 'dotenv';

/** The archive's settings: where the stories and the store are, and how stories are paged. */
export interface ArchiveConfig {
	/** The folder of story files (ARCHIVE_DIR). */
	archiveDir: string;
	/** The SQLite store (ARCHIVE_DB). */
	archiveDb: string;
	/** Largest page in characters (PAGE_SIZE). */
	pageSize: number;
	/** Largest story file in bytes (MAX_STORY_MB). */
	maxFileBytes: number;
}

export class ConfigError extends Error {
	override name = 'ConfigError';
	constructor(readonly problems: string[]) {
		super(
			`The configuration has ${problems.length === 1 ? 'a problem' : 'problems'}:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every key.`,
		);
	}
}

type Env = Record<string, string | undefined>;

function integer(env: Env, key: string, fallback: number, min: number, max: number, problems: string[]): number {
	const raw = env[key]?.trim();
	if (!raw) return fallback;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < min || value > max) {
		problems.push(`${key} must be a whole number from ${min} to ${max}, not "${raw}"`);
		return fallback;
	}
	return value;
}

/**
 * Reads and checks the archive settings once. Every bad key is reported in one ConfigError, not the first
 * alone. Pass an env object in tests; by default the process environment after loading .env.
 */
export function loadArchiveConfig(env: Env = processEnv()): Readonly<ArchiveConfig> {
	const problems: string[] = [];
	const archiveDir = env.ARCHIVE_DIR?.trim() || 'data';
	const config: ArchiveConfig = {
		archiveDir,
		archiveDb: env.ARCHIVE_DB?.trim() || `${archiveDir}/archive.sqlite`,
		pageSize: integer(env, 'PAGE_SIZE', 1800, 200, 3500, problems),
		maxFileBytes: integer(env, 'MAX_STORY_MB', 20, 1, 512, problems) * 1024 * 1024,
	};
	if (problems.length) throw new ConfigError(problems);
	return Object.freeze(config);
}

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Everything the bot needs: the archive settings plus Discord's and the state store's. */
export interface BotConfig extends ArchiveConfig {
	/** The bot's token (DISCORD_TOKEN). */
	token: string;
	/** The application's id (DISCORD_CLIENT_ID), for registering commands. */
	clientId: string;
	/** A server to register commands to at once while developing (DEV_GUILD_ID); global otherwise. */
	devGuildId: string | null;
	/** The REST API base discord.js talks to (DISCORD_API_URL): a REST proxy or a test fake. */
	apiUrl: string | null;
	/** Where settings, bookmarks and saved quotes live (STATE_URL): sqlite://, redis:// or postgresql://. */
	stateUrl: string;
	logLevel: LogLevel;
	/** SHARDS: run discord.js's ShardingManager with this many shards ('auto': as Discord recommends); null: one process. */
	shards: number | 'auto' | null;
	/**
	 * SHARD_IDS: the shards this machine runs out of SHARD_COUNT (which sets `shards`), sorted; null: all of
	 * them. Several machines each run their part of one set of shards.
	 */
	shardIds: number[] | null;
}

const SNOWFLAKE = /^\d{17,20}$/;
const STATE_SCHEMES = ['sqlite:', 'redis:', 'rediss:', 'postgres:', 'postgresql:'];

/** What to do without a token: said to a person who has just cloned the repo, not a stack trace. */
export const TOKEN_HELP = `DISCORD_TOKEN is not set. To run the bot:
  1. Create an application at https://discord.com/developers/applications, open "Bot" and press "Reset Token".
  2. Copy .env.example to .env and put the token in DISCORD_TOKEN=, and the application id
     (General Information → Application ID) in DISCORD_CLIENT_ID=.
  3. Invite the bot with the OAuth2 URL generator (scopes "bot" and "applications.commands"), then run
     npm run deploy   (registers the slash commands; set DEV_GUILD_ID to see them at once in one server)
     npm start`;

/**
 * Reads and checks the bot's settings once, all problems in one ConfigError. A missing token is reported
 * with how to get one.
 */
export function loadBotConfig(env: Env = processEnv()): Readonly<BotConfig> {
	const problems: string[] = [];
	let archive: ArchiveConfig | undefined;
	try {
		archive = loadArchiveConfig(env);
	} catch (error) {
		if (!(error instanceof ConfigError)) throw error;
		problems.push(...error.problems);
	}
	const token = env.DISCORD_TOKEN?.trim() ?? '';
	if (!token) problems.push(TOKEN_HELP);
	else if (/\s/.test(token) || token.length < 20) problems.push('DISCORD_TOKEN does not look like a bot token');
	const clientId = env.DISCORD_CLIENT_ID?.trim() ?? '';
	if (!clientId) problems.push('DISCORD_CLIENT_ID is not set: the Application ID from the developer portal');
	else if (!SNOWFLAKE.test(clientId))
		problems.push(`DISCORD_CLIENT_ID must be a Discord id (digits), not "${clientId}"`);
	const devGuildId = env.DEV_GUILD_ID?.trim() || null;
	if (devGuildId && !SNOWFLAKE.test(devGuildId)) {
		problems.push(`DEV_GUILD_ID must be a Discord server id (digits), not "${devGuildId}"`);
	}
	const apiUrl = env.DISCORD_API_URL?.trim() || null;
	if (apiUrl && !/^https?:\/\/[^\s]+$/.test(apiUrl)) {
		problems.push(`DISCORD_API_URL must be an http(s) URL, not "${apiUrl}"`);
	}
	const stateUrl = env.STATE_URL?.trim() || `sqlite://${archive?.archiveDir ?? 'data'}/state.sqlite`;
	if (!STATE_SCHEMES.some((scheme) => stateUrl.startsWith(scheme))) {
		problems.push(`STATE_URL must start with sqlite://, redis:// or postgresql://, not "${stateUrl}"`);
	}
	const logLevel = (env.LOG_LEVEL?.trim().toLowerCase() || 'info') as LogLevel;
	if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
	// Inside a shard the manager sets SHARDS to the shard's own id: that is not this setting, and the shard
	// inherits SHARD_IDS and SHARD_COUNT from its manager, which has used them already.
	const inShard = Boolean(env.SHARDING_MANAGER);
	const rawShards = inShard ? '' : (env.SHARDS?.trim().toLowerCase() ?? '');
	let shards: BotConfig['shards'] = null;
	if (rawShards === 'auto') shards = 'auto';
	else if (rawShards) {
		const n = Number(rawShards);
		if (Number.isInteger(n) && n >= 1 && n <= 1000) shards = n;
		else problems.push(`SHARDS must be auto or a whole number from 1 to 1000, not "${env.SHARDS}"`);
	}
	const rawCount = inShard ? '' : (env.SHARD_COUNT?.trim() ?? '');
	const rawIds = inShard ? '' : (env.SHARD_IDS?.trim() ?? '');
	let shardIds: number[] | null = null;
	if (rawCount) {
		const count = Number(rawCount);
		if (rawShards) problems.push('SHARDS and SHARD_COUNT are both set: use SHARD_COUNT (with SHARD_IDS) alone');
		else if (Number.isInteger(count) && count >= 1 && count <= 1000) {
			shards = count;
			if (rawIds) shardIds = parseShardIds(rawIds, count, problems);
		} else problems.push(`SHARD_COUNT must be a whole number from 1 to 1000, not "${rawCount}"`);
	} else if (rawIds) {
		problems.push('SHARD_IDS needs SHARD_COUNT: the number of shards across every machine');
	}
	if (problems.length || !archive) throw new ConfigError(problems);
	return Object.freeze({ ...archive, token, clientId, devGuildId, apiUrl, stateUrl, logLevel, shards, shardIds });
}

/** "0-3" or "0,2,5" (or both, "0-1,4"): the shard ids, sorted, each from 0 to count - 1; null when malformed. */
function parseShardIds(raw: string, count: number, problems: string[]): number[] | null {
	const ids = new Set<number>();
	for (const part of raw.split(',')) {
		const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
		const from = Number(match?.[1]);
		const to = match?.[2] === undefined ? from : Number(match[2]);
		if (!match || to < from) {
			problems.push(`SHARD_IDS must be a range ("0-3") or a list ("0,2,5") of shard ids, not "${raw}"`);
			return null;
		}
		if (to >= count) {
			problems.push(
				`SHARD_IDS "${raw}" names shard ${to}, but with SHARD_COUNT=${count} the ids run from 0 to ${count - 1}`,
			);
			return null;
		}
		for (let id = from; id <= to; id++) ids.add(id);
	}
	return [...ids].sort((a, b) => a - b);
}

/** The REST proxy's settings (npm run proxy): one Discord rate-limit state for every bot process. */
export interface ProxyConfig {
	/** PROXY_PORT: the port it listens on. */
	port: number;
	/** PROXY_HOST: the address it listens on; 127.0.0.1 unless bots on other machines use it. */
	host: string;
	/** PROXY_UPSTREAM_URL: the API it forwards to, Discord's unless testing. */
	upstream: string;
	logLevel: LogLevel;
}

/** Reads and checks the proxy's settings once, all problems in one ConfigError. It needs no token. */
export function loadProxyConfig(env: Env = processEnv()): Readonly<ProxyConfig> {
	const problems: string[] = [];
	const port = integer(env, 'PROXY_PORT', 8080, 1, 65535, problems);
	const host = env.PROXY_HOST?.trim() || '127.0.0.1';
	const upstream = env.PROXY_UPSTREAM_URL?.trim() || 'https://discord.com/api';
	if (!/^https?:\/\/[^\s]+$/.test(upstream)) {
		problems.push(`PROXY_UPSTREAM_URL must be an http(s) URL, not "${upstream}"`);
	}
	const logLevel = (env.LOG_LEVEL?.trim().toLowerCase() || 'info') as LogLevel;
	if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
	if (problems.length) throw new ConfigError(problems);
	return Object.freeze({ port, host, upstream, logLevel });
}

let loaded = false;
/** The process environment, with .env loaded into it the first time (variables already set win). */
function processEnv(): Env {
	if (!loaded) {
		loadDotenv({ quiet: true });
		loaded = true;
	}
	return process.env;
}
