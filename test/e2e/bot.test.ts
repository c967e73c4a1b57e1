import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENERIC_ERROR, STALE_COMPONENT } from '../../src/discord/errors.js';
import type { FakeMessage, InteractionResult } from './fake-discord.js';
import { problemsInEverythingSent, startBot } from './harness.js';
import { components, EPHEMERAL, footer, friend, idOf, labels } from './messages.js';

let bot: Awaited<ReturnType<typeof startBot>>;

beforeAll(async () => {
	bot = await startBot();
});
afterAll(async () => {
	await bot?.stop();
});

const send = (payload: Parameters<typeof bot.fake.sendInteraction>[0]) => bot.fake.sendInteraction(payload);
const slash = (name: string, options: Record<string, string | number | boolean> = {}, o = {}) =>
	send(bot.fake.slashCommand(name, options, o));
const leavingValue = () => `id:${bot.storyId('leaving.txt')}`;

describe('/story', () => {
	it('posts the metadata card with Read, Read in a thread and Random quote', async () => {
		const res = await slash('story', { story: leavingValue() });
		expect(res.type).toBe(4);
		expect(res.data.flags ?? 0).toBe(0);
		const card = res.data.embeds?.[0];
		expect(card?.title).toBe('Leaving');
		const field = (name: string) => card?.fields?.find((f) => f.name === name)?.value;
		expect(field('Author')).toBe('Slaymesoftly');
		expect(field('Rating')).toBe('Teen (PG13)');
		expect(field('Date')).toBe('2003-09-24');
		expect(field('Characters')).toMatch(/^Buffy, Spike|^Spike, Buffy/);
		expect(field('Words')).toMatch(/min$/);
		expect(labels(res.data)).toEqual(['Read', 'Read in a thread', 'Random quote']);
	});

	it('finds a story by a typed title as well as by the autocompleted id', async () => {
		const res = await slash('story', { story: 'moving day' });
		expect(res.data.embeds?.[0]?.title).toBe('Moving Day');
		const none = await slash('story', { story: 'no such story anywhere' });
		expect(none.data.flags).toBe(EPHEMERAL);
		expect(none.data.content).toContain('No story matches “no such story anywhere”');
	});

	it('shows a private card with Share, which posts it for everyone', async () => {
		const res = await slash('story', { story: leavingValue(), private: true });
		expect(res.data.flags).toBe(EPHEMERAL);
		expect(labels(res.data)).toEqual(['Read', 'Random quote', 'Share']);
		const shared = await send(bot.fake.buttonClick(idOf(res.data, 'Share'), res.message ?? undefined));
		expect(shared.type).toBe(4);
		expect(shared.data.flags ?? 0).toBe(0);
		expect(shared.data.content).toBe(`Shared by <@${bot.fake.user.id}>`);
		expect(shared.data.allowed_mentions).toEqual({ parse: [] });
		expect(labels(shared.data)).toEqual(['Read', 'Read in a thread', 'Random quote']);
	});

	it('opens the reader from the card, and posts a random quote', async () => {
		const card = await slash('story', { story: leavingValue() });
		const read = await send(bot.fake.buttonClick(idOf(card.data, 'Read'), card.message ?? undefined));
		expect(read.type).toBe(4);
		expect(read.data.flags ?? 0).toBe(0); // the card was the clicker's own, public: the reader is shared
		expect(footer(read)).toMatch(/^Page 1 of \d+ · Leaving · Slaymesoftly$/);
		const byFriend = await send(
			bot.fake.buttonClick(idOf(card.data, 'Read'), card.message ?? undefined, { user: friend }),
		);
		expect(byFriend.data.flags).toBe(EPHEMERAL);
		const quote = await send(bot.fake.buttonClick(idOf(card.data, 'Random quote'), card.message ?? undefined));
		expect(quote.type).toBe(4);
		expect(quote.data.embeds?.[0]?.description).toMatch(/— (\w+, in|from) \*Leaving\* by Slaymesoftly$/);
	});
});

