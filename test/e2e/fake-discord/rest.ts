// The REST API: every request recorded (multipart bodies as payload_json plus the files' names and sizes),
// the bot token checked, then routed: gateway, users and applications, commands (commands.ts), interaction
// callbacks and webhooks (records.ts), channels and their messages.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeDiscord } from '../fake-discord.js';
import { commandRoute } from './commands.js';
import { makeMessage } from './messages.js';
import { onCallback, webhookRoute } from './records.js';
import { activeThreads, findThread, MISSING_PERMISSIONS, threadRoute } from './threads.js';
import { asBody, isRecord, type JsonObject, type UploadedFile } from './wire.js';

export interface RecordedRequest {
	method: string;
	/** Path without the `/api/v10` prefix, URL-decoded (`/webhooks/…/messages/@original`). */
	path: string;
	query: Record<string, string>;
	/** Parsed JSON; multipart bodies are payload_json plus `_files`; null when empty. */
	body: unknown;
	auth: string | null;
}

/** [status, json]; json null = empty body, undefined = no route matched. */
export type RouteResult = [status: number, json: unknown];

/**
 * What Discord refuses in a multipart body: a file part not named `files[n]`, or one whose `n` no entry of the
 * payload's `attachments` (a callback's `data.attachments`) names as its id, or an entry with no file.
 */
export function multipartProblems(json: unknown, files: UploadedFile[]): string[] {
	const body = isRecord(json) ? json : {};
	const inner = isRecord(body.data) ? body.data : body;
	const entries = Array.isArray(inner.attachments) ? inner.attachments.filter(isRecord) : [];
	const problems: string[] = [];
	const ids = new Set<string>();
	for (const f of files) {
		const n = /^files\[(\d+)\]$/.exec(f.field ?? '')?.[1];
		if (n === undefined) problems.push(`file part named ${f.field ?? '(none)'}, not files[n]`);
		else if (!entries.some((e) => String(e.id) === n))
			problems.push(`files[${n}] has no attachments entry with id ${n}`);
		if (n !== undefined) ids.add(n);
	}
	for (const e of entries) {
		// An entry without a file of its id keeps an attachment the message has already (an edit).
		if (!ids.has(String(e.id)) && files.length && !/^\d{17,20}$/.test(String(e.id))) {
			problems.push(`attachments entry ${String(e.id)} has no file`);
		}
		if (typeof e.description === 'string' && e.description.length > 1024) problems.push('description over 1024');
	}
	return problems;
}

/** A multipart body as payload_json plus `_files`: each uploaded file's field, name, type, size and bytes. */
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
		const type = /content-type:\s*([^\r\n;]+)/i.exec(head)?.[1];
		if (name === 'payload_json') json = JSON.parse(Buffer.from(body, 'latin1').toString('utf8'));
		else if (filename !== undefined) {
			const data = Buffer.from(body, 'latin1');
			files.push({ field: name, filename, size: data.length, ...(type ? { contentType: type } : {}), data });
		}
	}
	const problems = multipartProblems(json, files);
	return { ...(isRecord(json) ? json : {}), _files: files, ...(problems.length ? { _problems: problems } : {}) };
}

/**
 * One HTTP request: read, recorded in `fake.requests`, routed and answered; an unmatched route is a 404 and an
 * `unhandled` event.
 */
export function handleRequest(fake: FakeDiscord, req: IncomingMessage, res: ServerResponse): void {
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
		fake.requests.push(entry);
		const problems = isRecord(body) && Array.isArray(body._problems) ? body._problems : null;
		let [status, out]: RouteResult = problems
			? [400, { message: 'Invalid Form Body', code: 50035, errors: problems }]
			: route(fake, entry, url.searchParams);
		if (status === 404 && out === undefined) {
			out = { message: '404: Not Found', code: 0 };
			fake.emit('unhandled', entry);
		}
		res.writeHead(status, out === null ? {} : { 'content-type': 'application/json' });
		res.end(out === null ? undefined : JSON.stringify(out));
		fake.emit('request', entry, status, out);
	});
}

