// Threads as Discord's API has them: POST /channels/{id}/threads (a thread with no starting message) and
// POST /channels/{id}/messages/{id}/threads (a thread from a message: it takes the message's id). A thread is a
// channel of type 11 (public) or 10 (announcement) with its parent's id; THREAD_CREATE goes to the guild's shard.
// A channel in `fake.forbidden` answers the bot's posts and thread creations with 403 Missing Permissions.
import type { FakeDiscord } from '../fake-discord.js';
import { dispatch } from './gateway.js';
import { snowflake } from './ids.js';
import type { RouteResult } from './rest.js';
import { asBody, type FakeGuild, type FakeThread } from './wire.js';

/** Discord's answer when the bot lacks a permission in the channel. */
export const MISSING_PERMISSIONS: RouteResult = [403, { message: 'Missing Permissions', code: 50013 }];
const TEXT = 0;
const ANNOUNCEMENT = 5;
const DURATIONS = [60, 1440, 4320, 10080];

/** The threads of a guild (kept beside its channels, as GUILD_CREATE's `threads`). */
export const threadsOf = (guild: FakeGuild): FakeThread[] => guild.threads;

/** A thread by id in any guild. */
export function findThread(fake: FakeDiscord, id: string): FakeThread | undefined {
	for (const guild of fake.guilds) {
		const thread = threadsOf(guild).find((t) => t.id === id);
		if (thread) return thread;
	}
	return undefined;
}

/** POST /channels/:id/threads and /channels/:id/messages/:id/threads; null when the route is not one of them. */
export function threadRoute(
	fake: FakeDiscord,
	method: string,
	body: unknown,
	channelId: string,
	messageId: string | undefined,
): RouteResult | null {
	if (method !== 'POST') return null;
	const guild = fake.guildOf(channelId);
	const parent = guild?.channels.find((c) => c.id === channelId);
	if (!guild || !parent) {
		return findThread(fake, channelId)
			? [400, { message: 'Cannot execute action on this channel type', code: 50024 }]
			: [404, { message: 'Unknown Channel', code: 10003 }];
	}
	if (parent.type !== TEXT && parent.type !== ANNOUNCEMENT) {
		return [400, { message: 'Cannot execute action on this channel type', code: 50024 }];
	}
	if (fake.forbidden.has(channelId)) return MISSING_PERMISSIONS;
	const data = asBody(body);
	const name = typeof data.name === 'string' ? data.name : '';
	if (!name || name.length > 100) return [400, { message: 'Invalid Form Body', code: 50035 }];
	const duration = typeof data.auto_archive_duration === 'number' ? data.auto_archive_duration : 4320;
	if (!DURATIONS.includes(duration)) return [400, { message: 'Invalid Form Body', code: 50035 }];
	let id: string;
	if (messageId) {
		const message = fake.messages.get(messageId);
		if (!message || message.channel_id !== channelId) return [404, { message: 'Unknown Message', code: 10008 }];
		if (findThread(fake, messageId)) {
			return [400, { message: 'A thread has already been created for this message', code: 160004 }];
		}
		id = messageId;
	} else {
		const type = data.type ?? 12;
		if (type !== 11 && type !== 10) {
			// Private threads (12) are not part of what the fake models.
			return [400, { message: 'Invalid Form Body', code: 50035 }];
		}
		id = snowflake();
	}
	const now = new Date().toISOString();
	const thread: FakeThread = {
		id,
		type: parent.type === ANNOUNCEMENT ? 10 : 11,
		guild_id: guild.id,
		parent_id: parent.id,
		name,
		owner_id: fake.applicationId,
		last_message_id: null,
		rate_limit_per_user: 0,
		flags: 0,
		message_count: 0,
		member_count: 1,
		total_message_sent: 0,
		thread_metadata: {
			archived: false,
			auto_archive_duration: duration,
			archive_timestamp: now,
			locked: false,
			create_timestamp: now,
		},
	};
	threadsOf(guild).push(thread);
	dispatch(fake, 'THREAD_CREATE', { ...thread, newly_created: true }, guild.id);
	return [201, thread];
}

/**
 * GET /guilds/:id/threads/active: the guild's threads that are not archived, and the bot's membership of those
 * it is in (it joins the threads it opens), as Discord answers it (no `has_more` on this route).
 */
export function activeThreads(fake: FakeDiscord, guildId: string): RouteResult {
	const guild = fake.guilds.find((g) => g.id === guildId);
	if (!guild) return [404, { message: 'Unknown Guild', code: 10004 }];
	const threads = threadsOf(guild).filter((t) => !t.thread_metadata.archived);
	const members = threads
		.filter((t) => t.owner_id === fake.applicationId)
		.map((t) => ({
			id: t.id,
			user_id: fake.applicationId,
			join_timestamp: t.thread_metadata.create_timestamp,
			flags: 1,
		}));
	return [200, { threads, members }];
}
