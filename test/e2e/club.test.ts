import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Events } from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { commands } from '../../commands/index.js';
import { createBot } from '../../src/discord/bot.js';
import { ReadingClubs } from '../../src/discord/club.js';
import { addDays } from '../../src/discord/club-schedule.js';
import { type Club, openState, type State, StateError } from '../../src/state.js';
import { REDIS_URL, skipWithout } from '../services.js';
import { type FakeInteraction, type FakeMessage, type FakeThread, type FakeUser, snowflake } from './fake-discord.js';
import { problemsInEverythingSent, startBot } from './harness.js';
import { EPHEMERAL, friend, idOf } from './messages.js';

let bot: Awaited<ReturnType<typeof startBot>>;
let dir: string;

beforeAll(async () => {
	bot = await startBot();
	dir = mkdtempSync(join(tmpdir(), 'fic-archive-club-'));
});
afterAll(async () => {
	await bot?.stop();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

const send = (payload: FakeInteraction) => bot.fake.sendInteraction(payload);
const slash = (name: string, options: Record<string, unknown> = {}, o = {}) =>
	send(bot.fake.slashCommand(name, options as Parameters<typeof bot.fake.slashCommand>[1], o));
const story = (file: string) => `id:${bot.storyId(file)}`;
const guild = () => bot.fake.guilds[0]?.id as string;
const general = () => bot.fake.channel('general').id;
const afterDark = () => bot.fake.channel('after-dark').id;
/** A member without Manage Server (or any other permission). */
const powerless = (payload: FakeInteraction) => {
	if (payload.member) payload.member.permissions = '0';
	return payload;
};
/** A moment on a slot's day: `YYYY-MM-DD` plus a UTC time. */
const at = (day: string, time: string) => new Date(`${day}T${time}:00Z`);
/** Threads the bot opened under a channel, oldest first. */
const threadsUnder = (channelId: string): FakeThread[] =>
	(bot.fake.guilds[0]?.threads ?? []).filter((t) => t.parent_id === channelId);
const postsIn = (channelId: string): FakeMessage[] =>
	[...bot.fake.messages.values()].filter((m) => m.channel_id === channelId);

/** A club record as `/club start` writes it, for the state-level tests. */
function clubFor(storyId: number, channelId: string, lastSlot: string, per: Club['per'] = 'chapter'): Club {
	return {
		guildId: guild(),
		channelId,
		storyId,
		title: bot.store.story(storyId)?.title ?? '',
		schedule: { every: 'day', at: '09:00', timeZone: 'UTC', weekday: 0 },
		per,
		startedBy: bot.fake.user.id,
		startedAt: Date.parse(`${lastSlot}T12:00:00Z`),
		status: 'active',
		nextPage: 1,
		lastSlot,
		parts: [],
	};
}

describe('/club start', () => {
	it('is for members who can manage the server, and checks what it is given', async () => {
		const asked = { story: story('leaving.txt'), every: 'day', at: '09:00' };
		const member = await send(powerless(bot.fake.slashCommand('club', { start: asked })));
		expect(member.data.content).toBe(
			'Only members who can manage this server start, pause, resume and stop reading clubs.',
		);
		const time = await slash('club', { start: { ...asked, at: '9am' } });
		expect(time.data.content).toBe('Give the time of day as HH:MM, 24-hour: `09:00`, `18:30`.');
		const per = await slash('club', { start: { ...asked, per: '40 pages' } });
		expect(per.data.content).toMatch(/^`per` is `chapter` or a number of pages from 1 to 10/);
		const zone = await slash('club', { start: { ...asked, timezone: 'Mars/Olympus' } });
		expect(zone.data.content).toMatch(/is not a time zone I know/);
		for (const res of [member, time, per, zone]) expect(res.data.flags).toBe(EPHEMERAL);
		expect(await bot.state.club(guild(), general())).toBeUndefined();
	});

	it('refuses an Explicit story in a SFW channel, and takes it in an age-restricted one', async () => {
		const sfw = await slash('club', { start: { story: story('after-dark.txt'), every: 'week', at: '21:00' } });
		expect(sfw.data.flags).toBe(EPHEMERAL);
		expect(sfw.data.content).toBe(
			'“After Dark” is rated Explicit: its text is shown only in age-restricted (NSFW) channels, and not in DMs. A club for it can run only in such a channel.',
		);
		const elsewhere = await slash('club', {
			start: { story: story('after-dark.txt'), every: 'week', at: '21:00', channel: general() },
		});
		expect(elsewhere.data.content).toMatch(/A club for it can run only in such a channel\.$/);
		expect(await bot.state.club(guild(), general())).toBeUndefined();
		const nsfw = await slash('club', {
			start: { story: story('after-dark.txt'), every: 'week', at: '21:00', channel: afterDark() },
		});
		expect(nsfw.data.flags ?? 0).toBe(0);
		expect(nsfw.data.content).toMatch(
			new RegExp(
				`^📚 \\*\\*A reading club starts\\*\\*: “After Dark” in <#${afterDark()}>, every week on \\w+day at 21:00 UTC, a chapter at a time \\(1 part\\)`,
			),
		);
		const club = await bot.state.club(guild(), afterDark());
		expect(club).toMatchObject({ storyId: bot.storyId('after-dark.txt'), status: 'active', nextPage: 1, parts: [] });
		// The gate holds at posting too: a thread under the age-restricted channel gets the text.
		const slot = club?.lastSlot as string;
		expect(await bot.client.clubs.tick(at(addDays(slot, 7), '21:00'))).toEqual([`${afterDark()}#1`]);
		const [thread] = threadsUnder(afterDark());
		expect(thread?.name).toBe('After Dark · Part 1');
		expect(postsIn(thread?.id ?? '')[0]?.embeds[0]?.description).toMatch(/lamps were out/);
		expect((await bot.state.club(guild(), afterDark()))?.status).toBe('done');
		await slash('club', { stop: { channel: afterDark() } });
	});

	it('says when the bot lacks permissions in the channel', async () => {
		const res = await slash(
			'club',
			{ start: { story: story('leaving.txt'), every: 'day', at: '09:00' } },
			{ extra: { app_permissions: '2048' } },
		);
		expect(res.data.content).toBe(
			`I cannot run a club in <#${general()}>: I lack the View Channel and Create Public Threads and Send Messages in Threads and Embed Links and Read Message History permissions there.`,
		);
	});
});

describe('a club’s schedule', () => {
	let slot: string;

	it('posts a chapter a day at 09:00 UTC, each in its own thread, once, across a restart', async () => {
		const started = await slash('club', {
			start: { story: story('the-long-night.html'), every: 'day', at: '09:00', per: 'chapter' },
		});
		expect(started.data.content).toMatch(/every day at 09:00 UTC, a chapter at a time \(3 parts\)/);
		expect(started.data.content).toMatch(/The first comes <t:\d+:F>/);
		slot = (await bot.state.club(guild(), general()))?.lastSlot as string;
		const day1 = addDays(slot, 1);
		const clubs = bot.client.clubs;
		expect(await clubs.tick(at(day1, '08:59'))).toEqual([]);
		expect(await clubs.tick(at(day1, '09:00'))).toEqual([`${general()}#1`]);
		expect(await clubs.tick(at(day1, '09:01'))).toEqual([]);
		// A restart: a new scheduler over the same state store posts nothing twice.
		const restarted = new ReadingClubs(bot.client, {
			store: bot.store,
			search: bot.search,
			state: bot.state,
			log: bot.log,
		});
		expect(await restarted.tick(at(day1, '09:30'))).toEqual([]);
		expect(await restarted.tick(at(day1, '23:59'))).toEqual([]);
		expect(await restarted.tick(at(addDays(slot, 2), '09:00'))).toEqual([`${general()}#2`]);
		// Down for two days: the next part comes once, late; none is skipped.
		expect(await restarted.tick(at(addDays(slot, 5), '11:00'))).toEqual([`${general()}#3`]);
		expect(await restarted.tick(at(addDays(slot, 6), '09:00'))).toEqual([]);
		expect(await clubs.tick(at(addDays(slot, 7), '09:00'))).toEqual([]);

		const threads = threadsUnder(general()).filter((t) => t.name.startsWith('The Long Night'));
		expect(threads.map((t) => t.name)).toEqual([
			'The Long Night · 1. Blackout',
			'The Long Night · Chapter 2',
			'The Long Night · 3. The Candles Burn Down',
		]);
		for (const [i, thread] of threads.entries()) {
			expect(thread.type).toBe(11);
			const posts = postsIn(thread.id);
			expect(posts).toHaveLength(2);
			expect(posts[0]?.embeds[0]?.footer?.text).toMatch(new RegExp(`Page ${i + 1} of 3 · The Long Night`));
			expect(posts[1]?.content).toMatch(new RegExp(`^\\*\\*Part ${i + 1} · page ${i + 1} of 3\\*\\*`));
			expect(posts[1]?.components[0]?.components?.[0]?.label).toBe('Caught up');
		}
		expect(postsIn(threads[0]?.id ?? '')[1]?.content).toMatch(/The next part comes <t:\d+:F>/);
		expect(postsIn(threads[2]?.id ?? '')[1]?.content).toMatch(/That was the last part: the story is finished/);
		const club = await bot.state.club(guild(), general());
		expect(club?.status).toBe('done');
		expect(club?.parts.map((p) => [p.n, p.first, p.last, p.threadId])).toEqual(
			threads.map((t, i) => [i + 1, i + 1, i + 1, t.id]),
		);
	});

	it('asks Discord once, not on every click, whether a club thread’s reader has an owner', async () => {
		const [first] = threadsUnder(general()).filter((t) => t.name.startsWith('The Long Night'));
		const reader = postsIn(first?.id ?? '')[0] as FakeMessage;
		const starterLookups = () =>
			bot.fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/messages/${first?.id}`)).length;
		const before = starterLookups();
		for (let i = 0; i < 3; i++) {
			const copy = await send(bot.fake.buttonClick(idOf(reader, 'Next ›'), reader, { channel: first?.id }));
			// Nobody ran a command for it: every click opens the clicker's own copy.
			expect(copy.data.flags).toBe(EPHEMERAL);
		}
		expect(starterLookups() - before).toBeLessThanOrEqual(1);
	});

	it('keeps “Caught up” in the member’s library, and /club status says who has', async () => {
		const [, second] = threadsUnder(general()).filter((t) => t.name.startsWith('The Long Night'));
		const end = postsIn(second?.id ?? '')[1] as FakeMessage;
		const pressed = await send(bot.fake.buttonClick(idOf(end, 'Caught up'), end, { channel: second?.id }));
		expect(pressed.data.flags).toBe(EPHEMERAL);
		expect(pressed.data.content).toBe(
			'✅ You are caught up with part 2 of “The Long Night”, page 2 of 3: `/read` opens it there and `/library` lists it.',
		);
		expect(await bot.state.libraryEntry(bot.fake.user.id, bot.storyId('the-long-night.html'))).toMatchObject({
			page: 2,
		});
		// Asked from inside one of the club's threads: the club of the thread's channel.
		const status = await slash('club', { status: {} }, { channel: second?.id });
		expect(status.data.flags).toBe(EPHEMERAL);
		const fields = Object.fromEntries((status.data.embeds?.[0]?.fields ?? []).map((f) => [f.name, f.value]));
		expect(status.data.embeds?.[0]?.title).toBe('Reading club · The Long Night');
		expect(fields['Caught up']).toBe(`Part 2: <@${bot.fake.user.id}>`);
		expect(fields.State).toBe('Finished: every part has been posted.');
		expect(fields.Progress).toMatch(/^3 parts posted, up to page 3 of 3/);
		expect(fields.When).toBe('every day at 09:00 UTC, a chapter at a time');
		const stopped = await slash('club', { stop: {} });
		expect(stopped.data.content).toMatch(/has ended after 3 parts/);
		expect((await slash('club', { status: {} })).data.content).toMatch(/^There is no reading club in <#\d+>/);
	});

	it('pauses for a channel it cannot post in, tells the starter by DM, and does not retry', async () => {
		await slash('club', { start: { story: story('leaving.txt'), every: 'day', at: '18:30', per: '2 pages' } });
		const club = (await bot.state.club(guild(), general())) as Club;
		const day = addDays(club.lastSlot, 1);
		const dm = bot.fake.dmChannel(bot.fake.user).id;
		const dmsBefore = postsIn(dm).length;
		const threadsBefore = threadsUnder(general()).length;
		bot.fake.forbidden.add(general());
		try {
			expect(await bot.client.clubs.tick(at(day, '18:30'))).toEqual([]);
			const paused = await bot.state.club(guild(), general());
			expect(paused?.status).toBe('paused');
			expect(paused?.pausedBecause).toMatch(/^I lack permission to open threads or post in <#\d+>/);
			// What /club start checks for, named the same way.
			expect(paused?.pausedBecause).toMatch(
				/\(I need View Channel, Create Public Threads, Send Messages in Threads, Embed Links and Read Message History there\)$/,
			);
			const told = postsIn(dm).slice(dmsBefore);
			expect(told).toHaveLength(1);
			expect(told[0]?.content).toMatch(
				/^The reading club for “Leaving” in <#\d+> \(Readers\) is paused: I lack permission/,
			);
			const tries = bot.fake.requests.filter((r) => r.path === `/channels/${general()}/threads`).length;
			for (const later of [1, 2, 3]) expect(await bot.client.clubs.tick(at(addDays(day, later), '18:30'))).toEqual([]);
			expect(bot.fake.requests.filter((r) => r.path === `/channels/${general()}/threads`).length).toBe(tries);
			expect(postsIn(dm).length - dmsBefore).toBe(1);
			const status = await slash('club', { status: {} });
			const state = status.data.embeds?.[0]?.fields?.find((f) => f.name === 'State')?.value;
			expect(state).toMatch(/^Paused: I lack permission to open threads or post in/);
		} finally {
			bot.fake.forbidden.delete(general());
		}
		expect(threadsUnder(general()).length).toBe(threadsBefore);
		const member = await send(powerless(bot.fake.slashCommand('club', { resume: {} })));
		expect(member.data.content).toMatch(/^Only members who can manage this server/);
		const resumed = await slash('club', { resume: {} });
		expect(resumed.data.content).toMatch(/carries on: part 1 comes <t:\d+:F>/);
		const now = (await bot.state.club(guild(), general()))?.lastSlot as string;
		expect(await bot.client.clubs.tick(at(addDays(now, 1), '18:30'))).toEqual([`${general()}#1`]);
		const [part] = threadsUnder(general()).slice(threadsBefore);
		expect(part?.name).toBe('Leaving · Part 1');
		expect(postsIn(part?.id ?? '')).toHaveLength(3);
		const pause = await slash('club', { pause: {} });
		expect(pause.data.content).toMatch(/is paused\. `\/club resume` carries on\.$/);
		expect(await bot.client.clubs.tick(at(addDays(now, 2), '18:30'))).toEqual([]);
		await slash('club', { stop: {} });
	});
});

describe('a club stopped while its part is being posted', () => {
	it('leaves the club started after it in the channel as it was', async () => {
		const leaving = bot.storyId('leaving.txt');
		const start = '2027-03-01';
		expect(await bot.state.startClub(clubFor(leaving, general(), start, 2))).toBe(true);
		const successor = { ...clubFor(leaving, general(), start, 3), startedAt: Date.parse(`${start}T13:00:00Z`) };
		const claim = bot.state.claimClubSlot.bind(bot.state);
		// The old club's slot is claimed; then, before its post is recorded, /club stop and /club start.
		bot.state.claimClubSlot = async (...args) => {
			const claimed = await claim(...args);
			await bot.state.stopClub(guild(), general());
			await bot.state.startClub(successor);
			return claimed;
		};
		try {
			await bot.client.clubs.tick(at(addDays(start, 1), '09:00'));
		} finally {
			bot.state.claimClubSlot = claim;
		}
		const now = await bot.state.club(guild(), general());
		expect(now?.startedAt).toBe(successor.startedAt);
		expect(now).toMatchObject({ status: 'active', nextPage: 1, lastSlot: start, parts: [] });
		await bot.state.stopClub(guild(), general());
	});
});

describe('a club stopped while its post is refused', () => {
	it('pauses nothing and tells nobody: the club is gone', async () => {
		const leaving = bot.storyId('leaving.txt');
		const start = '2027-04-01';
		expect(await bot.state.startClub(clubFor(leaving, general(), start, 2))).toBe(true);
		const dm = bot.fake.dmChannel(bot.fake.user).id;
		const dmsBefore = postsIn(dm).length;
		const claim = bot.state.claimClubSlot.bind(bot.state);
		bot.state.claimClubSlot = async (...args) => {
			const claimed = await claim(...args);
			await bot.state.stopClub(guild(), general());
			return claimed;
		};
		bot.fake.forbidden.add(general());
		try {
			expect(await bot.client.clubs.tick(at(addDays(start, 1), '09:00'))).toEqual([]);
		} finally {
			bot.state.claimClubSlot = claim;
			bot.fake.forbidden.delete(general());
		}
		expect(await bot.state.club(guild(), general())).toBeUndefined();
		expect(postsIn(dm).length).toBe(dmsBefore);
	});
});

/** Redis as CI runs it; without it (outside CI) that case is skipped, saying why. */
const noRedis = await skipWithout('Redis', REDIS_URL);

describe.each([
	{ store: 'one SQLite file', url: () => `sqlite://${join(dir, 'state.sqlite')}`, skip: null },
	{ store: 'one Redis', url: () => REDIS_URL, skip: noRedis },
])('two bot instances over $store', ({ url, skip }) => {
	let second: ReturnType<typeof createBot> | undefined;
	const states: State[] = [];

	afterAll(async () => {
		await second?.destroy();
		await Promise.all(states.map((s) => s.close()));
	});

	it.skipIf(Boolean(skip))('post each part once, in order, none missed, ticking at the same moments', async () => {
		const [one, two] = [openState(url(), bot.log), openState(url(), bot.log)] as [State, State];
		states.push(one, two);
		second = createBot(
			commands,
			{ store: bot.store, search: bot.search, state: two, log: bot.log },
			{ apiUrl: bot.fake.restBase, globalRequestsPerSecond: 1e6, quoteOfTheDay: false, readingClubs: false },
		);
		// The second instance only schedules: interactions would reach both, so it joins after the others ran.
		const ready = new Promise<void>((resolve) => second?.once(Events.ClientReady, () => resolve()));
		await second.login(bot.fake.token);
		await ready;
		const leaving = bot.storyId('leaving.txt');
		const pages = bot.store.story(leaving)?.pageCount ?? 0;
		const start = '2027-01-01';
		expect(await one.startClub(clubFor(leaving, general(), start, 2))).toBe(true);
		const runners = [
			new ReadingClubs(bot.client, { store: bot.store, search: bot.search, state: one, log: bot.log }),
			new ReadingClubs(second, { store: bot.store, search: bot.search, state: two, log: bot.log }),
		];
		const before = threadsUnder(general()).length;
		const parts = Math.ceil(pages / 2);
		const posted: string[] = [];
		try {
			for (let day = 1; day <= parts + 2; day++) {
				const moment = at(addDays(start, day), day % 3 === 0 ? '09:05' : '09:00');
				// Each instance ticks twice at the slot, all at once, as two shards (and a restart) would.
				const rounds = await Promise.all([...runners, ...runners].map((runner) => runner.tick(moment)));
				posted.push(...rounds.flat());
			}
			expect(posted).toEqual(Array.from({ length: parts }, (_, i) => `${general()}#${i + 1}`));
			const made = threadsUnder(general()).slice(before);
			expect(made.map((t) => t.name)).toEqual(Array.from({ length: parts }, (_, i) => `Leaving · Part ${i + 1}`));
			const club = await two.club(guild(), general());
			expect(club?.status).toBe('done');
			expect(club?.parts.map((p) => [p.first, p.last])).toEqual(
				Array.from({ length: parts }, (_, i) => [2 * i + 1, Math.min(2 * i + 2, pages)]),
			);
		} finally {
			await one.stopClub(guild(), general());
			await one.keyv.delete(`club-claim:${guild()}:${general()}`);
			await second.destroy();
		}
	});
});

/** Makes one state store fail the writes of a club that `when` picks, as a process dying there would leave it. */
function failWrites(state: State, when: (before: Club, after: Club) => boolean): () => number {
	const update = state.updateClub.bind(state);
	let failed = 0;
	state.updateClub = async (guildId, channelId, change) => {
		const before = await state.club(guildId, channelId);
		if (before && when(before, change({ ...before }))) {
			failed++;
			throw new StateError('the state store failed (test)');
		}
		return update(guildId, channelId, change);
	};
	return () => failed;
}

describe('a part posted exactly once when the process dies mid-post, two instances over one SQLite file', () => {
	let second: ReturnType<typeof createBot> | undefined;
	const states: State[] = [];
	const start = '2027-05-01';
	const leaving = () => bot.storyId('leaving.txt');
	const file = () => `sqlite://${join(dir, 'once.sqlite')}`;
	/** Two schedulers (one on each client) over their own connections to the file, as after a restart. */
	const restart = () => {
		const [one, two] = [openState(file(), bot.log), openState(file(), bot.log)] as [State, State];
		states.push(one, two);
		return [
			new ReadingClubs(bot.client, { store: bot.store, search: bot.search, state: one, log: bot.log }),
			new ReadingClubs(second as ReturnType<typeof createBot>, {
				store: bot.store,
				search: bot.search,
				state: two,
				log: bot.log,
			}),
		] as const;
	};
	/** Both instances tick twice at the same moment, all at once. */
	const tickAll = async (runners: readonly ReadingClubs[], moment: Date) =>
		(await Promise.all([...runners, ...runners].map((r) => r.tick(moment)))).flat();

	beforeAll(async () => {
		second = createBot(
			commands,
			{ store: bot.store, search: bot.search, state: bot.state, log: bot.log },
			{ apiUrl: bot.fake.restBase, globalRequestsPerSecond: 1e6, quoteOfTheDay: false, readingClubs: false },
		);
		const ready = new Promise<void>((resolve) => second?.once(Events.ClientReady, () => resolve()));
		await second.login(bot.fake.token);
		await ready;
	});
	afterAll(async () => {
		await second?.destroy();
		await Promise.all(states.map((s) => s.close()));
	});
	afterEach(async () => {
		const state = openState(file(), bot.log);
		await state.stopClub(guild(), general());
		await state.keyv.delete(`club-claim:${guild()}:${general()}`);
		await state.close();
	});

	it('after its pages were posted, before it was recorded: the next slot posts the part after it', async () => {
		const before = threadsUnder(general()).length;
		const [one] = restart();
		const state = openState(file(), bot.log);
		states.push(state);
		expect(await state.startClub(clubFor(leaving(), general(), start, 2))).toBe(true);
		// The write that records part 1 fails: the process "dies" with the thread and its pages posted.
		const dying = new ReadingClubs(bot.client, { store: bot.store, search: bot.search, state, log: bot.log });
		const failed = failWrites(state, (was, now) => now.parts.length > was.parts.length);
		expect(await dying.tick(at(addDays(start, 1), '09:00'))).toEqual([]);
		expect(failed()).toBe(1);
		const [first] = threadsUnder(general()).slice(before);
		expect(first?.name).toBe('Leaving · Part 1');
		expect(postsIn(first?.id ?? '')).toHaveLength(3);
		const left = await one.tick(at(addDays(start, 1), '09:30'));
		expect(left).toEqual([]);

		// A restart: both instances tick at the next slot.
		const runners = restart();
		expect(await tickAll(runners, at(addDays(start, 2), '09:00'))).toEqual([`${general()}#2`]);
		const made = threadsUnder(general()).slice(before);
		expect(made.map((t) => t.name)).toEqual(['Leaving · Part 1', 'Leaving · Part 2']);
		expect(postsIn(first?.id ?? '')).toHaveLength(3);
		expect(postsIn(made[1]?.id ?? '')[0]?.embeds[0]?.footer?.text).toMatch(/^Page 3 of /);
		const club = await state.club(guild(), general());
		expect(club?.posting).toBeUndefined();
		expect(club?.parts.map((p) => [p.n, p.first, p.last, p.threadId])).toEqual([
			[1, 1, 2, first?.id],
			[2, 3, 4, made[1]?.id],
		]);
		expect(club).toMatchObject({ nextPage: 5, lastSlot: addDays(start, 2) });
		// The slot after carries on as ever.
		expect(await tickAll(runners, at(addDays(start, 3), '09:00'))).toEqual([`${general()}#3`]);
	});

	it('after its thread was opened, before any page: the next slot posts it once, in that thread', async () => {
		const before = threadsUnder(general()).length;
		const state = openState(file(), bot.log);
		states.push(state);
		expect(await state.startClub(clubFor(leaving(), general(), start, 2))).toBe(true);
		// The write of the thread's id fails: the thread is open, no page is posted.
		const dying = new ReadingClubs(bot.client, { store: bot.store, search: bot.search, state, log: bot.log });
		const failed = failWrites(state, (_, now) => now.posting?.threadId !== undefined);
		expect(await dying.tick(at(addDays(start, 1), '09:00'))).toEqual([]);
		expect(failed()).toBe(1);
		const [opened] = threadsUnder(general()).slice(before);
		expect(postsIn(opened?.id ?? '')).toHaveLength(0);

		const asked = () => bot.fake.requests.filter((r) => r.path === `/guilds/${guild()}/threads/active`).length;
		const asks = asked();
		const runners = restart();
		expect(await tickAll(runners, at(addDays(start, 2), '09:00'))).toEqual([`${general()}#1`]);
		// One request found the thread it had opened: the part is posted there, and no other thread is opened.
		expect(asked() - asks).toBe(1);
		expect(
			threadsUnder(general())
				.slice(before)
				.map((t) => t.id),
		).toEqual([opened?.id]);
		const posts = postsIn(opened?.id ?? '');
		expect(posts).toHaveLength(3);
		expect(posts[2]?.content).toMatch(/^\*\*Part 1 · pages 1–2 of \d+\*\*/);
		const club = await state.club(guild(), general());
		expect(club?.parts.map((p) => [p.n, p.threadId])).toEqual([[1, opened?.id]]);
		expect(club).toMatchObject({ nextPage: 3, lastSlot: addDays(start, 2) });
		expect(club?.posting).toBeUndefined();
	});

	it('before its thread was opened: the next slot posts it once', async () => {
		const before = threadsUnder(general()).length;
		const state = openState(file(), bot.log);
		states.push(state);
		expect(await state.startClub(clubFor(leaving(), general(), start, 2))).toBe(true);
		const dying = new ReadingClubs(bot.client, { store: bot.store, search: bot.search, state, log: bot.log });
		const failed = failWrites(state, (was, now) => now.posting !== undefined && was.posting === undefined);
		expect(await dying.tick(at(addDays(start, 1), '09:00'))).toEqual([]);
		expect(failed()).toBe(1);
		expect(threadsUnder(general()).length).toBe(before);
		expect(await tickAll(restart(), at(addDays(start, 2), '09:00'))).toEqual([`${general()}#1`]);
		const made = threadsUnder(general()).slice(before);
		expect(made.map((t) => t.name)).toEqual(['Leaving · Part 1']);
		expect(postsIn(made[0]?.id ?? '')).toHaveLength(3);
	});

	it('refused halfway through its pages: after /club resume, the next slot finishes it in its thread', async () => {
		const before = threadsUnder(general()).length;
		const state = openState(file(), bot.log);
		states.push(state);
		expect(await state.startClub(clubFor(leaving(), general(), start, 3))).toBe(true);
		// Discord refuses the thread's second page (a permission removed meanwhile).
		const refuse = (msg: FakeMessage) => {
			if (
				threadsUnder(general())
					.slice(before)
					.some((t) => t.id === msg.channel_id)
			) {
				bot.fake.forbidden.add(msg.channel_id);
			}
		};
		bot.fake.on('channelMessage', refuse);
		const [one] = restart();
		try {
			expect(await one.tick(at(addDays(start, 1), '09:00'))).toEqual([]);
		} finally {
			bot.fake.off('channelMessage', refuse);
		}
		const [thread] = threadsUnder(general()).slice(before);
		const id = thread?.id ?? '';
		bot.fake.forbidden.delete(id);
		expect(postsIn(id)).toHaveLength(1);
		expect((await state.club(guild(), general()))?.status).toBe('paused');
		// Members talk in the thread meanwhile (more than a part's worth of messages).
		for (let i = 0; i < 20; i++) bot.fake.makeMessage(id, { content: `chat ${i}` }, { author: bot.fake.user });
		await state.updateClub(guild(), general(), (c) => ({ ...c, status: 'active', pausedBecause: undefined }));
		expect(await tickAll(restart(), at(addDays(start, 2), '09:00'))).toEqual([`${general()}#2`]);
		// Part 1 has its three pages and its closing line, each once; part 2 is in a thread of its own.
		const posts = postsIn(id).filter((m) => m.author.id !== bot.fake.user.id);
		expect(posts.map((m) => m.embeds[0]?.footer?.text?.match(/^Page \d+/)?.[0] ?? m.content.slice(0, 8))).toEqual([
			'Page 1',
			'Page 2',
			'Page 3',
			'**Part 1',
		]);
		const made = threadsUnder(general()).slice(before);
		expect(made.map((t) => t.name)).toEqual(['Leaving · Part 1', 'Leaving · Part 2']);
		const club = await state.club(guild(), general());
		expect(club?.parts.map((p) => [p.n, p.first, p.last])).toEqual([
			[1, 1, 3],
			[2, 4, 6],
		]);
	});
});

describe('a club in a channel some members cannot see', () => {
	/** A member with Manage Server who is not let into #staff (nor the owner, who sees every channel). */
	const stranger: FakeUser = { ...friend, id: snowflake(), username: 'stranger', global_name: 'Stranger' };
	const cannotSee = 'You cannot see that channel, so you cannot see or run a reading club there.';
	let staff: string;
	let vault: string;

	beforeAll(async () => {
		// @everyone is denied View Channel; a member overwrite lets the friend (and the bot) in.
		staff = bot.fake.addChannel({ name: 'staff', hidden: { seenBy: [friend.id, bot.fake.botUser.id] } }).id;
		vault = bot.fake.addChannel({ name: 'vault', hidden: { seenBy: [bot.fake.botUser.id] } }).id;
		await vi.waitFor(() => expect(bot.client.channels.cache.has(vault)).toBe(true));
	});

	it('is started, shown and run only by members who can see the channel', async () => {
		const asked = { story: story('leaving.txt'), every: 'day', at: '09:00', channel: staff };
		const refused = await slash('club', { start: asked }, { user: stranger });
		expect(refused.data).toMatchObject({ content: cannotSee, flags: EPHEMERAL });
		expect(await bot.state.club(guild(), staff)).toBeUndefined();

		const started = await slash('club', { start: asked }, { user: friend });
		expect(started.data.content).toMatch(new RegExp(`^📚 \\*\\*A reading club starts\\*\\*: “Leaving” in <#${staff}>`));
		const club = await bot.state.club(guild(), staff);
		expect(club?.status).toBe('active');

		// The same answer for a hidden channel with a club and one without: nothing about either is told.
		for (const channel of [staff, vault]) {
			for (const sub of ['status', 'pause', 'resume', 'stop']) {
				const res = await slash('club', { [sub]: { channel } }, { user: stranger });
				expect(res.data, `${sub} in ${channel}`).toMatchObject({ content: cannotSee, flags: EPHEMERAL });
				expect(JSON.stringify(res.data)).not.toMatch(/Leaving/);
			}
		}
		expect(await bot.state.club(guild(), staff)).toEqual(club);

		const shown = await slash('club', { status: { channel: staff } }, { user: friend });
		expect(shown.data.embeds?.[0]?.title).toBe('Reading club · Leaving');
		// Inside one of the club's threads, with no channel given: the thread's parent, which the friend sees.
		expect(await bot.client.clubs.tick(at(addDays(club?.lastSlot as string, 1), '09:00'))).toContain(`${staff}#1`);
		const [thread] = threadsUnder(staff);
		const inThread = await slash('club', { status: {} }, { user: friend, channel: thread?.id });
		expect(inThread.data.embeds?.[0]?.title).toBe('Reading club · Leaving');

		const paused = await slash('club', { pause: { channel: staff } }, { user: friend });
		expect(paused.data.content).toMatch(/^⏸️ The reading club for “Leaving”/);
		const resumed = await slash('club', { resume: { channel: staff } }, { user: friend });
		expect(resumed.data.content).toMatch(/^▶️ The reading club for “Leaving”/);
		const stopped = await slash('club', { stop: { channel: staff } }, { user: friend });
		expect(stopped.data.content).toMatch(/^⏹️ The reading club for “Leaving” .* has ended after 1 part\./);
		expect(await bot.state.club(guild(), staff)).toBeUndefined();
	});
});

describe('everything the clubs sent', () => {
	it('is what Discord’s API accepts', () => {
		const { problems } = problemsInEverythingSent(bot.fake);
		expect(problems, problems.join('\n')).toEqual([]);
		expect(bot.fake.requests.some((r) => r.method === 'POST' && r.path === `/channels/${general()}/threads`)).toBe(
			true,
		);
	});
});