describe('/read', () => {
	let first: InteractionResult;
	let pages: number;

	it('posts page 1 with the reader buttons', async () => {
		first = await slash('read', { story: leavingValue() });
		pages = bot.store.story(bot.storyId('leaving.txt'))?.pageCount ?? 0;
		expect(pages).toBeGreaterThan(2);
		expect(first.type).toBe(4);
		expect(footer(first)).toBe(`Page 1 of ${pages} · Leaving · Slaymesoftly`);
		expect(first.data.embeds?.[0]?.description).toContain(
			bot.store.page(bot.storyId('leaving.txt'), 1)?.text.slice(0, 40),
		);
		expect(labels(first.data)).toEqual([
			'« First',
			'‹ Previous',
			`1 / ${pages}`,
			'Next ›',
			'Last »',
			'Bookmark',
			'Quote a line',
			'Everyone turns pages',
		]);
	});

	it('turns the shared page for the person who opened it', async () => {
		const next = await send(bot.fake.buttonClick(idOf(first.data, 'Next ›'), first.message ?? undefined));
		expect(next.type).toBe(7);
		expect(footer(next)).toBe(`Page 2 of ${pages} · Leaving · Slaymesoftly`);
		expect(next.message?.id).toBe(first.message?.id);
	});

	it('gives anyone else their own ephemeral copy at the page they asked for', async () => {
		const message = bot.fake.messages.get(first.message?.id ?? '') as FakeMessage;
		const theirs = await send(bot.fake.buttonClick(idOf(message, 'Last »'), message, { user: friend }));
		expect(theirs.type).toBe(4);
		expect(theirs.data.flags).toBe(EPHEMERAL);
		expect(footer(theirs)).toBe(`Page ${pages} of ${pages} · Leaving · Slaymesoftly`);
		// The shared message did not move.
		expect(bot.fake.messages.get(first.message?.id ?? '')?.embeds[0]?.footer?.text).toMatch(/^Page 2 of/);
		// Their copy's buttons are theirs to turn.
		const back = await send(
			bot.fake.buttonClick(idOf(theirs.data, '‹ Previous'), theirs.message ?? undefined, { user: friend }),
		);
		expect(back.type).toBe(7);
		expect(footer(back)).toMatch(new RegExp(`^Page ${pages - 1} of`));
	});

	it('jumps to a page through the modal', async () => {
		const message = bot.fake.messages.get(first.message?.id ?? '') as FakeMessage;
		const jump = components(message).find((c) => c.label?.includes(' / '))?.custom_id as string;
		const modal = await send(bot.fake.buttonClick(jump, message));
		expect(modal.type).toBe(9);
		const modalId = modal.data.custom_id as string;
		expect(modal.data.title).toMatch(/^Go to page/);
		const jumped = await send(bot.fake.modalSubmit(modalId, { page: '3' }, message));
		expect(jumped.type).toBe(7);
		expect(footer(jumped)).toMatch(/^Page 3 of/);
		const wrong = await send(bot.fake.modalSubmit(modalId, { page: '9999' }, message));
		expect(wrong.data.flags).toBe(EPHEMERAL);
		expect(wrong.data.content).toBe(`Type a page number from 1 to ${pages}.`);
		const friends = await send(bot.fake.modalSubmit(modalId, { page: '2' }, message, { user: friend }));
		expect(friends.type).toBe(4);
		expect(friends.data.flags).toBe(EPHEMERAL);
		expect(footer(friends)).toMatch(/^Page 2 of/);
	});

	it('answers an out-of-range page politely', async () => {
		const res = await slash('read', { story: leavingValue(), page: 999 });
		expect(res.data.flags).toBe(EPHEMERAL);
		expect(res.data.content).toBe(`“Leaving” has ${pages} pages: pick one from 1 to ${pages}.`);
	});
});

describe('the rating gate', () => {
	const afterDark = () => `id:${bot.storyId('after-dark.txt')}`;

	it('shows the card without text outside age-restricted channels, and says why', async () => {
		const res = await slash('read', { story: afterDark() }, { channel: 'general' });
		expect(res.data.content).toContain('rated Explicit');
		expect(JSON.stringify(res.data)).not.toContain('I never sleep');
		expect(res.data.embeds?.[0]?.title).toBe('After Dark');
		expect(components(res.data)).toEqual([]);
	});

	it('never shows it in DMs', async () => {
		const res = await slash('read', { story: afterDark() }, { dm: true });
		expect(JSON.stringify(res.data)).not.toContain('I never sleep');
	});

	it('shows the text in an age-restricted channel', async () => {
		const res = await slash('read', { story: afterDark() }, { channel: 'after-dark' });
		expect(res.data.embeds?.[0]?.description).toContain('I never sleep');
	});

	it('corrects a search’s typo only to words of text the channel shows', async () => {
		// "lamps" is only in After Dark (Explicit): no correction to "lamp" in #general, as before in #after-dark.
		const general = (await slash('search', { query: 'lampz' }, { channel: 'general' })).data;
		expect(general.embeds?.[0]?.description).not.toContain('corrected');
		expect(general.embeds?.[0]?.description).toContain('No story has the word “lampz”.');
		expect(general.embeds?.[0]?.fields ?? []).toEqual([]);
		const nsfw = (await slash('search', { query: 'lampz' }, { channel: 'after-dark' })).data;
		expect(nsfw.embeds?.[0]?.description).toContain('Showing results for **lamp**');
		expect(nsfw.embeds?.[0]?.fields?.[0]?.name).toContain('After Dark');
	});

	it('keeps gated quotes out of random quotes in other channels', async () => {
		for (let i = 0; i < 15; i++) {
			const res = await slash('quote', { character: 'Spike' }, { channel: 'general' });
			expect(res.data.embeds?.[0]?.description).not.toContain('After Dark');
		}
	});
});

