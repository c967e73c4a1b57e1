import {
	type APIActionRowComponent,
	type APIApplicationCommandOptionChoice,
	type APIComponentInMessageActionRow,
	type APIEmbed,
	type APIModalInteractionResponseCallbackData,
	ApplicationCommandOptionType,
	ApplicationCommandType,
	ButtonStyle,
	ChannelType,
	CommandInteractionOptionResolver,
	ComponentType,
	DiscordjsError,
	DiscordjsErrorCodes,
	type Interaction,
	InteractionType,
	MessageFlags,
	MessageFlagsBitField,
	ModalSubmitFields,
	PermissionsBitField,
} from 'discord.js';
import type { Context } from '../discord/context.js';
import { embedLength, LIMITS } from '../discord/render/limits.js';
import { createRouter } from '../discord/router.js';

/**
 * A local stand-in for Discord: one channel with its message history, and interactions that behave like
 * discord.js's for exactly what the router and the commands use. Every interaction goes through the real
 * router, so errors, ephemeral answers and "who owns this message" work as they do in Discord. Misuse that
 * discord.js or Discord would refuse (a second reply, an edit before any reply, a click on a button that
 * is not there) throws here too.
 */

/** A message body as Discord receives it (snake_case, flags as a number). */
export interface WireMessage {
	content?: string;
	embeds?: APIEmbed[];
	components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
	flags?: number;
	allowed_mentions?: { parse?: string[]; users?: string[]; roles?: string[]; replied_user?: boolean };
}

/** A message in the local channel. */
export interface LocalMessage {
	id: string;
	content: string;
	embeds: APIEmbed[];
	components: APIActionRowComponent<APIComponentInMessageActionRow>[];
	/** 64 = ephemeral, 128 = still "thinking…" after deferReply. */
	flags: number;
	/** The interaction that posted it, and who ran it: Discord's interaction_metadata. */
	interaction: { id: string; userId: string } | null;
	edited: boolean;
}

/** One response the bot made, in order; `type` is Discord's interaction callback type where there is one. */
export type Response =
	| { kind: 'reply'; type: 4; message: LocalMessage; data: WireMessage }
	| { kind: 'deferReply'; type: 5; message: LocalMessage; data: { flags: number } }
	| { kind: 'update'; type: 7; message: LocalMessage; data: WireMessage }
	| { kind: 'deferUpdate'; type: 6; message: LocalMessage }
	| { kind: 'editReply'; message: LocalMessage; data: WireMessage }
	| { kind: 'followUp'; message: LocalMessage; data: WireMessage }
	| { kind: 'deleteReply'; message: LocalMessage }
	| { kind: 'modal'; type: 9; data: APIModalInteractionResponseCallbackData; source: LocalMessage | null }
	| { kind: 'choices'; type: 8; data: { choices: APIApplicationCommandOptionChoice[] } };

/** What one interaction led to. */
export interface Outcome {
	responses: Response[];
	/** Milliseconds from dispatch to the first response (Discord allows 3,000); null if never answered. */
	acknowledgedMs: number | null;
	/** The router itself threw (it should catch everything). */
	error?: unknown;
}

/** An option as discord.js hands it to CommandInteractionOptionResolver. */
export interface LocalOption {
	name: string;
	type: ApplicationCommandOptionType;
	value?: string | number | boolean;
	focused?: boolean;
	/** A subcommand's own options. */
	options?: LocalOption[];
	/** A channel option's channel, resolved as Discord sends it. */
	channel?: Record<string, unknown>;
}

/** An error the Discord API would answer with (400 and friends). */
export class LocalApiError extends Error {
	override name = 'LocalApiError';
}

export const DEFAULT_USER = '100000000000000001';
export const GUILD_ID = '200000000000000002';
export const CHANNEL_ID = '300000000000000003';
const APPLICATION_ID = '400000000000000004';

let sequence = 0n;
/** Increasing snowflake-shaped ids. */
const snowflake = () => String(1_300_000_000_000_000_000n + ++sequence);

// discord.js keeps these constructors private; the adapter uses the real classes for their exact behaviour.
const construct = <T>(cls: unknown, ...args: unknown[]) => new (cls as new (...a: unknown[]) => T)(...args);
const alreadyReplied = () => construct<Error>(DiscordjsError, DiscordjsErrorCodes.InteractionAlreadyReplied);
const notReplied = () => construct<Error>(DiscordjsError, DiscordjsErrorCodes.InteractionNotReplied);

