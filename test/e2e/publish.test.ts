import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Keyv from 'keyv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { importToPath } from '../../src/archive/import.js';
import { LiveArchive } from '../../src/archive/live.js';
import { publishStore } from '../../src/archive/publish.js';
import type { createBot } from '../../src/discord/bot.js';
import { memoryLogger } from '../../src/log.js';
import { State } from '../../src/state.js';
import type { FakeDiscord } from './fake-discord.js';
import { deployTo, loginBot, startFake } from './harness.js';
import { footer, idOf } from './messages.js';

const log = memoryLogger();
let dir: string;
let fake: FakeDiscord;
let live: LiveArchive;
let client: ReturnType<typeof createBot>;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'fic-archive-publish-'));
	mkdirSync(join(dir, 'stories'));
	for (const name of ['leaving.txt', 'moving-day.txt'])
		copyFileSync(new URL(`../../data/${name}`, import.meta.url), join(dir, 'stories', name));
	await importToPath(join(dir, 'archive.sqlite'), join(dir, 'stories'));
	mkdirSync(join(dir, 'served'));
	await publishStore(join(dir, 'archive.sqlite'), join(dir, 'served', 'archive.sqlite'));
	live = new LiveArchive(join(dir, 'served', 'archive.sqlite'), log, { settleMs: 0, graceMs: 5000 });
	fake = await startFake();
	await deployTo(fake, commands, fake.guilds[0]?.id ?? '');
	client = await loginBot(
		fake,
		commands,
		{ ...live.current, state: new State(new Keyv(), log), log },
		{ archive: live },
	);
});

afterAll(async () => {
	await client?.destroy();
	await fake?.stop();
	live?.close();
	rmSync(dir, { recursive: true, force: true });
});

describe('a running bot and a newly published archive', () => {
	it('serves the new store at once, buttons from before keep working, nothing fails while it switches', async () => {
		const guild = fake.guilds[0]?.id;
		const leaving = live.current.store.fileHashes().get('leaving.txt')?.id as number;
		const before = await fake.sendInteraction(
			fake.slashCommand('read', { story: `id:${leaving}`, page: 1 }, { guild }),
		);
		expect(footer(before)).toMatch(/^Page 1 of/);
		const missing = await fake.sendInteraction(fake.slashCommand('read', { story: 'Late Arrival' }, { guild }));
		expect(missing.data.content).toMatch(/No story/);

		writeFileSync(
			join(dir, 'stories', 'late-arrival.txt'),
			'Title: Late Arrival\nAuthor: Keeper\nRating: G\n\nThe ferry came in after dark.\n\n"Nobody missing," Willow said.\n',
		);
		await importToPath(join(dir, 'archive.sqlite'), join(dir, 'stories'));
		await publishStore(join(dir, 'archive.sqlite'), join(dir, 'served', 'archive.sqlite'));
		// Interactions arriving while the bot looks at the file and switches.
		const load = Array.from({ length: 6 }, (_, i) =>
			fake.sendInteraction(fake.slashCommand('read', { story: `id:${leaving}`, page: i + 1 }, { guild })),
		);
		expect(live.check()).toBe(true);
		for (const result of await Promise.all(load)) expect(footer(result)).toMatch(/^Page \d+ of/);

		const next = await fake.sendInteraction(fake.buttonClick(idOf(before.data, 'Next'), before.message ?? undefined));
		expect(footer(next)).toMatch(/^Page 2 of/);
		const added = await fake.sendInteraction(fake.slashCommand('read', { story: 'Late Arrival' }, { guild }));
		expect(added.data.embeds?.[0]?.title).toMatch(/Late Arrival/);
		expect(log.lines.filter((l) => /interaction failed|router failed/.test(l))).toEqual([]);
	}, 30_000);
});
