import Keyv from 'keyv';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { State } from '../../src/state.js';
import type { FakeInteraction, FakeMessage, InteractionResult } from './fake-discord.js';
import { problemsInEverythingSent, startBot } from './harness.js';
import { components, EPHEMERAL, friend, idOf } from './messages.js';

type Bot = Awaited<ReturnType<typeof startBot>>;

/** The requests the bot sent Discord for one interaction: its callback, and any edit, follow-up or delete. */
const trips = (bot: Bot, res: InteractionResult) =>
	bot.fake.requests.filter((r) => r.path.split('/').includes(res.record.token)).map((r) => `${r.method} ${r.path}`);

const settle = (ms = 100) => new Promise((resolve) => setTimeout(resolve, ms));

/** A keyv store that answers every call after `delayMs`, or never (`hang`). */
function slowStore() {
	const map = new Map<string, unknown>();
	const store = {
		delayMs: 0,
		hang: false,
		async wait() {
			if (store.hang) await new Promise(() => undefined);
			if (store.delayMs) await new Promise((resolve) => setTimeout(resolve, store.delayMs));
		},
		async get(key: string) {
			await store.wait();
			return map.get(key);
		},
		async set(key: string, value: unknown) {
			await store.wait();
			map.set(key, value);
			return true;
		},
		async delete(key: string) {
			await store.wait();
			return map.delete(key);
		},
		async clear() {
			map.clear();
		},
		async has(key: string) {
			await store.wait();
			return map.has(key);
		},
	};
	return store;
}

describe('one round trip: every command on the sample archive', () => {
	let bot: Bot;
	beforeAll(async () => {
		bot = await startBot();
	});
	afterAll(async () => {
		await bot?.stop();
	});

	it('answers each interaction with exactly one request to Discord, pinging nobody', async () => {
		const walked: [string, InteractionResult][] = [];
		const step = async (label: string, payload: FakeInteraction) => {
			const res = await bot.fake.sendInteraction(payload);
			walked.push([label, res]);
			return res;
		};
		const slash = (name: string, options: Record<string, unknown> = {}, o = {}) =>
			step(`/${name} ${JSON.stringify(options)}`, bot.fake.slashCommand(name, options as never, o));
		const click = (res: InteractionResult, label: string, o = {}) =>
			step(`click ${label}`, bot.fake.buttonClick(idOf(res.data, label), res.message as FakeMessage, o));
		const pick = (res: InteractionResult, placeholder: string, o = {}) => {
			const menu = components(res.data).find((c) => c.placeholder === placeholder);
			if (!menu?.custom_id) throw new Error(`no menu ${placeholder}`);
			const value = menu.options?.[0]?.value as string;
			return step(`pick ${placeholder}`, bot.fake.selectMenu(menu.custom_id, [value], res.message as FakeMessage, o));
		};
		const leaving = `id:${bot.storyId('leaving.txt')}`;
		const night = `id:${bot.storyId('the-long-night.html')}`;

		await slash('archive');
		await slash('story', { story: leaving });
		const card = await slash('story', { story: leaving, private: true });
		await click(card, 'Share');
		await click(card, 'Read');
		await click(card, 'Random quote');

		const reader = await slash('read', { story: leaving, page: 1 });
		await click(reader, 'Next ›');
		await click(reader, 'Last »', { user: friend });
		const jump = components(reader.data).find((c) => c.label?.includes(' / '))?.custom_id as string;
		const modal = await step('jump button', bot.fake.buttonClick(jump, reader.message as FakeMessage));
		expect(modal.type).toBe(9);
		await step(
			'jump modal',
			bot.fake.modalSubmit(modal.data.custom_id as string, { page: '3' }, reader.message as FakeMessage),
		);
		await click(reader, 'Bookmark');
		const offer = await click(reader, 'Quote a line');
		const line = await pick(offer, 'Pick a line to share with the channel');
		await click(line, 'Save');
		await click(line, 'Another');
		await click(line, 'Read in context');
		await slash('read', { story: leaving, page: 4 });
		// The page read is remembered just after the answer goes out.
		await vi.waitFor(async () =>
			expect((await bot.state.libraryEntry(bot.fake.user.id, bot.storyId('leaving.txt')))?.page).toBe(4),
		);
		const resume = await slash('read', { story: leaving });
		await click(resume, 'Continue from page 4');
		const chapters = await slash('read', { story: night, page: 1 });
		const chapterMenu = components(chapters.data).find((c) => c.custom_id?.startsWith('read:1:c:'));
		await step(
			'chapter menu',
			bot.fake.selectMenu(chapterMenu?.custom_id as string, ['2'], chapters.message as FakeMessage),
		);
		await slash('read', { story: `id:${bot.storyId('after-dark.txt')}` }, { channel: 'general' });
		await slash('read', { story: leaving }, { dm: true });

		await slash('quote');
		await slash('quote', { character: 'Spike' });
		const board = await slash('quotes');
		await click(board, 'Remove');

		const results = await slash('search', { query: 'lighthouse' });
		await click(results, 'Next ›');
		await click(results, '‹ Previous', { user: friend });
		const storyPages = await pick(results, 'Every matching page of a story');
		await pick(storyPages, 'Open a result at its page');
		await slash('search', { query: 'lighthouse', private: true });

		const library = await slash('library', { list: {} });
		await pick(library, 'Resume a story');
		await slash('library', { clear: {} });

		const general = bot.fake.channel('general').id;
		await slash('settings', { show: {} });
		await slash('settings', { rating: { max: 'Teen' } });
		await slash('settings', { replies: { read: 'public' } });
		await slash('settings', { qotd: { channel: general, hour: 9 } });
		await slash('settings', { 'qotd-off': {} });

		for (const [name, options, focused] of [
			['read', { story: 'lea' }, 'story'],
			['read', { story: night, chapter: 2 }, 'chapter'],
			['quote', { character: 'Sp' }, 'character'],
			['story', { story: 'mov' }, 'story'],
		] as const) {
			await step(`autocomplete ${name} ${focused}`, bot.fake.autocomplete(name, options, focused));
		}

		await slash('story', { story: 'no such story anywhere' });
		await step('stale button', bot.fake.buttonClick('read:0:n:1:1:1', reader.message as FakeMessage));
		await slash('boom');

		// Anything sent late (an edit after a deferral) would arrive in this pause.
		await settle(200);
		expect(walked.length).toBeGreaterThan(45);
		for (const [label, res] of walked) {
			expect(trips(bot, res), label).toHaveLength(1);
			expect([4, 7, 8, 9], label).toContain(res.type);
			if (res.type === 4 || res.type === 7) expect(res.data.allowed_mentions, label).toEqual({ parse: [] });
		}
	});

	it('sent only what Discord accepts', () => {
		expect(problemsInEverythingSent(bot.fake).problems).toEqual([]);
	});
});

