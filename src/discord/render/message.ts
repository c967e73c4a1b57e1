import type { APIActionRowComponent, APIComponentInMessageActionRow, APIEmbed } from 'discord.js';
import { RATINGS, type Rating } from '../../archive/types.js';
import { fitEmbed } from './limits.js';

/** What every render function returns: a message body that is within Discord's limits and pings nobody. */
export interface MessagePayload {
	content?: string;
	embeds: APIEmbed[];
	components: APIActionRowComponent<APIComponentInMessageActionRow>[];
	allowedMentions: { parse: [] };
}

export const NO_MENTIONS = Object.freeze({ parse: [] as [] });

/** A message body: embeds cut to fit the 6,000 characters a message may carry, and pings turned off. */
export const message = (parts: Partial<Omit<MessagePayload, 'allowedMentions'>>): MessagePayload => ({
	components: [],
	...parts,
	embeds: (parts.embeds ?? []).map((embed) => fitEmbed(embed)),
	allowedMentions: { parse: [] },
});

/** AO3's rating colours: green, yellow, orange, red, and grey for not rated. */
export const RATING_COLOUR: Record<Rating, number> = {
	General: 0x77b255,
	Teen: 0xe6c300,
	Mature: 0xe67e22,
	Explicit: 0xcc2e2e,
	'Not Rated': 0x99aab5,
};

/**
 * Where a message goes, for the rating gate: an age-restricted (NSFW) channel shows every story's text;
 * elsewhere (and in DMs) text is shown up to the server's highest rating (Teen unless a server chose
 * otherwise). Explicit text is never shown outside age-restricted channels.
 */
export interface Gate {
	nsfw: boolean;
	maxRating: 'General' | 'Teen' | 'Mature';
}

export const DEFAULT_GATE: Readonly<Gate> = Object.freeze({ nsfw: false, maxRating: 'Teen' });

/** The gate's order of ratings: Not Rated counts as Teen. */
export const ratingRank = (rating: Rating) => (rating === 'Not Rated' ? 1 : RATINGS.indexOf(rating));

/** Whether a story's text may be shown past this gate. */
export const textAllowed = (rating: Rating, gate: Gate) =>
	gate.nsfw || (rating !== 'Explicit' && ratingRank(rating) <= ratingRank(gate.maxRating));

/** The ratings whose text may be shown past this gate. */
export const allowedRatings = (gate: Gate): Rating[] => RATINGS.filter((r) => textAllowed(r, gate));

export const gateNotice = (rating: Rating, gate: Gate = DEFAULT_GATE) =>
	rating === 'Explicit' || gate.maxRating === 'Teen'
		? `This story is rated ${rating}: its text is shown only in age-restricted (NSFW) channels, and not in DMs.`
		: `This story is rated ${rating}: this server shows text rated above ${gate.maxRating} only in age-restricted (NSFW) channels.`;

/** "2,782" */
export const number = (n: number) => n.toLocaleString('en-US');

/** Reading time at 230 words a minute: "about 12 min", "about 2 h 5 min". */
export function readingTime(words: number): string {
	const minutes = Math.max(1, Math.round(words / 230));
	if (minutes < 60) return `about ${minutes} min`;
	const hours = Math.floor(minutes / 60);
	const rest = minutes % 60;
	return `about ${hours} h${rest ? ` ${rest} min` : ''}`;
}
