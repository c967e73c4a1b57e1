import type { APIActionRowComponent, APIComponentInMessageActionRow, APIEmbed } from 'discord.js';
import type { Rating } from '../../archive/types.js';
import { fitEmbed, LIMITS, truncate } from './limits.js';

/** What every render function returns: a message body that is within Discord's limits and pings nobody. */
export interface MessagePayload {
	content?: string;
	embeds: APIEmbed[];
	components: APIActionRowComponent<APIComponentInMessageActionRow>[];
	allowedMentions: { parse: [] };
}

export const NO_MENTIONS = Object.freeze({ parse: [] as [] });

/**
 * A message body: its content cut to Discord's 2,000 characters (a story's title can be longer than a line
 * around it expects), embeds cut to fit the 6,000 characters a message may carry, and pings turned off.
 */
export const message = (parts: Partial<Omit<MessagePayload, 'allowedMentions'>>): MessagePayload => ({
	components: [],
	...parts,
	...(parts.content === undefined ? {} : { content: truncate(parts.content, LIMITS.content) }),
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
