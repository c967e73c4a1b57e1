// Messages the bot posts or edits, as the fake stores them: attachments from multipart uploads, edit times.
import type { FakeDiscord } from '../fake-discord.js';
import { snowflake } from './ids.js';
import type { FakeMessage, MessageBody } from './wire.js';

/** A message from the bot in a channel, stored; `extra` sets any other field (webhook, interaction metadata). */
export function makeMessage(
	fake: FakeDiscord,
	channelId: string,
	data: MessageBody = {},
	extra: Partial<FakeMessage> = {},
): FakeMessage {
	const guild = fake.guildOf(channelId);
	const msg: FakeMessage = {
		id: snowflake(),
		channel_id: channelId,
		...(guild ? { guild_id: guild.id } : {}),
		author: fake.botUser,
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
	applyEdit(msg, data, false);
	fake.messages.set(msg.id, msg);
	return msg;
}

/** The body's fields set on the message (uploads become attachments); `edited` stamps the edit time. */
export function applyEdit(msg: FakeMessage, data: MessageBody = {}, edited = true): FakeMessage {
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
			...(f.contentType ? { content_type: f.contentType } : {}),
			...pngSize(f.data),
			url: `https://cdn.invalid/${f.filename}`,
			proxy_url: `https://cdn.invalid/${f.filename}`,
			...(data.attachments?.[i] ?? {}),
		}));
	}
	if (edited) msg.edited_timestamp = new Date().toISOString();
	return msg;
}

/** A PNG's width and height from its IHDR chunk, as Discord reports them for an image; {} for anything else. */
export function pngSize(data: Buffer | undefined): { width?: number; height?: number } {
	if (
		!data ||
		data.length < 24 ||
		data.toString('latin1', 1, 4) !== 'PNG' ||
		data.toString('latin1', 12, 16) !== 'IHDR'
	) {
		return {};
	}
	return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}
