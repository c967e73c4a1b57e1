import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeInteraction, FakeMessage, InteractionResult } from './fake-discord.js';
import { problemsInEverythingSent, startBot } from './harness.js';
import { components, EPHEMERAL, footer, friend, idOf, labels } from './messages.js';

/**
 * The shared book: the owner of a public reader hands its pages to everyone ("Everyone turns pages"), then
 * anyone's click turns the message; two clicks made from the same page turn it once. The mode lives in the
 * message's custom_ids, so nothing is kept anywhere else.
 */

let bot: Awaited<ReturnType<typeof startBot>>;
beforeAll(async () => {
	bot = await startBot();
});
afterAll(async () => {
	await bot?.stop();
});

const send = (payload: FakeInteraction) => bot.fake.sendInteraction(payload);
const byFriend = { user: friend };
const stored = (res: InteractionResult) => bot.fake.messages.get(res.message?.id ?? '') as FakeMessage;
const shownFooter = (message: FakeMessage) => bot.fake.messages.get(message.id)?.embeds[0]?.footer?.text;
/** A click on the button with this label as the message shows it now. */
const press = (message: FakeMessage, label: string, o = {}) =>
	send(bot.fake.buttonClick(idOf(bot.fake.messages.get(message.id), label), bot.fake.messages.get(message.id), o));

async function openReader(story: string, options: Record<string, string | number | boolean> = {}) {
	const res = await send(bot.fake.slashCommand('read', { story: `id:${bot.storyId(story)}`, page: 1, ...options }));
	expect(res.data.flags ?? 0).toBe(0);
	return stored(res);
}

