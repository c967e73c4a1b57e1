import { SlashCommandBuilder } from '@discordjs/builders';
import { PermissionsBitField, ApplicationCommandOptionType as T } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LocalChannel, type Outcome } from '../../src/console/channel.js';
import { CHANNEL_ID, DEFAULT_USER } from '../../src/console/ids.js';
import type { LocalOption, Response } from '../../src/console/interactions.js';
import { componentsOf, LocalApiError, type LocalMessage } from '../../src/console/wire.js';
import type { Command } from '../../src/discord/context.js';
import { GENERIC_ERROR, STALE_COMPONENT } from '../../src/discord/errors.js';
import { limitProblems } from '../discord/limits.js';
import { FRIEND, openFixture } from './fixture.js';

/** Commands that misuse the interaction, to prove the adapter refuses what discord.js refuses. */
const misuse = (name: string, run: Command['run']): Command => ({
	data: new SlashCommandBuilder().setName(name).setDescription('tests only'),
	help: `/${name}`,
	run,
});
const twice = misuse('twice', async (i) => {
	await i.reply('one');
	await i.reply('two');
});
const early = misuse('early', async (i) => {
	await i.editReply('too early');
});
const silent = misuse('silent', async () => undefined);
const loud = misuse('loud', async (i) => {
	await i.deferReply();
	await i.followUp({ content: 'meant for you alone', flags: 64 });
});
const dupes = misuse('dupes', async (i) => {
	const button = { type: 2, style: 2, label: 'x', custom_id: 'same' };
	await i.reply({ content: 'two buttons, one id', components: [{ type: 1, components: [button, button] }] });
});

let fx: Awaited<ReturnType<typeof openFixture>>;
let channel: LocalChannel;
const everything: Response[] = [];

beforeAll(async () => {
	fx = await openFixture([twice, early, silent, dupes, loud]);
	// The friend may not manage messages or the server; the default user may do everything.
	channel = new LocalChannel(fx.ctx, { permissions: (id) => (id === FRIEND ? 0n : PermissionsBitField.All) });
});
afterAll(() => fx?.close());

const EPHEMERAL = 64;
const record = (o: Outcome) => {
	everything.push(...o.responses);
	expect(o.error).toBeUndefined();
	return o;
};
const story = (name: string, value: string | number | boolean, type = T.String): LocalOption => ({ name, type, value });
const leaving = () => story('story', `id:${fx.storyId('leaving.txt')}`);
const run = async (name: string, options: LocalOption[] = [], on = channel, user?: string) =>
	record(await on.command(name, options, user));
const click = async (m: LocalMessage, label: string, user?: string, on = channel) => {
	const button = componentsOf(m).find((c) => 'label' in c && c.label === label);
	if (!button || !('custom_id' in button)) throw new Error(`no ${label} in ${JSON.stringify(labels(m))}`);
	return record(await on.click(m, button.custom_id, user));
};
const labels = (m: LocalMessage) =>
	componentsOf(m).map((c) => ('label' in c ? c.label : 'placeholder' in c ? c.placeholder : undefined));
const only = (o: Outcome) => {
	expect(o.responses).toHaveLength(1);
	return o.responses[0] as Response & { message: LocalMessage };
};
const footer = (m: LocalMessage) => m.embeds[0]?.footer?.text;

