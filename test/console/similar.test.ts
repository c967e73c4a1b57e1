import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EPHEMERAL_MARK } from '../../src/console/render.js';
import { ConsoleSession } from '../../src/console/session.js';
import { openFixture } from './fixture.js';

let fx: Awaited<ReturnType<typeof openFixture>>;

beforeAll(async () => {
	fx = await openFixture();
});
afterAll(() => fx?.close());

const session = (nsfw = false) =>
	new ConsoleSession({ ctx: fx.ctx, look: { width: 100, color: false }, place: { nsfw }, ask: async () => null });

/** The number the console gives the button or menu option with this label. */
const numberOf = (output: string, label: string) => {
	const found = output.match(new RegExp(`\\[(\\d+) ${label}\\]`)) ?? output.match(new RegExp(`(\\d+)\\. ${label}`));
	if (!found) throw new Error(`no ${label} in\n${output}`);
	return found[1] as string;
};

describe('More like this in the console', () => {
	it('lists the nearest stories from a card, and a number opens one’s card', async () => {
		const s = session();
		const card = await s.run('/story lighthouse 3');
		expect(card.output).toContain('More like this');
		const list = await s.run(numberOf(card.output, 'More like this'));
		expect(list.ok).toBe(true);
		expect(list.output.split('\n')[0]).toBe(EPHEMERAL_MARK);
		expect(list.output).toContain('More like Lighthouse 3');
		const stored = fx.store.similar(fx.storyId('lighthouse-3.txt'));
		expect(stored.length).toBeGreaterThan(0);
		for (const s of stored) expect(list.output).toContain(`${s.title} — ${s.author} · ${s.rating}`);
		expect(list.output).toContain('Words: ');
		const first = stored[0]?.title as string;
		const opened = await s.run(numberOf(list.output, first));
		expect(opened.output).toMatch(new RegExp(`┌ ${first} ─`));
		expect(opened.output).toContain('More like this');
	});

	it('offers it on a gated card too, naming no words of the hidden text', async () => {
		// The rating gate's own cases (a hidden story in the list of a shown one) are in test/e2e/similar.test.ts.
		const s = session();
		const card = await s.run('/story after dark');
		expect(card.output).toContain('is rated Explicit');
		expect(card.output).not.toContain('Read]');
		const list = await s.run(numberOf(card.output, 'More like this'));
		expect(list.output).toContain('More like After Dark');
		expect(list.output).not.toContain('Words: ');
	});
});
