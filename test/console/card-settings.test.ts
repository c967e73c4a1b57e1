import Keyv from 'keyv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markdown } from '../../src/console/render.js';
import { ConsoleSession } from '../../src/console/session.js';
import type { LocalMessage } from '../../src/console/wire.js';
import { memoryLogger } from '../../src/log.js';
import { State } from '../../src/state.js';
import { addSpoilerBars, SPOILERED_FIELDS } from '../e2e/spoiler-story.js';
import { openFixture } from './fixture.js';

let fx: Awaited<ReturnType<typeof openFixture>>;
const plain = { width: 100, color: false };

beforeAll(async () => {
	fx = await openFixture();
	await addSpoilerBars(fx.store);
});
afterAll(() => fx?.close());

/** A console session in an age-restricted channel, with its own server settings. */
const session = (json = false) =>
	new ConsoleSession({
		ctx: { ...fx.ctx, state: new State(new Keyv(), memoryLogger()) },
		look: plain,
		json,
		place: { nsfw: true },
	});
/** The first embed's fields of the one reply a --json session printed. */
const fieldsOf = (output: string) => {
	const [reply] = JSON.parse(output) as { data: Pick<LocalMessage, 'embeds'> }[];
	return Object.fromEntries((reply?.data.embeds[0]?.fields ?? []).map((f) => [f.name, f.value]));
};

describe('/settings card in the console', () => {
	it('shows the same card as Discord: fields left out, warnings and tags behind their bars', async () => {
		const s = session();
		const saved = await s.run('/settings card warnings:behind spoiler bars tags:spoiler fandom:hidden');
		expect(saved.ok).toBe(true);
		expect(saved.output).toContain('Saved: story cards in this server change at once.');
		expect(saved.output).toContain('Warnings: behind spoiler bars · Tags: behind spoiler bars');
		const card = await s.run('/story spoiler bars');
		expect(card.ok).toBe(true);
		// Drawn without colours, a spoiler keeps its bars; the story's own bars show as the characters they are.
		expect(card.output).toContain('Warnings: ||Major Character Death || it ends||');
		expect(card.output).toContain('||||twist||, *bold* `code`, @\u200beveryone||');
		expect(card.output).not.toContain('Fandom');
		expect(card.output).toContain('Relationships');
	});

	it('sends the payload the e2e test sees from the bot', async () => {
		const s = session(true);
		await s.run('/settings card warnings:spoiler tags:spoiler');
		const card = await s.run('/story spoiler bars');
		expect(fieldsOf(card.output)).toMatchObject({ ...SPOILERED_FIELDS, Fandom: 'Buffy the Vampire Slayer' });
	});

	it('while the settings cannot be read: the last ones for a minute, then warnings and tags behind bars', async () => {
		// A store that can be made to fail every call.
		const map = new Map<string, unknown>();
		let failing = false;
		const store = {
			async get(key: string) {
				if (failing) throw new Error('connection refused');
				return map.get(key);
			},
			async set(key: string, value: unknown) {
				if (failing) throw new Error('connection refused');
				map.set(key, value);
				return true;
			},
			async delete(key: string) {
				return map.delete(key);
			},
			async clear() {
				map.clear();
			},
		};
		const state = new State(new Keyv({ store: store as never }), memoryLogger(), 100);
		const s = new ConsoleSession({ ctx: { ...fx.ctx, state }, look: plain, json: true, place: { nsfw: true } });
		await s.run('/settings card fandom:hidden');
		failing = true;
		// Read moments ago: the server's own card.
		const recent = fieldsOf((await s.run('/story spoiler bars')).output);
		expect(recent.Fandom).toBeUndefined();
		expect(recent.Tags).toBe('\\|\\|twist\\|\\|, \\*bold\\* \\`code\\`, @\u200beveryone');
		// A server whose settings were never read (another console channel is the same server: a new State).
		const never = new ConsoleSession({
			ctx: { ...fx.ctx, state: new State(new Keyv({ store: store as never }), memoryLogger(), 100) },
			look: plain,
			json: true,
			place: { nsfw: true },
		});
		const closed = fieldsOf((await never.run('/story spoiler bars')).output);
		expect(closed).toMatchObject({ ...SPOILERED_FIELDS, Fandom: 'Buffy the Vampire Slayer' });
	});

	it('draws a spoiler inverted in colour, with its bars without', () => {
		expect(markdown('a ||secret|| b', plain)).toBe('a ||secret|| b');
		expect(markdown('a ||secret|| b', { width: 80, color: true })).toBe('a \x1b[7msecret\x1b[27m b');
		expect(markdown('\\|\\|not one\\|\\|', plain)).toBe('||not one||');
	});
});