describe('/story', () => {
	it('posts the card publicly, with Read, Read in a thread and Random quote', async () => {
		const r = only(await run('story', [leaving()]));
		expect(r.kind).toBe('reply');
		expect(r.message.flags).toBe(0);
		expect(r.message.interaction?.userId).toBe(DEFAULT_USER);
		expect(r.message.embeds[0]?.title).toBe('Leaving');
		expect(labels(r.message)).toEqual(['Read', 'Read in a thread', 'Random quote']);
	});

	it('finds a typed title; an unknown one is an ephemeral UserError', async () => {
		expect(only(await run('story', [story('story', 'moving day')])).message.embeds[0]?.title).toBe('Moving Day');
		const none = only(await run('story', [story('story', 'no such story')]));
		expect(none.message.flags).toBe(EPHEMERAL);
		expect(none.message.content).toContain('No story matches “no such story”');
	});

	it('Share posts a private card for everyone; Read opens shared for the owner and a copy for anyone else', async () => {
		const card = only(await run('story', [leaving(), story('private', true, T.Boolean)])).message;
		expect(card.flags).toBe(EPHEMERAL);
		expect(labels(card)).toEqual(['Read', 'Random quote', 'Share']);
		const shared = only(await click(card, 'Share')).message;
		expect(shared.flags).toBe(0);
		expect(shared.content).toBe(`Shared by <@${DEFAULT_USER}>`);

		const pub = only(await run('story', [leaving()])).message;
		expect(only(await click(pub, 'Read')).message.flags).toBe(0);
		const theirs = only(await click(pub, 'Read', FRIEND)).message;
		expect(theirs.flags).toBe(EPHEMERAL);
		expect(footer(theirs)).toMatch(/^Page 1 of \d+ · Leaving/);
		const quote = only(await click(pub, 'Random quote')).message;
		expect(quote.embeds[0]?.description).toMatch(/— (\w+, in|from) \*Leaving\* by Slaymesoftly$/);
	});
});

describe('/read', () => {
	let shared: LocalMessage;
	let pages: number;

	it('posts page 1 with the reader buttons, and turns it for its owner', async () => {
		pages = fx.store.story(fx.storyId('leaving.txt'))?.pageCount ?? 0;
		shared = only(await run('read', [leaving()])).message;
		expect(footer(shared)).toBe(`Page 1 of ${pages} · Leaving · Slaymesoftly`);
		expect(labels(shared)).toEqual([
			'« First',
			'‹ Previous',
			`1 / ${pages}`,
			'Next ›',
			'Last »',
			'Bookmark',
			'Quote a line',
			'Everyone turns pages',
		]);
		expect(
			componentsOf(shared)
				.slice(0, 2)
				.every((c) => c.disabled),
		).toBe(true);
		const next = only(await click(shared, 'Next ›'));
		expect(next.kind).toBe('update');
		expect(next.message).toBe(shared);
		expect(footer(shared)).toBe(`Page 2 of ${pages} · Leaving · Slaymesoftly`);
	});

	it('gives anyone else their own copy, whose buttons are theirs', async () => {
		const theirs = only(await click(shared, 'Last »', FRIEND));
		expect(theirs.kind).toBe('reply');
		expect(theirs.message.flags).toBe(EPHEMERAL);
		expect(footer(theirs.message)).toMatch(new RegExp(`^Page ${pages} of`));
		expect(footer(shared)).toMatch(/^Page 2 of/);
		const back = only(await click(theirs.message, '‹ Previous', FRIEND));
		expect(back.kind).toBe('update');
		expect(footer(theirs.message)).toMatch(new RegExp(`^Page ${pages - 1} of`));
	});

	it('jumps through the modal: the owner turns the message, a wrong page is explained, anyone else gets a copy', async () => {
		const modal = only(await click(shared, `2 / ${pages}`)) as unknown as Extract<Response, { kind: 'modal' }>;
		expect(modal.kind).toBe('modal');
		expect(modal.data.title).toMatch(/^Go to page/);
		expect(modal.source).toBe(shared);
		const jumped = only(record(await channel.submit(modal.data, { page: '3' }, shared)));
		expect(jumped.kind).toBe('update');
		expect(footer(shared)).toMatch(/^Page 3 of/);
		const wrong = only(record(await channel.submit(modal.data, { page: '9999' }, shared)));
		expect(wrong.message.flags).toBe(EPHEMERAL);
		expect(wrong.message.content).toBe(`Type a page number from 1 to ${pages}.`);
		const friends = only(record(await channel.submit(modal.data, { page: '2' }, shared, FRIEND)));
		expect(friends.kind).toBe('reply');
		expect(friends.message.flags).toBe(EPHEMERAL);
		expect(footer(shared)).toMatch(/^Page 3 of/);
		// Discord itself refuses what the text input does not allow.
		expect(() => channel.submit(modal.data, { page: '1234567' }, shared)).toThrow(LocalApiError);
	});

	it('answers an out-of-range page, and a private /read, ephemerally', async () => {
		const far = only(await run('read', [leaving(), story('page', 999, T.Integer)]));
		expect(far.message.content).toBe(`“Leaving” has ${pages} pages: pick one from 1 to ${pages}.`);
		const mine = only(await run('read', [leaving(), story('page', 1, T.Integer), story('private', true, T.Boolean)]));
		expect(mine.message.flags).toBe(EPHEMERAL);
		// Its Next turns it (the owner's own ephemeral message).
		expect(only(await click(mine.message, 'Next ›')).kind).toBe('update');
	});

	it('refuses disabled buttons and buttons that are not on the message, as Discord does', () => {
		const first = componentsOf(shared)[0];
		expect(() => channel.click(shared, 'read:1:n:1:1:123456789012345678')).toThrow(LocalApiError);
		if (first && 'custom_id' in first) {
			const page1 = channel.post({ components: shared.components.map((row) => ({ ...row })) }, null);
			page1.components = [{ type: 1, components: [{ ...first, disabled: true }] }];
			expect(() => channel.click(page1, first.custom_id)).toThrow('disabled');
		}
	});
});

