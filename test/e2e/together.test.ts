import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { QuoteOfTheDay } from '../../src/discord/qotd.js';
import { openState } from '../../src/state.js';
import type { FakeInteraction, FakeMessage, InteractionResult } from './fake-discord.js';
import { problemsInEverythingSent, startBot } from './harness.js';
import { components, EPHEMERAL, footer, friend, idOf, labels } from './messages.js';

let bot: Awaited<ReturnType<typeof startBot>>;

beforeAll(async () => {
	bot = await startBot();
});
afterAll(async () => {
	await bot?.stop();
});

const send = (payload: FakeInteraction) => bot.fake.sendInteraction(payload);
const slash = (name: string, options: Record<string, unknown> = {}, o = {}) =>
	send(bot.fake.slashCommand(name, options as Parameters<typeof bot.fake.slashCommand>[1], o));
const click = (res: InteractionResult, label: string, o = {}) =>
	send(bot.fake.buttonClick(idOf(res.data, label), res.message ?? undefined, o));
const story = (file: string) => `id:${bot.storyId(file)}`;
/** A member without Manage Server (or any other permission). */
const powerless = (payload: FakeInteraction) => {
	if (payload.member) payload.member.permissions = '0';
	return payload;
};

describe('bookmarks and /library', () => {
	it('remembers the page and offers to continue from it', async () => {
		await slash('read', { story: story('leaving.txt'), page: 3 });
		const again = await slash('read', { story: story('leaving.txt') });
		expect(again.data.flags).toBe(EPHEMERAL);
		expect(again.data.content).toMatch(/^You were on page 3 of \d+ of “Leaving”\. Continue from page 3\?$/);
		expect(labels(again.data)).toEqual(['Continue from page 3', 'Start at page 1']);
		const resumed = await click(again, 'Continue from page 3');
		expect(resumed.type).toBe(4);
		expect(resumed.data.flags ?? 0).toBe(0); // for the channel, as /read is by default
		expect(footer(resumed)).toMatch(/^Page 3 of/);
		const fresh = await click(again, 'Start at page 1');
		expect(footer(fresh)).toMatch(/^Page 1 of/);
	});

	it('saves a bookmark and lists the library with progress, with a menu to resume', async () => {
		const page = await slash('read', { story: story('moving-day.txt'), page: 2 });
		const saved = await click(page, 'Bookmark');
		expect(saved.data.flags).toBe(EPHEMERAL);
		expect(saved.data.content).toMatch(/^Bookmarked page 2 of “Moving Day”/);
		const library = await slash('library', { list: {} });
		expect(library.data.flags).toBe(EPHEMERAL);
		const fields = library.data.embeds?.[0]?.fields ?? [];
		expect(fields[0]?.name).toBe('Moving Day — Klytaimnestra');
		expect(fields[0]?.value).toMatch(/^Page 2 of \d+ [▓░]{10} \d+% · 🔖 page 2$/);
		expect(fields.map((f) => f.name)).toContain('Leaving — Slaymesoftly');
		const menu = components(library.data).find((c) => c.type === 3);
		const opened = await send(
			bot.fake.selectMenu(
				menu?.custom_id as string,
				[menu?.options?.[0]?.value as string],
				library.message ?? undefined,
			),
		);
		expect(footer(opened)).toMatch(/^Page 2 of \d+ · Moving Day/);
		const cleared = await slash('library', { clear: {} });
		expect(cleared.data.content).toBe('Forgot 2 stories.');
		const empty = await slash('library', { list: {} });
		expect(empty.data.content).toMatch(/^Your library is empty/);
	});

	it('keeps each reader’s place apart', async () => {
		await slash('read', { story: story('leaving.txt'), page: 4 }, { user: friend });
		// The page is remembered just after the answer goes out.
		await vi.waitFor(async () =>
			expect((await bot.state.libraryEntry(friend.id, bot.storyId('leaving.txt')))?.page).toBe(4),
		);
		expect(await bot.state.libraryEntry(bot.fake.user.id, bot.storyId('leaving.txt'))).toBeUndefined();
	});
});

