/** Message bodies as Discord receives them, and the checks Discord makes before it posts a message or a modal. */
import {
	type APIActionRowComponent,
	type APIComponentInMessageActionRow,
	type APIEmbed,
	type APIModalInteractionResponseCallbackData,
	ComponentType,
	MessageFlags,
	MessageFlagsBitField,
} from 'discord.js';
import { embedLength, LIMITS } from '../discord/render/limits.js';

/** A message body as Discord receives it (snake_case, flags as a number). */
export interface WireMessage {
	content?: string;
	embeds?: APIEmbed[];
	components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
	flags?: number;
	allowed_mentions?: { parse?: string[]; users?: string[]; roles?: string[]; replied_user?: boolean };
	/** Uploaded files (discord.js's `files`: bytes, name, alt text), sent as multipart by discord.js. */
	files?: LocalFile[];
}

/** A file sent with a message. */
export interface LocalFile {
	name: string;
	description?: string;
	data: Buffer;
}

/** A file the local channel received, saved to disk so it can be looked at. */
export interface LocalAttachment {
	name: string;
	description?: string;
	/** Where the console saved it. */
	path: string;
	size: number;
	/** A PNG's size in pixels. */
	width?: number;
	height?: number;
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
	attachments?: LocalAttachment[];
}

/** An error the Discord API would answer with (400 and friends). */
export class LocalApiError extends Error {
	override name = 'LocalApiError';
}

/** What a builder or a plain object is sent as: its toJSON() if it has one. */
export const toJSON = <T>(value: unknown): T =>
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
	if (Array.isArray(o.files)) body.files = o.files.map(resolveFile);
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

/** A discord.js file (`{ attachment, name, description }` or an AttachmentBuilder) with its bytes. */
function resolveFile(file: unknown): LocalFile {
	const f = (file ?? {}) as { attachment?: unknown; name?: unknown; description?: unknown };
	if (!Buffer.isBuffer(f.attachment)) throw new LocalApiError('Invalid Form Body: the console takes files as Buffers');
	return {
		name: typeof f.name === 'string' ? f.name : 'file',
		...(typeof f.description === 'string' ? { description: f.description } : {}),
		data: f.attachment,
	};
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
	for (const f of body.files ?? []) {
		if ((f.description?.length ?? 0) > 1024) problems.push(`alt text of ${f.name} over 1024 characters`);
	}
	if (isNew && !body.content && !body.embeds?.length && !rows.length && !body.files?.length) {
		problems.push('an empty message');
	}
	if (problems.length) throw new LocalApiError(`Invalid Form Body: ${problems.join('; ')}`);
}

/** The buttons and select menus of a message, in order. */
export const componentsOf = (m: Pick<LocalMessage, 'components'>) => m.components.flatMap((row) => row.components);

/** What Discord refuses in a modal before it shows one: its custom_id, title and number of components. */
export function checkModal(data: APIModalInteractionResponseCallbackData) {
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