describe('the rating gate', () => {
	const afterDark = () => story('story', `id:${fx.storyId('after-dark.txt')}`);

	it('shows the card without text outside age-restricted channels and in DMs, the text inside', async () => {
		const sfw = only(await run('read', [afterDark()])).message;
		expect(sfw.content).toContain('rated Explicit');
		expect(JSON.stringify(sfw)).not.toContain('I never sleep');
		const dm = only(await run('read', [afterDark()], new LocalChannel(fx.ctx, { dm: true, nsfw: true }))).message;
		expect(JSON.stringify(dm)).not.toContain('I never sleep');
		const nsfw = only(await run('read', [afterDark()], new LocalChannel(fx.ctx, { nsfw: true }))).message;
		expect(nsfw.embeds[0]?.description).toContain('I never sleep');
	});

	it('reads thread:true in the console’s one channel, saying a thread cannot be opened there', async () => {
		const asked = await run('read', [leaving(), story('page', 1, T.Integer), story('thread', true, T.Boolean)]);
		const [reader, notice] = asked.responses;
		expect(reader?.kind).toBe('reply');
		expect(reader && 'message' in reader ? footer(reader.message) : '').toMatch(/^Page 1 of/);
		expect(notice?.kind).toBe('followUp');
		expect(notice && 'message' in notice ? notice.message.flags : 0).toBe(EPHEMERAL);
		expect(notice && 'data' in notice ? notice.data : {}).toMatchObject({
			content: 'No thread: threads cannot be opened in this channel, so I am reading here instead.',
		});
	});
});

describe('/quote', () => {
	it('Another replaces the quote for whoever asked and posts a new one for anyone else; Read in context is private', async () => {
		const quote = only(await run('quote', [leaving(), story('character', 'Spike')])).message;
		expect(quote.flags).toBe(0);
		expect(quote.embeds[0]?.description).toMatch(/\n\n— Spike, in \*Leaving\* by Slaymesoftly$/);
		expect(labels(quote)).toEqual(['Another', 'Read in context', 'Save', 'Share as image']);
		const another = only(await click(quote, 'Another'));
		expect(another.kind).toBe('update');
		expect(another.message).toBe(quote);
		const friends = only(await click(quote, 'Another', FRIEND));
		expect(friends.kind).toBe('reply');
		expect(friends.message.flags).toBe(0);
		const context = only(await click(quote, 'Read in context'));
		expect(context.message.flags).toBe(EPHEMERAL);
		expect(footer(context.message)).toMatch(/^Page \d+ of \d+ · Leaving/);
	});

	it('says so when nobody by that name speaks', async () => {
		const none = only(await run('quote', [story('character', 'Nobody Atall')]));
		expect(none.message.flags).toBe(EPHEMERAL);
		expect(none.message.content).toContain('No quotes by Nobody Atall');
	});
});

