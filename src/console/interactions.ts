/**
 * Local interactions that behave like discord.js's for exactly what the router and the commands use: a slash
 * command, autocomplete, a button or menu, a submitted modal. Misuse that discord.js or Discord would refuse
 * (a second reply, an edit before any reply) throws here too.
 */
import {
	type APIApplicationCommandOptionChoice,
	type APIModalInteractionResponseCallbackData,
	type ApplicationCommandOptionType,
	ApplicationCommandType,
	CommandInteractionOptionResolver,
	ComponentType,
	DiscordjsError,
	DiscordjsErrorCodes,
	InteractionType,
	MessageFlags,
	MessageFlagsBitField,
	ModalSubmitFields,
	PermissionsBitField,
} from 'discord.js';
import { APPLICATION_ID, CHANNEL_ID, GUILD_ID, snowflake } from './ids.js';
import {
	checkMessage,
	checkModal,
	LocalApiError,
	type LocalMessage,
	resolveBody,
	toJSON,
	type WireMessage,
} from './wire.js';

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

// discord.js keeps these constructors private; the adapter uses the real classes for their exact behaviour.
const construct = <T>(cls: unknown, ...args: unknown[]) => new (cls as new (...a: unknown[]) => T)(...args);
const alreadyReplied = () => construct<Error>(DiscordjsError, DiscordjsErrorCodes.InteractionAlreadyReplied);
const notReplied = () => construct<Error>(DiscordjsError, DiscordjsErrorCodes.InteractionNotReplied);

/** What an interaction needs of its channel (LocalChannel in channel.ts). */
export interface InteractionChannel {
	readonly dm: boolean;
	readonly messages: Map<string, LocalMessage>;
	view(): Record<string, unknown>;
	permissions(userId: string): bigint;
	post(data: WireMessage, interaction: LocalMessage['interaction']): LocalMessage;
	edit(message: LocalMessage, data: WireMessage): void;
}

/** One interaction's surroundings: its channel, who made it, and what it answered when. */
export interface Env {
	channel: InteractionChannel;
	userId: string;
	responses: Response[];
	started: number;
	firstAt: number | null;
}

/** What every interaction has: ids, where it happened, and the type guards. */
export class LocalBase {
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
export class LocalCommand extends LocalRepliable {
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
export class LocalAutocomplete extends LocalBase {
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
export class LocalComponent extends LocalRepliable {
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
export class LocalModalSubmit extends LocalRepliable {
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
