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

let loaded = false;
/** The process environment, with .env loaded into it the first time (variables already set win). */
function processEnv(): Env {
	if (!loaded) {
		loadDotenv({ quiet: true });
		loaded = true;
	}
	return process.env;
}
