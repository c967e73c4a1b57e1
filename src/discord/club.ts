import {
	ChannelType,
	type Client,
	DiscordAPIError,
	type NewsChannel,
	PermissionFlagsBits,
	type TextChannel,
	ThreadAutoArchiveDuration,
	type ThreadChannel,
} from 'discord.js';
import type { ArchiveStore, StoryRecord } from '../archive/store.js';
import type { Chapter } from '../archive/types.js';
import type { Club, ClubPart, ClubPosting } from '../state.js';
import { channelIsNsfw } from './channel.js';
import { dueSlot, laterSlot, nextSlot } from './club-schedule.js';
import type { Context, LiveHandle } from './context.js';
import { gateNotice, textAllowed } from './gate.js';
import { partEnd } from './render/club.js';
import { escapeText } from './render/escape.js';
import { type MessagePayload, message } from './render/message.js';
import { readerPage } from './render/page.js';
import { Rounds } from './rounds.js';
import { chapterPart, threadName } from './threads.js';

/** The most pages one installment posts as messages; the rest of a longer chapter is read on with Next ›. */
export const PAGES_POSTED = 12;
/** An installment a story in one chapter is split into when a club goes by chapter. */
export const PAGES_WITHOUT_CHAPTERS = 5;
/** How much earlier than the bot's clock Discord's may date a thread the bot has just opened. */
const CLOCK_SLACK_MS = 60_000;

/** One installment to post: its pages (first to last) and the chapter it is, when it is one. */
export interface Installment {
	first: number;
	last: number;
	chapter: Chapter | null;
}

/** The installment that starts at `first`: the rest of its chapter, or `per` pages (fewer at the end). */
export function installmentAt(store: ArchiveStore, story: StoryRecord, first: number, per: Club['per']): Installment {
	if (per === 'chapter' && story.chapterCount > 1) {
		const chapter = [...store.chapters(story.id)].reverse().find((c) => c.firstPage <= first);
		if (chapter) return { first, last: chapter.firstPage + chapter.pageCount - 1, chapter };
	}
	const count = per === 'chapter' ? PAGES_WITHOUT_CHAPTERS : per;
	return { first, last: Math.min(first + count - 1, story.pageCount), chapter: null };
}

/** The name of an installment's thread: the story and its chapter, or its part number. */
export const partName = (story: StoryRecord, installment: Installment, n: number) =>
	threadName(story.title, installment.chapter ? chapterPart(installment.chapter) : `Part ${n}`);

/** How many installments a club of `per` makes of a story from page `from` on. */
export function installmentsFrom(store: ArchiveStore, story: StoryRecord, from: number, per: Club['per']): number {
	let count = 0;
	for (let page = from; page <= story.pageCount; count++) page = installmentAt(store, story, page, per).last + 1;
	return count;
}

/** When a club's next installment is due (null when it is finished or paused). */
export function nextPost(club: Club): Date | null {
	return club.status === 'active' ? nextSlot(club.schedule, club.lastSlot).at : null;
}

/**
 * What the bot needs in a club's channel: see it, open public threads there, post pages (embeds) in them, and
 * read them back.
 */
export const CLUB_PERMISSIONS = [
	[PermissionFlagsBits.ViewChannel, 'View Channel'],
	[PermissionFlagsBits.CreatePublicThreads, 'Create Public Threads'],
	[PermissionFlagsBits.SendMessagesInThreads, 'Send Messages in Threads'],
	[PermissionFlagsBits.EmbedLinks, 'Embed Links'],
	// To read what a post that stopped halfway left in its thread (without it Discord answers no messages).
	[PermissionFlagsBits.ReadMessageHistory, 'Read Message History'],
] as const;

/** "A, B and C". */
const inWords = (names: readonly string[]) =>
	names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : (names[0] ?? '');

