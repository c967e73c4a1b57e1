// A small local "fake Discord" (REST + Gateway) that an unmodified discord.js v14 client logs into.
// Point the bot at it with `new Client({ intents, rest: { api: fake.restBase } })` and `login(fake.token)`,
// then inject interactions with `sendInteraction(fake.slashCommand(...))` and assert on what was recorded.
// Ported from the shared fakediscord/fake-discord.js; see test/e2e/fake-discord.test.ts for usage.
//
// This file holds the fake's state and the API tests use; the parts are in fake-discord/: wire.ts (payload
// types), ids.ts (snowflakes, shards), guilds.ts, gateway.ts, rest.ts (every request recorded, then routed),
// commands.ts (registered commands), interactions.ts (building interactions), records.ts (sending one and
// recording the bot's callback, edits and follow-ups), messages.ts (the messages stored), threads.ts (threads).
import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { findCommand } from './fake-discord/commands.js';
import { connect, dispatch, type GatewayMessage, type GatewaySession, send } from './fake-discord/gateway.js';
import { type ChannelOptions, channelPayload, type GuildOptions, guildPayload } from './fake-discord/guilds.js';
import { snowflake } from './fake-discord/ids.js';
import type { InteractionOptions } from './fake-discord/interactions.js';
import * as build from './fake-discord/interactions.js';
import { applyEdit, makeMessage } from './fake-discord/messages.js';
import type { InteractionRecord, InteractionResult, Pending } from './fake-discord/records.js';
import { sendInteraction } from './fake-discord/records.js';
import { handleRequest, type RecordedRequest } from './fake-discord/rest.js';
import { findThread } from './fake-discord/threads.js';
import type {
	CommandOptionDef,
	FakeChannel,
	FakeDMChannel,
	FakeGuild,
	FakeInteraction,
	FakeMessage,
	FakeThread,
	FakeUser,
	JsonObject,
	MessageBody,
	OptionMap,
	RegisteredCommand,
	WireOption,
} from './fake-discord/wire.js';

export type { GatewayMessage, GatewaySession } from './fake-discord/gateway.js';
export type { ChannelOptions, GuildOptions } from './fake-discord/guilds.js';
export { shardOf, snowflake } from './fake-discord/ids.js';
export type { InteractionOptions } from './fake-discord/interactions.js';
export type {
	InteractionCallback,
	InteractionEdit,
	InteractionRecord,
	InteractionRecordEvents,
	InteractionResult,
} from './fake-discord/records.js';
export type { RecordedRequest } from './fake-discord/rest.js';
export type * from './fake-discord/wire.js';

export interface FakeDiscordOptions {
	token?: string;
	/** Shard count recommended by GET /gateway/bot (used by `shards: 'auto'`). */
	shards?: number;
	/** Gateway heartbeat interval in ms; keep it small in tests. */
	heartbeatInterval?: number;
	/** How long the bot has to answer an interaction (real Discord: 3 s). */
	callbackTimeout?: number;
	applicationId?: string;
	/** The user who "sends" interactions by default. */
	user?: FakeUser;
	guilds?: GuildOptions[];
}

export interface FakeDiscordEvents {
	gateway: [message: GatewayMessage, session: GatewaySession];
	identify: [info: { shard: [number, number]; intents: number | undefined }];
	disconnect: [info: { shard: [number, number]; code: number }];
	callback: [record: InteractionRecord];
	request: [entry: RecordedRequest, status: number, body: unknown];
	unhandled: [entry: RecordedRequest];
	commands: [info: { scope: string; commands: RegisteredCommand[] }];
	channelMessage: [message: FakeMessage];
}

export class FakeDiscord extends EventEmitter<FakeDiscordEvents> {
	readonly token: string;
	readonly recommendedShards: number;
	readonly heartbeatInterval: number;
	readonly callbackTimeout: number;
	readonly applicationId: string;
	readonly botUser: FakeUser;
	readonly application: JsonObject;
	readonly user: FakeUser;
	readonly guilds: FakeGuild[];
	/** scope ('global' | guildId) -> registered commands */
	readonly commands = new Map<string, RegisteredCommand[]>();
	/** interaction id -> record */
	readonly interactions = new Map<string, InteractionRecord>();
	/** message id -> message */
	readonly messages = new Map<string, FakeMessage>();
	/** user id -> DM channel with the bot */
	readonly dmChannels = new Map<string, FakeDMChannel>();
	/** Channels (and threads) where the bot may not post or open threads: 403 Missing Permissions (threads.ts). */
	readonly forbidden = new Set<string>();
	/** every REST call, in order, for assertions */
	readonly requests: RecordedRequest[] = [];
	/** live gateway connections */
	readonly sessions = new Set<GatewaySession>();
	/** session_id -> shard, for RESUME */
	readonly knownSessions = new Map<string, [number, number]>();
	/**
	 * Events for a shard whose session dropped and may RESUME, kept and sent when it does (as Discord replays
	 * what a resuming session missed), keyed `shard/count`.
	 */
	readonly backlog = new Map<string, { t: string; d: unknown }[]>();
	/** The last events sent in each session (session_id → seq, t, d), replayed past a RESUME's seq. */
	readonly history = new Map<string, { seq: number; t: string | null; d: unknown }[]>();
	/** `http://127.0.0.1:PORT/api`; discord.js appends `/v10`. Set by start(). */
	restBase = '';
	/** `ws://127.0.0.1:PORT/gateway`. Set by start(). */
	gatewayUrl = '';
	private server: Server | null = null;
	private wss: WebSocketServer | null = null;
	/** interaction id -> the bot's first callback awaited (records.ts) */
	readonly pending = new Map<string, Pending>();

