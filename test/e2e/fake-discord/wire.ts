// Discord's payloads as the fake sends and receives them: users, channels, guilds, members, messages, components,
// commands and interactions. The fields tests care about are typed; the rest pass through as they are.
import type { APIApplicationCommandOptionChoice, APIEmbed } from 'discord.js';

export type JsonObject = Record<string, unknown>;

export interface FakeUser {
	id: string;
	username: string;
	global_name: string | null;
	discriminator: string;
	avatar: string | null;
	bot?: boolean;
	public_flags?: number;
	[key: string]: unknown;
}

/** A channel's permission overwrite: a role's (type 0) or a member's (type 1), bit sets as strings. */
export interface FakeOverwrite {
	id: string;
	type: 0 | 1;
	allow: string;
	deny: string;
}

export interface FakeChannel {
	id: string;
	type: number;
	name: string;
	position: number;
	permission_overwrites: FakeOverwrite[];
	nsfw: boolean;
	parent_id: string | null;
	topic: string | null;
	rate_limit_per_user: number;
	last_message_id: string | null;
	flags: number;
}

/** A thread: a channel under `parent_id` (type 11 public, 10 in an announcement channel). */
export interface FakeThread {
	id: string;
	type: number;
	guild_id: string;
	parent_id: string;
	name: string;
	owner_id: string;
	last_message_id: string | null;
	rate_limit_per_user: number;
	flags: number;
	message_count: number;
	member_count: number;
	total_message_sent: number;
	thread_metadata: {
		archived: boolean;
		auto_archive_duration: number;
		archive_timestamp: string;
		locked: boolean;
		create_timestamp: string;
	};
}

export interface FakeDMChannel {
	id: string;
	type: 1;
	recipients: FakeUser[];
	last_message_id: string | null;
	flags: number;
}

export interface FakeMember {
	user: FakeUser;
	roles: string[];
	nick: string | null;
	avatar: string | null;
	joined_at: string;
	premium_since: string | null;
	deaf: boolean;
	mute: boolean;
	pending: boolean;
	flags: number;
	communication_disabled_until: string | null;
	permissions?: string;
}

/** A GUILD_CREATE payload; the fields tests care about are typed, the rest is passed through as is. */
export interface FakeGuild {
	id: string;
	name: string;
	owner_id: string;
	channels: FakeChannel[];
	/** Threads the bot opened (tests may add their own). */
	threads: FakeThread[];
	members: FakeMember[];
	roles: JsonObject[];
	[key: string]: unknown;
}

export interface WireComponent {
	type: number;
	custom_id?: string;
	label?: string;
	style?: number;
	value?: string;
	values?: string[];
	url?: string;
	disabled?: boolean;
	placeholder?: string;
	options?: { label: string; value: string; description?: string; default?: boolean }[];
	components?: WireComponent[];
	component?: WireComponent;
	[key: string]: unknown;
}

export interface UploadedFile {
	field: string | undefined;
	filename: string;
	size: number;
	/** The part's Content-Type, as the client declared it. */
	contentType?: string;
	/** The file's bytes. */
	data: Buffer;
}

export interface FakeAttachment {
	id: string;
	filename: string;
	size: number;
	url: string;
	proxy_url: string;
	[key: string]: unknown;
}

/** A message body sent by the bot (reply, edit, follow-up, channel message). `_files` holds multipart uploads. */
export interface MessageBody {
	content?: string | null;
	embeds?: APIEmbed[] | null;
	components?: WireComponent[] | null;
	flags?: number;
	poll?: unknown;
	attachments?: JsonObject[];
	allowed_mentions?: JsonObject;
	tts?: boolean;
	_files?: UploadedFile[];
	[key: string]: unknown;
}

/** `data` of an interaction callback: a message body, a modal (custom_id, title, components) or autocomplete choices. */
export interface CallbackData extends MessageBody {
	custom_id?: string;
	title?: string;
	choices?: APIApplicationCommandOptionChoice[];
}

export interface FakeMessage {
	id: string;
	channel_id: string;
	guild_id?: string;
	author: FakeUser;
	content: string;
	embeds: APIEmbed[];
	components: WireComponent[];
	attachments: FakeAttachment[];
	mentions: unknown[];
	mention_roles: string[];
	mention_everyone: boolean;
	pinned: boolean;
	tts: boolean;
	timestamp: string;
	edited_timestamp: string | null;
	flags: number;
	type: number;
	webhook_id?: string;
	application_id?: string;
	interaction_metadata?: JsonObject;
	poll?: unknown;
	nonce?: unknown;
}

export interface CommandOptionDef {
	type: number;
	name: string;
	options?: CommandOptionDef[];
	[key: string]: unknown;
}

export interface RegisteredCommand {
	id: string;
	application_id: string;
	version: string;
	guild_id?: string;
	name: string;
	type: number;
	description: string;
	options: CommandOptionDef[];
	default_member_permissions: string | null;
	nsfw: boolean;
	integration_types: number[];
	contexts: number[] | null;
	[key: string]: unknown;
}

/** An application command option as sent in an interaction. */
export interface WireOption {
	name: string;
	type: number;
	value?: string | number | boolean;
	focused?: boolean;
	options?: WireOption[];
}

/**
 * Options for the slash command builders: `{ text: 'hi', count: 2 }`. A nested object is a subcommand
 * (`{ add: { title: 'x' } }`) or a subcommand group (`{ shelf: { add: { title: 'x' } } }`). An array is
 * passed through as the raw API options.
 */
export interface OptionMap {
	[name: string]: string | number | boolean | OptionMap;
}

export interface FakeInteraction {
	id: string;
	application_id: string;
	type: number;
	data: JsonObject;
	token: string;
	version: 1;
	guild_id?: string;
	guild?: { id: string; locale: string; features: string[] };
	channel_id: string;
	channel: JsonObject;
	member?: FakeMember & { permissions: string };
	user?: FakeUser;
	message?: FakeMessage;
	app_permissions: string;
	locale: string;
	guild_locale?: string;
	entitlements: unknown[];
	authorizing_integration_owners: Record<string, string>;
	context: number;
	attachment_size_limit: number;
	[key: string]: unknown;
}

export function isRecord(v: unknown): v is JsonObject {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function asBody(v: unknown): MessageBody {
	return isRecord(v) ? (v as MessageBody) : {};
}
