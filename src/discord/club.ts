import {
	ChannelType,
	type Client,
	DiscordAPIError,
	type NewsChannel,
	type TextChannel,
	ThreadAutoArchiveDuration,
} from 'discord.js';
import type { ArchiveStore, StoryRecord } from '../archive/store.js';
import type { Chapter } from '../archive/types.js';
import type { Club, ClubPart } from '../state.js';
import { channelIsNsfw } from './channel.js';
import { dueSlot, laterSlot, nextSlot } from './club-schedule.js';
import type { Context, LiveHandle } from './context.js';
import { gateNotice, textAllowed } from './gate.js';
import { partEnd } from './render/club.js';
import { escapeText } from './render/escape.js';
import { message } from './render/message.js';
import { readerPage } from './render/page.js';
import { chapterPart, threadName } from './threads.js';

/** The most pages one installment posts as messages; the rest of a longer chapter is read on with Next ›. */
export const PAGES_POSTED = 12;
/** An installment a story in one chapter is split into when a club goes by chapter. */
export const PAGES_WITHOUT_CHAPTERS = 5;

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

/** What Discord's refusal means for a club, as a clause: "I lack permission to …". */
function refusal(error: unknown, channelId: string): string {
	if (error instanceof DiscordAPIError && (error.code === 50013 || error.code === 50001)) {
		return `I lack permission to open threads or post in <#${channelId}> (I need View Channel, Send Messages, Create Public Threads and Send Messages in Threads there)`;
	}
	if (error instanceof DiscordAPIError && error.code === 10003) return `<#${channelId}> no longer exists`;
	return `Discord would not take the post in <#${channelId}> (${error instanceof Error ? error.message : String(error)})`;
}

/**
 * Serial reading clubs: once a minute, for each server this process (shard) holds, each active club whose
 * slot has come posts its next installment in a new public thread under its channel: the installment's
 * pages, then a line with "Caught up" and when the next part comes. The slot is claimed in the state store
 * first (one atomic operation there, as the quote of the day's day), so a restart or another process never
 * posts an installment twice; the installment is the club's `nextPage`, moved on only after a post, so none is
 * skipped (slots missed while the bot was down post the next installment once, late). A channel the bot
 * cannot post in, or whose rating gate no longer allows the story, pauses the club (it is not retried) and
 * the member who started it is told in a DM (and `/club status` says why).
 */
export class ReadingClubs {
	private timer: NodeJS.Timeout | undefined;

	constructor(
		private readonly client: Client,
		private readonly ctx: Omit<Context, 'commands'>,
		private readonly archive?: LiveHandle,
	) {}

	start(intervalMs = 60_000): this {
		this.timer = setInterval(() => {
			this.tick().catch((error: unknown) => this.ctx.log.error('reading clubs failed', { error }));
		}, intervalMs);
		this.timer.unref();
		return this;
	}

	stop(): void {
		clearInterval(this.timer);
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
			await state.updateClub(club.guildId, club.channelId, (c) => ({ ...c, status: 'done' }));
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
		const installment = installmentAt(store, story, club.nextPage, club.per);
		const n = club.parts.length + 1;
		let threadId: string;
		try {
			threadId = await this.post(channel, club, story, installment, n, slot);
		} catch (error) {
			// The slot is spent (claimed): after a resume the next part comes at the next slot.
			return this.pause(club, refusal(error, club.channelId), slot);
		}
		const part: ClubPart = { n, first: installment.first, last: installment.last, threadId };
		const done = installment.last >= story.pageCount;
		await state.updateClub(club.guildId, club.channelId, (c) => ({
			...c,
			nextPage: installment.last + 1,
			lastSlot: slot,
			parts: [...c.parts, part],
			status: done ? 'done' : c.status,
		}));
		this.ctx.log.info('reading club posted', { guild: club.guildId, channel: club.channelId, part: n });
		return part;
	}

	/** Opens the installment's thread and posts its pages and its closing line; returns the thread's id. */
	private async post(
		channel: TextChannel | NewsChannel,
		club: Club,
		story: StoryRecord,
		installment: Installment,
		n: number,
		slot: string,
	): Promise<string> {
		const { store } = this.archive?.current ?? this.ctx;
		const options = {
			name: threadName(story.title, installment.chapter ? chapterPart(installment.chapter) : `Part ${n}`),
			autoArchiveDuration: ThreadAutoArchiveDuration.OneWeek,
		};
		// An announcement channel's threads are announcement threads; a text channel's are asked to be public.
		const thread =
			channel.type === ChannelType.GuildText
				? await channel.threads.create({ ...options, type: ChannelType.PublicThread })
				: await channel.threads.create(options);
		// Nobody owns these readers: every click opens a copy of one's own, to read on from there.
		const owner = this.client.user?.id ?? '0';
		const quotable = (page: number) => store.hasQuotesOnPage(story.id, page);
		const chapters = story.chapterCount > 1 ? store.chapters(story.id) : [];
		const last = Math.min(installment.last, installment.first + PAGES_POSTED - 1);
		for (let page = installment.first; page <= last; page++) {
			const stored = store.page(story.id, page);
			if (!stored) continue;
			await thread.send(readerPage(story, stored, owner, { quotable: quotable(page), chapters }));
		}
		const part = { n, first: installment.first, last: installment.last, threadId: thread.id };
		const next = installment.last >= story.pageCount ? null : nextSlot(club.schedule, slot).at;
		await thread.send(partEnd(club, story, part, next, installment.last - last));
		return thread.id;
	}

	/** Pauses a club the bot cannot carry on, and tells whoever started it (by DM; `/club status` says it too). */
	private async pause(club: Club, because: string, spent?: string): Promise<null> {
		await this.ctx.state.updateClub(club.guildId, club.channelId, (c) => ({
			...c,
			status: 'paused',
			pausedBecause: because,
			lastSlot: spent ? laterSlot(spent, c.lastSlot) : c.lastSlot,
		}));
		this.ctx.log.warn('reading club paused', { guild: club.guildId, channel: club.channelId, because });
		const server = this.client.guilds.cache.get(club.guildId)?.name;
		const text = `The reading club for “${escapeText(club.title)}” in <#${club.channelId}>${server ? ` (${escapeText(server)})` : ''} is paused: ${because}. Once that is put right, \`/club resume\` in that channel carries on from where it stopped.`;
		await this.client.users.send(club.startedBy, message({ content: text })).catch((error: unknown) => {
			this.ctx.log.warn('could not tell the club’s starter it is paused', { user: club.startedBy, error });
		});
		return null;
	}
}
