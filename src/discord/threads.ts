import {
	type BaseInteraction,
	ChannelType,
	type ChatInputCommandInteraction,
	DiscordAPIError,
	type InteractionReplyOptions,
	type Message,
	PermissionFlagsBits,
	type PermissionsBitField,
	ThreadAutoArchiveDuration,
} from 'discord.js';
import type { StoryRecord } from '../archive/store.js';
import type { Chapter } from '../archive/types.js';
import type { ComponentInteraction, Context } from './context.js';
import { EPHEMERAL } from './errors.js';
import { escapeText, plainText } from './render/escape.js';
import { truncate } from './render/limits.js';
import { type MessagePayload, message } from './render/message.js';

/** Discord's limit on a thread's name. */
export const THREAD_NAME_MAX = 100;

/** What the bot needs in a channel to read there in a thread: open one, and post in it. */
export const THREAD_PERMISSIONS: readonly (readonly [bigint, string])[] = [
	[PermissionFlagsBits.CreatePublicThreads, 'Create Public Threads'],
	[PermissionFlagsBits.SendMessagesInThreads, 'Send Messages in Threads'],
];

/**
 * A thread's name: the story's title, and the part's when there is one ("The Long Night · 2. The Crypt",
 * "Leaving · Part 3"), at most 100 characters: a long title is cut to leave room for the part, but to no fewer
 * than 60; what still does not fit is cut from the part.
 */
export function threadName(title: string, part?: string | null): string {
	const name = plainText(title).trim() || 'Untitled';
	if (!part) return truncate(name, THREAD_NAME_MAX);
	const suffix = ` · ${plainText(part).trim()}`;
	if (name.length + suffix.length <= THREAD_NAME_MAX) return name + suffix;
	const kept = truncate(name, Math.max(60, THREAD_NAME_MAX - suffix.length));
	return truncate(kept + suffix, THREAD_NAME_MAX);
}

/** A chapter as a thread names it: "2. The Crypt", or "Chapter 2" when it has no title. */
export const chapterPart = (chapter: Pick<Chapter, 'number' | 'title'>) =>
	chapter.title ? `${chapter.number}. ${chapter.title}` : `Chapter ${chapter.number}`;

/** The names of the permissions in `needed` that `held` lacks (none when Discord did not say what it holds). */
export function missingPermissions(
	held: Readonly<PermissionsBitField> | null | undefined,
	needed: readonly (readonly [bigint, string])[],
): string[] {
	if (!held) return [];
	return needed.filter(([flag]) => !held.has(flag)).map(([, name]) => name);
}

/** “the Create Public Threads permission”, “the A and B permissions”. */
export const permissionList = (names: string[]) =>
	`the ${names.join(' and ')} permission${names.length === 1 ? '' : 's'}`;

/**
 * Why a reading thread cannot be opened where the interaction happened, as a clause for “…, so I am reading
 * here instead”; null when it can. Threads open under a server's text or announcement channel, not in a DM,
 * not inside a thread, and only with the permissions THREAD_PERMISSIONS names.
 */
export function threadBlocker(interaction: BaseInteraction): string | null {
	if (!interaction.inGuild()) return 'there are no threads in a DM';
	const channel = interaction.channel;
	if (channel?.isThread()) return 'this is a thread already';
	if (
		!channel ||
		(channel.type !== ChannelType.GuildText && channel.type !== ChannelType.GuildAnnouncement) ||
		!('threads' in channel)
	) {
		return 'threads cannot be opened in this channel';
	}
	const missing = missingPermissions(interaction.appPermissions, THREAD_PERMISSIONS);
	return missing.length ? `I lack ${permissionList(missing)} in this channel` : null;
}

/** Why a thread could not be opened or posted in after all (Discord refused), for the same sentence. */
function refusal(error: unknown): string {
	if (error instanceof DiscordAPIError && error.code === 50013) {
		return `Discord refused: I lack ${permissionList(THREAD_PERMISSIONS.map(([, name]) => name))} here`;
	}
	return 'Discord would not open one just now';
}