describe('/quote', () => {
	it('posts an attributed quote for the channel, with Another and Read in context', async () => {
		const res = await slash('quote', { story: leavingValue(), character: 'Spike' });
		expect(res.type).toBe(4);
		expect(res.data.flags ?? 0).toBe(0);
		expect(res.data.embeds?.[0]?.description).toMatch(/\n\n— Spike, in \*Leaving\* by Slaymesoftly$/);
		expect(labels(res.data)).toEqual(['Another', 'Read in context', 'Save', 'Share as image']);

		const another = await send(bot.fake.buttonClick(idOf(res.data, 'Another'), res.message ?? undefined));
		expect(another.type).toBe(7);
		expect(another.data.embeds?.[0]?.description).toMatch(/— Spike, in \*Leaving\*/);

		const context = await send(bot.fake.buttonClick(idOf(res.data, 'Read in context'), res.message ?? undefined));
		expect(context.data.flags).toBe(EPHEMERAL);
		const [, page] = /^Page (\d+) of/.exec(footer(context) ?? '') ?? [];
		const line = (res.data.embeds?.[0]?.description ?? '').split('”')[0]?.slice(1).replace(/\\/g, '') ?? '';
		const pageText = bot.store.page(bot.storyId('leaving.txt'), Number(page))?.text.replace(/\s+/g, ' ') ?? '';
		expect(pageText).toContain(line.replace(/\s+/g, ' ').slice(0, 30));
	});

	it('says so when nobody by that name speaks', async () => {
		const res = await slash('quote', { character: 'Nobody Atall' });
		expect(res.data.flags).toBe(EPHEMERAL);
		expect(res.data.content).toContain('No quotes by Nobody Atall');
	});
});