/** The answer to a recorded request; [404, undefined] when no route matches. */
function route(fake: FakeDiscord, entry: RecordedRequest, query: URLSearchParams): RouteResult {
	const { method, path, body } = entry;
	// interaction callbacks and webhook messages are authenticated by token, not the bot header
	const tokenAuthed = path.startsWith('/interactions/') || path.startsWith('/webhooks/');
	if (!tokenAuthed && entry.auth !== `Bot ${fake.token}`) return [401, { message: '401: Unauthorized', code: 0 }];

	if (method === 'GET' && path === '/gateway/bot') {
		return [
			200,
			{
				url: fake.gatewayUrl,
				shards: fake.recommendedShards,
				session_start_limit: { total: 1000, remaining: 1000, reset_after: 86_400_000, max_concurrency: 16 },
			},
		];
	}
	if (method === 'GET' && path === '/gateway') return [200, { url: fake.gatewayUrl }];
	if (method === 'GET' && path === '/users/@me') return [200, fake.botUser];
	if (method === 'GET' && /^\/(oauth2\/)?applications\/@me$/.test(path)) return [200, fake.application];
	if (method === 'POST' && path === '/users/@me/channels') {
		const recipient = asBody(body).recipient_id;
		if (typeof recipient !== 'string') return [400, { message: 'Invalid Form Body', code: 50035 }];
		const known = recipient === fake.user.id ? fake.user : fake.dmChannels.get(recipient)?.recipients[0];
		const user = known ?? {
			id: recipient,
			username: `user${recipient}`,
			global_name: null,
			discriminator: '0',
			avatar: null,
		};
		return [200, fake.dmChannel(user)];
	}

	const cmd = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands(?:\/(\d+))?$/.exec(path);
	if (cmd) {
		const out = commandRoute(fake, method, body, cmd[1] ?? '', cmd[2], cmd[3]);
		if (out) return out;
	}

	const callback = method === 'POST' ? /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path) : null;
	if (callback) {
		const rec = fake.interactions.get(callback[1] ?? '');
		return onCallback(fake, rec && rec.token === callback[2] ? rec : null, body, query);
	}

	const hook = /^\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/(@original|\d+))?$/.exec(path);
	if (hook) {
		const out = webhookRoute(fake, method, body, hook[1] ?? '', hook[2] ?? '', hook[3]);
		if (out) return out;
	}

	const active = method === 'GET' ? /^\/guilds\/(\d+)\/threads\/active$/.exec(path) : null;
	if (active) return activeThreads(fake, active[1] ?? '');

	const thread = /^\/channels\/(\d+)(?:\/messages\/(\d+))?\/threads$/.exec(path);
	if (thread) {
		const out = threadRoute(fake, method, body, thread[1] ?? '', thread[2]);
		if (out) return out;
	}

	const chan = /^\/channels\/(\d+)(\/messages)?(?:\/(\d+))?$/.exec(path);
	if (chan) {
		const out = channelRoute(fake, method, body, chan[1] ?? '', Boolean(chan[2]), chan[3], query);
		if (out) return out;
	}
	return [404, undefined];
}

/**
 * /channels/:id, /channels/:id/messages and /channels/:id/messages/:id: the channel (or thread), its messages,
 * one of them, or a new message from the bot (403 in a channel in `fake.forbidden`).
 */
function channelRoute(
	fake: FakeDiscord,
	method: string,
	body: unknown,
	channelId: string,
	messages: boolean,
	messageId: string | undefined,
	query: URLSearchParams,
): RouteResult | null {
	const guild = fake.guildOf(channelId);
	const guildChannel = guild?.channels.find((c) => c.id === channelId);
	const channel =
		guild && guildChannel
			? { ...guildChannel, guild_id: guild.id }
			: (findThread(fake, channelId) ?? fake.dmChannelById(channelId));
	if (!channel) return [404, { message: 'Unknown Channel', code: 10003 }];
	if (!messages && method === 'GET') return [200, channel];
	if (messageId) {
		const found = fake.messages.get(messageId);
		if (method !== 'GET') return null;
		return found && found.channel_id === channelId ? [200, found] : [404, { message: 'Unknown Message', code: 10008 }];
	}
	if (messages && method === 'POST') {
		if (fake.forbidden.has(channelId)) return MISSING_PERMISSIONS;
		const data = asBody(body);
		const msg = makeMessage(fake, channelId, data, data.nonce !== undefined ? { nonce: data.nonce } : {});
		fake.emit('channelMessage', msg);
		return [200, msg];
	}
	if (messages && method === 'GET') {
		// Newest first, as Discord answers; `after` (the oldest after it), `before` and `limit` when asked.
		let found = [...fake.messages.values()].filter((m) => m.channel_id === channelId);
		const [after, before, limit] = [query.get('after'), query.get('before'), Number(query.get('limit') ?? 0)];
		if (after) found = found.filter((m) => BigInt(m.id) > BigInt(after));
		if (before) found = found.filter((m) => BigInt(m.id) < BigInt(before));
		if (limit > 0) found = after ? found.slice(0, limit) : found.slice(-limit);
		return [200, found.reverse()];
	}
	return null;
}
