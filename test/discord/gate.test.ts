import { ApplicationCommandOptionType as T } from 'discord.js';
import Keyv from 'keyv';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LocalChannel, type Outcome } from '../../src/console/channel.js';
import { GUILD_ID } from '../../src/console/ids.js';
import type { LocalOption } from '../../src/console/interactions.js';
import { componentsOf, type LocalMessage } from '../../src/console/wire.js';
import type { Context } from '../../src/discord/context.js';
import { DEFAULT_GATE } from '../../src/discord/gate.js';
import { memoryLogger } from '../../src/log.js';
import { DEFAULT_SETTINGS, SETTINGS_FALLBACK_MS, State } from '../../src/state.js';
import { openFixture } from '../console/fixture.js';

const EPHEMERAL = 64;

/** A keyv store that can be made to fail every call, or to never answer, and made well again. */
function flakyStore() {
	const map = new Map<string, unknown>();
	const flaky = {
		mode: 'ok' as 'ok' | 'fail' | 'hang',
		calls: 0,
		async get(key: string) {
			flaky.calls++;
			if (flaky.mode === 'fail') throw new Error('connection refused');
			if (flaky.mode === 'hang') return new Promise(() => undefined);
			return map.get(key);
		},
		async set(key: string, value: unknown) {
			if (flaky.mode === 'fail') throw new Error('connection refused');
			if (flaky.mode === 'hang') return new Promise(() => undefined);
			map.set(key, value);
			return true;
		},
		async delete(key: string) {
			return map.delete(key);
		},
		async clear() {
			map.clear();
		},
		async has(key: string) {
			return map.has(key);
		},
	};
	return flaky;
}

let fx: Awaited<ReturnType<typeof openFixture>>;
beforeAll(async () => {
	fx = await openFixture();
});
afterAll(() => fx?.close());
afterEach(() => {
	vi.restoreAllMocks();
});

const option = (name: string, value: string | number | boolean, type = T.String): LocalOption => ({
	name,
	type,
	value,
});
const only = (o: Outcome) => {
	expect(o.error).toBeUndefined();
	expect(o.responses).toHaveLength(1);
	return o.responses[0] as { message: LocalMessage };
};

describe('when the server’s settings cannot be read', () => {
	for (const mode of ['fail', 'hang'] as const) {
		it(`(the store ${mode === 'fail' ? 'fails' : 'hangs'}) serves the last settings for a minute, then fails closed until they can be read`, async () => {
			const flaky = flakyStore();
			const log = memoryLogger();
			const state = new State(new Keyv({ store: flaky as never }), log, 100);
			const ctx: Context = { ...fx.ctx, state, log };
			const channel = new LocalChannel(ctx);
			const leaving = option('story', `id:${fx.storyId('leaving.txt')}`);
			const lighthouse = option('story', `id:${fx.storyId('lighthouse-1.txt')}`);
			// The server allows Teen text (the default) and answers /read for the channel.
			await state.updateSettings(GUILD_ID, { maxRating: 'Teen', publicRead: true });
			const shown = only(await channel.command('read', [leaving])).message;
			expect(shown.flags).toBe(0);
			expect(shown.embeds[0]?.footer?.text).toMatch(/^Page 1 of/);

			flaky.mode = mode;
			// One slow or failed read does not flip the server: its settings as read moments ago stand.
			const slow = only(await channel.command('read', [leaving])).message;
			expect(slow.flags).toBe(0);
			expect(slow.embeds[0]?.footer?.text).toMatch(/^Page 1 of/);

			// A minute on, still unreadable: General text only, and every answer for the asker alone.
			const later = Date.now() + SETTINGS_FALLBACK_MS + 10_000;
			vi.spyOn(Date, 'now').mockReturnValue(later);
			const gated = only(await channel.command('read', [leaving])).message;
			expect(gated.flags).toBe(EPHEMERAL);
			expect(gated.content).toMatch(/rated Teen: this server’s settings cannot be read right now/);
			expect(gated.embeds[0]?.description ?? '').not.toMatch(/Spike/);
			expect(labels(gated)).not.toContain('Read');
			const general = only(await channel.command('read', [lighthouse])).message;
			expect(general.flags).toBe(EPHEMERAL);
			expect(general.embeds[0]?.footer?.text).toMatch(/^Page 1 of/);
			const card = only(await channel.command('story', [leaving])).message;
			expect(card.flags).toBe(EPHEMERAL);
			const quote = only(await channel.command('quote', [])).message;
			expect(quote.flags).toBe(EPHEMERAL);
			// Only General stories' lines may be quoted now, and the General ones here have none.
			expect(quote.content).toBe('No quotes in stories that can be shown here.');
			// A page button on the public reader from before: the owner turns it, to text the gate allows.
			const turned = await channel.click(shown, idOf(shown, 'Next ›'));
			expect(turned.error).toBeUndefined();
			expect(shown.embeds[0]?.footer?.text ?? '').not.toMatch(/^Page 2/);
			expect(log.lines.some((l) => l.includes('failing closed'))).toBe(true);

			// Readable again: the server's own choice, public.
			flaky.mode = 'ok';
			vi.spyOn(Date, 'now').mockReturnValue(later + 10_000);
			const back = only(await channel.command('read', [leaving])).message;
			expect(back.flags).toBe(0);
			expect(back.embeds[0]?.footer?.text).toMatch(/^Page 1 of/);
		});
	}

	it('fails closed for a server whose settings were never read, and not for a DM', async () => {
		const flaky = flakyStore();
		flaky.mode = 'fail';
		const log = memoryLogger();
		const ctx: Context = { ...fx.ctx, state: new State(new Keyv({ store: flaky as never }), log, 100), log };
		const leaving = option('story', `id:${fx.storyId('leaving.txt')}`);
		const server = only(await new LocalChannel(ctx).command('read', [leaving])).message;
		expect(server.flags).toBe(EPHEMERAL);
		expect(server.embeds[0]?.footer?.text).not.toMatch(/^Page/);
		const search = await new LocalChannel(ctx).command('search', [option('query', 'spike')]);
		expect(only(search).message.flags).toBe(EPHEMERAL);
		// A DM has no server settings: its gate (Teen) needs no store.
		const dm = only(await new LocalChannel(ctx, { dm: true }).command('read', [leaving])).message;
		expect(dm.embeds[0]?.footer?.text).toMatch(/^Page 1 of/);
	});
});

