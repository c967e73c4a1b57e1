// A small local "fake Discord" (REST + Gateway) that an unmodified discord.js v14 client logs into.
// Point the bot at it with `new Client({ intents, rest: { api: fake.restBase } })` and `login(fake.token)`,
// then inject interactions with `sendInteraction(fake.slashCommand(...))` and assert on what was recorded.
// Ported from the shared fakediscord/fake-discord.js; see test/e2e/fake-discord.test.ts for usage.
import { randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDeflate, type Deflate, constants as zlibConstants } from 'node:zlib';
import type { APIApplicationCommandOptionChoice, APIEmbed } from 'discord.js';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';

// ------------------------------------------------------------------ ids and constants

const EPOCH = 1420070400000n;
let seqInc = 0n;

/** Discord-style snowflake; `ts` lets callers pick ids that land on a given shard. */
export function snowflake(ts: number = Date.now()): string {
	seqInc = (seqInc + 1n) & 0xfffn;
	return (((BigInt(ts) - EPOCH) << 22n) | (1n << 17n) | seqInc).toString();
}

/** The shard that owns a guild: `(guild_id >> 22) % shard_count`. DMs belong to shard 0 (`shardOf('0', n)`). */
export function shardOf(guildId: string, count: number): number {
	return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

const ALL_PERMS = ((1n << 53n) - 1n).toString();
const OPTION_TYPE: Record<string, number> = { string: 3, number: 10, boolean: 5 };
/** Guild id used to route DM interactions: Discord sends DMs to shard 0. */
const DM_ROUTE = '0';

// ------------------------------------------------------------------ types

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

export interface FakeChannel {
	id: string;
	type: number;
	name: string;
	position: number;
	permission_overwrites: unknown[];
	nsfw: boolean;
	parent_id: string | null;
	topic: string | null;
	rate_limit_per_user: number;
	last_message_id: string | null;
	flags: number;
}

/** A guild member as Discord sends one, with no roles or nickname. */
function memberOf(user: FakeUser, joinedAt = new Date().toISOString()): FakeMember {
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
	members: FakeMember[];
	roles: JsonObject[];
	[key: string]: unknown;
}

export interface ChannelOptions {
	id?: string;
	name: string;
	/** Channel type; 0 (text) by default. */
	type?: number;
	nsfw?: boolean;
	topic?: string | null;
}

export interface GuildOptions {
	id?: string;
	name?: string;
	/** Defaults to one text channel, `general`. */
	channels?: ChannelOptions[];
}

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

/** A message component as it travels over the wire (loosely typed so tests can dig into it). */
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

/** Where (and as whom) an interaction happens. */
export interface InteractionOptions {
	/** A guild object, or a guild id or name. Defaults to the guild of `channel`, else the first guild. */
	guild?: FakeGuild | string;
	/** A channel object, or a channel id or name (searched in `guild` if given, else in every guild). */
	channel?: FakeChannel | FakeDMChannel | string;
	/** The invoking user; defaults to `fake.user`. */
	user?: FakeUser;
	/** A DM with the bot: no guild, `user` instead of `member`, channel type 1, context 1. */
	dm?: boolean;
	locale?: string;
	/** Merged into the payload last. */
	extra?: JsonObject;
}

export interface InteractionCallback {
	/** Interaction callback type: 4 reply, 5 deferred reply, 6 deferred update, 7 update, 8 autocomplete, 9 modal. */
	type: number;
	data: CallbackData;
	/** The message the callback created (4, 5) or updated / will update (6, 7); null for 8 and 9. */
	message: FakeMessage | null;
}

export interface InteractionEdit {
	id: string;
	data: MessageBody;
}

export interface InteractionRecordEvents {
	edit: [message: FakeMessage];
	followup: [message: FakeMessage];
	delete: [messageId: string];
}

export interface InteractionRecord {
	payload: FakeInteraction;
	id: string;
	token: string;
	/** The first (and only allowed) callback, once the bot answered. */
	callback: InteractionCallback | null;
	/** The message `@original` refers to: the reply, or the component's message. */
	originalId: string | null;
	edits: InteractionEdit[];
	followups: FakeMessage[];
	deleted: string[];
	events: EventEmitter<InteractionRecordEvents>;
	sentAt: bigint;
	latencyNs: bigint | null;
	/** True once the callback window passed without an answer; late callbacks then get 10062. */
	expired: boolean;
	/** Resolves with the next `edit`/`followup`/`delete` of this interaction (rejects after `ms`). */
	waitFor<K extends keyof InteractionRecordEvents>(event: K, ms?: number): Promise<InteractionRecordEvents[K][0]>;
}

export interface InteractionResult extends InteractionCallback {
	record: InteractionRecord;
}

export interface RecordedRequest {
	method: string;
	/** Path without the `/api/v10` prefix, URL-decoded (`/webhooks/…/messages/@original`). */
	path: string;
	query: Record<string, string>;
	/** Parsed JSON; multipart bodies are payload_json plus `_files`; null when empty. */
	body: unknown;
	auth: string | null;
}

export interface GatewayMessage {
	op: number;
	d?: unknown;
	s?: number | null;
	t?: string | null;
}

export interface GatewaySession {
	ws: WebSocket;
	seq: number;
	identified: boolean;
	shard: [id: number, count: number];
	sessionId: string | null;
	intents?: number;
	chain: Promise<void>;
	deflate: Deflate | null;
	chunks: Buffer[];
	query: Record<string, string>;
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

/** [status, json]; json null = empty body, undefined = no route matched. */
type RouteResult = [status: number, json: unknown];

interface Pending {
	resolve: (result: InteractionResult) => void;
	timer: NodeJS.Timeout;
}

// ------------------------------------------------------------------ helpers

function isRecord(v: unknown): v is JsonObject {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function asBody(v: unknown): MessageBody {
	return isRecord(v) ? (v as MessageBody) : {};
}

function parseMultipart(buf: Buffer, contentType: string): JsonObject {
	const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
	if (!boundary) return {};
	const files: UploadedFile[] = [];
	let json: unknown;
	const parts = buf.toString('latin1').split(`--${boundary[1] ?? boundary[2]}`);
	for (const part of parts) {
		const idx = part.indexOf('\r\n\r\n');
		if (idx === -1) continue;
		const head = part.slice(0, idx);
		const body = part.slice(idx + 4, part.endsWith('\r\n') ? -2 : undefined);
		const name = /name="([^"]+)"/.exec(head)?.[1];
		const filename = /filename="([^"]*)"/.exec(head)?.[1];
		if (name === 'payload_json') json = JSON.parse(Buffer.from(body, 'latin1').toString('utf8'));
		else if (filename !== undefined) files.push({ field: name, filename, size: body.length });
	}
	return { ...(isRecord(json) ? json : {}), _files: files };
}

