import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeMessage, InteractionResult } from './fake-discord.js';
import { problemsInEverythingSent, startBot } from './harness.js';
import { EPHEMERAL, footer, friend, idOf } from './messages.js';

/**
 * Whoever ran the command owns its public message: their clicks turn it, anyone else's open a copy of their
 * own. The owner written in a custom_id can be forged (any client can send any custom_id); the message's
 * interaction metadata, which Discord fills in, cannot. A forged owner must get a copy, never the message.
 */

let bot: Awaited<ReturnType<typeof startBot>>;
beforeAll(async () => {
	bot = await startBot();
});
afterAll(async () => {
	await bot?.stop();
});

const send = (payload: Parameters<typeof bot.fake.sendInteraction>[0]) => bot.fake.sendInteraction(payload);
const slash = (name: string, options: Record<string, string | number | boolean> = {}) =>
	send(bot.fake.slashCommand(name, options));
const byFriend = { user: friend };
const stored = (res: InteractionResult) => bot.fake.messages.get(res.message?.id ?? '') as FakeMessage;

describe('a forged owner in a custom_id', () => {
	it('does not turn another person’s public reader: page buttons, the jump modal, the chapter menu', async () => {
		const leaving = bot.storyId('leaving.txt');
		const mine = await slash('read', { story: `id:${leaving}` });
		expect(mine.data.flags ?? 0).toBe(0);
		const message = stored(mine);
		for (const kind of ['n', 'l', 'p', 'f']) {
			const forged = `read:1:${kind}:${leaving}:2:${friend.id}`;
			const res = await send(bot.fake.buttonClick(forged, message, byFriend));
			expect(res.type, forged).toBe(4);
			expect(res.data.flags, forged).toBe(EPHEMERAL);
			expect(footer(res), forged).toMatch(/^Page 2 of/);
		}
		const modal = await send(
			bot.fake.modalSubmit(`read:1:m:${leaving}:${friend.id}`, { page: '3' }, message, byFriend),
		);
		expect(modal.type).toBe(4);
		expect(modal.data.flags).toBe(EPHEMERAL);
		expect(bot.fake.messages.get(message.id)?.embeds[0]?.footer?.text).toMatch(/^Page 1 of/);

		const night = bot.storyId('the-long-night.html');
		const chapters = stored(await slash('read', { story: `id:${night}` }));
		const menu = await send(bot.fake.selectMenu(`read:1:c:${night}:${friend.id}`, ['2'], chapters, byFriend));
		expect(menu.type).toBe(4);
		expect(menu.data.flags).toBe(EPHEMERAL);
		expect(bot.fake.messages.get(chapters.id)?.embeds[0]?.footer?.text).toMatch(/^Chapter 1/);

		// The owner still turns their own message.
		const next = await send(bot.fake.buttonClick(idOf(message, 'Next ›'), message));
		expect(next.type).toBe(7);
		expect(footer(next)).toMatch(/^Page 2 of/);
	});

	it('does not turn another person’s search results, quote board or quote card', async () => {
		const search = await slash('search', { query: 'lighthouse' });
		const results = stored(search);
		const forgedPage = await send(bot.fake.buttonClick(`search:1:p:5:${friend.id}:lighthouse`, results, byFriend));
		expect(forgedPage.type).toBe(4);
		expect(forgedPage.data.flags).toBe(EPHEMERAL);

		const card = await slash('quote', { story: `id:${bot.storyId('leaving.txt')}` });
		await send(bot.fake.buttonClick(idOf(card.data, 'Save'), stored(card)));
		const another = await send(bot.fake.buttonClick(`quote:1:a:0:${friend.id}:`, stored(card), byFriend));
		expect(another.type).toBe(4);
		expect(another.message?.id).not.toBe(card.message?.id);

		const board = await slash('quotes');
		const forgedBoard = await send(bot.fake.buttonClick(`quotes:1:p:n:0:${friend.id}`, stored(board), byFriend));
		expect(forgedBoard.type).toBe(4);
		expect(forgedBoard.data.flags).toBe(EPHEMERAL);
	});

	it('sent nothing past Discord’s limits or its API spec', () => {
		expect(problemsInEverythingSent(bot.fake).problems).toEqual([]);
	});
});