/** What Discord's refusal means for a club, as a clause: "I lack permission to …". */
function refusal(error: unknown, channelId: string): string {
	if (error instanceof DiscordAPIError && (error.code === 50013 || error.code === 50001)) {
		return `I lack permission to open threads or post in <#${channelId}> (I need ${inWords(CLUB_PERMISSIONS.map(([, name]) => name))} there)`;
	}
	if (error instanceof DiscordAPIError && error.code === 10003) return `<#${channelId}> no longer exists`;
	return `Discord would not take the post in <#${channelId}> (${error instanceof Error ? error.message : String(error)})`;
}

/**
 * Serial reading clubs: once a minute, for each server this process (shard) holds, each active club whose
 * slot has come posts its next installment in a new public thread under its channel: the installment's
 * pages, then a line with "Caught up" and when the next part comes. The slot is claimed in the state store
 * first (one atomic operation there, as the quote of the day's day), so a restart or another process never
 * posts a slot twice; the installment is the club's `nextPage`, moved on only after a post, so none is
 * skipped (slots missed while the bot was down post the next installment once, late). The installment being
 * posted, then its thread, is written to the club before any page is, so one cut off halfway (the process
 * died, the store failed) is finished in its thread at the next slot rather than posted again. A channel the
 * bot cannot post in, or whose rating gate no longer allows the story, pauses the club (it is not retried)
 * and the member who started it is told in a DM (and `/club status` says why).
 */
export class ReadingClubs extends Rounds {
	constructor(
		private readonly client: Client,
		private readonly ctx: Omit<Context, 'commands'>,
		private readonly archive?: LiveHandle,
	) {
		super('reading clubs', ctx.log);
	}

	/** One round: returns the installments it posted, as `<channel id>#<part>`. */
	async tick(now = new Date()): Promise<string[]> {
		const posted: string[] = [];
		for (const guild of this.client.guilds.cache.values()) {
			let clubs: Club[];
			try {
				clubs = await this.ctx.state.clubs(guild.id);
			} catch (error) {
				this.ctx.log.warn('reading clubs skipped', { guild: guild.id, error });
				continue;
			}
			for (const club of clubs) {
				if (club.status !== 'active') continue;
				try {
					const part = await this.postDue(club, now);
					if (part) posted.push(`${club.channelId}#${part.n}`);
				} catch (error) {
					this.ctx.log.warn('reading club skipped', { guild: guild.id, channel: club.channelId, error });
				}
			}
		}
		return posted;
	}