describe('/search', () => {
	it('answers at once with ranked hits with bold snippets and a menu to open one', async () => {
		const res = await slash('search', { query: 'lighthouse' });
		expect(res.type).toBe(4);
		const edited = res.message as FakeMessage;
		const embed = edited.embeds[0];
		expect(embed?.fields).toHaveLength(5);
		expect(embed?.fields?.[0]?.name).toMatch(/^1\. Lighthouse \d — Keeper \d · page 1$/);
		expect(embed?.fields?.[0]?.value).toContain('**lighthouse**');
		expect(labels(edited)).toEqual([
			'‹ Previous',
			'Next ›',
			'Open a result at its page',
			'Every matching page of a story',
		]);

		const next = await send(bot.fake.buttonClick(idOf(edited, 'Next ›'), edited));
		expect(next.type).toBe(7);
		const page2 = next.message as FakeMessage;
		expect(page2.embeds[0]?.fields?.[0]?.name).toMatch(/^6\. /);
		expect(page2.embeds[0]?.footer?.text).toBe('Results 6–7');

		const menu = components(page2).find((c) => c.placeholder === 'Open a result at its page');
		const opened = await send(
			bot.fake.selectMenu(menu?.custom_id as string, [menu?.options?.[0]?.value as string], page2),
		);
		expect(opened.type).toBe(4);
		expect(footer(opened)).toMatch(/^Page 1 of 1 · Lighthouse/);
	});

	it('lists every page of a result’s story that matches, for whoever asks, and opens one', async () => {
		const res = await slash('search', { query: 'buffy' });
		const edited = res.message as FakeMessage;
		const menu = components(edited).find((c) => c.placeholder === 'Every matching page of a story');
		const leaving = bot.storyId('leaving.txt');
		expect(menu?.options?.map((o) => o.value)).toContain(String(leaving));
		expect(menu?.options?.find((o) => o.value === String(leaving))?.label).toBe('Pages of Leaving');

		// Anyone may ask (the results are the searcher's to turn, the list is the asker's alone).
		const listed = await send(
			bot.fake.selectMenu(menu?.custom_id as string, [String(leaving)], edited, { user: friend }),
		);
		expect(listed.type).toBe(4);
		expect(listed.data.flags).toBe(EPHEMERAL);
		const pages = listed.message as FakeMessage;
		const fields = pages.embeds[0]?.fields ?? [];
		expect(pages.embeds[0]?.description).toMatch(/^Pages of \*Leaving\* by Slaymesoftly that match: \d+\.$/);
		// Every page of the story that holds the word, each once, with the word in bold.
		const holding = bot.store.db
			.prepare('SELECT number FROM pages WHERE story_id = ? AND text LIKE ? ORDER BY number')
			.pluck()
			.all(leaving, '%buffy%') as number[];
		const shown = fields.map((f) => Number(/^Page (\d+)$/.exec(f.name)?.[1]));
		expect(new Set(shown).size).toBe(Math.min(10, holding.length));
		expect(holding).toEqual(expect.arrayContaining(shown));
		for (const f of fields) expect(f.value).toContain('**Buffy**');

		const open = components(pages).find((c) => c.placeholder === 'Open a result at its page');
		const page = open?.options?.[0]?.value as string;
		expect(page).toBe(`${leaving}:${shown[0]}`);
		const opened = await send(bot.fake.selectMenu(open?.custom_id as string, [page], pages, { user: friend }));
		expect(footer(opened)).toMatch(new RegExp(`^Page ${shown[0]} of \\d+ · Leaving`));
	});

	it('offers no list of a story’s pages for filters alone, which match stories, not pages', async () => {
		const res = await slash('search', { query: 'author:slaymesoftly' });
		const edited = res.message as FakeMessage;
		expect(edited.embeds[0]?.fields?.[0]?.name).toMatch(/^1\. Leaving — Slaymesoftly/);
		expect(labels(edited)).toEqual(['Open a result at its page']);
	});

	it('says when a listed story is no longer in the archive', async () => {
		const res = await slash('search', { query: 'buffy' });
		const edited = res.message as FakeMessage;
		const menu = components(edited).find((c) => c.placeholder === 'Every matching page of a story');
		const gone = await send(bot.fake.selectMenu(menu?.custom_id as string, ['999999'], edited));
		expect(gone.data.flags).toBe(EPHEMERAL);
		expect(gone.data.content).toBe('That story is no longer in the archive.');
	});

	it('says what it searched instead when a word was mistyped', async () => {
		const res = await slash('search', { query: 'lighthouse stoorm' });
		const edited = res.message as FakeMessage;
		expect(edited.embeds[0]?.description).toContain('Showing results for **lighthouse storm**');
		expect(edited.embeds[0]?.fields?.length).toBe(5);
	});

	it('offers to search without the word no page has with the others, and searches so on a click', async () => {
		// "fledgling" is only in Leaving, which has no lighthouse.
		const res = await slash('search', { query: 'lighthouse fledgling' });
		const edited = res.message as FakeMessage;
		expect(edited.embeds[0]?.fields ?? []).toEqual([]);
		expect(edited.embeds[0]?.description).toContain('without “fledgling”, some do');
		expect(labels(edited)).toEqual(['Search without “fledgling”']);
		const click = await send(bot.fake.buttonClick(idOf(edited, 'Search without “fledgling”'), edited));
		expect(click.type).toBe(7);
		const results = click.message as FakeMessage;
		expect(results.embeds[0]?.title).toBe('Search: lighthouse');
		expect(results.embeds[0]?.fields?.[0]?.value).toContain('**lighthouse**');
	});

	it('keeps a long query for its buttons, and answers nonsense without an error', async () => {
		const long = `lighthouse ${'keeper '.repeat(20)}`.trim();
		const res = await slash('search', { query: long });
		const edited = res.message as FakeMessage;
		const ids = components(edited).map((c) => c.custom_id ?? '');
		for (const id of ids) expect(id.length).toBeLessThanOrEqual(100);
		const weird = await slash('search', { query: '"((* AND NEAR -' });
		// The query is shown as typed: its markup escaped, not read.
		expect(weird.data.embeds?.[0]?.title).toBe('Search: "((\\* AND NEAR -');
	});
});

