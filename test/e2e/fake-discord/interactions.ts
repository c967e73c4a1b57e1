// Interactions as Discord would send them: slash commands with typed options, autocomplete, button clicks,
// select menus and modal submits, in a guild channel or a DM, as any user.
import { randomBytes } from 'node:crypto';
import type { FakeDiscord } from '../fake-discord.js';
import { findCommand } from './commands.js';
import { memberOf } from './guilds.js';
import { ALL_PERMS, snowflake } from './ids.js';
import { findThread } from './threads.js';
import {
	type CommandOptionDef,
	type FakeChannel,
	type FakeDMChannel,
	type FakeGuild,
	type FakeInteraction,
	type FakeMessage,
	type FakeThread,
	type FakeUser,
	isRecord,
	type JsonObject,
	type OptionMap,
	type WireOption,
} from './wire.js';

const OPTION_TYPE: Record<string, number> = { string: 3, number: 10, boolean: 5 };

/** Where (and as whom) an interaction happens. */
export interface InteractionOptions {
	/** A guild object, or a guild id or name. Defaults to the guild of `channel`, else the first guild. */
	guild?: FakeGuild | string;
	/**
	 * A channel object, or a channel id or name (searched in `guild` if given, else in every guild); a thread
	 * (object or id) too.
	 */
	channel?: FakeChannel | FakeThread | FakeDMChannel | string;
	/** The invoking user; defaults to `fake.user`. */
	user?: FakeUser;
	/** A DM with the bot: no guild, `user` instead of `member`, channel type 1, context 1. */
	dm?: boolean;
	locale?: string;
	/** Merged into the payload last. */
	extra?: JsonObject;
}

function defaultGuild(fake: FakeDiscord): FakeGuild {
	const g = fake.guilds[0];
	if (!g) throw new Error('fake discord has no guilds; pass { dm: true } or configure guilds');
	return g;
}

function containsCustomId(m: FakeMessage, customId: string): boolean {
	return JSON.stringify(m.components).includes(`"${customId}"`);
}

/** Resolve `o.guild` / `o.channel` / `o.dm` into a guild + channel, or a DM channel. */
function where(
	fake: FakeDiscord,
	o: InteractionOptions,
): { guild: FakeGuild; channel: FakeChannel | FakeThread } | { dm: FakeDMChannel } {
	const user = o.user ?? fake.user;
	let channel: FakeChannel | FakeThread | FakeDMChannel | undefined;
	if (typeof o.channel === 'string') {
		channel =
			(!o.guild && fake.dmChannelById(o.channel)) || findThread(fake, o.channel) || fake.channel(o.channel, o.guild);
	} else {
		channel = o.channel;
	}
	if (channel?.type === 1) return { dm: channel as FakeDMChannel };
	if (o.dm) return { dm: fake.dmChannel(user) };
	const guildChannel = channel as FakeChannel | FakeThread | undefined;
	const guild =
		o.guild !== undefined
			? fake.guild(o.guild)
			: ((guildChannel && fake.guildOf(guildChannel.id)) ?? defaultGuild(fake));
	const chan = guildChannel ?? guild.channels[0];
	if (!chan) throw new Error(`guild ${guild.name} has no channels`);
	return { guild, channel: chan };
}

/** An interaction payload of `type` carrying `data`, where `o` says (a guild channel by default, or a DM). */
export function baseInteraction(
	fake: FakeDiscord,
	type: number,
	data: JsonObject,
	o: InteractionOptions = {},
): FakeInteraction {
	const user = o.user ?? fake.user;
	const place = where(fake, o);
	const common = {
		id: snowflake(),
		application_id: fake.applicationId,
		type,
		data,
		token: `itok_${randomBytes(24).toString('hex')}`,
		version: 1 as const,
	};
	const tail = {
		app_permissions: ALL_PERMS,
		locale: o.locale ?? 'en-US',
		entitlements: [],
	};
	if ('dm' in place) {
		return {
			...common,
			channel_id: place.dm.id,
			channel: { ...place.dm },
			user,
			...tail,
			// guild-installed app used in its bot DM: owner "0", context BOT_DM
			authorizing_integration_owners: { 0: '0' },
			context: 1,
			attachment_size_limit: 26214400,
			...o.extra,
		};
	}
	const { guild, channel } = place;
	return {
		...common,
		guild_id: guild.id,
		guild: { id: guild.id, locale: 'en-US', features: [] },
		channel_id: channel.id,
		channel: { ...channel, guild_id: guild.id },
		member: { ...memberOf(user), permissions: ALL_PERMS },
		...tail,
		guild_locale: 'en-US',
		authorizing_integration_owners: { 0: guild.id },
		context: 0,
		attachment_size_limit: 26214400,
		...o.extra,
	};
}

/**
 * Turn `{ text: 'hi', count: 2 }` into API options, using the registered option types when known
 * (else: integer -> 4, other number -> 10, boolean -> 5, string -> 3; nested object -> subcommand 1,
 * or group 2 when it nests objects itself).
 */