	constructor(opts: FakeDiscordOptions = {}) {
		super();
		this.token = opts.token ?? 'fake.bot.token';
		this.recommendedShards = opts.shards ?? 1;
		this.heartbeatInterval = opts.heartbeatInterval ?? 41_250;
		this.callbackTimeout = opts.callbackTimeout ?? 3_000;
		this.applicationId = opts.applicationId ?? snowflake();
		this.botUser = {
			id: this.applicationId,
			username: 'FakeBot',
			global_name: null,
			discriminator: '0000',
			avatar: null,
			bot: true,
			flags: 0,
			public_flags: 0,
			verified: true,
			mfa_enabled: false,
		};
		this.application = {
			id: this.applicationId,
			name: 'FakeBot',
			icon: null,
			description: '',
			flags: 0,
			bot_public: true,
			bot_require_code_grant: false,
			verify_key: 'fake',
			team: null,
			owner: this.botUser,
		};
		this.user = opts.user ?? {
			id: snowflake(),
			username: 'tester',
			global_name: 'Tester',
			discriminator: '0',
			avatar: null,
			public_flags: 0,
		};
		this.guilds = (opts.guilds ?? [{ name: 'Test Guild' }]).map((g) => this.makeGuild(g));
	}

	makeGuild(options: GuildOptions = {}): FakeGuild {
		return guildPayload(options, this.user, this.botUser);
	}

	// ---------------------------------------------------------------- lookups

	/** A guild by id or name (an object is returned as is). */
	guild(ref: FakeGuild | string): FakeGuild {
		if (typeof ref !== 'string') return ref;
		const g = this.guilds.find((x) => x.id === ref) ?? this.guilds.find((x) => x.name === ref);
		if (!g) throw new Error(`fake discord has no guild ${ref}`);
		return g;
	}

	/** A guild channel by id or name, in `guild` if given, else in any guild. */
	channel(ref: string, guild?: FakeGuild | string): FakeChannel {
		const chans = guild !== undefined ? this.guild(guild).channels : this.guilds.flatMap((g) => g.channels);
		const c = chans.find((x) => x.id === ref) ?? chans.find((x) => x.name === ref);
		if (!c) throw new Error(`fake discord has no channel ${ref}${guild ? ` in ${this.guild(guild).name}` : ''}`);
		return c;
	}

	/** Adds a channel to a guild (the first by default) and tells the bot with CHANNEL_CREATE, as Discord does. */
	addChannel(options: ChannelOptions, guild: FakeGuild | string | undefined = this.guilds[0]): FakeChannel {
		if (!guild) throw new Error('fake discord has no guilds');
		const g = this.guild(guild);
		const channel = channelPayload(options, g.channels.length, g.id);
		g.channels.push(channel);
		this.dispatch('CHANNEL_CREATE', { ...channel, guild_id: g.id });
		return channel;
	}

	/** The guild that owns a channel or thread id (undefined for DMs and unknown ids). */
	guildOf(channelId: string): FakeGuild | undefined {
		return this.guilds.find(
			(g) => g.channels.some((c) => c.id === channelId) || g.threads.some((t) => t.id === channelId),
		);
	}

	/** A thread by id (threads.ts), in any guild. */
	thread(id: string): FakeThread {
		const thread = findThread(this, id);
		if (!thread) throw new Error(`fake discord has no thread ${id}`);
		return thread;
	}

	/** The DM channel between the bot and `user`, created on first use. */
	dmChannel(user: FakeUser = this.user): FakeDMChannel {
		let dm = this.dmChannels.get(user.id);
		if (!dm) {
			dm = { id: snowflake(), type: 1, recipients: [user], last_message_id: null, flags: 0 };
			this.dmChannels.set(user.id, dm);
		}
		return dm;
	}

	/** The DM channel with this id, if the bot has one. */
	dmChannelById(id: string): FakeDMChannel | undefined {
		return [...this.dmChannels.values()].find((c) => c.id === id);
	}

	// ---------------------------------------------------------------- lifecycle

