import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARD_HEIGHT, CARD_WIDTH } from '../../src/discord/render/quote-image.js';
import type { RecordedRequest } from './fake-discord/rest.js';
import { multipartProblems } from './fake-discord/rest.js';
import type { UploadedFile } from './fake-discord/wire.js';
import type { FakeInteraction, FakeMessage, InteractionResult } from './fake-discord.js';
import { problemsInEverythingSent, startBot } from './harness.js';
import { components, EPHEMERAL, friend, idOf, labels } from './messages.js';
import { loadSpecChecker, SPEC_NOTE } from './spec-check.js';

/**
 * "Share as image" on every quote: a PNG card sent as a multipart attachment with the line as its alt text,
 * through the fake Discord, every payload_json checked against Discord's OpenAPI spec. An Explicit line's
 * picture is never made outside an age-restricted channel.
 */

let bot: Awaited<ReturnType<typeof startBot>>;
beforeAll(async () => {
	bot = await startBot();
});
afterAll(async () => {
	await bot?.stop();
});

const send = (payload: FakeInteraction) => bot.fake.sendInteraction(payload);
const stored = (res: InteractionResult) => bot.fake.messages.get(res.message?.id ?? '') as FakeMessage;
const story = (file: string) => `id:${bot.storyId(file)}`;
const multipart = () =>
	bot.fake.requests.filter((r) => Array.isArray((r.body as { _files?: unknown })?._files)) as (RecordedRequest & {
		body: {
			_files: UploadedFile[];
			data?: { attachments?: { id: number | string; description?: string; filename?: string }[] };
		};
	})[];
/** The multipart callback that answered an interaction. */
const upload = (res: InteractionResult) => {
	const found = multipart().find((r) => r.path.startsWith(`/interactions/${res.record.id}/`));
	if (!found) throw new Error('no multipart callback for this interaction');
	return found;
};