describe('/search', () => {
	it('answers with the results at once; Next turns them in place; the menu opens a hit', async () => {
		const o = await run('search', [story('query', 'lighthouse')]);
		const results = only(o).message;
		expect(only(o).kind).toBe('reply');
		expect(results.embeds[0]?.fields).toHaveLength(5);
		expect(results.embeds[0]?.fields?.[0]?.value).toContain('**lighthouse**');
		expect(labels(results)).toEqual([
			'‹ Previous',
			'Next ›',
			'Open a result at its page',
			'Every matching page of a story',
		]);

		// A result's story: its matching pages, for the asker alone.
		const stories = componentsOf(results).find(
			(c) => c.type === 3 && c.placeholder === 'Every matching page of a story',
		);
		if (stories?.type !== 3) throw new Error('no menu of stories');
		const listed = record(await channel.select(results, stories.custom_id, [stories.options[0]?.value ?? '']));
		expect(listed.responses.map((r) => r.kind)).toEqual(['reply']);
		const pages = only(listed).message;
		expect(pages.flags).toBe(EPHEMERAL);
		expect(pages.embeds[0]?.fields?.[0]?.name).toMatch(/^Page \d+$/);
		expect(pages.embeds[0]?.fields?.[0]?.value).toContain('**lighthouse**');

		const next = await click(results, 'Next ›');
		expect(next.responses.map((r) => r.kind)).toEqual(['update']);
		expect(results.embeds[0]?.footer?.text).toBe('Results 6–7');

		const theirs = await click(results, '‹ Previous', FRIEND);
		expect(theirs.responses.map((r) => r.kind)).toEqual(['reply']);
		const copy = only(theirs).message;
		expect(copy.flags).toBe(EPHEMERAL);
		expect(copy.embeds[0]?.footer?.text).toBe('Results 1–5 · more with Next');
		expect(results.embeds[0]?.footer?.text).toBe('Results 6–7');

		const menu = componentsOf(results).find((c) => c.type === 3 && c.placeholder === 'Open a result at its page');
		if (menu?.type !== 3) throw new Error('no menu');
		const opened = only(record(await channel.select(results, menu.custom_id, [menu.options[0]?.value ?? ''])));
		expect(opened.kind).toBe('reply');
		expect(opened.message.flags).toBe(0);
		expect(footer(opened.message)).toMatch(/^Page 1 of 1 · Lighthouse/);
		expect(() => channel.select(results, menu.custom_id, ['999:1'])).toThrow(LocalApiError);
	});

	it('a private search answers ephemerally', async () => {
		const o = await run('search', [story('query', 'ten miles'), story('private', true, T.Boolean)]);
		const message = only(o).message;
		expect(message.flags).toBe(EPHEMERAL);
		expect(message.embeds[0]?.fields?.[0]?.name).toMatch(/Leaving/);
	});
});

describe('reading together: resume, bookmarks and /library', () => {
	const sub = (name: string, options: LocalOption[] = []): LocalOption => ({ name, type: T.Subcommand, options });
	const moving = () => story('story', `id:${fx.storyId('moving-day.txt')}`);

	it('offers to continue where you left off, for you alone', async () => {
		await run('read', [moving(), story('page', 3, T.Integer)]);
		// The page is remembered just after the answer goes out.
		await vi.waitFor(async () =>
			expect((await fx.ctx.state.libraryEntry(DEFAULT_USER, fx.storyId('moving-day.txt')))?.page).toBe(3),
		);
		const offer = only(await run('read', [moving()])).message;
		expect(offer.flags).toBe(EPHEMERAL);
		expect(offer.content).toBe('You were on page 3 of 6 of “Moving Day”. Continue from page 3?');
		const resumed = only(await click(offer, 'Continue from page 3')).message;
		expect(resumed.flags).toBe(0);
		expect(footer(resumed)).toMatch(/^Page 3 of 6 · Moving Day/);
	});

	it('bookmarks a page, lists the library with a menu to resume, and clears it', async () => {
		const page = only(await run('read', [moving(), story('page', 2, T.Integer)])).message;
		const saved = only(await click(page, 'Bookmark')).message;
		expect(saved.flags).toBe(EPHEMERAL);
		expect(saved.content).toMatch(/^Bookmarked page 2 of “Moving Day”/);
		const library = only(await run('library', [sub('list')])).message;
		expect(library.flags).toBe(EPHEMERAL);
		expect(library.embeds[0]?.fields?.[0]?.value).toMatch(/🔖 page 2$/);
		const menu = componentsOf(library).find((c) => c.type === 3);
		if (menu?.type !== 3) throw new Error('no menu');
		const opened = only(record(await channel.select(library, menu.custom_id, [menu.options[0]?.value ?? ''])));
		expect(footer(opened.message)).toMatch(/^Page 2 of 6 · Moving Day/);
		expect(only(await run('library', [sub('clear')])).message.content).toMatch(/^Forgot \d+ stor(y|ies)\.$/);
		expect(only(await run('library', [sub('list')])).message.content).toMatch(/^Your library is empty/);
	});
});

