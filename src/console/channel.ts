/**
 * A local stand-in for Discord: one channel with its message history, and interactions that behave like
 * discord.js's for exactly what the router and the commands use. Every interaction goes through the real
 * router, so errors, ephemeral answers and "who owns this message" work as they do in Discord. Misuse that
 * discord.js or Discord would refuse (a second reply, an edit before any reply, a click on a button that
 * is not there) throws here too.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import {
	type APIApplicationCommandOptionChoice,
	type APIModalInteractionResponseCallbackData,
	ApplicationCommandOptionType,
	ButtonStyle,
	ChannelType,
	ComponentType,
	type Interaction,
	MessageFlags,
	PermissionsBitField,
} from 'discord.js';
import type { Context } from '../discord/context.js';
import { createRouter } from '../discord/router.js';
import { CHANNEL_ID, DEFAULT_USER, GUILD_ID, snowflake } from './ids.js';
import {
	type Env,
	LocalAutocomplete,
	type LocalBase,
	LocalCommand,
	LocalComponent,
	LocalModalSubmit,
	type LocalOption,
	type Response,
} from './interactions.js';
import {
	checkMessage,
	componentsOf,
	LocalApiError,
	type LocalAttachment,
	type LocalFile,
	type LocalMessage,
	modalInputs,
	type WireMessage,
} from './wire.js';

/** What one interaction led to. */
export interface Outcome {
	responses: Response[];
	/** Milliseconds from dispatch to the first response (Discord allows 3,000); null if never answered. */
	acknowledgedMs: number | null;
	/** The router itself threw (it should catch everything). */
	error?: unknown;
}

/** Where the session is: a server channel (age-restricted or not) or a DM, and who is typing. */
export interface Place {
	userId?: string;
	nsfw?: boolean;
	dm?: boolean;
	/** A member's permissions in the server; everyone may do everything by default (it is your console). */
	permissions?: (userId: string) => bigint;
	/** Where files the bot sends (quote images) are saved; a folder under the system's temporary one by default. */
	filesDir?: string;
}

/**
 * The local channel: its messages, and the interactions a person can make in it, each routed through the
 * real router with the given context. One instance is one console session or one test.
 */
export class LocalChannel {
	readonly messages = new Map<string, LocalMessage>();
	readonly nsfw: boolean;
	readonly filesDir: string;
	readonly dm: boolean;
	readonly userId: string;
	readonly permissions: (userId: string) => bigint;
	private readonly route: (interaction: Interaction) => Promise<void>;

	constructor(
		readonly ctx: Context,
		place: Place = {},
	) {
		this.nsfw = Boolean(place.nsfw) && !place.dm;
		this.dm = Boolean(place.dm);
		this.userId = place.userId ?? DEFAULT_USER;
		this.permissions = place.permissions ?? (() => PermissionsBitField.All);
		this.filesDir = place.filesDir ?? join(tmpdir(), 'fic-archive-console');
		this.route = createRouter(ctx.commands, ctx);
	}

	/** The channel as discord.js shows it to an interaction (and to a channel option). */
	view(): Record<string, unknown> {
		const dm = this.dm;
		return {
			id: CHANNEL_ID,
			type: dm ? ChannelType.DM : ChannelType.GuildText,
			name: dm ? undefined : 'console',
			...(dm ? {} : { nsfw: this.nsfw, guildId: GUILD_ID }),
			isThread: () => false,
			isTextBased: () => true,
			isDMBased: () => dm,
			toString: () => `<#${CHANNEL_ID}>`,
		};
	}

	/** Files a message carries, written to `filesDir` as `<message id>-<name>`. */
	private save(messageId: string, files: LocalFile[]): LocalAttachment[] {
		mkdirSync(this.filesDir, { recursive: true });
		return files.map((f) => {
			const path = join(this.filesDir, `${messageId}-${basename(f.name)}`);
			writeFileSync(path, f.data);
			const png = f.data.length >= 24 && f.data.toString('latin1', 1, 4) === 'PNG';
			return {
				name: f.name,
				...(f.description !== undefined ? { description: f.description } : {}),
				path,
				size: f.data.length,
				...(png ? { width: f.data.readUInt32BE(16), height: f.data.readUInt32BE(20) } : {}),
			};
		});
	}

	/** A new message in the channel (what a reply, deferReply or followUp makes). */
	post(data: WireMessage, interaction: LocalMessage['interaction']): LocalMessage {
		const id = snowflake();
		const message: LocalMessage = {
			id,
			content: data.content ?? '',
			embeds: data.embeds ?? [],
			components: data.components ?? [],
			flags: data.flags ?? 0,
			interaction,
			edited: false,
			...(data.files?.length ? { attachments: this.save(id, data.files) } : {}),
		};
		this.messages.set(message.id, message);
		return message;
	}

	/** Applies an edit as Discord does: given parts replace, the rest stays; a "thinking…" message stops. */
	edit(message: LocalMessage, data: WireMessage): void {
		if (!this.messages.has(message.id)) throw new LocalApiError('Unknown Message (10008)');
		checkMessage(data, false);
		if (data.content !== undefined) message.content = data.content;
		if (data.embeds !== undefined) message.embeds = data.embeds;
		if (data.components !== undefined) message.components = data.components;
		message.flags &= ~MessageFlags.Loading;
		message.edited = true;
	}