describe('a shared book', () => {
	it('is offered on a public reader only, and only its owner hands the pages over', async () => {
		const message = await openReader('leaving.txt');
		expect(labels(message)).toContain('Everyone turns pages');
		const mine = await send(
			bot.fake.slashCommand('read', { story: `id:${bot.storyId('leaving.txt')}`, private: true }),
		);
		expect(mine.data.flags).toBe(EPHEMERAL);
		expect(labels(mine.data)).not.toContain('Everyone turns pages');

		// Someone else cannot hand over another person's reader (not even with the owner's id in the custom_id).
		const refused = await press(message, 'Everyone turns pages', byFriend);
		expect(refused.type).toBe(4);
		expect(refused.data.flags).toBe(EPHEMERAL);
		expect(refused.data.content).toMatch(/^Only the person who opened this reader/);
		expect(shownFooter(message)).not.toMatch(/everyone turns pages/);
		// And while it is the owner's, their Next opens a copy of their own.
		const copy = await press(message, 'Next ›', byFriend);
		expect(copy.type).toBe(4);
		expect(copy.data.flags).toBe(EPHEMERAL);
		expect(labels(copy.data)).not.toContain('Everyone turns pages');
		expect(shownFooter(message)).toMatch(/^Page 1 of/);
	});

	it('lets anyone turn the message once the owner hands it over, and back to the owner alone', async () => {
		const message = await openReader('leaving.txt');
		const on = await press(message, 'Everyone turns pages');
		expect(on.type).toBe(7);
		expect(footer(on)).toMatch(/^Page 1 of \d+ · Leaving · Slaymesoftly · everyone turns pages$/);
		expect(labels(on.data)).toContain('Everyone turns pages ✓');

		const turned = await press(message, 'Next ›', byFriend);
		expect(turned.type).toBe(7);
		expect(turned.message?.id).toBe(message.id);
		expect(footer(turned)).toMatch(/^Page 2 of .* · everyone turns pages$/);
		// Still the owner's message: the friend cannot take the pages back.
		expect((await press(message, 'Everyone turns pages ✓', byFriend)).data.flags).toBe(EPHEMERAL);
		// The jump modal from anyone turns it too.
		const modal = await press(message, '2 /', byFriend);
		expect(modal.type).toBe(9);
		// While the friend types, the owner turns on; a page typed in the box is still where the message goes.
		expect(footer(await press(message, 'Next ›'))).toMatch(/^Page 3 of/);
		const jumped = await send(
			bot.fake.modalSubmit(modal.data.custom_id as string, { page: '4' }, bot.fake.messages.get(message.id), byFriend),
		);
		expect(jumped.type).toBe(7);
		expect(shownFooter(message)).toMatch(/^Page 4 of/);

		const off = await press(message, 'Everyone turns pages ✓');
		expect(off.type).toBe(7);
		expect(footer(off)).toMatch(/^Page 4 of \d+ · Leaving · Slaymesoftly$/);
		const copy = await press(message, 'Next ›', byFriend);
		expect(copy.type).toBe(4);
		expect(copy.data.flags).toBe(EPHEMERAL);
		expect(shownFooter(message)).toMatch(/^Page 4 of/);
	});

	it('turns one page for two clicks made from the same page', async () => {
		const message = await openReader('leaving.txt');
		await press(message, 'Everyone turns pages');
		const onPage1 = structuredClone(bot.fake.messages.get(message.id) as FakeMessage);
		const next = idOf(onPage1, 'Next ›');

		// One after the other: the second click comes with the message already on page 2, so it turns nothing.
		const first = await send(bot.fake.buttonClick(next, bot.fake.messages.get(message.id), byFriend));
		expect(first.type).toBe(7);
		expect(footer(first)).toMatch(/^Page 2 of/);
		const second = await send(bot.fake.buttonClick(next, bot.fake.messages.get(message.id)));
		expect(second.type).toBe(6); // acknowledged, nothing changed
		expect(shownFooter(message)).toMatch(/^Page 2 of/);
		const third = await send(bot.fake.buttonClick(next, bot.fake.messages.get(message.id), byFriend));
		expect(third.type).toBe(6);
		expect(shownFooter(message)).toMatch(/^Page 2 of/);

		// At the same moment: both clicks carry the message on page 2 and both ask for page 3; it turns once.
		const onPage2 = structuredClone(bot.fake.messages.get(message.id) as FakeMessage);
		const next2 = idOf(onPage2, 'Next ›');
		const together = await Promise.all([
			send(bot.fake.buttonClick(next2, structuredClone(onPage2), byFriend)),
			send(bot.fake.buttonClick(next2, structuredClone(onPage2))),
		]);
		for (const res of together) {
			expect([6, 7]).toContain(res.type);
			if (res.type === 7) expect(footer(res)).toMatch(/^Page 3 of/);
		}
		expect(shownFooter(message)).toMatch(/^Page 3 of/);
	});

	it('turns chapters from anyone’s menu, and refuses a forged shared mode', async () => {
		const night = await openReader('the-long-night.html');
		const forged = components(night)
			.map((c) => c.custom_id ?? '')
			.find((id) => id.includes(':n:'))
			?.replace(/:o$/, ':s') as string;
		// The custom_id says "shared" but the message does not: a copy, the message stays.
		const copy = await send(bot.fake.buttonClick(forged, bot.fake.messages.get(night.id), byFriend));
		expect(copy.type).toBe(4);
		expect(copy.data.flags).toBe(EPHEMERAL);
		expect(shownFooter(night)).toMatch(/^Chapter 1/);

		await press(night, 'Everyone turns pages');
		const menu = components(bot.fake.messages.get(night.id)).find((c) => c.type === 3);
		const chose = await send(
			bot.fake.selectMenu(menu?.custom_id as string, ['2'], bot.fake.messages.get(night.id), byFriend),
		);
		expect(chose.type).toBe(7);
		expect(footer(chose)).toMatch(/^Chapter 2.* · everyone turns pages$/);
	});

	it('sent nothing past Discord’s limits or its API spec', () => {
		expect(problemsInEverythingSent(bot.fake).problems).toEqual([]);
	});
});
