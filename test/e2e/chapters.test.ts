import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeInteraction } from './fake-discord.js';
import { problemsInEverythingSent, startBot } from './harness.js';
import { components, footer } from './messages.js';

let bot: Awaited<ReturnType<typeof startBot>>;
beforeAll(async () => {
	bot = await startBot();
});
afterAll(async () => {
	await bot?.stop();
});

const send = (payload: FakeInteraction) => bot.fake.sendInteraction(payload);
const night = () => `id:${bot.storyId('the-long-night.html')}`;

describe('stories in chapters', () => {
	it('says the chapter in the footer and offers a menu of chapters', async () => {
		const res = await send(bot.fake.slashCommand('read', { story: night(), page: 1 }));
		expect(footer(res)).toBe('Chapter 1: Blackout · Page 1 of 3 · The Long Night · nightbird');
		// Italics from the AO3 HTML arrive as Discord markdown, not escaped.
		expect(res.data.embeds?.[0]?.description).toMatch(/\*[A-Z][a-z]+\.?\*/);
		const menu = components(res.data).find((c) => c.type === 3);
		expect(menu?.options?.map((o) => [o.label, Boolean(o.default)])).toEqual([
			['Chapter 1: Blackout', true],
			['Chapter 2', false],
			['Chapter 3: The Candles Burn Down', false],
		]);
		const jumped = await send(bot.fake.selectMenu(menu?.custom_id as string, ['3'], res.message ?? undefined));
		expect(jumped.type).toBe(7);
		expect(footer(jumped)).toBe('Chapter 3: The Candles Burn Down · Page 3 of 3 · The Long Night · nightbird');
	});

	it('opens a chapter by the chapter option, completed from the story’s chapters', async () => {
		const res = await send(bot.fake.slashCommand('read', { story: night(), chapter: 2 }));
		expect(footer(res)).toBe('Chapter 2 · Page 2 of 3 · The Long Night · nightbird');
		const none = await send(bot.fake.slashCommand('read', { story: night(), chapter: 9 }));
		expect(none.data.content).toBe('“The Long Night” has 3 chapters: pick one from 1 to 3.');
		const choices = await send(bot.fake.autocomplete('read', { story: night(), chapter: 'candle' }, 'chapter'));
		expect(choices.data.choices).toEqual([{ name: 'Chapter 3: The Candles Burn Down', value: 3 }]);
		const all = await send(bot.fake.autocomplete('read', { story: night(), chapter: '' }, 'chapter'));
		expect(all.data.choices).toHaveLength(3);
	});

	it('shows AO3’s metadata on the card, and omits what a story does not have', async () => {
		const card = await send(bot.fake.slashCommand('story', { story: night() }));
		const field = (name: string) => card.data.embeds?.[0]?.fields?.find((f) => f.name === name)?.value;
		expect(field('Rating')).toBe('Teen (Teen And Up Audiences)');
		expect(field('Length')).toBe('3/5 chapters · 3 pages · in progress');
		expect(field('Published')).toBe('2019-12-01, updated 2020-01-15');
		expect(field('Series')).toBe('Part 2 of Sunnydale Winters');
		expect(field('Relationships')).toBe('Buffy Summers/Spike');
		expect(field('Characters')).toBe('Buffy Summers, Spike (Buffyverse), Dawn Summers');
		expect(field('Tags')).toBe('Post-Season/Series 06, Hurt/Comfort, Snow');
		expect(field('Fandom')).toBe('Buffy the Vampire Slayer (TV)');
		expect(card.data.embeds?.[0]?.footer?.text).toMatch(/ · English$/);
		// The download's "Posted originally … at" address, as a link button (checked against the spec below).
		expect(components(card.data).find((c) => c.url)).toEqual({
			type: 2,
			style: 5,
			label: 'Open on AO3',
			url: 'http://archiveofourown.org/works/12345678',
		});
		const plain = await send(bot.fake.slashCommand('story', { story: `id:${bot.storyId('leaving.txt')}` }));
		const names = plain.data.embeds?.[0]?.fields?.map((f) => f.name);
		expect(names).not.toContain('Series');
		expect(names).not.toContain('Tags');
		expect(components(plain.data).some((c) => c.url)).toBe(false);
		expect(plain.data.embeds?.[0]?.fields?.find((f) => f.name === 'Length')?.value).toMatch(/^\d+ pages$/);
	});

	it('says the chapter of search hits and quotes', async () => {
		const res = await send(bot.fake.slashCommand('search', { query: 'candles' }));
		const hit = res.data.embeds?.[0]?.fields?.find((f) => f.name.includes('The Long Night'));
		expect(hit?.name).toMatch(/· chapter \d, page \d$/);
		// The story's own italics ("Great, *Perfect.*") are not shown as escaped asterisks in a snippet.
		const italic = await send(bot.fake.slashCommand('search', { query: 'great perfect exactly' }));
		const found = italic.data.embeds?.[0]?.fields?.[0]?.value ?? '';
		expect(found).toMatch(/\*\*Perfect\*\*/);
		expect(found).not.toMatch(/\\\*/);
		const quote = await send(bot.fake.slashCommand('quote', { story: night() }));
		expect(footer(quote)).toMatch(/^Chapter \d · Page \d of 3$/);
	});

	it('sent only what Discord accepts', () => {
		expect(problemsInEverythingSent(bot.fake).problems).toEqual([]);
	});
});
