import { ActionRowBuilder, ButtonBuilder, EmbedBuilder } from '@discordjs/builders';
import { ButtonStyle } from 'discord.js';
import type { StoredQuote, StoryRecord } from '../../archive/store.js';
import { encodeBoard, encodeQuote, encodeRead } from '../custom-id.js';
import { escapeText, plainText, storyText } from './escape.js';
import { LIMITS, truncate } from './limits.js';
import { type MessagePayload, message, RATING_COLOUR } from './message.js';

export interface QuoteFilters {
	storyId: number | null;
	character: string | null;
}

/** "— Spike, in *Leaving* by Slaymesoftly" (narration has no speaker: "— from *Leaving* by …"). */
export function attribution(quote: Pick<StoredQuote, 'speaker'>, story: Pick<StoryRecord, 'title' | 'author'>): string {
	const title = `*${escapeText(truncate(story.title, 200))}*`;
	const by = story.author ? ` by ${escapeText(truncate(story.author, 100))}` : '';
	return quote.speaker ? `— ${escapeText(truncate(quote.speaker, 100))}, in ${title}${by}` : `— from ${title}${by}`;
}

/**
 * How the "Quote a line" menu describes a line: "— Spike" for speech whose speaker the text names, else what the
 * line is (speech with no speaker found is not narration).
 */
export function lineDescription(quote: Pick<StoredQuote, 'speaker' | 'kind'>): string {
	if (quote.speaker) return `— ${plainText(quote.speaker)}`;
	return quote.kind === 'dialogue' ? 'speech, speaker not named' : 'narration';
}

/** "Share as image": the line drawn as a picture, posted for the channel (where the gate lets its text show). */
export const shareAsImage = (customId: string) =>
	new ButtonBuilder()
		.setCustomId(customId)
		.setLabel('Share as image')
		.setEmoji({ name: '🖼️' })
		.setStyle(ButtonStyle.Secondary);

/** A quote card for the channel: the line, who said it where, and Another / Read in context. */
export function quoteCard(
	quote: StoredQuote,
	story: StoryRecord,
	owner: string,
	filters: QuoteFilters,
	options: { sharedBy?: string; saveable?: boolean } = {},
): MessagePayload {
	const { sharedBy } = options;
	const credit = attribution(quote, story);
	const line = truncate(storyText(quote.text, story.markup), LIMITS.embedDescription - credit.length - 8);
	const where = `${story.chapterCount > 1 ? `Chapter ${quote.chapter} · ` : ''}Page ${quote.page} of ${story.pageCount}`;
	const embed = new EmbedBuilder()
		.setDescription(`“${line}”\n\n${credit}`)
		.setColor(RATING_COLOUR[story.rating])
		.setFooter({
			text: truncate(`${where}${sharedBy ? ` · shared by ${plainText(sharedBy)}` : ''}`, LIMITS.footer),
		});
	const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
		new ButtonBuilder()
			.setCustomId(encodeQuote({ kind: 'another', storyId: filters.storyId, character: filters.character, owner }))
			.setLabel('Another')
			.setStyle(ButtonStyle.Primary),
		new ButtonBuilder()
			.setCustomId(encodeRead({ kind: 'open', storyId: story.id, page: quote.page, visibility: 'ephemeral' }))
			.setLabel('Read in context')
			.setStyle(ButtonStyle.Secondary),
	);
	if (options.saveable) {
		row.addComponents(
			new ButtonBuilder()
				.setCustomId(encodeBoard({ kind: 'save', quoteId: quote.id }))
				.setLabel('Save')
				.setEmoji({ name: '⭐' })
				.setStyle(ButtonStyle.Secondary),
		);
	}
	row.addComponents(shareAsImage(encodeQuote({ kind: 'image', quoteId: quote.id })));
	return message({ embeds: [embed.toJSON()], components: [row.toJSON()] });
}