	private async postDue(club: Club, now: Date): Promise<ClubPart | null> {
		const { state } = this.ctx;
		const { store } = this.archive?.current ?? this.ctx;
		const slot = dueSlot(club.schedule, now);
		if (slot <= club.lastSlot) return null;
		const story = store.story(club.storyId);
		if (!story) return this.pause(club, `“${escapeText(club.title)}” is no longer in the archive`);
		if (club.nextPage > story.pageCount) {
			await this.update(club, (c) => ({ ...c, status: 'done' }));
			return null;
		}
		const channel = await this.client.channels.fetch(club.channelId).catch(() => null);
		if (!channel || (channel.type !== ChannelType.GuildText && channel.type !== ChannelType.GuildAnnouncement)) {
			return this.pause(club, `I cannot see <#${club.channelId}>, or it cannot hold threads`);
		}
		const settings = await state.settings(club.guildId);
		const gate = { nsfw: channelIsNsfw(channel), maxRating: settings.maxRating };
		if (!textAllowed(story.rating, gate)) {
			return this.pause(club, gateNotice(story.rating, gate, `“${escapeText(story.title)}”`));
		}
		// Claimed before posting, atomically in the shared store: of two processes only one posts this slot, and
		// a post that fails is paused, never posted twice.
		if (!(await state.claimClubSlot(club.guildId, club.channelId, club.startedAt, slot))) return null;
		let current = club;
		let reuse: ThreadChannel | null = null;
		const left = club.posting;
		if (left) {
			// An earlier post was left unrecorded. Its thread, if it has pages, was that slot's part: finish it and
			// record it, then post this slot's. A thread with no page yet (or none) is this slot's part.
			const thread = await this.leftThread(channel, club, story, left);
			const already = thread ? await this.postedIn(thread) : 0;
			if (thread && already > 0) {
				const installment = installmentAt(store, story, left.first, club.per);
				try {
					await this.fill(thread, club, story, installment, left.n, left.slot, already);
				} catch (error) {
					return this.pause(club, refusal(error, club.channelId), slot);
				}
				const recorded = await this.record(
					club,
					story,
					{ n: left.n, first: left.first, last: left.last, threadId: thread.id },
					left.slot,
				);
				if (!recorded) return null;
				this.ctx.log.info('reading club finished a part left unrecorded', {
					guild: club.guildId,
					channel: club.channelId,
					part: left.n,
				});
				current = recorded;
				if (current.status !== 'active' || current.nextPage > story.pageCount) return null;
			} else {
				reuse = thread;
			}
		}
		const installment = installmentAt(store, story, current.nextPage, current.per);
		const n = current.parts.length + 1;
		const posting: ClubPosting = { n, first: installment.first, last: installment.last, slot, at: Date.now() };
		// Written before anything is posted, and again with the thread's id before any page is: a later slot finds
		// what a post that stopped halfway left, and finishes it instead of posting the part again.
		if (!(await this.update(current, (c) => ({ ...c, posting: { ...posting, threadId: reuse?.id } })))) return null;
		let thread = reuse;
		if (!thread) {
			try {
				thread = await this.open(channel, story, installment, n);
			} catch (error) {
				// The slot is spent (claimed): after a resume the next part comes at the next slot.
				return this.pause(current, refusal(error, club.channelId), slot);
			}
			const opened = thread.id;
			if (!(await this.update(current, (c) => ({ ...c, posting: { ...posting, threadId: opened } })))) return null;
		}
		try {
			await this.fill(thread, current, story, installment, n, slot, 0);
		} catch (error) {
			// Paused with the part still `posting`: after a resume, the next slot finishes it in its thread.
			return this.pause(current, refusal(error, club.channelId), slot);
		}
		const part: ClubPart = { n, first: installment.first, last: installment.last, threadId: thread.id };
		await this.record(current, story, part, slot);
		this.ctx.log.info('reading club posted', { guild: club.guildId, channel: club.channelId, part: n });
		return part;
	}

	/** Records a posted part: the club moves on past it (and is done after the last). */
	private record(club: Club, story: StoryRecord, part: ClubPart, slot: string): Promise<Club | undefined> {
		return this.update(club, (c) => ({
			...c,
			nextPage: part.last + 1,
			lastSlot: laterSlot(slot, c.lastSlot),
			parts: [...c.parts, part],
			posting: undefined,
			status: part.last >= story.pageCount ? 'done' : c.status,
		}));
	}