/** The short line the channel keeps when a reading moves into a thread below it. */
export const threadStarter = (userId: string, story: StoryRecord, chapter: Chapter | null) =>
	`📖 <@${userId}> is reading **${escapeText(story.title)}**${chapter && story.chapterCount > 1 ? ` (chapter ${chapter.number})` : ''} in the thread below. Join in there.`;

/**
 * Opens a public thread for a reading and posts `reader` in it: the channel keeps one short line (the
 * interaction's answer, which the thread starts from, so the thread's first message says whose reading it
 * is), and the pages are turned in the thread. Where no thread can be opened (see `threadBlocker`), or Discord
 * refuses one, the reader is posted in the channel instead and the reader is told why, privately.
 */
export async function readInThread(
	interaction: ChatInputCommandInteraction | ComponentInteraction,
	ctx: Pick<Context, 'log' | 'store'>,
	story: StoryRecord,
	page: number,
	reader: MessagePayload,
): Promise<void> {
	const blocked = threadBlocker(interaction);
	const instead = (why: string): InteractionReplyOptions => ({
		...message({ content: `No thread: ${why}, so I am reading here instead.` }),
		flags: EPHEMERAL,
	});
	if (blocked) {
		await interaction.reply(reader);
		await interaction.followUp(instead(blocked));
		return;
	}
	const chapter = chapterAt(ctx, story, page);
	const response = await interaction.reply({
		...message({ content: threadStarter(interaction.user.id, story, chapter) }),
		withResponse: true,
	});
	const starter: Message | null | undefined = response.resource?.message;
	try {
		if (!starter) throw new Error('Discord did not return the message the thread starts from');
		const thread = await starter.startThread({
			name: threadName(story.title, story.chapterCount > 1 && chapter ? chapterPart(chapter) : null),
			autoArchiveDuration: ThreadAutoArchiveDuration.OneDay,
		});
		await thread.send(reader);
		rememberThread(thread.id, interaction.user.id);
	} catch (error) {
		ctx.log.warn('could not read in a thread; reading in the channel', { story: story.id, error });
		// The answer already posted becomes the reader: it is the person's own, so they turn its pages.
		await interaction.editReply({ ...reader, content: reader.content ?? '' });
		await interaction.followUp(instead(refusal(error)));
	}
}

/** The chapter a page is in (null for a story in one chapter). */
function chapterAt(ctx: Pick<Context, 'store'>, story: StoryRecord, page: number): Chapter | null {
	if (story.chapterCount <= 1) return null;
	return [...ctx.store.chapters(story.id)].reverse().find((c) => c.firstPage <= page) ?? null;
}

/** Reading threads whose owner is known (thread id → the reader), newest last; a restart asks Discord again. */
const threadOwners = new Map<string, string | null>();
const OWNERS_KEPT = 5000;

function rememberThread(threadId: string, owner: string | null): void {
	threadOwners.delete(threadId);
	threadOwners.set(threadId, owner);
	if (threadOwners.size > OWNERS_KEPT) threadOwners.delete(threadOwners.keys().next().value as string);
}

/**
 * Who opened the reading thread a reader the bot posted there belongs to: the message is the bot's own post with
 * no interaction behind it, in a thread that starts from the answer to someone's /read (Discord's interaction
 * metadata on that message, which a custom_id cannot forge). Null for any other message, or when Discord does not
 * answer now (asked again on the next click). Asks Discord for the thread's first message once per thread.
 */
export async function threadReaderOwner(interaction: ComponentInteraction): Promise<string | null> {
	const channel = interaction.channel;
	const msg = interaction.message;
	const bot = interaction.client?.user?.id;
	if (!channel?.isThread() || !msg || !bot) return null;
	if (msg.author.id !== bot || msg.interactionMetadata || msg.interaction) return null;
	let starterOwner = threadOwners.get(channel.id);
	if (starterOwner === undefined) {
		const starter = await channel.fetchStarterMessage().catch(() => undefined);
		if (starter === undefined) return null;
		starterOwner = starter && starter.author.id === bot ? (starter.interactionMetadata?.user.id ?? null) : null;
		rememberThread(channel.id, starterOwner);
	}
	return starterOwner;
}
