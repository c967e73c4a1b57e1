import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalChannel } from '../../src/console/channel.js';
import { ConsoleSession } from '../../src/console/session.js';
import { encodeQuote } from '../../src/discord/custom-id.js';
import { CARD_HEIGHT, CARD_WIDTH } from '../../src/discord/render/quote-image.js';
import { openFixture } from './fixture.js';

let fx: Awaited<ReturnType<typeof openFixture>>;
let filesDir: string;
beforeAll(async () => {
	fx = await openFixture();
	filesDir = mkdtempSync(join(tmpdir(), 'fic-archive-images-'));
});
afterAll(() => {
	fx?.close();
	rmSync(filesDir, { recursive: true, force: true });
});

const share = (id: number) => ({
	type: 1,
	components: [{ type: 2, style: 2, label: 'Share as image', custom_id: encodeQuote({ kind: 'image', quoteId: id }) }],
});

describe('quote images in the console', () => {
	it('saves the picture to a file and prints its path and alt text', async () => {
		const s = new ConsoleSession({
			ctx: fx.ctx,
			look: { width: 100, color: false },
			json: false,
			place: { filesDir },
			ask: async () => null,
		});
		const card = await s.run(`/quote id:${fx.storyId('leaving.txt')}`);
		expect(card.output).toContain('[4 Share as image]');
		const shared = await s.run('4');
		expect(shared.ok).toBe(true);
		const saved = /🖼 quote\.png \((\d+)×(\d+) PNG, \d+ KB\) saved to (\S+)/.exec(shared.output);
		expect(saved?.slice(1, 3)).toEqual([String(CARD_WIDTH), String(CARD_HEIGHT)]);
		const path = saved?.[3] as string;
		expect(path.startsWith(filesDir)).toBe(true);
		expect(existsSync(path)).toBe(true);
		expect(readFileSync(path).subarray(1, 4).toString('latin1')).toBe('PNG');
		expect(shared.output).toMatch(/^alt: .{10,}/m);
	});

	it('makes no picture of an Explicit line in a channel that is not age-restricted, nor in a DM', async () => {
		const explicit = fx.store.randomQuote({ storyId: fx.storyId('after-dark.txt'), ratings: ['Explicit'] });
		expect(explicit).toBeDefined();
		const id = explicit?.id as number;
		for (const place of [{ filesDir }, { filesDir, dm: true }]) {
			const channel = new LocalChannel(fx.ctx, place);
			// A forged button: any client can send any custom_id.
			const message = channel.post({ content: 'forged', components: [share(id)] as never }, null);
			const outcome = await channel.click(message, encodeQuote({ kind: 'image', quoteId: id }));
			const [answer] = outcome.responses;
			expect(answer?.kind).toBe('reply');
			if (answer?.kind !== 'reply') return;
			expect(answer.data.flags).toBe(64);
			expect(answer.data.content).toMatch(/is rated Explicit: its text is shown only in age-restricted/);
			expect(answer.data.files).toBeUndefined();
			expect(answer.message.attachments).toBeUndefined();
		}
		const nsfw = new LocalChannel(fx.ctx, { filesDir, nsfw: true });
		const message = nsfw.post({ content: 'card', components: [share(id)] as never }, null);
		const outcome = await nsfw.click(message, encodeQuote({ kind: 'image', quoteId: id }));
		const [answer] = outcome.responses;
		expect(answer?.kind === 'reply' && answer.message.attachments?.[0]?.width).toBe(CARD_WIDTH);
	});
});