describe('one round trip: a slow state store', () => {
	let bot: Bot;
	const store = slowStore();
	beforeAll(async () => {
		// The budget is short here so that a store a quarter of a second slow overruns it.
		bot = await startBot({
			state: (log) => new State(new Keyv({ store: store as never }), log, 2000),
			answerWithinMs: 100,
		});
	});
	afterAll(async () => {
		await bot?.stop();
	});
	const send = (payload: FakeInteraction) => bot.fake.sendInteraction(payload);
	const leaving = () => `id:${bot.storyId('leaving.txt')}`;

	it('defers /search at the budget, then edits the results in; its buttons defer and edit too', async () => {
		store.delayMs = 250;
		const res = await send(bot.fake.slashCommand('search', { query: 'lighthouse' }));
		expect(res.type).toBe(5);
		expect(res.data.flags ?? 0).toBe(0);
		const results = await res.record.waitFor('edit');
		expect(results.id).toBe(res.message?.id);
		expect(results.flags & 128).toBe(0); // no longer "thinking…"
		expect(results.embeds[0]?.fields).toHaveLength(5);
		expect(res.record.edits[0]?.data.allowed_mentions).toEqual({ parse: [] });
		expect(trips(bot, res)).toEqual([
			expect.stringMatching(/^POST \/interactions\/\d+\/[^/]+\/callback$/),
			expect.stringMatching(/^PATCH \/webhooks\/\d+\/[^/]+\/messages\/@original$/),
		]);

		// The searcher's Next: a deferred update, then the results message edited in place.
		const next = await send(bot.fake.buttonClick(idOf(results, 'Next ›'), results));
		expect(next.type).toBe(6);
		const page2 = await next.record.waitFor('edit');
		expect(page2.id).toBe(results.id);
		expect(page2.embeds[0]?.footer?.text).toBe('Results 6–7');
		expect(trips(bot, next)).toHaveLength(2);

		// Anyone else's click: a deferred update, then their own copy as a private follow-up.
		const theirs = await send(bot.fake.buttonClick(idOf(page2, '‹ Previous'), page2, { user: friend }));
		expect(theirs.type).toBe(6);
		const copy = await theirs.record.waitFor('followup');
		expect(copy.flags).toBe(EPHEMERAL);
		expect(copy.embeds[0]?.footer?.text).toBe('Results 1–5 · more with Next');
		expect(bot.fake.messages.get(results.id)?.embeds[0]?.footer?.text).toBe('Results 6–7');
		expect(trips(bot, theirs)).toHaveLength(2);
	});

	it('thinks privately for an answer that is private', async () => {
		store.delayMs = 250;
		const library = await send(bot.fake.slashCommand('library', { list: {} }));
		expect(library.type).toBe(5);
		expect(library.data.flags).toBe(EPHEMERAL);
		expect((await library.record.waitFor('edit')).content).toMatch(/^Your library is empty/);
		const read = await send(bot.fake.slashCommand('read', { story: leaving(), page: 2, private: true }));
		expect(read.type).toBe(5);
		expect(read.data.flags).toBe(EPHEMERAL);
		expect((await read.record.waitFor('edit')).embeds[0]?.footer?.text).toMatch(/^Page 2 of \d+ · Leaving/);
		expect(trips(bot, library)).toHaveLength(2);
		expect(trips(bot, read)).toHaveLength(2);
	});

	it('turns a deferred reader message in place', async () => {
		store.delayMs = 250;
		const read = await send(bot.fake.slashCommand('read', { story: leaving(), page: 1 }));
		expect(read.type).toBe(5);
		const page1 = await read.record.waitFor('edit');
		expect(page1.flags).toBe(0);
		const next = await send(bot.fake.buttonClick(idOf(page1, 'Next ›'), page1));
		expect(next.type).toBe(6);
		expect((await next.record.waitFor('edit')).embeds[0]?.footer?.text).toMatch(/^Page 2 of/);
	});

	it('decides per call: the same command answers at once when the store is quick again', async () => {
		store.delayMs = 0;
		const res = await send(bot.fake.slashCommand('search', { query: 'lighthouse' }));
		expect(res.type).toBe(4);
		expect(res.data.embeds?.[0]?.fields).toHaveLength(5);
		await settle();
		expect(trips(bot, res)).toHaveLength(1);
		expect(bot.log.lines.filter((l) => l.includes('answer deferred')).length).toBeGreaterThanOrEqual(6);
	});

	it('sent only what Discord accepts', () => {
		expect(problemsInEverythingSent(bot.fake).problems).toEqual([]);
	});
});