const labels = (m: LocalMessage) => componentsOf(m).map((c) => ('label' in c ? c.label : undefined));
function idOf(m: LocalMessage, label: string): string {
	const c = componentsOf(m).find((x) => 'label' in x && x.label === label);
	if (!c || !('custom_id' in c)) throw new Error(`no ${label}`);
	return c.custom_id;
}

describe('the quote board', () => {
	it('saves only lines the gate shows where Save is pressed', async () => {
		const ctx: Context = { ...fx.ctx, state: new State(new Keyv(), memoryLogger()) };
		const sfw = new LocalChannel(ctx);
		const afterDark = fx.store.quotesOnPage(fx.storyId('after-dark.txt'), 1)[0];
		expect(afterDark).toBeDefined();
		const forged = `quotes:1:s:${afterDark?.id}`;
		const message = sfw.post(
			{ components: [{ type: 1, components: [{ type: 2, style: 2, label: 'Save', custom_id: forged }] }] },
			{ id: '1', userId: '100000000000000001' },
		);
		const refused = only(await sfw.click(message, forged)).message;
		expect(refused.flags).toBe(EPHEMERAL);
		expect(refused.content).toMatch(/rated Explicit: its text is shown only in age-restricted/);
		expect(await ctx.state.board(GUILD_ID)).toEqual([]);
		// In an age-restricted channel the same line is saved, with its rating.
		const nsfw = new LocalChannel(ctx, { nsfw: true });
		await nsfw.click(nsfw.post({ components: message.components }, { id: '2', userId: '100000000000000001' }), forged);
		expect((await ctx.state.board(GUILD_ID)).map((e) => e.rating)).toEqual(['Explicit']);
	});
});

describe('a board entry’s rating', () => {
	it('is its story’s rating only while its id still names that story; unknown is Explicit', async () => {
		const ctx: Context = { ...fx.ctx, state: new State(new Keyv(), memoryLogger()) };
		const lighthouse = fx.storyId('lighthouse-1.txt');
		const line = { storyId: lighthouse, page: 1, speaker: null, author: 'Keeper 1' };
		// Saved before entries kept a rating: one from this General story, one whose story id now names it.
		await ctx.state.saveToBoard(GUILD_ID, { ...line, text: 'A line from the lighthouse.', title: 'Lighthouse 1' }, 'u');
		await ctx.state.saveToBoard(GUILD_ID, { ...line, text: 'A line from elsewhere.', title: 'Gone Story' }, 'u');
		const sfw = new LocalChannel(ctx);
		const board = only(await sfw.command('quotes')).message;
		const first = board.embeds[0]?.description ?? '';
		expect((await sfw.click(board, idOf(board, 'Next ›'))).error).toBeUndefined();
		const descriptions = `${first}\n${board.embeds[0]?.description ?? ''}`;
		expect(descriptions).toContain('A line from the lighthouse.');
		expect(descriptions).not.toContain('A line from elsewhere.');
		expect(descriptions).toMatch(/The story this line is from is rated Explicit/);
	});
});

it('gives a DM the gate of a server that chose nothing', () => {
	expect(DEFAULT_GATE.maxRating).toBe(DEFAULT_SETTINGS.maxRating);
});