describe('quoting a line and the quote board', () => {
	it('Quote a line posts the chosen line; Save puts it on the board once per person; /quotes shows it', async () => {
		const page = only(await run('read', [leaving()])).message;
		const offer = only(await click(page, 'Quote a line')).message;
		expect(offer.flags).toBe(EPHEMERAL);
		const menu = componentsOf(offer).find((c) => c.type === 3);
		if (menu?.type !== 3) throw new Error('no menu');
		const card = only(record(await channel.select(offer, menu.custom_id, [menu.options[0]?.value ?? '']))).message;
		expect(card.flags).toBe(0);
		expect(footer(card)).toMatch(/ · shared by reader-0001$/);
		expect(only(await click(card, 'Save')).message.content).toMatch(
			/^Saved to this server’s quote board \(saved once\)/,
		);
		expect(only(await click(card, 'Save')).message.content).toMatch(/^You saved this line already/);
		expect(only(await click(card, 'Save', FRIEND)).message.content).toMatch(/saved 2 times/);
		const board = only(await run('quotes')).message;
		expect(board.flags).toBe(0);
		expect(board.embeds[0]?.fields?.[0]).toEqual({
			name: 'Saved 2 times',
			value: `by <@${DEFAULT_USER}>, <@${FRIEND}>`,
		});
		const top = only(await run('quotes', [story('sort', 'top')])).message;
		expect(top.embeds[0]?.title).toBe('Quote board · most saved');
	});

	it('lets only the first saver or a moderator remove a quote', async () => {
		const board = only(await run('quotes')).message;
		const denied = only(await click(board, 'Remove', FRIEND)).message;
		expect(denied.content).toMatch(/^Only the person who saved this quote/);
		const removed = only(await click(board, 'Remove'));
		expect(removed.kind).toBe('update');
		expect(removed.message.content).toBe('Removed. The board is empty now.');
	});

	it('is a server’s: not offered in DMs', () => {
		expect(() => new LocalChannel(fx.ctx, { dm: true }).command('quotes')).toThrow(
			'/quotes is only offered in servers.',
		);
	});
});

