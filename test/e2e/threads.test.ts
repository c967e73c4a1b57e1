import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chapterPart, threadName } from '../../src/discord/threads.js';
import type { FakeInteraction, FakeMessage, FakeThread, InteractionResult } from './fake-discord.js';
import { problemsInEverythingSent, startBot } from './harness.js';
import { EPHEMERAL, footer, friend, idOf, labels } from './messages.js';

let bot: Awaited<ReturnType<typeof startBot>>;

beforeAll(async () => {
	bot = await startBot();
});
afterAll(async () => {
	await bot?.stop();
});

const send = (payload: FakeInteraction) => bot.fake.sendInteraction(payload);
const slash = (name: string, options: Record<string, string | number | boolean> = {}, o = {}) =>
	send(bot.fake.slashCommand(name, options, o));
const story = (file: string) => `id:${bot.storyId(file)}`;
const general = () => bot.fake.channel('general').id;
const afterDark = () => bot.fake.channel('after-dark').id;
const threadRequests = () => bot.fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/threads'));

/** Resolves once `find` finds something (the bot posts in a thread after it has answered), or fails. */
async function eventually<T>(find: () => T | undefined, what: string, ms = 3000): Promise<T> {
	const until = Date.now() + ms;
	for (;;) {
		const found = find();
		if (found !== undefined) return found;
		if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

/** The thread the bot opened from an answer (a thread from a message takes the message's id). */
const threadFrom = (res: InteractionResult) =>
	eventually(() => bot.fake.guilds[0]?.threads.find((t) => t.id === res.message?.id), 'the thread');

/** The newest message the bot posted in a thread. */
const postedIn = (thread: FakeThread) =>
	eventually(
		() => [...bot.fake.messages.values()].reverse().find((m) => m.channel_id === thread.id),
		`a message in ${thread.name}`,
	);

/** The interaction's first follow-up (or edit), whether it came already or is still to come. */
const followUp = async (res: InteractionResult) => res.record.followups[0] ?? (await res.record.waitFor('followup'));
const edited = async (res: InteractionResult) => {
	const done = res.record.edits[0];
	return done ? (bot.fake.messages.get(done.id) as FakeMessage) : await res.record.waitFor('edit');
};

/** A click on a message the bot posted in a channel itself (no interaction behind it). */
const clickOn = (msg: FakeMessage, label: string, o = {}) =>
	send(bot.fake.buttonClick(idOf(msg, label), msg, { channel: msg.channel_id, ...o }));

/**
 * An interaction from a place where the bot lacks these permissions (Discord's app_permissions), and is no
 * Administrator (which would grant them all).
 */
const without = (...flags: bigint[]) => ({
	extra: {
		app_permissions: [PermissionFlagsBits.Administrator, ...flags]
			.reduce((all, flag) => all & ~flag, (1n << 53n) - 1n)
			.toString(),
	},
});

describe('/read thread:true', () => {
	it('opens a thread named after the story, keeps one line in the channel, and reads there', async () => {
		const before = threadRequests().length;
		const res = await slash('read', { story: story('leaving.txt'), thread: true });
		expect(res.type).toBe(4);
		expect(res.data.flags ?? 0).toBe(0);
		expect(res.data.embeds ?? []).toEqual([]);
		expect(res.data.content).toBe(
			`📖 <@${bot.fake.user.id}> is reading **Leaving** in the thread below. Join in there.`,
		);
		expect(res.data.allowed_mentions).toEqual({ parse: [] });
		const thread = await threadFrom(res);
		expect(thread).toMatchObject({ name: 'Leaving', type: 11, parent_id: general() });
		const made = threadRequests().slice(before);
		expect(made.map((r) => r.path)).toEqual([`/channels/${general()}/messages/${res.message?.id}/threads`]);
		const reader = await postedIn(thread);
		expect(reader.embeds[0]?.footer?.text).toMatch(/^Page 1 of \d+ · Leaving/);
		expect(reader.embeds[0]?.description?.length).toBeGreaterThan(100);

		// The reader turns the pages in the thread; anyone else gets a copy of their own.
		const next = await clickOn(reader, 'Next ›');
		expect(next.type).toBe(7);
		expect(footer(next)).toMatch(/^Page 2 of/);
		const theirs = await clickOn(reader, 'Last »', { user: friend });
		expect(theirs.type).toBe(4);
		expect(theirs.data.flags).toBe(EPHEMERAL);
		expect(reader.embeds[0]?.footer?.text).toMatch(/^Page 2 of/);
		// A forged custom_id naming the friend as owner does not turn the reader's message either.
		const forged = idOf(reader, 'Next ›').replace(bot.fake.user.id, friend.id);
		const copy = await send(bot.fake.buttonClick(forged, reader, { channel: thread.id, user: friend }));
		expect(copy.data.flags).toBe(EPHEMERAL);
	});

	it('lets the thread’s opener, and only them, hand its pages to everyone there', async () => {
		const res = await slash('read', { story: story('leaving.txt'), page: 1, thread: true });
		const reader = await postedIn(await threadFrom(res));
		expect(labels(reader)).toContain('Everyone turns pages');
		const refused = await clickOn(reader, 'Everyone turns pages', { user: friend });
		expect(refused.data.flags).toBe(EPHEMERAL);
		expect(reader.embeds[0]?.footer?.text).not.toMatch(/everyone turns pages/);

		const on = await clickOn(reader, 'Everyone turns pages');
		expect(on.type).toBe(7);
		expect(footer(on)).toMatch(/^Page 1 of \d+ · Leaving · .* · everyone turns pages$/);
		const turned = await clickOn(reader, 'Next ›', { user: friend });
		expect(turned.type).toBe(7);
		expect(reader.embeds[0]?.footer?.text).toMatch(/^Page 2 of .* · everyone turns pages$/);
	});

	it('names the thread after the chapter too, within 100 characters', async () => {
		const res = await slash('read', { story: story('the-long-night.html'), chapter: 2, thread: true });
		expect(res.data.content).toMatch(/is reading \*\*The Long Night\*\* \(chapter 2\) in the thread below/);
		const thread = await threadFrom(res);
		expect(thread.name).toBe('The Long Night · Chapter 2');
		expect(thread.name.length).toBeLessThanOrEqual(100);
		const reader = await postedIn(thread);
		expect(reader.embeds[0]?.footer?.text).toMatch(/Chapter 2|ch\. 2|2\//i);
		const long = threadName('T'.repeat(150), chapterPart({ number: 12, title: 'A chapter title of some length' }));
		expect(long.length).toBe(100);
		expect(long).toMatch(/^T{62}… · 12\. A chapter title of some length$/);
		expect(threadName('x'.repeat(99), chapterPart({ number: 3, title: 'y'.repeat(99) }))).toMatch(/^x{59}… · 3\. y+…$/);
		expect(threadName('Leaving', chapterPart({ number: 4, title: null }))).toBe('Leaving · Chapter 4');
	});

	it('opens one from the card’s Read in a thread button', async () => {
		const card = await slash('story', { story: story('moving-day.txt') });
		expect(labels(card.data)).toContain('Read in a thread');
		const res = await send(bot.fake.buttonClick(idOf(card.data, 'Read in a thread'), card.message ?? undefined));
		expect(res.data.content).toMatch(/is reading \*\*Moving Day\*\* in the thread below/);
		const thread = await threadFrom(res);
		expect(thread.name).toBe('Moving Day');
		expect((await postedIn(thread)).embeds[0]?.footer?.text).toMatch(/^Page 1 of/);
	});

	it('says which permission it lacks and reads in the channel instead', async () => {
		const before = threadRequests().length;
		const res = await slash(
			'read',
			{ story: story('leaving.txt'), page: 1, thread: true },
			without(PermissionFlagsBits.CreatePublicThreads),
		);
		expect(res.type).toBe(4);
		expect(footer(res)).toMatch(/^Page 1 of/);
		const notice = await followUp(res);
		expect(notice.flags).toBe(EPHEMERAL);
		expect(notice.content).toBe(
			'No thread: I lack the Create Public Threads permission in this channel, so I am reading here instead.',
		);
		const both = await slash(
			'read',
			{ story: story('leaving.txt'), page: 1, thread: true },
			without(PermissionFlagsBits.CreatePublicThreads, PermissionFlagsBits.SendMessagesInThreads),
		);
		expect((await followUp(both)).content).toMatch(
			/I lack the Create Public Threads and Send Messages in Threads permissions in this channel/,
		);
		expect(threadRequests().length).toBe(before);
	});

	it('reads in the channel when Discord refuses the thread, saying so', async () => {
		bot.fake.forbidden.add(general());
		try {
			const res = await slash('read', { story: story('leaving.txt'), page: 1, thread: true });
			const edit = await edited(res);
			expect(edit.embeds[0]?.footer?.text).toMatch(/^Page 1 of/);
			expect(edit.content).toBe('');
			const notice = await followUp(res);
			expect(notice.flags).toBe(EPHEMERAL);
			expect(notice.content).toMatch(/^No thread: Discord refused: I lack the Create Public Threads/);
			// The message in the channel is the reader's own: it turns for them.
			const next = await send(bot.fake.buttonClick(idOf(edit, 'Next ›'), edit));
			expect(next.type).toBe(7);
		} finally {
			bot.fake.forbidden.delete(general());
		}
	});

	it('reads in place in a DM and inside a thread, saying why', async () => {
		const dm = await slash('read', { story: story('leaving.txt'), page: 1, thread: true }, { dm: true });
		expect(footer(dm)).toMatch(/^Page 1 of/);
		expect((await followUp(dm)).content).toBe('No thread: there are no threads in a DM, so I am reading here instead.');
		const opened = await slash('read', { story: story('moving-day.txt'), page: 1, thread: true });
		const thread = await threadFrom(opened);
		const inside = await slash('read', { story: story('leaving.txt'), page: 1, thread: true }, { channel: thread.id });
		expect(footer(inside)).toMatch(/^Page 1 of/);
		expect(inside.message?.channel_id).toBe(thread.id);
		expect((await followUp(inside)).content).toMatch(/^No thread: this is a thread already/);
	});

	it('asks where to resume, then reads there in a thread', async () => {
		await slash('read', { story: story('moving-day.txt'), page: 2 }, { user: friend });
		const asked = await slash('read', { story: story('moving-day.txt'), thread: true }, { user: friend });
		expect(asked.data.flags).toBe(EPHEMERAL);
		expect(labels(asked.data)).toEqual(['Continue from page 2', 'Start at page 1']);
		const res = await send(
			bot.fake.buttonClick(idOf(asked.data, 'Continue from page 2'), asked.message ?? undefined, { user: friend }),
		);
		expect(res.data.flags ?? 0).toBe(0);
		expect(res.data.content).toBe(`📖 <@${friend.id}> is reading **Moving Day** in the thread below. Join in there.`);
		const thread = await threadFrom(res);
		const reader = await postedIn(thread);
		expect(reader.embeds[0]?.footer?.text).toMatch(/^Page 2 of/);
		// The friend's reading: their clicks turn it, the first user's get a copy.
		expect((await clickOn(reader, '‹ Previous', { user: friend })).type).toBe(7);
		expect((await clickOn(reader, 'Next ›')).data.flags).toBe(EPHEMERAL);
	});

	it('keeps a private reading private: private:true opens no thread', async () => {
		const before = threadRequests().length;
		const res = await slash('read', { story: story('leaving.txt'), page: 1, thread: true, private: true });
		expect(res.data.flags).toBe(EPHEMERAL);
		expect(threadRequests().length).toBe(before);
	});
});

describe('the rating gate in threads', () => {
	it('hides Explicit text in a thread under a SFW channel, and opens no thread for it there', async () => {
		const before = threadRequests().length;
		const res = await slash('read', { story: story('after-dark.txt'), page: 1, thread: true });
		expect(res.data.content).toMatch(/only in age-restricted \(NSFW\) channels/);
		expect(JSON.stringify(res.data.embeds)).not.toMatch(/lamps were out/);
		expect(threadRequests().length).toBe(before);

		const opened = await slash('read', { story: story('leaving.txt'), page: 1, thread: true });
		const sfwThread = await threadFrom(opened);
		expect(sfwThread.parent_id).toBe(general());
		const inThread = await slash('read', { story: story('after-dark.txt'), page: 1 }, { channel: sfwThread.id });
		expect(inThread.message?.channel_id).toBe(sfwThread.id);
		expect(inThread.data.content).toMatch(/only in age-restricted \(NSFW\) channels/);
		expect(JSON.stringify(inThread.data)).not.toMatch(/lamps were out/);
		const quote = await slash('quote', { story: story('after-dark.txt') }, { channel: sfwThread.id });
		expect(JSON.stringify(quote.data)).not.toMatch(/never sleep/);
	});

	it('shows it in a thread under an age-restricted channel: the thread has its parent’s flag', async () => {
		const res = await slash(
			'read',
			{ story: story('after-dark.txt'), page: 1, thread: true },
			{ channel: afterDark() },
		);
		const thread = await threadFrom(res);
		expect(thread.parent_id).toBe(afterDark());
		expect(thread.name).toBe('After Dark');
		expect((await postedIn(thread)).embeds[0]?.description).toMatch(/lamps were out/);
		const inThread = await slash('read', { story: story('after-dark.txt'), page: 1 }, { channel: thread.id });
		expect(inThread.data.embeds?.[0]?.description).toMatch(/lamps were out/);
	});

	it('sent only what Discord’s API accepts', () => {
		const { sent, problems } = problemsInEverythingSent(bot.fake);
		expect(sent).toBeGreaterThan(10);
		expect(problems, problems.join('\n')).toEqual([]);
		expect(threadRequests().length).toBeGreaterThanOrEqual(6);
	});
});
