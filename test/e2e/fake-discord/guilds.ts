// Guilds, their channels and members as GUILD_CREATE carries them.
import { snowflake } from './ids.js';
import type { FakeChannel, FakeGuild, FakeMember, FakeOverwrite, FakeUser } from './wire.js';

/** VIEW_CHANNEL, as a permission bit string. */
const VIEW_CHANNEL = '1024';

export interface ChannelOptions {
	id?: string;
	name: string;
	/** Channel type; 0 (text) by default. */
	type?: number;
	nsfw?: boolean;
	topic?: string | null;
	/**
	 * Hidden from members: @everyone is denied VIEW_CHANNEL (a role overwrite, type 0, whose id is the guild's,
	 * as Discord shapes it), except for these users (member overwrites, type 1, allowing it).
	 */
	hidden?: { seenBy: string[] };
}

/** A guild channel as GUILD_CREATE and GET /channels/:id carry it, with its permission overwrites. */
export function channelPayload(c: ChannelOptions, position: number, guildId: string): FakeChannel {
	const overwrites: FakeOverwrite[] = c.hidden
		? [
				{ id: guildId, type: 0, allow: '0', deny: VIEW_CHANNEL },
				...c.hidden.seenBy.map((id) => ({ id, type: 1 as const, allow: VIEW_CHANNEL, deny: '0' })),
			]
		: [];
	return {
		id: c.id ?? snowflake(),
		type: c.type ?? 0,
		name: c.name,
		position,
		permission_overwrites: overwrites,
		nsfw: c.nsfw ?? false,
		parent_id: null,
		topic: c.topic ?? null,
		rate_limit_per_user: 0,
		last_message_id: null,
		flags: 0,
	};
}

export interface GuildOptions {
	id?: string;
	name?: string;
	/** Defaults to one text channel, `general`. */
	channels?: ChannelOptions[];
}

/** A guild member as Discord sends one, with no roles or nickname. */
export function memberOf(user: FakeUser, joinedAt = new Date().toISOString()): FakeMember {
	return {
		user,
		roles: [],
		nick: null,
		avatar: null,
		joined_at: joinedAt,
		premium_since: null,
		deaf: false,
		mute: false,
		pending: false,
		flags: 0,
		communication_disabled_until: null,
	};
}

/** A GUILD_CREATE payload: owned by `owner`, with the bot as its one member and `general` unless channels are given. */
export function guildPayload(
	{ name = 'Guild', id = snowflake(), channels }: GuildOptions,
	owner: FakeUser,
	bot: FakeUser,
): FakeGuild {
	const chans = channels ?? [{ name: 'general' }];
	const now = new Date().toISOString();
	return {
		id,
		name,
		icon: null,
		splash: null,
		discovery_splash: null,
		banner: null,
		description: null,
		owner_id: owner.id,
		afk_channel_id: null,
		afk_timeout: 300,
		verification_level: 0,
		default_message_notifications: 0,
		explicit_content_filter: 0,
		mfa_level: 0,
		nsfw_level: 0,
		premium_tier: 0,
		premium_subscription_count: 0,
		premium_progress_bar_enabled: false,
		preferred_locale: 'en-US',
		system_channel_id: null,
		system_channel_flags: 0,
		rules_channel_id: null,
		public_updates_channel_id: null,
		safety_alerts_channel_id: null,
		vanity_url_code: null,
		application_id: null,
		features: [],
		max_members: 500000,
		max_video_channel_users: 25,
		joined_at: now,
		large: false,
		unavailable: false,
		member_count: 2,
		lazy: true,
		roles: [
			{
				id,
				name: '@everyone',
				permissions: '1071698660929',
				position: 0,
				color: 0,
				hoist: false,
				managed: false,
				mentionable: false,
				icon: null,
				unicode_emoji: null,
				flags: 0,
			},
		],
		channels: chans.map((c, i) => channelPayload(c, i, id)),
		members: [memberOf(bot, now)],
		threads: [],
		presences: [],
		voice_states: [],
		emojis: [],
		stickers: [],
		stage_instances: [],
		guild_scheduled_events: [],
		soundboard_sounds: [],
	};
}