export function buildOptions(
	parent: { options?: CommandOptionDef[] } | undefined,
	options: OptionMap | WireOption[],
	focused?: string,
): WireOption[] {
	if (Array.isArray(options)) return options;
	return Object.entries(options).map(([name, value]): WireOption => {
		const def = parent?.options?.find((op) => op.name === name);
		if (isRecord(value)) {
			const nested = value as OptionMap;
			const type = def?.type ?? (Object.values(nested).some(isRecord) ? 2 : 1);
			return { name, type, options: buildOptions(def, nested, focused) };
		}
		const type = def?.type ?? (Number.isInteger(value) ? 4 : (OPTION_TYPE[typeof value] ?? 3));
		return { name, type, value, ...(name === focused ? { focused: true } : {}) };
	});
}

/** `data` of a command or autocomplete interaction: the registered command's id and typed options. */
function commandData(
	fake: FakeDiscord,
	name: string,
	options: OptionMap | WireOption[],
	o: InteractionOptions,
	focused?: string,
) {
	const place = where(fake, o);
	const cmd = findCommand(fake, name, 'dm' in place ? undefined : place.guild.id);
	const built = buildOptions(cmd, options, focused);
	const resolved = resolveOptions(fake, built);
	return {
		id: cmd?.id ?? snowflake(),
		name,
		type: 1,
		options: built,
		...(resolved ? { resolved } : {}),
		...(cmd?.guild_id ? { guild_id: cmd.guild_id } : {}),
	};
}

/**
 * Discord sends the objects that channel (7) and user (6) options name in `data.resolved`; discord.js
 * reads channel options from there and fails without them.
 */
function resolveOptions(fake: FakeDiscord, options: WireOption[]): JsonObject | null {
	const channels: JsonObject = {};
	const users: JsonObject = {};
	const walk = (list: WireOption[]) => {
		for (const op of list) {
			if (op.options) walk(op.options);
			if (op.type === 7 && typeof op.value === 'string') {
				const guild = fake.guilds.find((g) => g.channels.some((c) => c.id === op.value));
				const channel = guild?.channels.find((c) => c.id === op.value);
				channels[op.value] = channel
					? {
							id: channel.id,
							name: channel.name,
							type: channel.type,
							nsfw: channel.nsfw,
							parent_id: null,
							permissions: ALL_PERMS,
							guild_id: guild?.id,
						}
					: { id: op.value, name: 'unknown', type: 0, permissions: '0' };
			}
			if (op.type === 6 && typeof op.value === 'string') {
				users[op.value] =
					op.value === fake.user.id
						? fake.user
						: { id: op.value, username: 'someone', discriminator: '0', avatar: null, global_name: null };
			}
		}
	};
	walk(options);
	if (!Object.keys(channels).length && !Object.keys(users).length) return null;
	return { ...(Object.keys(channels).length ? { channels } : {}), ...(Object.keys(users).length ? { users } : {}) };
}

/** A chat-input command interaction (type 2). */
export function slashCommand(
	fake: FakeDiscord,
	name: string,
	options: OptionMap | WireOption[] = {},
	o: InteractionOptions = {},
): FakeInteraction {
	return baseInteraction(fake, 2, commandData(fake, name, options, o), o);
}

/** An autocomplete interaction (type 4) with `focused` marking the option being typed. */
export function autocomplete(
	fake: FakeDiscord,
	name: string,
	options: OptionMap | WireOption[],
	focused: string,
	o: InteractionOptions = {},
): FakeInteraction {
	return baseInteraction(fake, 4, commandData(fake, name, options, o, focused), o);
}

/** The newest stored message that carries a component with this custom_id. */
export function findMessageWith(fake: FakeDiscord, customId: string): FakeMessage | undefined {
	return [...fake.messages.values()].reverse().find((m) => containsCustomId(m, customId));
}

function componentInteraction(
	fake: FakeDiscord,
	data: JsonObject,
	customId: string,
	message: FakeMessage | undefined,
	o: InteractionOptions,
) {
	const msg = message ?? findMessageWith(fake, customId);
	if (!msg) throw new Error(`no message with a component ${customId}`);
	return baseInteraction(fake, 3, data, { channel: msg.channel_id, ...o, extra: { message: msg, ...o.extra } });
}

/** Button click on a message (defaults to the newest stored message that carries customId). */
export function buttonClick(
	fake: FakeDiscord,
	customId: string,
	message?: FakeMessage,
	o: InteractionOptions = {},
): FakeInteraction {
	return componentInteraction(fake, { custom_id: customId, component_type: 2 }, customId, message, o);
}

/** String-select choice on a message (defaults to the newest stored message that carries customId). */
export function selectMenu(
	fake: FakeDiscord,
	customId: string,
	values: string[],
	message?: FakeMessage,
	o: InteractionOptions = {},
): FakeInteraction {
	return componentInteraction(fake, { custom_id: customId, component_type: 3, values }, customId, message, o);
}

/** Modal submit: fields is `{ inputCustomId: value }`; pass the message when the modal came from a component. */
export function modalSubmit(
	fake: FakeDiscord,
	customId: string,
	fields: Record<string, string>,
	message?: FakeMessage,
	o: InteractionOptions = {},
): FakeInteraction {
	const components = Object.entries(fields).map(([id, value]) => ({
		type: 1,
		components: [{ type: 4, custom_id: id, value }],
	}));
	return baseInteraction(
		fake,
		5,
		{ custom_id: customId, components },
		{
			...(message ? { channel: message.channel_id } : {}),
			...o,
			extra: { ...(message ? { message } : {}), ...o.extra },
		},
	);
}