describe('sharing lines and the quote board', () => {
	let card: InteractionResult;

	it('offers the lines of a page and posts the chosen one for the channel', async () => {
		const page = await slash('read', { story: story('leaving.txt'), page: 1 });
		const offer = await click(page, 'Quote a line');
		expect(offer.data.flags).toBe(EPHEMERAL);
		const menu = components(offer.data).find((c) => c.type === 3);
		const option = menu?.options?.[0];
		expect(option?.label.length).toBeGreaterThan(10);
		card = await send(
			bot.fake.selectMenu(menu?.custom_id as string, [option?.value as string], offer.message ?? undefined),
		);
		expect(card.type).toBe(4);
		expect(card.data.flags ?? 0).toBe(0);
		expect(footer(card)).toMatch(/^Page 1 of \d+ · shared by Tester$/);
		expect(labels(card.data)).toEqual(['Another', 'Read in context', 'Save', 'Share as image']);
	});

	it('saves a line once per person, and shows the board', async () => {
		const first = await click(card, 'Save');
		expect(first.data.content).toMatch(/^Saved to this server’s quote board \(saved once\)/);
		expect((await click(card, 'Save')).data.content).toMatch(/^You saved this line already/);
		const second = await click(card, 'Save', { user: friend });
		expect(second.data.content).toMatch(/saved 2 times/);
		const board = await slash('quotes');
		expect(board.data.flags ?? 0).toBe(0);
		const embed = board.data.embeds?.[0];
		expect(embed?.description).toContain(card.data.embeds?.[0]?.description?.split('\n\n')[0]);
		expect(embed?.fields?.[0]).toEqual({ name: 'Saved 2 times', value: `by <@${bot.fake.user.id}>, <@${friend.id}>` });
		expect(footer(board)).toBe('Quote 1 of 1 · page 1 of the story');
		expect(board.data.allowed_mentions).toEqual({ parse: [] });
		const top = await slash('quotes', { sort: 'top' });
		expect(top.data.embeds?.[0]?.title).toBe('Quote board · most saved');
	});

	it('lets only the saver or a moderator remove a quote, and says when it is gone', async () => {
		const board = await slash('quotes');
		const removeId = idOf(board.data, 'Remove');
		const denied = await send(powerless(bot.fake.buttonClick(removeId, board.message ?? undefined, { user: friend })));
		expect(denied.data.content).toMatch(/^Only the person who saved this quote/);
		const removed = await click(board, 'Remove');
		expect(removed.type).toBe(7);
		expect(removed.data.content).toBe('Removed. The board is empty now.');
		const stale = await send(bot.fake.buttonClick(removeId, board.message ?? undefined));
		expect(stale.data.flags).toBe(EPHEMERAL);
		expect(stale.data.content).toBe('That quote is no longer on the board.');
		// A moderator (the fake's members can manage messages) removes someone else's quote from their board message.
		await click(card, 'Save');
		const again = await slash('quotes');
		const byModerator = await click(again, 'Remove', { user: friend });
		expect(byModerator.type).toBe(7);
		expect(byModerator.data.content).toBe('Removed. The board is empty now.');
	});
});