describe('/club', () => {
	const sub = (name: string, options: LocalOption[] = []): LocalOption => ({ name, type: T.Subcommand, options });
	const club = async (name: string, options: LocalOption[] = [], on = channel, user?: string) =>
		only(await run('club', [sub(name, options)], on, user)).message;

	it('keeps a club for the console’s channel: started, shown, paused, resumed and stopped, nothing posted', async () => {
		const started = await club('start', [
			story('story', `id:${fx.storyId('moving-day.txt')}`),
			story('every', 'day'),
			story('at', '07:15'),
			story('per', '2 pages'),
		]);
		expect(started.flags).toBe(0);
		expect(started.content).toMatch(
			new RegExp(
				`^📚 \\*\\*A reading club starts\\*\\*: “Moving Day” in <#${CHANNEL_ID}>, every day at 07:15 UTC, 2 pages at a time`,
			),
		);
		const status = await club('status');
		expect(status.flags).toBe(EPHEMERAL);
		expect(status.embeds[0]?.fields?.find((f) => f.name === 'Progress')?.value).toBe('No part posted yet.');
		expect((await club('pause')).content).toMatch(/is paused\. `\/club resume` carries on\.$/);
		expect((await club('resume')).content).toMatch(/carries on: part 1 comes <t:\d+:F>\.$/);
		const member = only(await run('club', [sub('stop')], channel, FRIEND)).message;
		expect(member.content).toMatch(/^Only members who can manage this server/);
		expect((await club('stop')).content).toMatch(/has ended after 0 parts/);
		// The console runs no schedule: no thread or part was ever posted in its channel.
		expect([...channel.messages.values()].some((m) => /^\*\*Part \d/.test(m.content))).toBe(false);
	});

	it('keeps the gate: an Explicit story’s club only in an age-restricted session', async () => {
		const start = [story('story', `id:${fx.storyId('after-dark.txt')}`), story('every', 'week'), story('at', '21:00')];
		const sfw = await club('start', start);
		expect(sfw.content).toMatch(/is rated Explicit: .* A club for it can run only in such a channel\.$/);
		const nsfw = new LocalChannel(fx.ctx, { nsfw: true });
		expect((await club('start', start, nsfw)).content).toMatch(/^📚/);
		await club('stop', [], nsfw);
		expect(() => new LocalChannel(fx.ctx, { dm: true }).command('club', [sub('status')])).toThrow(
			/only offered in servers/,
		);
	});
});

describe('/settings', () => {
	const sub = (name: string, options: LocalOption[] = []): LocalOption => ({ name, type: T.Subcommand, options });
	const settings = async (name: string, options: LocalOption[] = []) =>
		only(await run('settings', [sub(name, options)])).message;

	it('shows and changes the server’s settings, with a channel option for the quote of the day', async () => {
		expect((await settings('show')).embeds[0]?.title).toBe('Settings for this server');
		expect((await settings('rating', [story('max', 'Mature')])).content).toBe(
			'Text up to Mature is now shown outside age-restricted channels.',
		);
		expect((await settings('replies', [story('read', 'private')])).content).toBe('Saved.');
		// /read now answers the reader alone by default.
		const page = only(await run('read', [leaving(), story('page', 2, T.Integer)])).message;
		expect(page.flags).toBe(EPHEMERAL);
		const qotd = await settings('qotd', [
			{ name: 'channel', type: T.Channel, value: CHANNEL_ID },
			story('hour', 9, T.Integer),
			story('timezone', 'Europe/London'),
		]);
		expect(qotd.content).toBe(`A quote of the day will be posted in <#${CHANNEL_ID}> at 09:00 Europe/London.`);
		expect((await settings('qotd-off')).content).toBe('Quote of the day is off.');
		await settings('rating', [story('max', 'Teen')]);
		await settings('replies', [story('read', 'public')]);
	});

	it('is not offered in DMs or to members without Manage Server', () => {
		const show = [sub('show')];
		expect(() => new LocalChannel(fx.ctx, { dm: true }).command('settings', show)).toThrow(/only offered in servers/);
		expect(() => channel.command('settings', show, FRIEND)).toThrow(/not offered to you/);
	});
});

describe('/archive', () => {
	it('answers ephemerally with the counts and the commands', async () => {
		const r = only(await run('archive'));
		expect(r.message.flags).toBe(EPHEMERAL);
		expect(r.message.embeds[0]?.description).toMatch(/^\d+ stories by \d+ authors/);
		expect(r.message.embeds[0]?.fields?.[0]?.value).toContain('/read <story> [chapter] [page]');
	});
});

describe('autocomplete', () => {
	it('completes stories by title and author, and a story’s characters', async () => {
		const focused = (name: string, value: string): LocalOption => ({ name, type: T.String, value, focused: true });
		const value = `id:${fx.storyId('leaving.txt')}`;
		expect(await channel.autocomplete('read', [focused('story', 'lea')])).toContainEqual({
			name: 'Leaving — Slaymesoftly',
			value,
		});
		expect((await channel.autocomplete('story', [focused('story', 'slay')])).map((c) => c.name)).toContain(
			'Leaving — Slaymesoftly',
		);
		const all = await channel.autocomplete('story', [focused('story', '')]);
		expect(all.length).toBeGreaterThan(5);
		expect(all.length).toBeLessThanOrEqual(25);
		const spike = await channel.autocomplete('quote', [story('story', value), focused('character', 'sp')]);
		expect(spike).toContainEqual({ name: 'Spike', value: 'Spike' });
		// A command without autocomplete answers an empty list, through the router.
		expect(await channel.autocomplete('search', [focused('query', 'x')])).toEqual([]);
	});
});

