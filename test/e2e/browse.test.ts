import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeMessage } from './fake-discord.js';
import { problemsInEverythingSent, startBot } from './harness.js';
import { components, EPHEMERAL, friend, idOf, labels } from './messages.js';

/**
 * /browse and /search's filter options through the fake Discord, every request checked against Discord's
 * OpenAPI spec. The e2e archive has one tagged story: The Long Night, an AO3 download (Buffy the Vampire Slayer
 * (TV), Buffy Summers/Spike, Teen).
 */
let bot: Awaited<ReturnType<typeof startBot>>;
beforeAll(async () => {
	bot = await startBot();
});
afterAll(async () => {
	await bot?.stop();
});

const send = (payload: Parameters<typeof bot.fake.sendInteraction>[0]) => bot.fake.sendInteraction(payload);

describe('/browse', () => {
	it('answers at once with the fandoms, lists one’s stories from the menu, and opens a card', async () => {
		const res = await send(bot.fake.slashCommand('browse', { fandom: {} }));
		expect(res.type).toBe(4);
		expect(res.data.embeds?.[0]?.title).toBe('Fandoms');
		expect(res.data.embeds?.[0]?.description).toContain('Buffy the Vampire Slayer (TV) · 1 story');
		const message = res.message as FakeMessage;
		const pick = components(message).find((c) => c.placeholder === 'The stories of a fandom');
		const chosen = await send(
			bot.fake.selectMenu(pick?.custom_id as string, [pick?.options?.[0]?.value as string], message),
		);
		expect(chosen.type).toBe(7);
		expect(chosen.data.embeds?.[0]?.title).toBe('Fandom: Buffy the Vampire Slayer (TV)');
		expect(chosen.data.embeds?.[0]?.fields?.[0]?.name).toBe('1. The Long Night — nightbird');
		expect(chosen.data.embeds?.[0]?.fields?.[0]?.value).toMatch(/^Teen · [\d,]+ words · 3 chapters · in progress/);
		expect(labels(chosen.data)).toEqual(['Open a story’s card']);
		const open = components(chosen.data)[0];
		const card = await send(
			bot.fake.selectMenu(open?.custom_id as string, [open?.options?.[0]?.value as string], message, {
				user: friend,
			}),
		);
		expect(card.type).toBe(4);
		expect((card.data.flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
		expect(card.data.embeds?.[0]?.title).toBe('The Long Night');
		expect(labels(card.data)).toContain('Read');
	});

	it('autocompletes a ship and lists its stories by name', async () => {
		const res = await send(bot.fake.autocomplete('browse', { ship: { name: 'spi' } }, 'name'));
		expect(res.type).toBe(8);
		expect(res.data.choices).toEqual([{ name: 'Buffy Summers/Spike (1)', value: 'Buffy Summers/Spike' }]);
		const list = await send(bot.fake.slashCommand('browse', { ship: { name: 'Spike/Buffy Summers', private: true } }));
		expect((list.data.flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
		expect(list.data.embeds?.[0]?.title).toBe('Ship: Buffy Summers/Spike');
		expect(list.data.embeds?.[0]?.fields?.map((f) => f.name)).toEqual(['1. The Long Night — nightbird']);
	});

	it('says so when nothing matches, and answers a forged id politely', async () => {
		const none = await send(bot.fake.slashCommand('browse', { tag: { name: 'zeppelins' } }));
		expect(none.data.embeds?.[0]?.description).toContain('No tags matching “zeppelins” here.');
		const forged = `browse:1:s:t:0:${bot.fake.user.id}:#gone`;
		const message = none.message as FakeMessage;
		const res = await send(bot.fake.buttonClick(forged, message));
		expect(res.data.content).toBe('This list has expired. Run /browse again.');
		expect(() => idOf(none.data, 'Next ›')).toThrow();
	});
});

describe('/search filter options', () => {
	it('autocompletes a fandom from the archive', async () => {
		const res = await send(bot.fake.autocomplete('search', { fandom: 'vamp' }, 'fandom'));
		expect(res.data.choices).toEqual([
			{ name: 'Buffy the Vampire Slayer (TV) (1)', value: 'Buffy the Vampire Slayer (TV)' },
		]);
	});

	it('offers tagged characters, then names from the stories’ text, for character', async () => {
		const res = await send(bot.fake.autocomplete('search', { character: 'sp' }, 'character'));
		expect(res.data.choices?.[0]).toEqual({ name: 'Spike (Buffyverse) (1)', value: 'Spike (Buffyverse)' });
		expect(res.data.choices).toContainEqual({ name: 'Spike', value: 'Spike' });
	});

	it('lists the stories of a fandom chosen in its option, in title order', async () => {
		// Answered in one round trip, as every search ready in time is.
		const res = await send(bot.fake.slashCommand('search', { fandom: 'Buffy the Vampire Slayer (TV)' }));
		expect(res.type).toBe(4);
		const listed = res.data;
		expect(listed.embeds?.[0]?.title).toBe('Search: fandom:"Buffy the Vampire Slayer (TV)"');
		expect(listed.embeds?.[0]?.fields?.map((f) => f.name)).toEqual([
			'1. The Long Night — nightbird · chapter 1, page 1',
		]);
		const withWords = await send(bot.fake.slashCommand('search', { query: 'lighthouse', ship: 'Buffy Summers/Spike' }));
		const none = withWords.data;
		expect(none.embeds?.[0]?.description).toContain('No stories match');
	});
});

describe('everything /browse sent', () => {
	it('fits Discord’s limits, pings nobody, and matches Discord’s API spec', () => {
		const { sent, problems } = problemsInEverythingSent(bot.fake);
		expect(sent).toBeGreaterThanOrEqual(5);
		expect(problems).toEqual([]);
	});
});