const toJSON = <T>(value: unknown): T =>
	(value && typeof value === 'object' && 'toJSON' in value && typeof value.toJSON === 'function'
		? value.toJSON()
		: value) as T;

/** The body discord.js would send for reply/editReply/update/followUp options. */
export function resolveBody(options: unknown): WireMessage {
	if (typeof options === 'string') return { content: options };
	if (!options || typeof options !== 'object') throw new TypeError('A message needs content, embeds or components.');
	const o = options as Record<string, unknown>;
	const body: WireMessage = {};
	if (o.content !== undefined) body.content = o.content === null ? '' : String(o.content);
	if (Array.isArray(o.embeds)) body.embeds = o.embeds.map((e) => toJSON<APIEmbed>(e));
	if (Array.isArray(o.components)) {
		body.components = o.components.map((c) => toJSON<APIActionRowComponent<APIComponentInMessageActionRow>>(c));
	}
	if (o.flags !== undefined) body.flags = MessageFlagsBitField.resolve(o.flags as number);
	if (o.ephemeral === true) body.flags = (body.flags ?? 0) | MessageFlags.Ephemeral;
	const mentions = o.allowedMentions as
		| { parse?: string[]; users?: string[]; roles?: string[]; repliedUser?: boolean }
		| undefined;
	if (mentions) {
		body.allowed_mentions = {
			...(mentions.parse ? { parse: [...mentions.parse] } : {}),
			...(mentions.users ? { users: mentions.users } : {}),
			...(mentions.roles ? { roles: mentions.roles } : {}),
			...(mentions.repliedUser !== undefined ? { replied_user: mentions.repliedUser } : {}),
		};
	}
	return body;
}

/**
 * What Discord refuses with a 400 before it posts anything: over its limits, duplicate custom_ids, nothing to
 * show. discord.js then throws, and the router answers the person with its generic line, as in Discord.
 */
export function checkMessage(body: WireMessage, isNew: boolean): void {
	const problems: string[] = [];
	if ((body.content?.length ?? 0) > LIMITS.content) problems.push(`content over ${LIMITS.content} characters`);
	if ((body.embeds?.length ?? 0) > 10) problems.push('more than 10 embeds');
	const total = (body.embeds ?? []).reduce((n, e) => n + embedLength(e), 0);
	if (total > LIMITS.embedTotal) problems.push(`embeds over ${LIMITS.embedTotal} characters`);
	const rows = body.components ?? [];
	if (rows.length > LIMITS.rows) problems.push(`more than ${LIMITS.rows} rows`);
	const ids = new Set<string>();
	for (const c of rows.flatMap((row) => row.components)) {
		const id = 'custom_id' in c ? c.custom_id : undefined;
		if (id === undefined) continue;
		if (id.length > LIMITS.customId) problems.push(`custom_id over ${LIMITS.customId} characters: ${id}`);
		if (ids.has(id)) problems.push(`duplicate custom_id ${id}`);
		ids.add(id);
		if (c.type === ComponentType.StringSelect && (c.options.length < 1 || c.options.length > LIMITS.selectOptions)) {
			problems.push(`a menu with ${c.options.length} options`);
		}
	}
	for (const row of rows) if (row.components.length > LIMITS.buttonsPerRow) problems.push('more than 5 in a row');
	if (isNew && !body.content && !body.embeds?.length && !rows.length) problems.push('an empty message');
	if (problems.length) throw new LocalApiError(`Invalid Form Body: ${problems.join('; ')}`);
}

/** The buttons and select menus of a message, in order. */
export const componentsOf = (m: Pick<LocalMessage, 'components'>) => m.components.flatMap((row) => row.components);

/** Where the session is: a server channel (age-restricted or not) or a DM, and who is typing. */
export interface Place {
	userId?: string;
	nsfw?: boolean;
	dm?: boolean;
	/** A member's permissions in the server; everyone may do everything by default (it is your console). */
	permissions?: (userId: string) => bigint;
}

interface Env {
	channel: LocalChannel;
	userId: string;
	responses: Response[];
	started: number;
	firstAt: number | null;
}