describe('/settings', () => {
	const general = () => bot.fake.channel('general').id;

	it('shows the settings, only to members who can manage the server', async () => {
		const shown = await slash('settings', { show: {} });
		expect(shown.data.flags).toBe(EPHEMERAL);
		expect(shown.data.embeds?.[0]?.fields?.[0]?.value).toMatch(/^Teen \(the default\)/);
		const denied = await send(powerless(bot.fake.slashCommand('settings', { show: {} })));
		expect(denied.data.content).toBe('Only members who can manage this server can change its settings.');
	});

	it('moves the rating gate both ways', async () => {
		const mature = await slash('read', { story: story('late-shift.txt') }, { channel: 'general' });
		expect(JSON.stringify(mature.data)).not.toContain('Coffee keeps');
		await slash('settings', { rating: { max: 'Mature' } });
		const allowed = await slash('read', { story: story('late-shift.txt'), page: 1 }, { channel: 'general' });
		expect(allowed.data.embeds?.[0]?.description).toContain('Coffee keeps the ghosts away');
		const explicit = await slash('read', { story: story('after-dark.txt') }, { channel: 'general' });
		expect(JSON.stringify(explicit.data)).not.toContain('I never sleep');
		await slash('settings', { rating: { max: 'General' } });
		const teen = await slash('read', { story: story('leaving.txt'), page: 1 }, { channel: 'general' });
		expect(teen.data.content).toMatch(/this server shows text rated above General only in age-restricted/);
		await slash('settings', { rating: { max: 'Teen' } });
	});

	it('makes /read and /search private by default when asked', async () => {
		await slash('settings', { replies: { read: 'private', search: 'private' } });
		const read = await slash('read', { story: story('leaving.txt'), page: 1 });
		expect(read.data.flags).toBe(EPHEMERAL);
		const search = await slash('search', { query: 'lighthouse' });
		expect(search.data.flags).toBe(EPHEMERAL);
		const forced = await slash('read', { story: story('leaving.txt'), page: 1, private: false });
		expect(forced.data.flags ?? 0).toBe(0);
		await slash('settings', { replies: { read: 'public', search: 'public' } });
		const none = await slash('settings', { replies: {} });
		expect(none.data.content).toMatch(/^Say which to change/);
	});

	it('answers bad quote-of-the-day values clearly', async () => {
		const zone = await slash('settings', { qotd: { channel: general(), hour: 9, timezone: 'Mars/Olympus' } });
		expect(zone.data.content).toBe(
			'“Mars/Olympus” is not a time zone I know. Use a name such as Europe/London or America/New_York.',
		);
		const hour = await slash('settings', { qotd: { channel: general(), hour: 25 } });
		expect(hour.data.content).toBe('The hour must be from 0 to 23.');
	});
});

describe('quote of the day', () => {
	it('posts once a day at the hour, never twice across restarts, only what the channel may show', async () => {
		const general = bot.fake.channel('general').id;
		const set = await slash('settings', { qotd: { channel: general, hour: 9, timezone: 'Europe/London' } });
		expect(set.data.content).toMatch(/^A quote of the day will be posted in <#\d+> at 09:00 Europe\/London\.$/);
		const posts = () =>
			bot.fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${general}/messages`);
		const before = posts().length;
		const guild = bot.fake.guilds[0]?.id;
		expect(await bot.client.qotd.tick(new Date('2026-11-25T08:59:00Z'))).toEqual([]);
		expect(await bot.client.qotd.tick(new Date('2026-11-25T09:10:00Z'))).toEqual([guild]);
		expect(await bot.client.qotd.tick(new Date('2026-11-25T09:40:00Z'))).toEqual([]);
		// A restart: a new scheduler over the same state store.
		const restarted = new QuoteOfTheDay(bot.client, {
			store: bot.store,
			search: bot.search,
			state: bot.state,
			log: bot.log,
		});
		expect(await restarted.tick(new Date('2026-11-25T09:50:00Z'))).toEqual([]);
		// Summer time: 09:00 in London is 08:00 UTC.
		expect(await restarted.tick(new Date('2026-07-01T08:05:00Z'))).toEqual([guild]);
		for (let day = 10; day <= 19; day++) await restarted.tick(new Date(`2026-12-${day}T09:00:00Z`));
		const sent = posts().slice(before);
		expect(sent).toHaveLength(12);
		for (const post of sent) {
			const body = post.body as { content: string; embeds: { description: string }[]; allowed_mentions: unknown };
			expect(body.content).toMatch(/^\*\*Quote of the day\*\* · 2026-\d\d-\d\d$/);
			expect(body.allowed_mentions).toEqual({ parse: [] });
			expect(body.embeds[0]?.description).not.toMatch(/After Dark|Late Shift/);
		}
	});

	it('posts once when two machines holding the server tick at the same moment over one Redis', async () => {
		const general = bot.fake.channel('general').id;
		const guild = bot.fake.guilds[0]?.id as string;
		const redis = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
		// Each "machine" has its own connection to the shared Redis, as separate processes would.
		const states = [openState(redis, bot.log), openState(redis, bot.log)];
		const [first, second] = states as [ReturnType<typeof openState>, ReturnType<typeof openState>];
		try {
			await first.updateSettings(guild, { qotd: { channelId: general, hour: 9, timeZone: 'UTC' } });
			const runners = states.map(
				(state) => new QuoteOfTheDay(bot.client, { store: bot.store, search: bot.search, state, log: bot.log }),
			);
			const posts = () =>
				bot.fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${general}/messages`);
			const before = posts().length;
			const at = new Date('2027-03-14T09:00:00Z');
			const rounds = await Promise.all([...runners, ...runners].map((runner) => runner.tick(at)));
			expect(rounds.flat()).toEqual([guild]);
			expect(posts().length - before).toBe(1);
			expect(await second.lastQotd(guild)).toBe('2027-03-14');
		} finally {
			await Promise.all(['settings', 'qotd', 'qotd-claim'].map((kind) => first.keyv.delete(`${kind}:${guild}`)));
			await Promise.all(states.map((state) => state.close()));
		}
	});

	it('logs and skips a channel it cannot post in', async () => {
		const guild = bot.fake.guilds[0]?.id as string;
		await bot.state.updateSettings(guild, { qotd: { channelId: '123456789012345678', hour: 9, timeZone: 'UTC' } });
		expect(await bot.client.qotd.tick(new Date('2026-12-25T09:00:00Z'))).toEqual([]);
		expect(bot.log.lines.some((l) => l.includes('cannot post in its channel'))).toBe(true);
		await bot.state.updateSettings(guild, { qotd: null });
	});
});

