import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InteractionResult } from './fake-discord.js';
import { problemsInEverythingSent, startBot } from './harness.js';
import { components, EPHEMERAL, friend, idOf, labels } from './messages.js';

let bot: Awaited<ReturnType<typeof startBot>>;

beforeAll(async () => {
	bot = await startBot();
});
afterAll(async () => {
	await bot?.stop();
});

const send = (payload: Parameters<typeof bot.fake.sendInteraction>[0]) => bot.fake.sendInteraction(payload);
const card = (path: string, channel = 'general') =>
	send(bot.fake.slashCommand('story', { story: `id:${bot.storyId(path)}` }, { channel }));
const press = (res: InteractionResult, o: { user?: typeof friend; channel?: string } = {}) =>
	send(bot.fake.buttonClick(idOf(res.data, 'More like this'), res.message ?? undefined, o));

describe('More like this', () => {
	it('lists the nearest stories with why, for the clicker, and opens their cards', async () => {
		const res = await card('lighthouse-1.txt');
		expect(labels(res.data)).toContain('More like this');
		// Anyone may press it on a public card: the list is theirs alone.
		const list = await press(res, { user: friend });
		expect(list.type).toBe(4);
		expect(list.data.flags).toBe(EPHEMERAL);
		expect(list.data.allowed_mentions).toEqual({ parse: [] });
		const embed = list.data.embeds?.[0];
		expect(embed?.title).toBe('More like Lighthouse 1');
		// The six other lighthouse stories are near copies of it: five of them are listed, as the store has them.
		const stored = bot.store.similar(bot.storyId('lighthouse-1.txt'));
		expect(stored).toHaveLength(5);
		expect(stored.every((s) => /^Lighthouse [2-7]$/.test(s.title))).toBe(true);
		expect(embed?.fields?.map((f) => f.name)).toEqual(
			stored.map((s, i) => `${i + 1}. ${s.title} — ${s.author} · ${s.rating}`),
		);
		for (const field of embed?.fields ?? []) expect(field.value).toMatch(/Words: .*lighthouse/);
		// The menu opens a listed story's card, for whoever picks it.
		const menu = components(list.data).find((c) => c.type === 3);
		expect(menu?.options?.map((o) => o.value)).toEqual(stored.map((s) => String(s.id)));
		const opened = await send(
			bot.fake.selectMenu(menu?.custom_id as string, [String(stored[0]?.id)], list.message ?? undefined),
		);
		expect(opened.data.flags).toBe(EPHEMERAL);
		expect(opened.data.embeds?.[0]?.title).toBe(stored[0]?.title);
		expect(labels(opened.data)).toEqual(expect.arrayContaining(['Read', 'Share', 'More like this']));
	});

	it('lists stories the gate hides, as search results do, without naming words of their text', async () => {
		// A story whose list holds a story rated above what the general channel shows.
		const hidden = (rating: string) => rating === 'Explicit' || rating === 'Mature';
		const path = [...bot.store.fileHashes().keys()].find((p) =>
			bot.store.similar(bot.storyId(p)).some((s) => hidden(s.rating) && s.shared.words?.length),
		);
		expect(path, 'a list with a Mature or Explicit story sharing words').toBeDefined();
		const stored = bot.store.similar(bot.storyId(path as string));
		const at = stored.findIndex((s) => hidden(s.rating));
		const general = await press(await card(path as string));
		const field = general.data.embeds?.[0]?.fields?.[at];
		expect(field?.name).toContain(stored[at]?.title as string);
		expect(field?.value).not.toMatch(/Words:/);
		expect(field?.value).toContain('Similar wording');
		const nsfw = await press(await card(path as string, 'after-dark'), { channel: 'after-dark' });
		expect(nsfw.data.embeds?.[0]?.fields?.[at]?.value).toMatch(/Words: /);
		// A gated card has the button too, and its list names no words of the hidden story's text.
		const explicit = await card('after-dark.txt');
		expect(labels(explicit.data)).toEqual(['More like this']);
		const ofHidden = await press(explicit);
		expect(ofHidden.data.flags).toBe(EPHEMERAL);
		for (const f of ofHidden.data.embeds?.[0]?.fields ?? []) expect(f.value).not.toMatch(/Words:/);
		// Its card, picked from a list in the general channel, is the gated card.
		const menu = components(general.data).find((c) => c.type === 3);
		const opened = await send(
			bot.fake.selectMenu(menu?.custom_id as string, [String(stored[at]?.id)], general.message ?? undefined),
		);
		expect(opened.data.flags).toBe(EPHEMERAL);
		expect(opened.data.content).toMatch(/is rated (Mature|Explicit)/);
		expect(labels(opened.data)).not.toContain('Read');
	});

	it('answers a story that is gone, or a forged value, politely', async () => {
		const on = (await card('lighthouse-2.txt')).message ?? undefined;
		const gone = await send(bot.fake.buttonClick('story:1:m:999999', on));
		expect(gone.data.flags).toBe(EPHEMERAL);
		expect(gone.data.content).toContain('no longer in the archive');
		const forged = await send(bot.fake.selectMenu('story:1:c', ['x'], on));
		expect(forged.data.flags).toBe(EPHEMERAL);
		expect(forged.data.content).not.toContain('went wrong');
	});

	it('sent only spec-valid requests within Discord’s limits', () => {
		const { sent, problems } = problemsInEverythingSent(bot.fake);
		expect(sent).toBeGreaterThan(5);
		expect(problems).toEqual([]);
	});
});