describe('the router through the adapter', () => {
	it('answers forged, old and expired custom_ids politely', async () => {
		for (const forged of ['read:1:n:999999:1:123456789012345678', 'read:0:n:1:1:1', 'nothing:here']) {
			const message = channel.post(
				{ components: [{ type: 1, components: [{ type: 2, style: 1, label: 'x', custom_id: forged }] }] },
				{ id: '1', userId: DEFAULT_USER },
			);
			const r = only(record(await channel.click(message, forged)));
			expect(r.message.flags, forged).toBe(EPHEMERAL);
			expect(r.message.content, forged).toMatch(/no longer|Run the command again/);
			if (forged === 'read:0:n:1:1:1') expect(r.message.content).toBe(STALE_COMPONENT);
		}
		const gone = `search:1:p:5:${DEFAULT_USER}:#gone`;
		const message = channel.post(
			{ components: [{ type: 1, components: [{ type: 2, style: 1, label: 'x', custom_id: gone }] }] },
			{ id: '1', userId: DEFAULT_USER },
		);
		const o = record(await channel.click(message, gone));
		const told = only(o).message;
		expect(only(o).kind).toBe('reply');
		expect(told.flags).toBe(EPHEMERAL);
		expect(told.content).toBe('This search has expired. Run /search again.');
	});

	it('throws like discord.js on a second reply or an edit before any reply, and notices no answer at all', async () => {
		const second = await channel.command('twice');
		expect(second.responses.map((r) => r.kind)).toEqual(['reply', 'followUp']);
		expect((second.responses[1] as Extract<Response, { kind: 'followUp' }>).message.content).toBe(GENERIC_ERROR);
		expect(fx.log.lines.some((l) => l.includes('InteractionAlreadyReplied'))).toBe(true);

		const tooEarly = await channel.command('early');
		expect(tooEarly.responses.map((r) => r.kind)).toEqual(['reply']);
		expect(fx.log.lines.some((l) => l.includes('InteractionNotReplied'))).toBe(true);

		// Discord answers a message it cannot post with a 400: discord.js throws, the router says sorry.
		const refused = await channel.command('dupes');
		expect(refused.responses.map((r) => r.kind)).toEqual(['reply']);
		expect((refused.responses[0] as Extract<Response, { kind: 'reply' }>).message.content).toBe(GENERIC_ERROR);
		expect(fx.log.lines.some((l) => l.includes('duplicate custom_id same'))).toBe(true);

		// The first follow-up after deferReply answers the "thinking…" message and keeps its visibility.
		const first = await channel.command('loud');
		expect(first.responses.map((r) => r.kind)).toEqual(['deferReply', 'followUp']);
		const answer = (first.responses[1] as Extract<Response, { kind: 'followUp' }>).message;
		expect(answer).toBe((first.responses[0] as Extract<Response, { kind: 'deferReply' }>).message);
		expect(answer.flags).toBe(0);
		expect(answer.content).toBe('meant for you alone');

		const none = await channel.command('silent');
		expect(none.responses).toEqual([]);
		expect(none.acknowledgedMs).toBeNull();
	});
});

describe('everything the commands sent through the adapter', () => {
	it('fits Discord’s limits and pings nobody', () => {
		expect(everything.length).toBeGreaterThan(30);
		for (const r of everything) {
			if (!('data' in r) || r.kind === 'modal' || r.kind === 'choices' || r.kind === 'deferReply') continue;
			expect(limitProblems(r.data), r.kind).toEqual([]);
			expect(r.data.allowed_mentions, JSON.stringify(r.data).slice(0, 200)).toEqual({ parse: [] });
		}
	});
});