/** What every interaction has: ids, where it happened, and the type guards. */
class LocalBase {
	readonly id = snowflake();
	readonly applicationId = APPLICATION_ID;
	readonly token = `local-${this.id}`;
	readonly user: { id: string; username: string; globalName: string | null; bot: false; toString(): string };
	readonly guildId: string | null;
	/** Not cached: the console has no gateway, like a bot whose server is not in its cache. */
	readonly guild = null;
	readonly channelId: string;
	readonly channel: Record<string, unknown>;
	/** The member's permissions in the server; null in a DM. */
	readonly memberPermissions: PermissionsBitField | null;

	constructor(
		protected readonly env: Env,
		readonly type: InteractionType,
	) {
		const id = env.userId;
		this.user = {
			id,
			username: `reader-${id.slice(-4)}`,
			globalName: null,
			bot: false,
			toString: () => `<@${id}>`,
		};
		const dm = env.channel.dm;
		this.guildId = dm ? null : GUILD_ID;
		this.channelId = CHANNEL_ID;
		this.channel = env.channel.view();
		this.memberPermissions = dm ? null : new PermissionsBitField(env.channel.permissions(id)).freeze();
	}

	inGuild() {
		return this.guildId !== null;
	}
	inCachedGuild() {
		return this.inGuild();
	}
	isRepliable() {
		return this.type !== InteractionType.ApplicationCommandAutocomplete;
	}
	isAutocomplete() {
		return this.type === InteractionType.ApplicationCommandAutocomplete;
	}
	isCommand() {
		return this.type === InteractionType.ApplicationCommand;
	}
	isChatInputCommand() {
		return this.isCommand();
	}
	isContextMenuCommand() {
		return false;
	}
	isMessageComponent() {
		return this.type === InteractionType.MessageComponent;
	}
	isButton() {
		return false;
	}
	isAnySelectMenu() {
		return false;
	}
	isStringSelectMenu() {
		return false;
	}
	isModalSubmit() {
		return this.type === InteractionType.ModalSubmit;
	}

	protected acknowledge() {
		this.env.firstAt ??= performance.now();
	}
}

/** reply, deferReply, editReply, deleteReply, followUp: with discord.js's deferred/replied/ephemeral rules. */
class LocalRepliable extends LocalBase {
	deferred = false;
	replied = false;
	ephemeral: boolean | null = null;
	/** The message `@original` means: the reply, or the component's message after update/deferUpdate. */
	protected original: LocalMessage | null = null;

	async reply(options: unknown) {
		if (this.deferred || this.replied) throw alreadyReplied();
		const data = resolveBody(options);
		checkMessage(data, true);
		const message = this.env.channel.post(data, { id: this.id, userId: this.user.id });
		this.acknowledge();
		this.original = message;
		this.ephemeral = Boolean((data.flags ?? 0) & MessageFlags.Ephemeral);
		this.replied = true;
		this.env.responses.push({ kind: 'reply', type: 4, message, data });
		return { id: message.id, interaction: this };
	}

	async deferReply(options: { flags?: unknown; ephemeral?: boolean } = {}) {
		if (this.deferred || this.replied) throw alreadyReplied();
		let flags = MessageFlagsBitField.resolve((options.flags ?? 0) as number);
		if (options.ephemeral) flags |= MessageFlags.Ephemeral;
		const message = this.env.channel.post(
			{ flags: flags | MessageFlags.Loading },
			{ id: this.id, userId: this.user.id },
		);
		this.acknowledge();
		this.original = message;
		this.deferred = true;
		this.ephemeral = Boolean(flags & MessageFlags.Ephemeral);
		this.env.responses.push({ kind: 'deferReply', type: 5, message, data: { flags } });
		return { id: message.id, interaction: this };
	}

	async editReply(options: unknown) {
		if (!this.deferred && !this.replied) throw notReplied();
		const target = this.original;
		if (!target || !this.env.channel.messages.has(target.id)) throw new LocalApiError('Unknown Message (10008)');
		const data = resolveBody(options);
		this.env.channel.edit(target, data);
		this.replied = true;
		this.env.responses.push({ kind: 'editReply', message: target, data });
		return target;
	}

	async deleteReply() {
		if (!this.deferred && !this.replied) throw notReplied();
		const target = this.original;
		if (!target || !this.env.channel.messages.delete(target.id)) throw new LocalApiError('Unknown Message (10008)');
		this.env.responses.push({ kind: 'deleteReply', message: target });
	}

