import { readFileSync } from 'node:fs';
import { parse as parseDotenv } from 'dotenv';
import { LOG_LEVELS, type LogLevel } from './log.js';

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

/**
 * What `load` reads, or undefined once its ConfigError has been printed for whoever starts the program (the caller
 * then exits with 1). Any other error is thrown on.
 */
export function loadOrSay<T>(load: () => T): T | undefined {
	try {
		return load();
	} catch (error) {
		if (!(error instanceof ConfigError)) throw error;
		console.error(error.message);
		return undefined;
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

/** Every key the project reads, in the order of .env.example. */
export const KNOWN_KEYS = [
	'ARCHIVE_DIR',
	'ARCHIVE_DB',
	'PAGE_SIZE',
	'MAX_STORY_MB',
	'DISCORD_TOKEN',
	'DISCORD_CLIENT_ID',
	'DEV_GUILD_ID',
	'DISCORD_API_URL',
	'STATE_URL',
	'LOG_LEVEL',
	'SHARDS',
	'SHARD_COUNT',
	'SHARD_IDS',
	'PROXY_PORT',
	'PROXY_HOST',
	'PROXY_UPSTREAM_URL',
] as const;

/** Names people reach for that are not ours, with the key they meant (other bots' conventions). */
const ALIASES: Record<string, string> = {
	TOKEN: 'DISCORD_TOKEN',
	BOT_TOKEN: 'DISCORD_TOKEN',
	DISCORD_BOT_TOKEN: 'DISCORD_TOKEN',
	CLIENT_ID: 'DISCORD_CLIENT_ID',
	APPLICATION_ID: 'DISCORD_CLIENT_ID',
	DISCORD_APPLICATION_ID: 'DISCORD_CLIENT_ID',
	DISCORD_APP_ID: 'DISCORD_CLIENT_ID',
	GUILD_ID: 'DEV_GUILD_ID',
	DISCORD_GUILD_ID: 'DEV_GUILD_ID',
	TEST_GUILD_ID: 'DEV_GUILD_ID',
	DATABASE_URL: 'STATE_URL',
	REDIS_URL: 'STATE_URL',
};

/** Edits (insert, delete, replace) from a to b. */
function distance(a: string, b: string): number {
	let row = Array.from({ length: b.length + 1 }, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const next = [i];
		for (let j = 1; j <= b.length; j++) {
			next[j] = Math.min(
				(row[j] as number) + 1,
				(next[j - 1] as number) + 1,
				(row[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
			);
		}
		row = next;
	}
	return row[b.length] as number;
}

/** The known key a misspelt one most likely meant, or null when none is close. */
export function closestKey(key: string): string | null {
	const upper = key.toUpperCase();
	if (ALIASES[upper]) return ALIASES[upper];
	let best: string | null = null;
	let bestDistance = Number.POSITIVE_INFINITY;
	for (const known of KNOWN_KEYS) {
		const d = distance(upper, known);
		if (d < bestDistance) [best, bestDistance] = [known, d];
	}
	if (best && (bestDistance <= Math.max(2, Math.floor(key.length / 3)) || best.startsWith(upper))) return best;
	return null;
}

const KNOWN = new Set<string>(KNOWN_KEYS);
/** Keys that look like ours in the environment: a typo there is as silent as one in .env. */
const OURS = /^(FIC_|DISCORD_)/;

/**
 * Unknown keys: every key of .env that is not a setting, and every FIC_ or DISCORD_ key of the environment
 * that is not one, named with the closest setting (a misspelt DEV_GUILD_ID would register commands globally).
 */
function unknownKeys(env: Env, fileKeys: readonly string[]): string[] {
	const problems: string[] = [];
	const say = (key: string, where: string) => {
		const near = closestKey(key);
		problems.push(
			`${key} ${where}is not a setting; ${near ? `did you mean ${near}?` : 'see .env.example for the settings.'}`,
		);
	};
	for (const key of fileKeys) if (!KNOWN.has(key)) say(key, '(in .env) ');
	for (const key of Object.keys(env)) {
		if (OURS.test(key) && !KNOWN.has(key) && !fileKeys.includes(key)) say(key, '(in the environment) ');
	}
	return problems;
}

function archiveSettings(env: Env, problems: string[]): ArchiveConfig {
	const archiveDir = env.ARCHIVE_DIR?.trim() || 'data';
	return {
		archiveDir,
		archiveDb: env.ARCHIVE_DB?.trim() || `${archiveDir}/archive.sqlite`,
		pageSize: integer(env, 'PAGE_SIZE', 1800, 200, 3500, problems),
		maxFileBytes: integer(env, 'MAX_STORY_MB', 20, 1, 512, problems) * 1024 * 1024,
	};
}

/**
 * Reads and checks the archive settings once. Every bad key is reported in one ConfigError, not the first
 * alone. Pass an env object in tests (and, to test .env, the keys that came from the file); by default the
 * process environment after loading .env. An empty value is the same as no value.
 */
export function loadArchiveConfig(env?: Env, fileKeys?: readonly string[]): Readonly<ArchiveConfig> {
	const source = env ?? processEnv();
	const problems = unknownKeys(source, fileKeys ?? (env ? [] : envFileKeys));
	const config = archiveSettings(source, problems);
	if (problems.length) throw new ConfigError(problems);
	return Object.freeze(config);
}

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

/** What a token looks like, said with every malformed one. */
const TOKEN_SHAPE =
	'A bot token is three parts joined by dots, each of letters, digits, - and _ (base64url); the first part ' +
	'is the application id, encoded (e.g. MTIzNDU2Nzg5MDEyMzQ1Njc4.GhJkLm.<about 38 more characters>). ' +
	'Copy it again from Developer Portal → your application → Bot → Reset Token.';

/** Why a DISCORD_TOKEN value cannot be a bot token, or null when it has a token's shape. */
export function tokenProblem(token: string): string | null {
	if (/^Bot\s/i.test(token)) return `DISCORD_TOKEN starts with "Bot ": put the token alone. ${TOKEN_SHAPE}`;
	if (/^["'].*["']$/.test(token))
		return `DISCORD_TOKEN is in quotes inside quotes: put the token alone. ${TOKEN_SHAPE}`;
	if (/\s/.test(token)) return `DISCORD_TOKEN has a space or line break in it. ${TOKEN_SHAPE}`;
	if (/^[0-9a-f]{64}$/i.test(token))
		return `DISCORD_TOKEN is 64 hex digits: that is the application's Public Key, not the bot token. ${TOKEN_SHAPE}`;
	const parts = token.split('.');
	if (parts.length !== 3) {
		const secret =
			parts.length === 1 && /^[\w-]{32}$/.test(token) ? ' (32 characters: that is the OAuth2 Client Secret)' : '';
		return `DISCORD_TOKEN has ${parts.length} ${parts.length === 1 ? 'part' : 'parts'}${secret}, not 3. ${TOKEN_SHAPE}`;
	}
	if (parts.some((part) => !/^[\w-]+$/.test(part)))
		return `DISCORD_TOKEN has characters a token never has (or an empty part). ${TOKEN_SHAPE}`;
	const id = Buffer.from(parts[0] as string, 'base64url').toString('latin1');
	if (!SNOWFLAKE.test(id))
		return `DISCORD_TOKEN's first part should decode to the application id (17 to 20 digits), not "${id.replace(/[^\x20-\x7e]/g, '?').slice(0, 24)}". ${TOKEN_SHAPE}`;
	return null;
}

/**
 * Reads and checks the bot's settings once, all problems in one ConfigError. A missing token is reported
 * with how to get one, a malformed one with what a token looks like, unknown keys with the setting meant.
 */
export function loadBotConfig(env?: Env, fileKeys?: readonly string[]): Readonly<BotConfig> {
	const source = env ?? processEnv();
	const problems = unknownKeys(source, fileKeys ?? (env ? [] : envFileKeys));
	const archive = archiveSettings(source, problems);
	const token = source.DISCORD_TOKEN?.trim() ?? '';
	if (!token) problems.push(TOKEN_HELP);
	else {
		const problem = tokenProblem(token);
		if (problem) problems.push(problem);
	}
	const clientId = source.DISCORD_CLIENT_ID?.trim() ?? '';
	if (!clientId) problems.push('DISCORD_CLIENT_ID is not set: the Application ID from the developer portal');
	else if (!SNOWFLAKE.test(clientId))
		problems.push(`DISCORD_CLIENT_ID must be a Discord id (digits), not "${clientId}"`);
	const devGuildId = source.DEV_GUILD_ID?.trim() || null;
	if (devGuildId && !SNOWFLAKE.test(devGuildId)) {
		problems.push(`DEV_GUILD_ID must be a Discord server id (digits), not "${devGuildId}"`);
	}
	const apiUrl = source.DISCORD_API_URL?.trim() || null;
	if (apiUrl && !/^https?:\/\/[^\s]+$/.test(apiUrl)) {
		problems.push(`DISCORD_API_URL must be an http(s) URL, not "${apiUrl}"`);
	}
	const stateUrl = source.STATE_URL?.trim() || `sqlite://${archive.archiveDir}/state.sqlite`;
	if (!STATE_SCHEMES.some((scheme) => stateUrl.startsWith(scheme))) {
		problems.push(`STATE_URL must start with sqlite://, redis:// or postgresql://, not "${stateUrl}"`);
	}
	const logLevel = (source.LOG_LEVEL?.trim().toLowerCase() || 'info') as LogLevel;
	if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
	// Inside a shard the manager sets SHARDS to the shard's own id: that is not this setting, and the shard
	// inherits SHARD_IDS and SHARD_COUNT from its manager, which has used them already.
	const inShard = Boolean(source.SHARDING_MANAGER);
	const rawShards = inShard ? '' : (source.SHARDS?.trim().toLowerCase() ?? '');
	let shards: BotConfig['shards'] = null;
	if (rawShards === 'auto') shards = 'auto';
	else if (rawShards) {
		const n = Number(rawShards);
		if (Number.isInteger(n) && n >= 1 && n <= 1000) shards = n;
		else problems.push(`SHARDS must be auto or a whole number from 1 to 1000, not "${source.SHARDS}"`);
	}
	const rawCount = inShard ? '' : (source.SHARD_COUNT?.trim() ?? '');
	const rawIds = inShard ? '' : (source.SHARD_IDS?.trim() ?? '');
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
	if (problems.length) throw new ConfigError(problems);
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
export function loadProxyConfig(env?: Env, fileKeys?: readonly string[]): Readonly<ProxyConfig> {
	const source = env ?? processEnv();
	const problems = unknownKeys(source, fileKeys ?? (env ? [] : envFileKeys));
	const port = integer(source, 'PROXY_PORT', 8080, 1, 65535, problems);
	const host = source.PROXY_HOST?.trim() || '127.0.0.1';
	const upstream = source.PROXY_UPSTREAM_URL?.trim() || 'https://discord.com/api';
	if (!/^https?:\/\/[^\s]+$/.test(upstream)) {
		problems.push(`PROXY_UPSTREAM_URL must be an http(s) URL, not "${upstream}"`);
	}
	const logLevel = (source.LOG_LEVEL?.trim().toLowerCase() || 'info') as LogLevel;
	if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
	if (problems.length) throw new ConfigError(problems);
	return Object.freeze({ port, host, upstream, logLevel });
}

let loaded = false;
/** The keys .env set, for telling unknown ones. */
let envFileKeys: readonly string[] = [];

/**
 * The process environment, with .env loaded into it the first time (variables already set win). An empty
 * value is no value: such keys are not copied from .env and are taken out of the environment, so that
 * discord.js never sees an empty SHARDS (its Client would run JSON.parse("")).
 */
function processEnv(): Env {
	if (!loaded) {
		loaded = true;
		let parsed: Record<string, string> = {};
		try {
			parsed = parseDotenv(readFileSync('.env'));
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
		}
		envFileKeys = Object.keys(parsed);
		for (const [key, value] of Object.entries(parsed)) {
			if (value.trim() && process.env[key] === undefined) process.env[key] = value;
		}
		for (const key of KNOWN_KEYS) if (process.env[key]?.trim() === '') delete process.env[key];
	}
	return process.env;
}
