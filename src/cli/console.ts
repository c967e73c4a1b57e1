#!/usr/bin/env node
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import Keyv from 'keyv';
import { commands } from '../../commands/index.js';
import { ArchiveSearch } from '../archive/search/index.js';
import { ArchiveStore, StoreError } from '../archive/store.js';
import { ConfigError, loadArchiveConfig } from '../config.js';
import { DEFAULT_USER } from '../console/ids.js';
import { ConsoleSession, helpText } from '../console/session.js';
import { createLogger } from '../log.js';
import { State } from '../state.js';

const USAGE = `Usage: npm run console [-- options]
  (no options)              an interactive session: type /story leaving, /read leaving 3, /search "ten miles"…
  --once "<command>"        run one command, print what the bot would post, and exit
  --json                    print the raw payloads (as Discord receives them) instead of drawing them
  --channel nsfw|sfw|dm     where the session is (default sfw: a server channel that is not age-restricted)
  --user <id>               the Discord user id you act as (default ${DEFAULT_USER})`;

/** `npm run console`: the real commands against the configured archive, in a terminal, without Discord. */
async function main(argv: string[]): Promise<number> {
	let args: ReturnType<typeof parse>;
	try {
		args = parse(argv);
	} catch (error) {
		console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
		return 2;
	}
	if (args.values.help) {
		console.log(USAGE);
		return 0;
	}
	const where = args.values.channel ?? 'sfw';
	const user = args.values.user ?? DEFAULT_USER;
	if (!['nsfw', 'sfw', 'dm'].includes(where) || !/^\d{17,20}$/.test(user) || args.positionals.length) {
		console.error(USAGE);
		return 2;
	}

	let store: ArchiveStore;
	try {
		store = ArchiveStore.open(loadArchiveConfig().archiveDb, { readonly: true });
	} catch (error) {
		if (error instanceof StoreError || error instanceof ConfigError) {
			console.error(error.message);
			return 1;
		}
		throw error;
	}
	const search = new ArchiveSearch(store);
	const ctx = {
		store,
		search,
		state: new State(new Keyv(), createLogger('warn')),
		log: createLogger('warn'),
		commands,
	};
	const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
	const look = { width: Math.min(process.stdout.columns || 80, 120), color };
	const place = { userId: user, nsfw: where === 'nsfw', dm: where === 'dm' };
	try {
		if (args.values.once !== undefined) {
			const session = new ConsoleSession({ ctx, place, look, json: Boolean(args.values.json) });
			const result = await session.run(args.values.once);
			if (result.output) console.log(result.output);
			return result.ok ? 0 : 1;
		}
		return await interactive({ ctx, place, look, json: Boolean(args.values.json) }, where);
	} finally {
		search.close();
		store.close();
	}
}

function parse(argv: string[]) {
	return parseArgs({
		args: argv,
		allowPositionals: true,
		options: {
			once: { type: 'string' },
			json: { type: 'boolean' },
			channel: { type: 'string' },
			user: { type: 'string' },
			help: { type: 'boolean', short: 'h' },
		},
	});
}

/** Lines from the terminal (or a pipe) until exit or end of input; a modal's questions read the next lines. */
async function interactive(
	options: Omit<ConstructorParameters<typeof ConsoleSession>[0], 'ask'>,
	where: string,
): Promise<number> {
	const tty = Boolean(process.stdin.isTTY);
	let session: ConsoleSession | undefined;
	const rl = createInterface({
		input: process.stdin,
		output: process.stdout,
		terminal: tty,
		completer: (line: string, done: (error: Error | null, result: [string[], string]) => void) => {
			session?.complete(line).then(
				(result) => done(null, result),
				() => done(null, [[], line]),
			);
		},
	});
	const lines = rl[Symbol.asyncIterator]();
	const next = async (prompt: string, intro?: string): Promise<string | null> => {
		if (intro) console.log(intro);
		if (tty) {
			rl.setPrompt(prompt);
			rl.prompt();
		}
		const read = await lines.next();
		if (read.done) return null;
		if (!tty) process.stdout.write(`${prompt}${read.value}\n`); // a transcript: what was typed, after its prompt
		return read.value;
	};
	session = new ConsoleSession({ ...options, ask: next });
	const stats = options.ctx.store.stats();
	const place = where === 'dm' ? 'a DM' : where === 'nsfw' ? 'an age-restricted channel' : 'a server channel';
	console.log(
		`fic-archive console: ${stats.stories} ${stats.stories === 1 ? 'story' : 'stories'}, in ${place}, as user ${options.place?.userId}.`,
	);
	console.log(helpText(options.look.width));
	for (;;) {
		const line = await next('> ');
		if (line === null || /^\s*(exit|quit|\/exit|\/quit)\s*$/i.test(line)) break;
		const result = await session.run(line);
		if (result.output) console.log(result.output);
	}
	rl.close();
	return 0;
}

main(process.argv.slice(2)).then(
	(code) => process.exit(code),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