	async followUp(options: unknown) {
		if (!this.deferred && !this.replied) throw notReplied();
		const data = resolveBody(options);
		checkMessage(data, true);
		const loading = this.original;
		if (loading && loading.flags & MessageFlags.Loading && this.env.channel.messages.has(loading.id)) {
			// Discord takes the first follow-up after deferReply as the answer: it replaces "thinking…" and keeps
			// the deferral's visibility, whatever flags the follow-up asked for.
			this.env.channel.edit(loading, data);
			this.replied = true;
			this.env.responses.push({ kind: 'followUp', message: loading, data });
			return loading;
		}
		const message = this.env.channel.post(data, { id: this.id, userId: this.user.id });
		this.original ??= message;
		this.replied = true;
		this.env.responses.push({ kind: 'followUp', message, data });
		return message;
	}

	protected modal(modal: unknown, source: LocalMessage | null) {
		if (this.deferred || this.replied) throw alreadyReplied();
		const data = toJSON<APIModalInteractionResponseCallbackData>(modal);
		checkModal(data);
		this.acknowledge();
		this.replied = true;
		this.env.responses.push({ kind: 'modal', type: 9, data, source });
	}
}

/** A slash command. */
class LocalCommand extends LocalRepliable {
	readonly commandType = ApplicationCommandType.ChatInput;
	readonly commandId: string;
	readonly options: CommandInteractionOptionResolver;

	constructor(
		env: Env,
		readonly commandName: string,
		options: LocalOption[],
	) {
		super(env, InteractionType.ApplicationCommand);
		this.commandId = `cmd-${commandName}`;
		this.options = construct(CommandInteractionOptionResolver, null, options, {});
	}

	async showModal(modal: unknown) {
		this.modal(modal, null);
	}
}

/** Autocomplete for the focused option. */
class LocalAutocomplete extends LocalBase {
	readonly commandId: string;
	readonly options: CommandInteractionOptionResolver;
	responded = false;

	constructor(
		env: Env,
		readonly commandName: string,
		options: LocalOption[],
	) {
		super(env, InteractionType.ApplicationCommandAutocomplete);
		this.commandId = `cmd-${commandName}`;
		this.options = construct(CommandInteractionOptionResolver, null, options, {});
	}

	async respond(choices: APIApplicationCommandOptionChoice[]) {
		if (this.responded) throw alreadyReplied();
		if (choices.length > 25) throw new LocalApiError(`Invalid Form Body: ${choices.length} choices (at most 25)`);
		for (const c of choices) {
			if (!c.name || c.name.length > 100) throw new LocalApiError(`Invalid Form Body: choice name "${c.name}"`);
			if (String(c.value).length > 100) throw new LocalApiError(`Invalid Form Body: choice value "${c.value}"`);
		}
		this.acknowledge();
		this.responded = true;
		this.env.responses.push({ kind: 'choices', type: 8, data: { choices } });
	}
}

/** A message as discord.js shows it to a component interaction: flags as a bit field, interactionMetadata. */
function messageView(m: LocalMessage) {
	return {
		id: m.id,
		content: m.content,
		embeds: m.embeds,
		components: m.components,
		flags: new MessageFlagsBitField(m.flags),
		interactionMetadata: m.interaction ? { id: m.interaction.id, user: { id: m.interaction.userId } } : null,
	};
}

/** update and deferUpdate edit the component's message. */
class LocalComponent extends LocalRepliable {
	readonly message: ReturnType<typeof messageView>;

	constructor(
		env: Env,
		protected readonly source: LocalMessage,
		readonly customId: string,
		readonly componentType: ComponentType,
		readonly values: string[] = [],
	) {
		super(env, InteractionType.MessageComponent);
		this.message = messageView(source);
	}

	override isButton() {
		return this.componentType === ComponentType.Button;
	}
	override isAnySelectMenu() {
		return this.componentType === ComponentType.StringSelect;
	}
	override isStringSelectMenu() {
		return this.componentType === ComponentType.StringSelect;
	}

	async update(options: unknown) {
		if (this.deferred || this.replied) throw alreadyReplied();
		const data = resolveBody(options);
		this.env.channel.edit(this.source, data);
		this.acknowledge();
		this.original = this.source;
		this.replied = true;
		this.env.responses.push({ kind: 'update', type: 7, message: this.source, data });
		return { id: this.source.id, interaction: this };
	}

