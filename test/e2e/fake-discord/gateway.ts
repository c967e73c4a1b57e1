// The gateway: the WebSocket a discord.js client logs into (HELLO, IDENTIFY and READY with the shard's guilds,
// heartbeats, RESUME), plain JSON or zlib-stream, and dispatches to the shard that owns a guild.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { createDeflate, type Deflate, constants as zlibConstants } from 'node:zlib';
import type { RawData, WebSocket } from 'ws';
import type { FakeDiscord } from '../fake-discord.js';
import { shardOf } from './ids.js';
import { isRecord } from './wire.js';

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

function rawToBuffer(raw: RawData): Buffer {
	if (Buffer.isBuffer(raw)) return raw;
	if (Array.isArray(raw)) return Buffer.concat(raw);
	return Buffer.from(raw);
}

/** A new connection: a session that says HELLO and waits for IDENTIFY or RESUME. */
export function connect(fake: FakeDiscord, ws: WebSocket, req: IncomingMessage): void {
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
	fake.sessions.add(s);
	ws.on('close', (code) => {
		fake.sessions.delete(s);
		s.deflate?.destroy();
		fake.emit('disconnect', { shard: s.shard, code });
	});
	ws.on('message', (raw) => onGatewayMessage(fake, s, raw));
	send(s, { op: 10, d: { heartbeat_interval: fake.heartbeatInterval, _trace: ['fake-gateway'] } });
}

/** Send one gateway payload to a session (op 0 payloads get the next sequence number). */
/** Events kept per session for a RESUME to replay. */
const HISTORY = 500;

export function send(s: GatewaySession, payload: GatewayMessage, history?: FakeDiscord['history']): void {
	const pkt = { op: payload.op, d: payload.d ?? null, s: payload.op === 0 ? ++s.seq : null, t: payload.t ?? null };
	if (history && pkt.s !== null && s.sessionId) {
		const kept = history.get(s.sessionId) ?? [];
		kept.push({ seq: pkt.s, t: pkt.t, d: pkt.d });
		if (kept.length > HISTORY) kept.shift();
		history.set(s.sessionId, kept);
	}
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

/**
 * What a session sends: heartbeats, IDENTIFY (READY and the shard's guilds), RESUME; anything else before IDENTIFY
 * closes it.
 */
function onGatewayMessage(fake: FakeDiscord, s: GatewaySession, raw: RawData): void {
	let msg: GatewayMessage;
	try {
		msg = JSON.parse(rawToBuffer(raw).toString()) as GatewayMessage;
	} catch {
		s.ws.close(4002, 'Decode error');
		return;
	}
	fake.emit('gateway', msg, s);
	const d = isRecord(msg.d) ? msg.d : {};
	switch (msg.op) {
		case 1: // heartbeat -> ACK
			send(s, { op: 11 });
			return;
		case 2: {
			// IDENTIFY
			if (d.token !== fake.token) {
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
			fake.knownSessions.set(s.sessionId, s.shard);
			const mine = fake.guilds.filter((g) => shardOf(g.id, shardCount) === shardId);
			send(s, {
				op: 0,
				t: 'READY',
				d: {
					v: 10,
					user: fake.botUser,
					session_id: s.sessionId,
					session_type: 'normal',
					resume_gateway_url: fake.gatewayUrl,
					shard: [shardId, shardCount],
					application: { id: fake.applicationId, flags: fake.application.flags },
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
			for (const g of mine) send(s, { op: 0, t: 'GUILD_CREATE', d: g });
			fake.emit('identify', { shard: s.shard, intents });
			return;
		}
		case 6: {
			// RESUME: acknowledged, then the events kept for the shard while it was away (dispatch)
			const shard = typeof d.session_id === 'string' ? fake.knownSessions.get(d.session_id) : undefined;
			if (d.token !== fake.token || !shard) {
				send(s, { op: 9, d: false });
				return;
			}
			s.shard = shard;
			s.identified = true;
			s.sessionId = d.session_id as string;
			s.seq = typeof d.seq === 'number' ? d.seq : 0;
			// What the shard missed, in order: events sent to the old connection past the seq it last saw (it may
			// have been closing), then events kept while it had none.
			const missed = (fake.history.get(s.sessionId) ?? []).filter((e) => e.seq > s.seq);
			fake.history.delete(s.sessionId);
			for (const event of missed) send(s, { op: 0, t: event.t ?? undefined, d: event.d }, fake.history);
			send(s, { op: 0, t: 'RESUMED', d: {} });
			const key = shard.join('/');
			for (const event of fake.backlog.get(key) ?? []) send(s, { op: 0, t: event.t, d: event.d }, fake.history);
			fake.backlog.delete(key);
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
export function dispatch(fake: FakeDiscord, t: string, d: unknown, guildId?: string): void {
	const gid = guildId ?? (isRecord(d) && typeof d.guild_id === 'string' ? d.guild_id : undefined);
	const targets = [...fake.sessions].filter((s) => s.identified && (!gid || shardOf(gid, s.shard[1]) === s.shard[0]));
	if (!targets.length && gid) {
		// The guild's shard had a session that dropped (a zombie heartbeat, a reconnect): keep the event for its
		// RESUME, as Discord does. A shard that never identified is a test's mistake.
		const shard = [...new Set(fake.knownSessions.values())].find(([id, count]) => shardOf(gid, count) === id);
		if (shard) {
			const key = shard.join('/');
			fake.backlog.set(key, [...(fake.backlog.get(key) ?? []), { t, d }]);
			return;
		}
	}
	if (!targets.length) throw new Error(`no identified gateway session for ${t} (guild ${gid})`);
	for (const s of targets) send(s, { op: 0, t, d }, fake.history);
}
