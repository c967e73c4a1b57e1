import type { BaseInteraction } from 'discord.js';
import type { StoryRecord } from '../archive/store.js';
import { RATINGS, type Rating } from '../archive/types.js';
import { type CardSettings, DEFAULT_CARD, type GateRating, type GuildSettings } from '../state.js';
import { isNsfwChannel } from './channel.js';
import type { Context } from './context.js';
import { EPHEMERAL } from './errors.js';
import type { MessagePayload } from './render/message.js';
import { storyCard } from './render/story.js';

/**
 * The rating gate: the one rule for whether a story's text (pages, quotes, board entries, snippets, the
 * lines offered to quote) may be shown where an interaction happened. An age-restricted (NSFW) channel
 * shows every story's text; elsewhere (and in DMs) text is shown up to the server's highest rating (Teen
 * unless a server chose otherwise). Explicit text is never shown outside age-restricted channels. Titles,
 * authors and the story card are shown everywhere, as AO3 shows them.
 */
export interface Gate {
	nsfw: boolean;
	maxRating: GateRating;
	/**
	 * The server's settings could not be read: the gate is the strictest (General) and answers go to the
	 * asker alone until they can be read again.
	 */
	failedClosed?: boolean;
	/**
	 * What the server's story cards show (absent: everything, as by default). It travels with the gate so
	 * every card shown where the interaction happened, gated or not, is the server's.
	 */
	card?: CardSettings;
}

/** Where there are no server settings (a DM): Teen, as a server that chose nothing. */
export const DEFAULT_GATE: Readonly<Gate> = Object.freeze({ nsfw: false, maxRating: 'Teen' });

/**
 * What a server is taken to have chosen while its settings cannot be read: General only, private answers,
 * and cards with warnings and additional tags behind spoiler bars (a server may have chosen to hide them;
 * a bar hides them until clicked, and the card still says they are there).
 */
export const STRICTEST_SETTINGS: Readonly<GuildSettings> = Object.freeze({
	maxRating: 'General',
	publicRead: false,
	publicSearch: false,
	qotd: null,
	card: Object.freeze({ ...DEFAULT_CARD, warnings: 'spoiler', tags: 'spoiler' }),
});

/** The gate's order of ratings: Not Rated counts as Teen. */
export const ratingRank = (rating: Rating) => (rating === 'Not Rated' ? 1 : RATINGS.indexOf(rating));

/** Whether a story's text may be shown past this gate. */
export const textAllowed = (rating: Rating, gate: Gate) =>
	gate.nsfw || (rating !== 'Explicit' && ratingRank(rating) <= ratingRank(gate.maxRating));

/** The ratings whose text may be shown past this gate. */
export const allowedRatings = (gate: Gate): Rating[] => RATINGS.filter((r) => textAllowed(r, gate));

/** Why a story's text is not shown here (`subject` names what is hidden: "This story" unless told). */
export function gateNotice(rating: Rating, gate: Gate = DEFAULT_GATE, subject = 'This story'): string {
	if (gate.failedClosed && rating !== 'Explicit' && rating !== 'General') {
		return `${subject} is rated ${rating}: this server’s settings cannot be read right now, so only text rated General is shown outside age-restricted (NSFW) channels. Please try again in a minute.`;
	}
	return rating === 'Explicit' || gate.maxRating === 'Teen'
		? `${subject} is rated ${rating}: its text is shown only in age-restricted (NSFW) channels, and not in DMs.`
		: `${subject} is rated ${rating}: this server shows text rated above ${gate.maxRating} only in age-restricted (NSFW) channels.`;
}

/** Where an interaction happened, for the gate and for whether answers are public. */
export interface Place {
	gate: Gate;
	/** The server's settings (the defaults in a DM; the strictest while they cannot be read). */
	settings: GuildSettings;
}

/**
 * The gate and settings for where an interaction happened: the channel's NSFW flag and the server's settings.
 * Settings that cannot be read (the state store is down or slow) give the strictest gate and private
 * answers; the state store serves a server's last settings for a short while first, so one slow read does
 * not flip it.
 */
export async function placeOf(interaction: BaseInteraction, ctx: Pick<Context, 'state'>): Promise<Place> {
	// A DM has no server settings: the defaults, read without the store.
	const { settings, known } = await ctx.state.settingsToServe(interaction.inGuild() ? interaction.guildId : null);
	if (!interaction.inGuild()) return { gate: DEFAULT_GATE, settings };
	const nsfw = isNsfwChannel(interaction);
	if (!known) {
		const strictest = { ...STRICTEST_SETTINGS };
		return { gate: { nsfw, maxRating: 'General', failedClosed: true, card: strictest.card }, settings: strictest };
	}
	return { gate: { nsfw, maxRating: settings.maxRating, card: settings.card }, settings };
}

/** The rating gate where an interaction happened (see `placeOf`). */
export const gateFor = async (interaction: BaseInteraction, ctx: Pick<Context, 'state'>): Promise<Gate> =>
	(await placeOf(interaction, ctx)).gate;

/** A reply for the channel, or for the asker alone when the gate failed closed. */
export const forChannel = <T extends object>(gate: Gate, body: T): T | (T & { flags: typeof EPHEMERAL }) =>
	gate.failedClosed ? { ...body, flags: EPHEMERAL } : body;

/**
 * The story card in place of text the gate hides: where the text is from, why it is not shown, and no
 * Read or quote buttons.
 */
export function gatedCard(
	ctx: Pick<Context, 'store'>,
	story: StoryRecord,
	gate: Gate,
	options: { ephemeral?: boolean } = {},
): MessagePayload {
	return storyCard(story, ctx.store.characters(story.id), {
		...options,
		card: gate.card,
		gated: true,
		notice: gateNotice(story.rating, gate),
	});
}

/**
 * The rating a saved line (a quote board entry) is gated by: the stricter of the rating it was saved with
 * and its story's rating now; Explicit when neither is known (a line saved before ratings were kept, from a
 * story no longer in the archive).
 */
export function savedLineRating(saved: Rating | undefined, current: Rating | undefined): Rating {
	const known = [saved, current].filter((r): r is Rating => r !== undefined);
	if (!known.length) return 'Explicit';
	return known.reduce((a, b) => (ratingRank(b) > ratingRank(a) ? b : a));
}