	async deferUpdate() {
		if (this.deferred || this.replied) throw alreadyReplied();
		this.acknowledge();
		this.original = this.source;
		this.deferred = true;
		this.env.responses.push({ kind: 'deferUpdate', type: 6, message: this.source });
		return { id: this.source.id, interaction: this };
	}

	async showModal(modal: unknown) {
		this.modal(modal, this.source);
	}
}

/** A submitted modal; update/deferUpdate only when the modal was opened from a message's component. */
class LocalModalSubmit extends LocalRepliable {
	readonly fields: ModalSubmitFields;
	readonly message: ReturnType<typeof messageView> | null;

	constructor(
		env: Env,
		private readonly source: LocalMessage | null,
		readonly customId: string,
		values: Record<string, string>,
	) {
		super(env, InteractionType.ModalSubmit);
		const rows = Object.entries(values).map(([customId, value]) => ({
			type: ComponentType.ActionRow,
			components: [{ type: ComponentType.TextInput, customId, value }],
		}));
		this.fields = construct(ModalSubmitFields, rows);
		this.message = source ? messageView(source) : null;
	}

	isFromMessage() {
		return this.source !== null;
	}

	async update(options: unknown) {
		if (this.deferred || this.replied) throw alreadyReplied();
		if (!this.source) throw new LocalApiError('Interaction callback type 7 needs a modal opened from a message');
		const data = resolveBody(options);
		this.env.channel.edit(this.source, data);
		this.acknowledge();
		this.original = this.source;
		this.replied = true;
		this.env.responses.push({ kind: 'update', type: 7, message: this.source, data });
	}

	async deferUpdate() {
		if (this.deferred || this.replied) throw alreadyReplied();
		if (!this.source) throw new LocalApiError('Interaction callback type 6 needs a modal opened from a message');
		this.acknowledge();
		this.original = this.source;
		this.deferred = true;
		this.env.responses.push({ kind: 'deferUpdate', type: 6, message: this.source });
	}
}

function checkModal(data: APIModalInteractionResponseCallbackData) {
	if (!data.custom_id || data.custom_id.length > 100) throw new LocalApiError('Invalid Form Body: modal custom_id');
	if (!data.title || data.title.length > 45) throw new LocalApiError('Invalid Form Body: modal title');
	if (!data.components.length || data.components.length > 5) {
		throw new LocalApiError('Invalid Form Body: a modal needs 1 to 5 components');
	}
}

/** The text inputs of a modal, in order, whichever layout (action rows or labels) it uses. */
export function modalInputs(data: APIModalInteractionResponseCallbackData) {
	const inputs: { customId: string; label: string; placeholder?: string; required: boolean; max?: number }[] = [];
	for (const top of data.components as unknown as Record<string, unknown>[]) {
		const children = Array.isArray(top.components)
			? (top.components as Record<string, unknown>[])
			: top.component
				? [{ ...(top.component as Record<string, unknown>), label: top.label }]
				: [];
		for (const c of children) {
			if (c.type !== ComponentType.TextInput) continue;
			inputs.push({
				customId: String(c.custom_id),
				label: String(c.label ?? c.custom_id),
				...(typeof c.placeholder === 'string' ? { placeholder: c.placeholder } : {}),
				required: c.required !== false,
				...(typeof c.max_length === 'number' ? { max: c.max_length } : {}),
			});
		}
	}
	return inputs;
}

/**
 * The local channel: its messages, and the interactions a person can make in it, each routed through the
 * real router with the given context. One instance is one console session or one test.
 */
export class LocalChannel {
	readonly messages = new Map<string, LocalMessage>();
	readonly nsfw: boolean;
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

	/** A new message in the channel (what a reply, deferReply or followUp makes). */
	post(data: WireMessage, interaction: LocalMessage['interaction']): LocalMessage {
		const message: LocalMessage = {
			id: snowflake(),
			content: data.content ?? '',
			embeds: data.embeds ?? [],
			components: data.components ?? [],
			flags: data.flags ?? 0,
			interaction,
			edited: false,
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
		if (!options.some((o) => o.focused)) throw new TypeError('autocomplete needs a focused option');
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