describe('one round trip: a state store that does not answer', () => {
	let bot: Bot;
	const store = slowStore();
	beforeAll(async () => {
		store.hang = true;
		bot = await startBot({
			state: (log) => new State(new Keyv({ store: store as never }), log, 300),
			answerWithinMs: 100,
		});
	});
	afterAll(async () => {
		store.hang = false;
		await bot?.stop();
	});

	it('still fails closed: a public "thinking…" gives way to a private answer', async () => {
		const res = await bot.fake.sendInteraction(bot.fake.slashCommand('search', { query: 'lighthouse' }));
		expect(res.type).toBe(5);
		expect(res.data.flags ?? 0).toBe(0);
		const answer = await res.record.waitFor('followup');
		expect(answer.flags).toBe(EPHEMERAL);
		expect(answer.embeds[0]?.fields?.length).toBeGreaterThan(0);
		expect(res.record.deleted).toEqual([res.message?.id]);
		expect(bot.fake.messages.has(res.message?.id as string)).toBe(false);
		expect(trips(bot, res)).toHaveLength(3);
		// While the store counts as down, settings fail at once: the gated answer goes directly, privately.
		const teen = await bot.fake.sendInteraction(
			bot.fake.slashCommand('read', { story: `id:${bot.storyId('leaving.txt')}`, page: 1 }),
		);
		expect(teen.type).toBe(4);
		expect(teen.data.flags).toBe(EPHEMERAL);
		expect(teen.data.content).toMatch(/rated Teen: this server’s settings cannot be read right now/);
		expect(teen.data.embeds?.[0]?.title).toBe('Leaving');
		expect(teen.data.embeds?.[0]?.footer?.text).not.toMatch(/^Page/);
	});

	it('sent only what Discord accepts', () => {
		expect(problemsInEverythingSent(bot.fake).problems).toEqual([]);
	});
});
