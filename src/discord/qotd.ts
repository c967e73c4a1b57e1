import type { Client } from 'discord.js';
import { channelIsNsfw } from './channel.js';
import { wallClock } from './club-schedule.js';
import type { Context, LiveHandle } from './context.js';
import { allowedRatings } from './gate.js';
import { quoteCard } from './render/quote.js';
import { Rounds } from './rounds.js';

/** The day (YYYY-MM-DD) and hour (0–23) a moment falls on in a time zone (club-schedule.ts's wall clock). */
export function localTime(at: Date, timeZone: string): { day: string; hour: number } {
	const { date, minutes } = wallClock(at, timeZone);
	return { day: date, hour: Math.floor(minutes / 60) };
}

/**
 * Quote of the day: once a minute, for each server this process (shard) holds whose settings ask for it,
 * posts one quote when the server's hour comes round. The day is claimed in the state store before the post
 * (one atomic operation there), so a restart, or another process on any machine, never posts twice the same day; a server's settings live with the
 * shard that holds the server. Quotes come only from stories the channel's rating gate allows.
 */
export class QuoteOfTheDay extends Rounds {
	constructor(
		private readonly client: Client,
		private readonly ctx: Omit<Context, 'commands'>,
		/** The archive being served now, when it can be switched (see LiveArchive). */
		private readonly archive?: LiveHandle,
	) {
		super('quote of the day', ctx.log);
	}

	/** One round: returns the servers it posted to. */
	async tick(now = new Date()): Promise<string[]> {
		const posted: string[] = [];
		for (const guild of this.client.guilds.cache.values()) {
			try {
				if (await this.postFor(guild.id, now)) posted.push(guild.id);
			} catch (error) {
				this.ctx.log.warn('quote of the day skipped', { guild: guild.id, error });
			}
		}
		return posted;
	}

	private async postFor(guildId: string, now: Date): Promise<boolean> {
		const { state, log } = this.ctx;
		const { store } = this.archive?.current ?? this.ctx;
		const settings = await state.settings(guildId);
		if (!settings.qotd) return false;
		const { day, hour } = localTime(now, settings.qotd.timeZone);
		if (hour !== settings.qotd.hour || (await state.lastQotd(guildId)) === day) return false;
		const channel = await this.client.channels.fetch(settings.qotd.channelId).catch(() => null);
		if (!channel?.isSendable() || channel.isDMBased()) {
			log.warn('quote of the day: cannot post in its channel', { guild: guildId, channel: settings.qotd.channelId });
			return false;
		}
		const nsfw = channelIsNsfw(channel);
		const quote = store.randomQuote({ ratings: allowedRatings({ nsfw, maxRating: settings.maxRating }) });
		if (!quote) {
			log.info('quote of the day: no quote the channel may show', { guild: guildId });
			return false;
		}
		const story = store.story(quote.storyId);
		if (!story) return false;
		// Claimed before posting, atomically in the shared store: a failed post is lost for the day rather than
		// ever posted twice, and of two processes (machines) that both hold the server only one posts.
		if (!(await state.claimQotd(guildId, day))) return false;
		const owner = this.client.user?.id ?? '0';
		const card = quoteCard(quote, story, owner, { storyId: null, character: null }, { saveable: true });
		await channel.send({ ...card, content: `**Quote of the day** · ${day}` });
		return true;
	}
}