describe('autocomplete', () => {
	it('completes stories by title and author, at most 25', async () => {
		const res = await send(bot.fake.autocomplete('read', { story: 'lea' }, 'story'));
		expect(res.type).toBe(8);
		expect(res.data.choices).toContainEqual({ name: 'Leaving — Slaymesoftly', value: leavingValue() });
		const all = await send(bot.fake.autocomplete('story', { story: '' }, 'story'));
		expect(all.data.choices?.length).toBeGreaterThan(5);
		expect(all.data.choices?.length).toBeLessThanOrEqual(25);
		const byAuthor = await send(bot.fake.autocomplete('story', { story: 'slay' }, 'story'));
		expect(byAuthor.data.choices?.map((c) => c.name)).toContain('Leaving — Slaymesoftly');
	});

	it("completes a story's characters", async () => {
		const res = await send(bot.fake.autocomplete('quote', { story: leavingValue(), character: 'sp' }, 'character'));
		expect(res.data.choices).toContainEqual({ name: 'Spike', value: 'Spike' });
	});
});

describe('the router', () => {
	it('answers a forged or old custom_id politely', async () => {
		const card = await slash('story', { story: leavingValue() });
		for (const forged of [
			'read:1:n:999999:1:123456789012345678',
			'read:0:n:1:1:1',
			'nothing:here',
			'search:1:p:5:1:#gone',
		]) {
			const message = {
				...(card.message as FakeMessage),
				components: [{ type: 1, components: [{ type: 2, style: 1, label: 'x', custom_id: forged }] }],
			};
			const res = await send(bot.fake.buttonClick(forged, message));
			expect(res.data.flags, forged).toBe(EPHEMERAL);
			expect(res.data.content, forged).toMatch(/no longer|Run the command again|expired/);
		}
		const stale = await send(bot.fake.buttonClick('read:0:n:1:1:1', card.message as FakeMessage));
		expect(stale.data.content).toBe(STALE_COMPONENT);
		// A well-formed page of a search whose long query is no longer kept: told at once, privately.
		const gone = `search:1:p:5:${bot.fake.user.id}:#gone`;
		const message = {
			...(card.message as FakeMessage),
			components: [{ type: 1, components: [{ type: 2, style: 1, label: 'x', custom_id: gone }] }],
		};
		const res = await send(bot.fake.buttonClick(gone, message));
		expect(res.type).toBe(4);
		expect(res.data.flags).toBe(EPHEMERAL);
		expect(res.data.content).toBe('This search has expired. Run /search again.');
	});

	it('answers any custom_id at all without crashing', async () => {
		const card = await slash('story', { story: leavingValue() });
		const prefixes = ['read:1:', 'story:1:', 'quote:1:', 'search:1:', 'quotes:1:', ''];
		await fc.assert(
			fc.asyncProperty(fc.constantFrom(...prefixes), fc.string({ maxLength: 60 }), async (prefix, rest) => {
				const forged = `${prefix}${rest}`.slice(0, 100) || 'x';
				const message = {
					...(card.message as FakeMessage),
					components: [{ type: 1, components: [{ type: 2, style: 1, label: 'x', custom_id: forged }] }],
				};
				const res = await send(bot.fake.buttonClick(forged, message));
				// Every forgery is answered: a polite line for the clicker alone, or (rarely, when it decodes) a real answer.
				expect([4, 5, 6, 7, 9]).toContain(res.type);
				if (res.type === 4 && res.data.content) expect(res.data.flags).toBe(EPHEMERAL);
			}),
			{ numRuns: 60 },
		);
		expect(bot.log.lines.filter((l) => l.includes('ERROR'))).toEqual([]);
	});

	it('logs an unexpected error and answers with a generic ephemeral line', async () => {
		const res = await slash('boom');
		expect(res.data.flags).toBe(EPHEMERAL);
		expect(res.data.content).toBe(GENERIC_ERROR);
		expect(bot.log.lines.some((l) => l.includes('interaction failed') && l.includes('kaboom'))).toBe(true);
	});

	it('lists the commands in /archive', async () => {
		const res = await slash('archive');
		expect(res.data.embeds?.[0]?.description).toMatch(/^\d+ stories by \d+ authors/);
		expect(res.data.embeds?.[0]?.fields?.[0]?.value).toContain('/read <story> [chapter] [page]');
	});
});

describe('everything the bot sent', () => {
	it('fits Discord’s limits, pings nobody, and matches Discord’s API spec', () => {
		const { sent, problems } = problemsInEverythingSent(bot.fake);
		expect(sent).toBeGreaterThan(20);
		expect(problems).toEqual([]);
	});
});
