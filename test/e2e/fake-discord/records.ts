// An interaction sent to the bot and everything it answers, recorded per interaction: the first callback (and
// the 3 s window for it), edits of @original, follow-ups and deletions through the interaction's webhook.
import { EventEmitter } from 'node:events';
import type { FakeDiscord } from '../fake-discord.js';
import { dispatch } from './gateway.js';
import { DM_ROUTE } from './ids.js';
import { applyEdit, makeMessage } from './messages.js';
import type { RouteResult } from './rest.js';
import {
	asBody,
	type CallbackData,
	type FakeInteraction,
	type FakeMessage,
	isRecord,
	type MessageBody,
	type UploadedFile,
} from './wire.js';

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

/** An interaction waiting for its first callback. */
export interface Pending {
	resolve: (result: InteractionResult) => void;
	timer: NodeJS.Timeout;
}

/**
 * Dispatch INTERACTION_CREATE (to the shard owning the guild; DMs to shard 0) and resolve with the
 * bot's first callback. Rejects when the bot does not answer within `callbackTimeout`.
 */
export function sendInteraction(fake: FakeDiscord, payload: FakeInteraction): Promise<InteractionResult> {
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
	fake.interactions.set(payload.id, rec);
	const p = new Promise<InteractionResult>((resolve, reject) => {
		const timer = setTimeout(() => {
			rec.expired = true;
			fake.pending.delete(payload.id);
			reject(new Error(`bot did not answer interaction ${payload.id} within ${fake.callbackTimeout}ms`));
		}, fake.callbackTimeout);
		fake.pending.set(payload.id, { resolve, timer });
	});
	try {
		dispatch(fake, 'INTERACTION_CREATE', payload, payload.guild_id ?? DM_ROUTE);
	} catch (err) {
		const pending = fake.pending.get(payload.id);
		if (pending) clearTimeout(pending.timer);
		fake.pending.delete(payload.id);
		p.catch(() => {});
		return Promise.reject(err);
	}
	return p;
}

/** The bot's callback (POST /interactions/:id/:token/callback): the first answers, a second or a late one fails. */
export function onCallback(
	fake: FakeDiscord,
	rec: InteractionRecord | null,
	body: unknown,
	query: URLSearchParams,
): RouteResult {
	if (!rec || rec.expired) return [404, { message: 'Unknown interaction', code: 10062 }];
	if (rec.callback) return [400, { message: 'Interaction has already been acknowledged.', code: 40060 }];
	const b = asBody(body);
	const type = typeof b.type === 'number' ? b.type : 0;
	const data: CallbackData = isRecord(b.data) ? (b.data as CallbackData) : {};
	// A multipart callback's files come beside payload_json's `data`: they belong to the message it makes.
	if (Array.isArray(b._files) && b._files.length) data._files = b._files as UploadedFile[];
	const p = rec.payload;
	let message: FakeMessage | null = null;
	if (type === 4 || type === 5) {
		// reply / deferred reply ("thinking...", flag 128 until the first edit)
		message = makeMessage(fake, p.channel_id, type === 5 ? { flags: (data.flags ?? 0) | 128 } : data, {
			webhook_id: fake.applicationId,
			application_id: fake.applicationId,
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
		const original = fake.messages.get(rec.originalId) ?? makeMessage(fake, p.channel_id, {}, { id: rec.originalId });
		message = applyEdit(original, data);
	} else if (type === 6 && rec.originalId) {
		// deferred update: nothing changes yet; a later PATCH @original edits the component's message
		message = fake.messages.get(rec.originalId) ?? null;
	}
	// 8 (autocomplete result) and 9 (modal) create no message
	rec.callback = { type, data, message };
	const pending = fake.pending.get(rec.id);
	fake.pending.delete(rec.id);
	if (pending) clearTimeout(pending.timer);
	rec.latencyNs = process.hrtime.bigint() - rec.sentAt;
	fake.emit('callback', rec);
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

/** The interaction's webhook: follow-ups, and GET, PATCH or DELETE of @original or of a follow-up. */
export function webhookRoute(
	fake: FakeDiscord,
	method: string,
	body: unknown,
	webhookId: string,
	token: string,
	messageRef: string | undefined,
): RouteResult | null {
	const rec = [...fake.interactions.values()].find((r) => r.token === token);
	if (!rec || webhookId !== fake.applicationId) return [404, { message: 'Unknown Webhook', code: 10015 }];
	if (!messageRef) {
		if (method !== 'POST') return null;
		// follow-up
		const msg = makeMessage(fake, rec.payload.channel_id, asBody(body), {
			webhook_id: webhookId,
			application_id: webhookId,
		});
		if (!rec.originalId) rec.originalId = msg.id; // a follow-up as the first message becomes @original
		rec.followups.push(msg);
		rec.events.emit('followup', msg);
		return [200, msg];
	}
	const id = messageRef === '@original' ? rec.originalId : messageRef;
	const msg = id ? fake.messages.get(id) : undefined;
	if (!id || !msg) return [404, { message: 'Unknown Message', code: 10008 }];
	if (method === 'GET') return [200, msg];
	if (method === 'PATCH') {
		const data = asBody(body);
		msg.flags &= ~128; // a deferred "thinking..." message stops loading once edited
		applyEdit(msg, data);
		rec.edits.push({ id, data });
		rec.events.emit('edit', msg);
		return [200, msg];
	}
	if (method === 'DELETE') {
		fake.messages.delete(id);
		rec.deleted.push(id);
		rec.events.emit('delete', id);
		return [204, null];
	}
	return null;
}
