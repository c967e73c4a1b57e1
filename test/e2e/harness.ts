import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SlashCommandBuilder } from '@discordjs/builders';
import { Events } from 'discord.js';
import Keyv from 'keyv';
import { commands } from '../../commands/index.js';
import { importArchive } from '../../src/archive/import.js';
import { ArchiveSearch } from '../../src/archive/search/index.js';
import { ArchiveStore } from '../../src/archive/store.js';
import { deployCommands } from '../../src/cli/deploy.js';
import { type BotOptions, createBot } from '../../src/discord/bot.js';
import type { Command } from '../../src/discord/context.js';
import { memoryLogger } from '../../src/log.js';
import { State } from '../../src/state.js';
import { limitProblems } from '../discord/limits.js';
import { type ChannelOptions, FakeDiscord } from './fake-discord.js';
import { loadSpecChecker, SPEC_NOTE, specCheckAll } from './spec-check.js';

/** A story only age-restricted channels may show, for the rating gate. */
export const AFTER_DARK = `Title: After Dark
Author: Night Owl
Rating: NC-17

The lamps were out along the whole street when Spike came back.

"I never sleep before the sun is up," Spike said, and he meant it.

Buffy laughed at him from the porch. "You never sleep at all," she said.
`;

/** A Mature story: hidden outside age-restricted channels unless a server allows Mature. */
export const LATE_SHIFT = `Title: Late Shift
Author: Night Owl
Rating: R

The diner was empty except for Faith, who had been there since midnight.

"Coffee keeps the ghosts away," Faith said, and pushed her cup across the counter.
`;

/** A command that fails the way a bug would: to prove the router logs it and answers politely. */
export const boom: Command = {
	data: new SlashCommandBuilder().setName('boom').setDescription('Fails on purpose (tests only)'),
	help: '`/boom`: tests only',
	async run() {
		throw new Error('kaboom: a bug, not the user');
	},
};

/**
 * The stories most bot tests read: the two samples, an Explicit story, and seven short stories about a
 * lighthouse (more than one page of search results).
 */
export function writeFixtureStories(dir: string): void {
	for (const name of ['leaving.txt', 'moving-day.txt']) {
		copyFileSync(new URL(`../../data/${name}`, import.meta.url), join(dir, name));
	}
	writeFileSync(join(dir, 'after-dark.txt'), AFTER_DARK);
	for (let i = 1; i <= 7; i++) {
		writeFileSync(
			join(dir, `lighthouse-${i}.txt`),
			`Title: Lighthouse ${i}\nAuthor: Keeper ${i}\nRating: G\n\nThe lighthouse keeper counted ${i} ships tonight.\n\n"Another storm," Dawn said, watching the lighthouse beam.\n`,
		);
	}
}

/** A folder of stories imported into an in-memory store; a story that fails is a broken fixture. */
export async function importInMemory(dir: string): Promise<ArchiveStore> {
	const store = ArchiveStore.open(':memory:');
	const summary = await importArchive(store, dir);
	if (summary.failed.length) throw new Error(`fixture import failed: ${JSON.stringify(summary.failed)}`);
	return store;
}

/** The fake Discord most e2e tests start: one server, "Readers", with these channels (`general` unless given). */
export function startFake(channels?: ChannelOptions[]): Promise<FakeDiscord> {
	return new FakeDiscord({
		heartbeatInterval: 1000,
		guilds: [{ name: 'Readers', ...(channels ? { channels } : {}) }],
	}).start();
}

/** Registers the commands with the fake Discord through the deploy code: to one server, or globally (null). */
export function deployTo(fake: FakeDiscord, list: readonly Command[], guildId: string | null) {
	return deployCommands(
		{ token: fake.token, clientId: fake.applicationId, devGuildId: guildId, apiUrl: fake.restBase },
		list,
	);
}

/**
 * The real bot logged in to the fake Discord and ready: the tests' usual options (the fake's API, no global request
 * limit, no quote of the day) with `options` over them.
 */
export async function loginBot(
	fake: FakeDiscord,
	list: readonly Command[],
	ctx: Parameters<typeof createBot>[1],
	options: BotOptions = {},
): Promise<ReturnType<typeof createBot>> {
	const client = createBot(list, ctx, {
		apiUrl: fake.restBase,
		globalRequestsPerSecond: 1e6,
		quoteOfTheDay: false,
		readingClubs: false,
		...options,
	});
	const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
	await client.login(fake.token);
	await ready;
	return client;
}

/**
 * The real bot against the fake Discord: the samples plus a Mature story and a few short ones in an
 * in-memory archive, `new Keyv()` for state, commands registered to the test server through the deploy code.
 */
export async function startBot(
	options: { state?: (log: ReturnType<typeof memoryLogger>) => State; answerWithinMs?: number } = {},
) {
	const dir = mkdtempSync(join(tmpdir(), 'fic-archive-e2e-'));
	writeFixtureStories(dir);
	writeFileSync(join(dir, 'late-shift.txt'), LATE_SHIFT);
	// An AO3 download in three chapters (of five planned), with italics kept as markdown.
	copyFileSync(new URL('../fixtures/ao3-the-long-night.html', import.meta.url), join(dir, 'the-long-night.html'));
	const store = await importInMemory(dir);
	const search = new ArchiveSearch(store);
	const log = memoryLogger();
	const state = options.state?.(log) ?? new State(new Keyv(), log);

	const fake = await startFake([{ name: 'general' }, { name: 'after-dark', nsfw: true }]);
	const list = [...commands, boom];
	await deployTo(fake, list, fake.guilds[0]?.id ?? '');
	const client = await loginBot(
		fake,
		list,
		{ store, search, state, log },
		options.answerWithinMs !== undefined ? { answerWithinMs: options.answerWithinMs } : {},
	);

	const storyId = (path: string) => store.fileHashes().get(path)?.id as number;
	return {
		fake,
		client,
		store,
		search,
		state,
		log,
		storyId,
		async stop() {
			await client.destroy();
			await state.close().catch(() => undefined);
			await fake.stop();
			search.close();
			store.close();
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

/**
 * Every message body the bot sent through this fake, with what is wrong with it: Discord's limits, pings
 * left on, and (when Discord's OpenAPI spec is beside the project) the spec. Empty when all is well.
 */
export function problemsInEverythingSent(fake: FakeDiscord): { sent: number; problems: string[] } {
	const problems: string[] = [];
	const bodies = fake.requests.filter(
		(r) => r.method !== 'GET' && r.body && typeof r.body === 'object' && !Array.isArray(r.body),
	);
	let sent = 0;
	for (const r of bodies) {
		const body = r.body as { type?: number; data?: object } & object;
		// Interaction callbacks carry the message in data (types 4 and 7); edits, follow-ups and posts are the message.
		const callback = r.path.endsWith('/callback');
		const msg = callback ? body.data : body;
		// Commands, thread creations and opening a DM carry no message.
		const notMessage = r.path.includes('/commands') || r.path.endsWith('/threads') || r.path === '/users/@me/channels';
		if (!msg || (callback && ![4, 7].includes(body.type ?? 0)) || notMessage) continue;
		sent++;
		for (const p of limitProblems(msg as Parameters<typeof limitProblems>[0]))
			problems.push(`${r.method} ${r.path}: ${p}`);
	}
	const checker = loadSpecChecker();
	if (checker) problems.push(...specCheckAll(fake.requests, checker));
	else console.warn(SPEC_NOTE);
	return { sent, problems };
}