	/**
	 * The thread of a part left unrecorded: by its id, or, when the post stopped before the id was written,
	 * among the channel's active threads (one request) the one the bot opened for it after the post began.
	 */
	private async leftThread(
		channel: TextChannel | NewsChannel,
		club: Club,
		story: StoryRecord,
		left: ClubPosting,
	): Promise<ThreadChannel | null> {
		if (left.threadId) {
			// Only a thread Discord says is gone is given up (its part is posted again): any other failure is thrown.
			const thread = await this.client.channels.fetch(left.threadId).catch((error: unknown) => {
				if (error instanceof DiscordAPIError && error.code === 10003) return null;
				throw error;
			});
			return thread?.isThread() && thread.parentId === channel.id ? thread : null;
		}
		const { store } = this.archive?.current ?? this.ctx;
		const name = partName(story, installmentAt(store, story, left.first, club.per), left.n);
		const active = await channel.threads.fetchActive(false).catch(() => null);
		// The newest of the name (ids grow with time), should a club stopped and started again moments before
		// have opened one too.
		const found = active?.threads
			.filter(
				(t) =>
					t.parentId === channel.id &&
					t.ownerId === this.client.user?.id &&
					t.name === name &&
					(t.createdTimestamp ?? 0) >= left.at - CLOCK_SLACK_MS,
			)
			.sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1))
			.first();
		return found ?? null;
	}

	/** How many of a part's messages (pages, then the closing line) the bot has posted in its thread. */
	private async postedIn(thread: ThreadChannel): Promise<number> {
		// The thread's first messages, where the bot posted the part right after opening it (members talk after).
		const messages = await thread.messages.fetch({ after: thread.id, limit: PAGES_POSTED + 1 });
		const self = this.client.user?.id;
		// Its own posts, not answers to commands run in the thread (those come through the interaction's webhook).
		return messages.filter((m) => m.author.id === self && !m.webhookId).size;
	}

	/** Opens an installment's thread under the club's channel. */
	private async open(
		channel: TextChannel | NewsChannel,
		story: StoryRecord,
		installment: Installment,
		n: number,
	): Promise<ThreadChannel> {
		const options = { name: partName(story, installment, n), autoArchiveDuration: ThreadAutoArchiveDuration.OneWeek };
		// An announcement channel's threads are announcement threads; a text channel's are asked to be public.
		return channel.type === ChannelType.GuildText
			? channel.threads.create({ ...options, type: ChannelType.PublicThread })
			: channel.threads.create(options);
	}

	/** Posts an installment's pages and its closing line in its thread, after the first `already` of them. */
	private async fill(
		thread: ThreadChannel,
		club: Club,
		story: StoryRecord,
		installment: Installment,
		n: number,
		slot: string,
		already: number,
	): Promise<void> {
		const { store } = this.archive?.current ?? this.ctx;
		// Nobody owns these readers: every click opens a copy of one's own, to read on from there.
		const owner = this.client.user?.id ?? '0';
		const chapters = story.chapterCount > 1 ? store.chapters(story.id) : [];
		const last = Math.min(installment.last, installment.first + PAGES_POSTED - 1);
		const posts: (() => MessagePayload)[] = [];
		for (let page = installment.first; page <= last; page++) {
			const stored = store.page(story.id, page);
			if (!stored) continue;
			posts.push(() => readerPage(story, stored, owner, { quotable: store.hasQuotesOnPage(story.id, page), chapters }));
		}
		const part = { n, first: installment.first, last: installment.last, threadId: thread.id };
		const next = installment.last >= story.pageCount ? null : nextSlot(club.schedule, slot).at;
		posts.push(() => partEnd(club, story, part, next, installment.last - last));
		for (const post of posts.slice(already)) await thread.send(post());
	}

	/**
	 * Changes the club as it is stored now, if it is still `club`: one stopped while its part was posted, and
	 * perhaps started afresh in the channel, is not given the old one's part, slot or pause.
	 */
	private async update(club: Club, change: (stored: Club) => Club): Promise<Club | undefined> {
		let changed = false;
		const stored = await this.ctx.state.updateClub(club.guildId, club.channelId, (c) => {
			if (c.startedAt !== club.startedAt) return c;
			changed = true;
			return change(c);
		});
		return changed ? stored : undefined;
	}

	/**
	 * Pauses a club the bot cannot carry on, and tells whoever started it (by DM; `/club status` says it too);
	 * nothing when the club has been stopped meanwhile.
	 */
	private async pause(club: Club, because: string, spent?: string): Promise<null> {
		const paused = await this.update(club, (c) => ({
			...c,
			status: 'paused',
			pausedBecause: because,
			lastSlot: spent ? laterSlot(spent, c.lastSlot) : c.lastSlot,
		}));
		if (!paused) return null;
		this.ctx.log.warn('reading club paused', { guild: club.guildId, channel: club.channelId, because });
		const server = this.client.guilds.cache.get(club.guildId)?.name;
		const text = `The reading club for “${escapeText(club.title)}” in <#${club.channelId}>${server ? ` (${escapeText(server)})` : ''} is paused: ${because}. Once that is put right, \`/club resume\` in that channel carries on from where it stopped.`;
		await this.client.users.send(club.startedBy, message({ content: text })).catch((error: unknown) => {
			this.ctx.log.warn('could not tell the club’s starter it is paused', { user: club.startedBy, error });
		});
		return null;
	}
}
