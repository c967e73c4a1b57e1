// The fake's threads (fake-discord/threads.ts) with a real discord.js client: both ways Discord opens a public
// thread, posting in one, the errors Discord answers with, and every body valid against the OpenAPI spec.
import {
	ChannelType,
	Client,
	DiscordAPIError,
	Events,
	GatewayIntentBits,
	type TextChannel,
	ThreadAutoArchiveDuration,
	type ThreadChannel,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord } from './fake-discord.js';
import { loadSpecChecker, specCheckAll } from './spec-check.js';

let fake: FakeDiscord;
let client: Client;
const created: unknown[] = [];

beforeAll(async () => {
	fake = await new FakeDiscord({
		heartbeatInterval: 500,
		guilds: [{ name: 'Threads', channels: [{ name: 'general' }, { name: 'after-dark', nsfw: true }] }],
	}).start();
	client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.restBase } });
	client.on(Events.ThreadCreate, (thread, newly) => created.push({ id: thread.id, newly }));
	const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
	await client.login(fake.token);
	await ready;
});
afterAll(async () => {
	await client?.destroy();
	await fake?.stop();
});

const text = (name: string) => client.channels.cache.get(fake.channel(name).id) as TextChannel;
const status = (error: unknown) => (error instanceof DiscordAPIError ? [error.status, error.code] : error);

describe('threads in the fake Discord', () => {
	it('opens a public thread under a channel, with its type and parent, and THREAD_CREATE', async () => {
		const thread = await text('after-dark').threads.create({
			name: 'A reading',
			type: ChannelType.PublicThread,
			autoArchiveDuration: ThreadAutoArchiveDuration.OneDay,
		});
		expect(thread.type).toBe(ChannelType.PublicThread);
		expect(thread.parentId).toBe(fake.channel('after-dark').id);
		expect(thread.parent?.nsfw).toBe(true);
		expect(fake.thread(thread.id)).toMatchObject({ name: 'A reading', parent_id: thread.parentId, type: 11 });
		const posted = await thread.send({ content: 'in the thread', allowedMentions: { parse: [] } });
		expect(posted.channelId).toBe(thread.id);
		expect((await client.channels.fetch(thread.id, { force: true }))?.isThread()).toBe(true);
		await expect.poll(() => created).toContainEqual({ id: thread.id, newly: true });
	});

	it('opens one from a message: the thread takes the message’s id, and it is the starter', async () => {
		const general = text('general');
		const starter = await general.send({ content: 'starts a thread', allowedMentions: { parse: [] } });
		const thread: ThreadChannel = await starter.startThread({ name: 'From a message' });
		expect(thread.id).toBe(starter.id);
		expect((await thread.fetchStarterMessage())?.content).toBe('starts a thread');
		await expect(starter.startThread({ name: 'Again' }).catch(status)).resolves.toEqual([400, 160004]);
	});

	it('answers as Discord does: no private threads here, none in a thread, 403 where the bot may not', async () => {
		const general = text('general');
		const privateOne = general.threads.create({ name: 'secret', type: ChannelType.PrivateThread });
		await expect(privateOne.catch(status)).resolves.toEqual([400, 50035]);
		const thread = await general.threads.create({ name: 'Outer', type: ChannelType.PublicThread });
		const nested = await client.rest
			.post(`/channels/${thread.id}/threads`, { body: { name: 'Inner', type: 11 } })
			.catch(status);
		expect(nested).toEqual([400, 50024]);
		fake.forbidden.add(general.id);
		try {
			await expect(
				general.threads.create({ name: 'No', type: ChannelType.PublicThread }).catch(status),
			).resolves.toEqual([403, 50013]);
			await expect(general.send('no').catch(status)).resolves.toEqual([403, 50013]);
		} finally {
			fake.forbidden.delete(general.id);
		}
	});

	it.skipIf(!loadSpecChecker())('sent only bodies the OpenAPI spec accepts', () => {
		expect(fake.requests.filter((r) => r.path.endsWith('/threads')).length).toBeGreaterThanOrEqual(5);
		expect(specCheckAll(fake.requests)).toEqual([]);
	});
});
