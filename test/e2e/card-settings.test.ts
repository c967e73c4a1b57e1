import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeInteraction, InteractionResult } from './fake-discord.js';
import { problemsInEverythingSent, startBot } from './harness.js';
import { EPHEMERAL, idOf } from './messages.js';
import { addSpoilerBars, SPOILERED_FIELDS } from './spoiler-story.js';

let bot: Awaited<ReturnType<typeof startBot>>;

beforeAll(async () => {
	bot = await startBot();
	await addSpoilerBars(bot.store);
});
afterAll(async () => {
	await bot?.stop();
});

const send = (payload: FakeInteraction) => bot.fake.sendInteraction(payload);
const slash = (name: string, options: Record<string, unknown> = {}, o = {}) =>
	send(bot.fake.slashCommand(name, options as Parameters<typeof bot.fake.slashCommand>[1], o));
const story = (file: string) => `id:${bot.storyId(file)}`;
const fields = (res: InteractionResult) =>
	Object.fromEntries((res.data.embeds?.[0]?.fields ?? []).map((f) => [f.name, f.value]));
/** A field value as Discord reads it: one live spoiler over all of it, every bar inside escaped. */
const oneSpoiler = (value: string | undefined) => /^\|\|[^|]+\|\|$/.test((value ?? '').replace(/\\[\s\S]/g, 'x'));

describe('/settings card', () => {
	let before: InteractionResult;

	it('changes what /story shows in the server: fields left out, warnings and tags behind spoiler bars', async () => {
		before = await slash('story', { story: story('the-long-night.html') });
		expect(fields(before)).toMatchObject({
			Fandom: 'Buffy the Vampire Slayer (TV)',
			Warnings: 'No Archive Warnings Apply',
			Tags: 'Post-Season/Series 06, Hurt/Comfort, Snow',
		});
		expect(before.data.embeds?.[0]?.description).toBeTruthy();

		const saved = await slash('settings', {
			card: { warnings: 'spoiler', tags: 'spoiler', fandom: 'hidden', summary: 'none' },
		});
		expect(saved.data.flags).toBe(EPHEMERAL);
		expect(saved.data.content).toBe('Saved: story cards in this server change at once.');
		expect(fields(saved)['Story cards']).toBe(
			'Fandom: hidden · Relationships: shown · Characters: shown\nWarnings: behind spoiler bars · Tags: behind spoiler bars\nSummary: none',
		);

		const after = await slash('story', { story: story('the-long-night.html') });
		const shown = fields(after);
		expect(shown.Warnings).toBe('||No Archive Warnings Apply||');
		expect(shown.Tags).toBe('||Post-Season/Series 06, Hurt/Comfort, Snow||');
		expect(shown.Fandom).toBeUndefined();
		expect(after.data.embeds?.[0]?.description).toBeUndefined();
		// Everything else as it was, the buttons too.
		const { Fandom, Warnings, Tags, ...rest } = fields(before);
		expect(shown).toMatchObject(rest);
		expect(after.data.components).toEqual(before.data.components);
	});

	it('keeps a story’s own bars, markdown and mentions inside the spoiler, on every card the server shows', async () => {
		const expected = SPOILERED_FIELDS;
		// In an age-restricted channel: the whole card.
		const card = await slash('story', { story: story('spoiler-bars.md') }, { channel: 'after-dark' });
		expect(fields(card)).toMatchObject(expected);
		expect(oneSpoiler(fields(card).Tags)).toBe(true);
		expect(oneSpoiler(fields(card).Warnings)).toBe(true);
		// Outside one, /read shows the Mature story's card without its text: the server's card all the same.
		const gated = await slash('read', { story: story('spoiler-bars.md') }, { channel: 'general' });
		expect(gated.data.content).toMatch(/is rated Mature/);
		expect(fields(gated)).toMatchObject(expected);
		expect(fields(gated).Fandom).toBeUndefined();
		// A private card, shared with the channel.
		const mine = await slash('story', { story: story('spoiler-bars.md'), private: true });
		expect(mine.data.flags).toBe(EPHEMERAL);
		expect(fields(mine)).toMatchObject(expected);
		const shared = await send(bot.fake.buttonClick(idOf(mine.data, 'Share'), mine.message ?? undefined));
		expect(shared.data.content).toMatch(/^Shared by/);
		expect(fields(shared)).toMatchObject(expected);
	});

	it('is changed only by members who can manage the server; alone it shows the current card settings', async () => {
		const denied = await send(
			(() => {
				const payload = bot.fake.slashCommand('settings', { card: { tags: 'shown' } });
				if (payload.member) payload.member.permissions = '0';
				return payload;
			})(),
		);
		expect(denied.data.content).toBe('Only members who can manage this server can change its settings.');
		const shown = await slash('settings', { card: {} });
		expect(shown.data.flags).toBe(EPHEMERAL);
		expect(shown.data.content).toMatch(/^Give an option to change what story cards show/);
		expect(fields(shown)['Story cards']).toMatch(/^Fandom: hidden/);
		expect(fields(await slash('story', { story: story('the-long-night.html') })).Tags).toMatch(/^\|\|/);
	});

	it('goes back to today’s card with reset', async () => {
		const reset = await slash('settings', { card: { reset: true } });
		expect(reset.data.content).toBe('Story cards show everything again, as by default.');
		expect(fields(reset)['Story cards']).toMatch(/\(the default\)/);
		const again = await slash('story', { story: story('the-long-night.html') });
		expect(again.data.embeds).toEqual(before.data.embeds);
	});

	it('sent only messages within Discord’s limits and its API spec', () => {
		const { sent, problems } = problemsInEverythingSent(bot.fake);
		expect(sent).toBeGreaterThan(10);
		expect(problems).toEqual([]);
	});
});