describe('when the state store is down', () => {
	let down: Awaited<ReturnType<typeof startBot>>;
	beforeAll(async () => {
		down = await startBot({ state: (log) => openState('redis://127.0.0.1:1', log, 300) });
	});
	afterAll(async () => {
		await down?.stop();
	});

	it('still reads, and answers what needs the store politely', async () => {
		// The server's settings cannot be read: General text only, and for the reader alone (fails closed).
		const value = `id:${down.storyId('lighthouse-1.txt')}`;
		const read = await down.fake.sendInteraction(down.fake.slashCommand('read', { story: value }));
		expect(read.data.embeds?.[0]?.footer?.text).toMatch(/^Page 1 of/);
		expect(read.data.flags).toBe(EPHEMERAL);
		const teen = `id:${down.storyId('leaving.txt')}`;
		const hidden = await down.fake.sendInteraction(down.fake.slashCommand('read', { story: teen }));
		expect(hidden.data.flags).toBe(EPHEMERAL);
		expect(hidden.data.content).toMatch(/rated Teen: this server’s settings cannot be read right now/);
		expect(hidden.data.embeds?.[0]?.title).toBe('Leaving');
		const library = await down.fake.sendInteraction(down.fake.slashCommand('library', { list: {} }));
		expect(library.data.flags).toBe(EPHEMERAL);
		expect(library.data.content).toBe('Your library cannot be reached right now. Please try again in a minute.');
		const bookmark = await down.fake.sendInteraction(
			down.fake.buttonClick(idOf(read.data, 'Bookmark'), read.message as FakeMessage),
		);
		expect(bookmark.data.content).toBe('Bookmarks cannot be saved right now. Please try again in a minute.');
		const board = await down.fake.sendInteraction(down.fake.slashCommand('quotes'));
		expect(board.data.content).toBe('The quote board cannot be reached right now. Please try again in a minute.');
		// A query too long for a custom_id cannot be kept: its results are shown, without Previous and Next.
		const long = `lighthouse ${'keeper '.repeat(20)}`.trim();
		const search = await down.fake.sendInteraction(down.fake.slashCommand('search', { query: long }));
		const results = search.data;
		expect(results.embeds?.[0]?.fields?.length).toBe(5);
		expect(components(results).map((c) => c.label)).not.toContain('Next ›');
		expect(down.log.lines.filter((l) => l.includes('ERROR'))).toEqual([]);
	});
});

describe('everything the bot sent', () => {
	it('fits Discord’s limits, pings nobody, and matches Discord’s API spec', () => {
		const { sent, problems } = problemsInEverythingSent(bot.fake);
		expect(sent).toBeGreaterThan(30);
		expect(problems).toEqual([]);
	});
});