	async start(port = 0): Promise<this> {
		const server = createServer((req, res) => handleRequest(this, req, res));
		const wss = new WebSocketServer({ noServer: true });
		this.server = server;
		this.wss = wss;
		server.on('upgrade', (req, socket, head) => {
			if (!req.url?.startsWith('/gateway')) {
				socket.destroy();
				return;
			}
			wss.handleUpgrade(req, socket, head, (ws) => connect(this, ws, req));
		});
		await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
		const base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
		this.restBase = `http://${base}/api`;
		this.gatewayUrl = `ws://${base}/gateway`;
		return this;
	}

	async stop(): Promise<void> {
		for (const s of this.sessions) {
			s.ws.terminate();
			s.deflate?.destroy();
		}
		for (const p of this.pending.values()) clearTimeout(p.timer);
		this.pending.clear();
		const { wss, server } = this;
		if (wss) await new Promise<void>((resolve) => wss.close(() => resolve()));
		if (server) {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
		this.wss = null;
		this.server = null;
	}

	// ---------------------------------------------------------------- gateway (gateway.ts)

	/** Send one gateway payload to a session (op 0 payloads get the next sequence number). */
	send(s: GatewaySession, payload: GatewayMessage): void {
		send(s, payload);
	}

	/**
	 * Dispatch an arbitrary gateway event to the shard that owns guildId (default: `d.guild_id`),
	 * or to every shard when there is no guild id.
	 */
	dispatch(t: string, d: unknown, guildId?: string): void {
		dispatch(this, t, d, guildId);
	}

	// ---------------------------------------------------------------- interaction builders (interactions.ts)

	baseInteraction(type: number, data: JsonObject, o: InteractionOptions = {}): FakeInteraction {
		return build.baseInteraction(this, type, data, o);
	}

	/** A registered command by name: guild commands first, then global ones. */
	findCommand(name: string, guildId?: string): RegisteredCommand | undefined {
		return findCommand(this, name, guildId);
	}

	/**
	 * Turn `{ text: 'hi', count: 2 }` into API options, using the registered option types when known
	 * (else: integer -> 4, other number -> 10, boolean -> 5, string -> 3; nested object -> subcommand 1,
	 * or group 2 when it nests objects itself).
	 */
	buildOptions(
		parent: { options?: CommandOptionDef[] } | undefined,
		options: OptionMap | WireOption[],
		focused?: string,
	): WireOption[] {
		return build.buildOptions(parent, options, focused);
	}

	/** A chat-input command interaction (type 2). */
	slashCommand(name: string, options: OptionMap | WireOption[] = {}, o: InteractionOptions = {}): FakeInteraction {
		return build.slashCommand(this, name, options, o);
	}

	/** An autocomplete interaction (type 4) with `focused` marking the option being typed. */
	autocomplete(
		name: string,
		options: OptionMap | WireOption[],
		focused: string,
		o: InteractionOptions = {},
	): FakeInteraction {
		return build.autocomplete(this, name, options, focused, o);
	}

	/** The newest stored message that carries a component with this custom_id. */
	findMessageWith(customId: string): FakeMessage | undefined {
		return build.findMessageWith(this, customId);
	}

	/** Button click on a message (defaults to the newest stored message that carries customId). */
	buttonClick(customId: string, message?: FakeMessage, o: InteractionOptions = {}): FakeInteraction {
		return build.buttonClick(this, customId, message, o);
	}

	/** String-select choice on a message (defaults to the newest stored message that carries customId). */
	selectMenu(customId: string, values: string[], message?: FakeMessage, o: InteractionOptions = {}): FakeInteraction {
		return build.selectMenu(this, customId, values, message, o);
	}

	/** Modal submit: fields is `{ inputCustomId: value }`; pass the message when the modal came from a component. */
	modalSubmit(
		customId: string,
		fields: Record<string, string>,
		message?: FakeMessage,
		o: InteractionOptions = {},
	): FakeInteraction {
		return build.modalSubmit(this, customId, fields, message, o);
	}

	// ---------------------------------------------------------------- sending and answering (records.ts)

	/**
	 * Dispatch INTERACTION_CREATE (to the shard owning the guild; DMs to shard 0) and resolve with the
	 * bot's first callback. Rejects when the bot does not answer within `callbackTimeout`.
	 */
	sendInteraction(payload: FakeInteraction): Promise<InteractionResult> {
		return sendInteraction(this, payload);
	}

	// ---------------------------------------------------------------- messages (messages.ts)

	makeMessage(channelId: string, data: MessageBody = {}, extra: Partial<FakeMessage> = {}): FakeMessage {
		return makeMessage(this, channelId, data, extra);
	}

	applyEdit(msg: FakeMessage, data: MessageBody = {}, edited = true): FakeMessage {
		return applyEdit(msg, data, edited);
	}
}