function rawToBuffer(raw: RawData): Buffer {
	if (Buffer.isBuffer(raw)) return raw;
	if (Array.isArray(raw)) return Buffer.concat(raw);
	return Buffer.from(raw);
}

function containsCustomId(m: FakeMessage, customId: string): boolean {
	return JSON.stringify(m.components).includes(`"${customId}"`);
}

// ------------------------------------------------------------------ the fake

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
	/** every REST call, in order, for assertions */
	readonly requests: RecordedRequest[] = [];
	/** live gateway connections */
	readonly sessions = new Set<GatewaySession>();
	/** session_id -> shard, for RESUME */
	readonly knownSessions = new Map<string, [number, number]>();
	/** `http://127.0.0.1:PORT/api`; discord.js appends `/v10`. Set by start(). */
	restBase = '';
	/** `ws://127.0.0.1:PORT/gateway`. Set by start(). */
	gatewayUrl = '';
	private server: Server | null = null;
	private wss: WebSocketServer | null = null;
	private readonly pending = new Map<string, Pending>();

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

	makeGuild({ name = 'Guild', id = snowflake(), channels }: GuildOptions = {}): FakeGuild {
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
			owner_id: this.user.id,
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
			channels: chans.map((c, i) => ({
				id: c.id ?? snowflake(),
				type: c.type ?? 0,
				name: c.name,
				position: i,
				permission_overwrites: [],
				nsfw: c.nsfw ?? false,
				parent_id: null,
				topic: c.topic ?? null,
				rate_limit_per_user: 0,
				last_message_id: null,
				flags: 0,
			})),
			members: [memberOf(this.botUser, now)],
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

	/** The guild that owns a channel id (undefined for DMs and unknown ids). */
	guildOf(channelId: string): FakeGuild | undefined {
		return this.guilds.find((g) => g.channels.some((c) => c.id === channelId));
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

	private dmChannelById(id: string): FakeDMChannel | undefined {
		return [...this.dmChannels.values()].find((c) => c.id === id);
	}

	private defaultGuild(): FakeGuild {
		const g = this.guilds[0];
		if (!g) throw new Error('fake discord has no guilds; pass { dm: true } or configure guilds');
		return g;
	}

	// ---------------------------------------------------------------- lifecycle

	async start(port = 0): Promise<this> {
		const server = createServer((req, res) => this.onRequest(req, res));
		const wss = new WebSocketServer({ noServer: true });
		this.server = server;
		this.wss = wss;
		server.on('upgrade', (req, socket, head) => {
			if (!req.url?.startsWith('/gateway')) {
				socket.destroy();
				return;
			}
			wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, req));
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

	// ---------------------------------------------------------------- gateway

	private onConnection(ws: WebSocket, req: IncomingMessage): void {
		const q = new URL(req.url ?? '/', 'http://x').searchParams;
		const s: GatewaySession = {
			ws,
			seq: 0,
			identified: false,
			shard: [0, 1],
			sessionId: null,
			chain: Promise.resolve(),
			deflate: null,
			chunks: [],
			query: Object.fromEntries(q),
		};
		if ((q.get('encoding') ?? 'json') !== 'json') {
			ws.close(4002, 'fake discord speaks json only');
			return;
		}
		if (q.get('compress') === 'zlib-stream') {
			const deflate = createDeflate({ chunkSize: 65535 });
			deflate.on('data', (c: Buffer) => s.chunks.push(c));
			s.deflate = deflate;
		}
		this.sessions.add(s);
		ws.on('close', (code) => {
			this.sessions.delete(s);
			s.deflate?.destroy();
			this.emit('disconnect', { shard: s.shard, code });
		});
		ws.on('message', (raw) => this.onGatewayMessage(s, raw));
		this.send(s, { op: 10, d: { heartbeat_interval: this.heartbeatInterval, _trace: ['fake-gateway'] } });
	}

	/** Send one gateway payload to a session (op 0 payloads get the next sequence number). */
	send(s: GatewaySession, payload: GatewayMessage): void {
		const pkt = { op: payload.op, d: payload.d ?? null, s: payload.op === 0 ? ++s.seq : null, t: payload.t ?? null };
		const json = JSON.stringify(pkt);
		const deflate = s.deflate;
		if (!deflate) {
			s.ws.send(json); // text frame, plain JSON
			return;
		}
		// zlib-stream transport compression: one shared deflate context, each payload ends with a Z_SYNC_FLUSH
		s.chain = s.chain.then(
			() =>
				new Promise<void>((resolve) => {
					deflate.write(json);
					deflate.flush(zlibConstants.Z_SYNC_FLUSH, () => {
						if (s.ws.readyState === s.ws.OPEN) s.ws.send(Buffer.concat(s.chunks.splice(0)));
						resolve();
					});
				}),
		);
	}

	private onGatewayMessage(s: GatewaySession, raw: RawData): void {
		let msg: GatewayMessage;
		try {
			msg = JSON.parse(rawToBuffer(raw).toString()) as GatewayMessage;
		} catch {
			s.ws.close(4002, 'Decode error');
			return;
		}
		this.emit('gateway', msg, s);
		const d = isRecord(msg.d) ? msg.d : {};
		switch (msg.op) {
			case 1: // heartbeat -> ACK
				this.send(s, { op: 11 });
				return;
			case 2: {
				// IDENTIFY
				if (d.token !== this.token) {
					s.ws.close(4004, 'Authentication failed.');
					return;
				}
				const [shardId, shardCount] = Array.isArray(d.shard) ? (d.shard as [number, number]) : [0, 1];
				if (shardId >= shardCount) {
					s.ws.close(4010, 'Invalid shard.');
					return;
				}
				const intents = typeof d.intents === 'number' ? d.intents : undefined;
				s.identified = true;
				s.shard = [shardId, shardCount];
				s.sessionId = randomUUID();
				s.intents = intents;
				this.knownSessions.set(s.sessionId, s.shard);
				const mine = this.guilds.filter((g) => shardOf(g.id, shardCount) === shardId);
				this.send(s, {
					op: 0,
					t: 'READY',
					d: {
						v: 10,
						user: this.botUser,
						session_id: s.sessionId,
						session_type: 'normal',
						resume_gateway_url: this.gatewayUrl,
						shard: [shardId, shardCount],
						application: { id: this.applicationId, flags: this.application.flags },
						guilds: mine.map((g) => ({ id: g.id, unavailable: true })),
						private_channels: [],
						relationships: [],
						presences: [],
						guild_join_requests: [],
						geo_ordered_rtc_regions: [],
						user_settings: {},
						auth: {},
						_trace: ['fake-gateway'],
					},
				});
				for (const g of mine) this.send(s, { op: 0, t: 'GUILD_CREATE', d: g });
				this.emit('identify', { shard: s.shard, intents });
				return;
			}
			case 6: {
				// RESUME: we keep no backlog, just acknowledge
				const shard = typeof d.session_id === 'string' ? this.knownSessions.get(d.session_id) : undefined;
				if (d.token !== this.token || !shard) {
					this.send(s, { op: 9, d: false });
					return;
				}
				s.shard = shard;
				s.identified = true;
				s.sessionId = d.session_id as string;
				s.seq = typeof d.seq === 'number' ? d.seq : 0;
				this.send(s, { op: 0, t: 'RESUMED', d: {} });
				return;
			}
			default: // 3 presence, 4 voice, 8 request members... accepted and ignored
				if (!s.identified) s.ws.close(4003, 'Not authenticated.');
		}
	}

	/**
	 * Dispatch an arbitrary gateway event to the shard that owns guildId (default: `d.guild_id`),
	 * or to every shard when there is no guild id.
	 */
	dispatch(t: string, d: unknown, guildId?: string): void {
		const gid = guildId ?? (isRecord(d) && typeof d.guild_id === 'string' ? d.guild_id : undefined);
		const targets = [...this.sessions].filter((s) => s.identified && (!gid || shardOf(gid, s.shard[1]) === s.shard[0]));
		if (!targets.length) throw new Error(`no identified gateway session for ${t} (guild ${gid})`);
		for (const s of targets) this.send(s, { op: 0, t, d });
	}

	// ---------------------------------------------------------------- interaction builders

	/** Resolve `o.guild` / `o.channel` / `o.dm` into a guild + channel, or a DM channel. */
	private where(o: InteractionOptions): { guild: FakeGuild; channel: FakeChannel } | { dm: FakeDMChannel } {
		const user = o.user ?? this.user;
		let channel: FakeChannel | FakeDMChannel | undefined;
		if (typeof o.channel === 'string') {
			channel = (!o.guild && this.dmChannelById(o.channel)) || this.channel(o.channel, o.guild);
		} else {
			channel = o.channel;
		}
		if (channel?.type === 1) return { dm: channel as FakeDMChannel };
		if (o.dm) return { dm: this.dmChannel(user) };
		const guildChannel = channel as FakeChannel | undefined;
		const guild =
			o.guild !== undefined
				? this.guild(o.guild)
				: ((guildChannel && this.guildOf(guildChannel.id)) ?? this.defaultGuild());
		const chan = guildChannel ?? guild.channels[0];
		if (!chan) throw new Error(`guild ${guild.name} has no channels`);
		return { guild, channel: chan };
	}

	baseInteraction(type: number, data: JsonObject, o: InteractionOptions = {}): FakeInteraction {
		const user = o.user ?? this.user;
		const place = this.where(o);
		const common = {
			id: snowflake(),
			application_id: this.applicationId,
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

	/** A registered command by name: guild commands first, then global ones. */
	findCommand(name: string, guildId?: string): RegisteredCommand | undefined {
		const scoped = guildId ? (this.commands.get(guildId) ?? []) : [];
		return [...scoped, ...(this.commands.get('global') ?? [])].find((c) => c.name === name);
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
		if (Array.isArray(options)) return options;
		return Object.entries(options).map(([name, value]): WireOption => {
			const def = parent?.options?.find((op) => op.name === name);
			if (isRecord(value)) {
				const nested = value as OptionMap;
				const type = def?.type ?? (Object.values(nested).some(isRecord) ? 2 : 1);
				return { name, type, options: this.buildOptions(def, nested, focused) };
			}
			const type = def?.type ?? (Number.isInteger(value) ? 4 : (OPTION_TYPE[typeof value] ?? 3));
			return { name, type, value, ...(name === focused ? { focused: true } : {}) };
		});
	}

	private commandData(name: string, options: OptionMap | WireOption[], o: InteractionOptions, focused?: string) {
		const place = this.where(o);
		const cmd = this.findCommand(name, 'dm' in place ? undefined : place.guild.id);
		const built = this.buildOptions(cmd, options, focused);
		const resolved = this.resolveOptions(built);
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
	private resolveOptions(options: WireOption[]): JsonObject | null {
		const channels: JsonObject = {};
		const users: JsonObject = {};
		const walk = (list: WireOption[]) => {
			for (const op of list) {
				if (op.options) walk(op.options);
				if (op.type === 7 && typeof op.value === 'string') {
					const guild = this.guilds.find((g) => g.channels.some((c) => c.id === op.value));
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
						op.value === this.user.id
							? this.user
							: { id: op.value, username: 'someone', discriminator: '0', avatar: null, global_name: null };
				}
			}
		};
		walk(options);
		if (!Object.keys(channels).length && !Object.keys(users).length) return null;
		return { ...(Object.keys(channels).length ? { channels } : {}), ...(Object.keys(users).length ? { users } : {}) };
	}

	/** A chat-input command interaction (type 2). */
	slashCommand(name: string, options: OptionMap | WireOption[] = {}, o: InteractionOptions = {}): FakeInteraction {
		return this.baseInteraction(2, this.commandData(name, options, o), o);
	}

	/** An autocomplete interaction (type 4) with `focused` marking the option being typed. */
	autocomplete(
		name: string,
		options: OptionMap | WireOption[],
		focused: string,
		o: InteractionOptions = {},
	): FakeInteraction {
		return this.baseInteraction(4, this.commandData(name, options, o, focused), o);
	}

	/** The newest stored message that carries a component with this custom_id. */
	findMessageWith(customId: string): FakeMessage | undefined {
		return [...this.messages.values()].reverse().find((m) => containsCustomId(m, customId));
	}

	private componentInteraction(
		data: JsonObject,
		customId: string,
		message: FakeMessage | undefined,
		o: InteractionOptions,
	) {
		const msg = message ?? this.findMessageWith(customId);
		if (!msg) throw new Error(`no message with a component ${customId}`);
		return this.baseInteraction(3, data, { channel: msg.channel_id, ...o, extra: { message: msg, ...o.extra } });
	}

	/** Button click on a message (defaults to the newest stored message that carries customId). */
	buttonClick(customId: string, message?: FakeMessage, o: InteractionOptions = {}): FakeInteraction {
		return this.componentInteraction({ custom_id: customId, component_type: 2 }, customId, message, o);
	}

	/** String-select choice on a message (defaults to the newest stored message that carries customId). */
	selectMenu(customId: string, values: string[], message?: FakeMessage, o: InteractionOptions = {}): FakeInteraction {
		return this.componentInteraction({ custom_id: customId, component_type: 3, values }, customId, message, o);
	}

	/** Modal submit: fields is `{ inputCustomId: value }`; pass the message when the modal came from a component. */
	modalSubmit(
		customId: string,
		fields: Record<string, string>,
		message?: FakeMessage,
		o: InteractionOptions = {},
	): FakeInteraction {
		const components = Object.entries(fields).map(([id, value]) => ({
			type: 1,
			components: [{ type: 4, custom_id: id, value }],
		}));
		return this.baseInteraction(
			5,
			{ custom_id: customId, components },
			{
				...(message ? { channel: message.channel_id } : {}),
				...o,
				extra: { ...(message ? { message } : {}), ...o.extra },
			},
		);
	}

	// ---------------------------------------------------------------- sending and answering

	/**
	 * Dispatch INTERACTION_CREATE (to the shard owning the guild; DMs to shard 0) and resolve with the
	 * bot's first callback. Rejects when the bot does not answer within `callbackTimeout`.
	 */
	sendInteraction(payload: FakeInteraction): Promise<InteractionResult> {
		const events = new EventEmitter<InteractionRecordEvents>();
		const rec: InteractionRecord = {
			payload,
			id: payload.id,
			token: payload.token,
			callback: null,
			originalId: payload.message?.id ?? null,
			edits: [],
			followups: [],
			deleted: [],
			events,
			sentAt: process.hrtime.bigint(),
			latencyNs: null,
			expired: false,
			waitFor: <K extends keyof InteractionRecordEvents>(event: K, ms = 3000) =>
				new Promise<InteractionRecordEvents[K][0]>((resolve, reject) => {
					const untyped = events as EventEmitter;
					const listener = (v: InteractionRecordEvents[K][0]) => {
						clearTimeout(t);
						resolve(v);
					};
					const t = setTimeout(() => {
						untyped.off(event, listener);
						reject(new Error(`timed out waiting for ${event} on interaction ${payload.id}`));
					}, ms);
					untyped.once(event, listener);
				}),
		};
		this.interactions.set(payload.id, rec);
		const p = new Promise<InteractionResult>((resolve, reject) => {
			const timer = setTimeout(() => {
				rec.expired = true;
				this.pending.delete(payload.id);
				reject(new Error(`bot did not answer interaction ${payload.id} within ${this.callbackTimeout}ms`));
			}, this.callbackTimeout);
			this.pending.set(payload.id, { resolve, timer });
		});
		try {
			this.dispatch('INTERACTION_CREATE', payload, payload.guild_id ?? DM_ROUTE);
		} catch (err) {
			const pending = this.pending.get(payload.id);
			if (pending) clearTimeout(pending.timer);
			this.pending.delete(payload.id);
			p.catch(() => {});
			return Promise.reject(err);
		}
		return p;
	}

	makeMessage(channelId: string, data: MessageBody = {}, extra: Partial<FakeMessage> = {}): FakeMessage {
		const guild = this.guildOf(channelId);
		const msg: FakeMessage = {
			id: snowflake(),
			channel_id: channelId,
			...(guild ? { guild_id: guild.id } : {}),
			author: this.botUser,
			content: '',
			embeds: [],
			components: [],
			attachments: [],
			mentions: [],
			mention_roles: [],
			mention_everyone: false,
			pinned: false,
			tts: false,
			timestamp: new Date().toISOString(),
			edited_timestamp: null,
			flags: 0,
			type: 0,
			...extra,
		};
		this.applyEdit(msg, data, false);
		this.messages.set(msg.id, msg);
		return msg;
	}

	applyEdit(msg: FakeMessage, data: MessageBody = {}, edited = true): FakeMessage {
		if (data.content !== undefined) msg.content = data.content ?? '';
		if (data.embeds !== undefined) msg.embeds = data.embeds ?? [];
		if (data.components !== undefined) msg.components = data.components ?? [];
		if (data.flags !== undefined) msg.flags = data.flags;
		if (data.poll !== undefined) msg.poll = data.poll;
		if (data._files?.length) {
			msg.attachments = data._files.map((f, i) => ({
				id: snowflake(),
				filename: f.filename,
				size: f.size,
				url: `https://cdn.invalid/${f.filename}`,
				proxy_url: `https://cdn.invalid/${f.filename}`,
				...(data.attachments?.[i] ?? {}),
			}));
		}
		if (edited) msg.edited_timestamp = new Date().toISOString();
		return msg;
	}

	private onCallback(rec: InteractionRecord | null, body: unknown, query: URLSearchParams): RouteResult {
		if (!rec || rec.expired) return [404, { message: 'Unknown interaction', code: 10062 }];
		if (rec.callback) return [400, { message: 'Interaction has already been acknowledged.', code: 40060 }];
		const b = asBody(body);
		const type = typeof b.type === 'number' ? b.type : 0;
		const data: CallbackData = isRecord(b.data) ? (b.data as CallbackData) : {};
		const p = rec.payload;
		let message: FakeMessage | null = null;
		if (type === 4 || type === 5) {
			// reply / deferred reply ("thinking...", flag 128 until the first edit)
			message = this.makeMessage(p.channel_id, type === 5 ? { flags: (data.flags ?? 0) | 128 } : data, {
				webhook_id: this.applicationId,
				application_id: this.applicationId,
				type: p.type === 2 ? 20 : 19,
				interaction_metadata: {
					id: p.id,
					type: p.type,
					user: p.member?.user ?? p.user,
					authorizing_integration_owners: p.authorizing_integration_owners,
				},
			});
			rec.originalId = message.id;
		} else if (type === 7 && rec.originalId) {
			// update the component's message
			const original = this.messages.get(rec.originalId) ?? this.makeMessage(p.channel_id, {}, { id: rec.originalId });
			message = this.applyEdit(original, data);
		} else if (type === 6 && rec.originalId) {
			// deferred update: nothing changes yet; a later PATCH @original edits the component's message
			message = this.messages.get(rec.originalId) ?? null;
		}
		// 8 (autocomplete result) and 9 (modal) create no message
		rec.callback = { type, data, message };
		const pending = this.pending.get(rec.id);
		this.pending.delete(rec.id);
		if (pending) clearTimeout(pending.timer);
		rec.latencyNs = process.hrtime.bigint() - rec.sentAt;
		this.emit('callback', rec);
		pending?.resolve({ ...rec.callback, record: rec });
		if (query.get('with_response') !== 'true') return [204, null];
		return [
			200,
			{
				interaction: {
					id: p.id,
					type: p.type,
					response_message_id: message?.id,
					response_message_loading: type === 5,
					response_message_ephemeral: Boolean((data.flags ?? 0) & 64),
				},
				resource: { type, ...(message ? { message } : {}) },
			},
		];
	}

	// ---------------------------------------------------------------- REST

	private onRequest(req: IncomingMessage, res: ServerResponse): void {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const url = new URL(req.url ?? '/', 'http://x');
			const buf = Buffer.concat(chunks);
			const ct = req.headers['content-type'] ?? '';
			let body: unknown = null;
			try {
				body = ct.startsWith('multipart/') ? parseMultipart(buf, ct) : buf.length ? JSON.parse(buf.toString()) : null;
			} catch {
				body = buf.toString();
			}
			// '@original' arrives as %40original
			const path = decodeURIComponent(url.pathname).replace(/^\/api(\/v\d+)?/, '');
			const entry: RecordedRequest = {
				method: req.method ?? 'GET',
				path,
				query: Object.fromEntries(url.searchParams),
				body,
				auth: req.headers.authorization ?? null,
			};
			this.requests.push(entry);
			let [status, out] = this.route(entry, url.searchParams);
			if (status === 404 && out === undefined) {
				out = { message: '404: Not Found', code: 0 };
				this.emit('unhandled', entry);
			}
			res.writeHead(status, out === null ? {} : { 'content-type': 'application/json' });
			res.end(out === null ? undefined : JSON.stringify(out));
			this.emit('request', entry, status, out);
		});
	}

	private route(entry: RecordedRequest, query: URLSearchParams): RouteResult {
		const { method, path, body } = entry;
		// interaction callbacks and webhook messages are authenticated by token, not the bot header
		const tokenAuthed = path.startsWith('/interactions/') || path.startsWith('/webhooks/');
		if (!tokenAuthed && entry.auth !== `Bot ${this.token}`) return [401, { message: '401: Unauthorized', code: 0 }];

		if (method === 'GET' && path === '/gateway/bot') {
			return [
				200,
				{
					url: this.gatewayUrl,
					shards: this.recommendedShards,
					session_start_limit: { total: 1000, remaining: 1000, reset_after: 86_400_000, max_concurrency: 16 },
				},
			];
		}
		if (method === 'GET' && path === '/gateway') return [200, { url: this.gatewayUrl }];
		if (method === 'GET' && path === '/users/@me') return [200, this.botUser];
		if (method === 'GET' && /^\/(oauth2\/)?applications\/@me$/.test(path)) return [200, this.application];
		if (method === 'POST' && path === '/users/@me/channels') {
			const recipient = asBody(body).recipient_id;
			if (typeof recipient !== 'string') return [400, { message: 'Invalid Form Body', code: 50035 }];
			const known = recipient === this.user.id ? this.user : this.dmChannels.get(recipient)?.recipients[0];
			const user = known ?? {
				id: recipient,
				username: `user${recipient}`,
				global_name: null,
				discriminator: '0',
				avatar: null,
			};
			return [200, this.dmChannel(user)];
		}

		const cmd = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands(?:\/(\d+))?$/.exec(path);
		if (cmd) {
			const out = this.commandRoute(method, body, cmd[1] ?? '', cmd[2], cmd[3]);
			if (out) return out;
		}

		const callback = method === 'POST' ? /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path) : null;
		if (callback) {
			const rec = this.interactions.get(callback[1] ?? '');
			return this.onCallback(rec && rec.token === callback[2] ? rec : null, body, query);
		}

		const hook = /^\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/(@original|\d+))?$/.exec(path);
		if (hook) {
			const out = this.webhookRoute(method, body, hook[1] ?? '', hook[2] ?? '', hook[3]);
			if (out) return out;
		}

		const chan = /^\/channels\/(\d+)(\/messages)?$/.exec(path);
		if (chan) {
			const out = this.channelRoute(method, body, chan[1] ?? '', Boolean(chan[2]));
			if (out) return out;
		}
		return [404, undefined];
	}

	private commandRoute(
		method: string,
		body: unknown,
		appId: string,
		guildId: string | undefined,
		commandId: string | undefined,
	): RouteResult | null {
		const scope = guildId ?? 'global';
		const list = this.commands.get(scope) ?? [];
		const norm = (c: unknown): RegisteredCommand => {
			const given = asBody(c) as Partial<RegisteredCommand>;
			return {
				type: 1,
				description: '',
				options: [],
				default_member_permissions: null,
				nsfw: false,
				integration_types: [0],
				contexts: null,
				...given,
				name: String(given.name),
				id: list.find((o) => o.name === given.name)?.id ?? snowflake(),
				application_id: appId,
				version: snowflake(),
				...(guildId ? { guild_id: guildId } : {}),
			};
		};
		if (method === 'GET') {
			if (!commandId) return [200, list];
			const found = list.find((c) => c.id === commandId);
			return found ? [200, found] : [404, { message: 'Unknown application command', code: 10063 }];
		}
		if (method === 'PUT' && !commandId) {
			if (!Array.isArray(body)) return [400, { message: 'Invalid Form Body', code: 50035 }];
			const cmds = body.map(norm);
			this.commands.set(scope, cmds);
			this.emit('commands', { scope, commands: cmds });
			return [200, cmds];
		}
		if (method === 'POST' && !commandId) {
			const c = norm(body);
			const next = [...list.filter((x) => x.name !== c.name), c];
			this.commands.set(scope, next);
			this.emit('commands', { scope, commands: next });
			return [201, c];
		}
		if (method === 'PATCH' && commandId) {
			const old = list.find((c) => c.id === commandId);
			if (!old) return [404, { message: 'Unknown application command', code: 10063 }];
			const c = { ...old, ...(asBody(body) as Partial<RegisteredCommand>), id: old.id, version: snowflake() };
			const next = list.map((x) => (x.id === commandId ? c : x));
			this.commands.set(scope, next);
			this.emit('commands', { scope, commands: next });
			return [200, c];
		}
		if (method === 'DELETE' && commandId) {
			this.commands.set(
				scope,
				list.filter((c) => c.id !== commandId),
			);
			return [204, null];
		}
		return null;
	}

	private webhookRoute(
		method: string,
		body: unknown,
		webhookId: string,
		token: string,
		messageRef: string | undefined,
	): RouteResult | null {
		const rec = [...this.interactions.values()].find((r) => r.token === token);
		if (!rec || webhookId !== this.applicationId) return [404, { message: 'Unknown Webhook', code: 10015 }];
		if (!messageRef) {
			if (method !== 'POST') return null;
			// follow-up
			const msg = this.makeMessage(rec.payload.channel_id, asBody(body), {
				webhook_id: webhookId,
				application_id: webhookId,
			});
			if (!rec.originalId) rec.originalId = msg.id; // a follow-up as the first message becomes @original
			rec.followups.push(msg);
			rec.events.emit('followup', msg);
			return [200, msg];
		}
		const id = messageRef === '@original' ? rec.originalId : messageRef;
		const msg = id ? this.messages.get(id) : undefined;
		if (!id || !msg) return [404, { message: 'Unknown Message', code: 10008 }];
		if (method === 'GET') return [200, msg];
		if (method === 'PATCH') {
			const data = asBody(body);
			msg.flags &= ~128; // a deferred "thinking..." message stops loading once edited
			this.applyEdit(msg, data);
			rec.edits.push({ id, data });
			rec.events.emit('edit', msg);
			return [200, msg];
		}
		if (method === 'DELETE') {
			this.messages.delete(id);
			rec.deleted.push(id);
			rec.events.emit('delete', id);
			return [204, null];
		}
		return null;
	}

	private channelRoute(method: string, body: unknown, channelId: string, messages: boolean): RouteResult | null {
		const guild = this.guildOf(channelId);
		const guildChannel = guild?.channels.find((c) => c.id === channelId);
		const channel = guild && guildChannel ? { ...guildChannel, guild_id: guild.id } : this.dmChannelById(channelId);
		if (!channel) return [404, { message: 'Unknown Channel', code: 10003 }];
		if (!messages && method === 'GET') return [200, channel];
		if (messages && method === 'POST') {
			const data = asBody(body);
			const msg = this.makeMessage(channelId, data, data.nonce !== undefined ? { nonce: data.nonce } : {});
			this.emit('channelMessage', msg);
			return [200, msg];
		}
		if (messages && method === 'GET') {
			return [200, [...this.messages.values()].filter((m) => m.channel_id === channelId).reverse()];
		}
		return null;
	}
}