	/**
	 * Runs a slash command with options already typed as Discord would send them. Like Discord's client, it
	 * refuses a command that is not offered here (a server-only command in a DM, or one whose default member
	 * permissions the user lacks), and resolves channel options.
	 */
	command(name: string, options: LocalOption[] = [], userId = this.userId): Promise<Outcome> {
		const data = this.ctx.commands.find((c) => c.data.name === name)?.data.toJSON();
		if (data?.contexts && this.dm && !data.contexts.includes(1)) {
			throw new LocalApiError(`/${name} is only offered in servers.`);
		}
		const needed = data?.default_member_permissions;
		if (needed && !this.dm && (BigInt(needed) & this.permissions(userId)) !== BigInt(needed)) {
			throw new LocalApiError(`/${name} is not offered to you: it needs permissions you do not have here.`);
		}
		const resolve = (list: LocalOption[]): LocalOption[] =>
			list.map((o) => {
				if (o.options) return { ...o, options: resolve(o.options) };
				if (o.type !== ApplicationCommandOptionType.Channel) return o;
				if (o.value !== CHANNEL_ID) throw new LocalApiError(`Unknown channel ${String(o.value)}`);
				return { ...o, channel: this.view() };
			});
		const resolved = resolve(options);
		return this.dispatch(userId, (env) => new LocalCommand(env, name, resolved));
	}

	/** Asks the command's autocomplete for choices; `options` holds the focused one (`focused: true`). */
	async autocomplete(
		name: string,
		options: LocalOption[],
		userId = this.userId,
	): Promise<APIApplicationCommandOptionChoice[]> {
		// Focused at the top, or in a subcommand's options.
		const focused = (list: LocalOption[]): boolean => list.some((o) => o.focused || focused(o.options ?? []));
		if (!focused(options)) throw new TypeError('autocomplete needs a focused option');
		const outcome = await this.dispatch(userId, (env) => new LocalAutocomplete(env, name, options));
		const answer = outcome.responses.find((r) => r.kind === 'choices');
		return answer?.kind === 'choices' ? answer.data.choices : [];
	}

	/** Clicks a button on a message; it must be there and enabled, as in Discord. */
	click(message: LocalMessage, customId: string, userId = this.userId): Promise<Outcome> {
		const button = componentsOf(message).find(
			(c) => c.type === ComponentType.Button && 'custom_id' in c && c.custom_id === customId,
		);
		if (!button) throw new LocalApiError(`No button ${customId} on message ${message.id}`);
		if (button.disabled) throw new LocalApiError('That button is disabled.');
		if ('style' in button && button.style === ButtonStyle.Link) throw new LocalApiError('A link button opens its URL.');
		return this.dispatch(userId, (env) => new LocalComponent(env, message, customId, ComponentType.Button));
	}

	/** Picks options of a string select menu on a message. */
	select(message: LocalMessage, customId: string, values: string[], userId = this.userId): Promise<Outcome> {
		const menu = componentsOf(message).find((c) => c.type === ComponentType.StringSelect && c.custom_id === customId);
		if (!menu || menu.type !== ComponentType.StringSelect) {
			throw new LocalApiError(`No menu ${customId} on message ${message.id}`);
		}
		if (menu.disabled) throw new LocalApiError('That menu is disabled.');
		const allowed = new Set(menu.options.map((o) => o.value));
		const min = menu.min_values ?? 1;
		const max = menu.max_values ?? 1;
		if (values.length < min || values.length > max || values.some((v) => !allowed.has(v))) {
			throw new LocalApiError(`Pick ${min === max ? min : `${min} to ${max}`} of the menu's options.`);
		}
		return this.dispatch(
			userId,
			(env) => new LocalComponent(env, message, customId, ComponentType.StringSelect, [...values]),
		);
	}

	/** Submits a modal the bot showed (`source` is the message whose component opened it, if any). */
	submit(
		modal: APIModalInteractionResponseCallbackData,
		values: Record<string, string>,
		source: LocalMessage | null,
		userId = this.userId,
	): Promise<Outcome> {
		for (const input of modalInputs(modal)) {
			const value = values[input.customId] ?? '';
			if (input.required && !value.trim()) throw new LocalApiError(`“${input.label}” is required.`);
			if (input.max !== undefined && value.length > input.max) {
				throw new LocalApiError(`“${input.label}” takes at most ${input.max} characters.`);
			}
		}
		return this.dispatch(userId, (env) => new LocalModalSubmit(env, source, modal.custom_id, values));
	}

	private async dispatch(userId: string, make: (env: Env) => LocalBase): Promise<Outcome> {
		const env: Env = { channel: this, userId, responses: [], started: performance.now(), firstAt: null };
		const interaction = make(env);
		let error: unknown;
		try {
			await this.route(interaction as unknown as Interaction);
		} catch (e) {
			error = e;
		}
		return {
			responses: env.responses,
			acknowledgedMs: env.firstAt === null ? null : env.firstAt - env.started,
			...(error !== undefined ? { error } : {}),
		};
	}
}