/** A PNG's width and height from its header (signature, then IHDR). */
function pngSize(data: Buffer) {
	expect(data.subarray(1, 4).toString('latin1')).toBe('PNG');
	return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

/** Clicks "Share as image" and checks the answer is a PNG with the line as alt text; returns the upload. */
async function share(message: FakeMessage, o = {}) {
	const res = await send(bot.fake.buttonClick(idOf(message, 'Share as image'), message, o));
	expect(res.type).toBe(4);
	const request = upload(res);
	const [file] = request.body._files;
	expect(request.body._files).toHaveLength(1);
	expect(file?.field).toBe('files[0]');
	expect(file?.filename).toBe('quote.png');
	expect(file?.contentType).toBe('image/png');
	expect(pngSize(file?.data as Buffer)).toEqual({ width: CARD_WIDTH, height: CARD_HEIGHT });
	const entry = request.body.data?.attachments?.[0];
	expect(String(entry?.id)).toBe('0'); // discord.js numbers them as strings
	expect(entry?.description?.length).toBeGreaterThan(10);
	expect(entry?.description?.length).toBeLessThanOrEqual(1024);
	// The posted message carries the attachment, with the size Discord reads from the image.
	expect(stored(res).attachments[0]).toMatchObject({ filename: 'quote.png', width: CARD_WIDTH, height: CARD_HEIGHT });
	return { res, description: entry?.description as string };
}

describe('Share as image', () => {
	it('is on a /quote card and posts the line as a PNG for the channel, the line as alt text', async () => {
		const card = await send(bot.fake.slashCommand('quote', { story: story('leaving.txt') }));
		expect(labels(card.data)).toEqual(['Another', 'Read in context', 'Save', 'Share as image']);
		const quoteId = Number(idOf(card.data, 'Share as image').split(':')[3]);
		const quote = bot.store.quote(quoteId);
		const { res, description } = await share(stored(card), { user: friend });
		expect(res.data.flags ?? 0).toBe(0);
		expect(res.data.content).toBe('Shared by Friend');
		expect(res.data.allowed_mentions).toEqual({ parse: [] });
		expect(description).toBe(quote?.text.replace(/\s+/g, ' ').trim());
	});

	it('is on a line shared with Quote a line, on the quote board and on the quote of the day', async () => {
		const page = await send(bot.fake.slashCommand('read', { story: story('leaving.txt'), page: 1 }));
		const offer = await send(bot.fake.buttonClick(idOf(page.data, 'Quote a line'), stored(page)));
		const menu = components(offer.data).find((c) => c.type === 3);
		const picked = await send(
			bot.fake.selectMenu(menu?.custom_id as string, [menu?.options?.[0]?.value as string], stored(offer)),
		);
		expect(labels(picked.data)).toContain('Share as image');
		await share(stored(picked));

		await send(bot.fake.buttonClick(idOf(picked.data, 'Save'), stored(picked)));
		const board = await send(bot.fake.slashCommand('quotes'));
		expect(labels(board.data)).toContain('Share as image');
		const fromBoard = await share(stored(board));
		expect(fromBoard.description.length).toBeGreaterThan(10);

		const general = bot.fake.channel('general').id;
		await send(bot.fake.slashCommand('settings', { qotd: { channel: general, hour: 9, timezone: 'UTC' } }));
		expect(await bot.client.qotd.tick(new Date('2026-11-25T09:10:00Z'))).toEqual([bot.fake.guilds[0]?.id]);
		const qotd = [...bot.fake.messages.values()].reverse().find((m) => m.content.startsWith('**Quote of the day**'));
		expect(labels(qotd)).toContain('Share as image');
		await share(qotd as FakeMessage, { user: friend });
	});

	it('never makes a picture of an Explicit line outside an age-restricted channel', async () => {
		const explicit = bot.store.randomQuote({ storyId: bot.storyId('after-dark.txt'), ratings: ['Explicit'] });
		expect(explicit).toBeDefined();
		const forged = `quote:1:i:${explicit?.id}`;
		const card = stored(await send(bot.fake.slashCommand('quote', { story: story('leaving.txt') })));
		const before = multipart().length;
		const refused = await send(bot.fake.buttonClick(forged, card, { channel: 'general' }));
		expect(refused.type).toBe(4);
		expect(refused.data.flags).toBe(EPHEMERAL);
		expect(refused.data.content).toMatch(
			/is rated Explicit: its text is shown only in age-restricted \(NSFW\) channels/,
		);
		const dm = await send(bot.fake.buttonClick(forged, card, { dm: true }));
		expect(dm.data.content).toMatch(/is rated Explicit/);
		expect(multipart().length).toBe(before);

		// In an age-restricted channel the same line may be shared.
		const nsfwCard = await send(
			bot.fake.slashCommand('quote', { story: story('after-dark.txt') }, { channel: 'after-dark' }),
		);
		expect(labels(nsfwCard.data)).toContain('Share as image');
		const { description } = await share(stored(nsfwCard));
		expect(description.length).toBeGreaterThan(10);
		expect(multipart().length).toBe(before + 1);
	});

	it('sends multipart bodies the fake checks, and payload_json valid against the OpenAPI spec', () => {
		// The fake refuses file parts that no attachments entry names, as Discord does.
		const data = Buffer.from('x');
		expect(
			multipartProblems({ attachments: [{ id: 0 }] }, [{ field: 'files[0]', filename: 'a', size: 1, data }]),
		).toEqual([]);
		expect(
			multipartProblems({ data: { attachments: [{ id: 0 }] } }, [{ field: 'files[1]', filename: 'a', size: 1, data }]),
		).toEqual(['files[1] has no attachments entry with id 1', 'attachments entry 0 has no file']);
		expect(multipartProblems({}, [{ field: 'file', filename: 'a', size: 1, data }])).toEqual([
			'file part named file, not files[n]',
		]);

		expect(multipart().length).toBe(5);
		expect(problemsInEverythingSent(bot.fake).problems).toEqual([]);
		const checker = loadSpecChecker();
		if (!checker) {
			// Without the spec the fake's own checks above still ran; say what was not checked.
			console.warn(`${SPEC_NOTE} (quote images: multipart payload_json not validated)`);
			return;
		}
		for (const r of multipart()) expect(checker.check(r.method, r.path, r.body), r.path).toEqual([]);
		// A broken payload_json is caught: the checks do look at multipart bodies.
		const [first] = multipart();
		const body = first?.body as unknown as { type: number; data: Record<string, unknown> };
		const broken = { ...body, data: { ...body.data, attachments: [{ id: 0, description: 7 }] } };
		expect(checker.check('POST', first?.path as string, broken).length).toBeGreaterThan(0);
	});
});
