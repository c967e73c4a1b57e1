import { ActionRowBuilder, ButtonBuilder, EmbedBuilder } from '@discordjs/builders';
import { ButtonStyle } from 'discord.js';
import type { Rating } from '../../archive/types.js';
import type { BoardEntry } from '../../state.js';
import { type BoardSort, encodeBoard, encodeRead } from '../custom-id.js';
import { type Gate, gateNotice, textAllowed } from '../gate.js';
import { storyText } from './escape.js';
import { LIMITS, truncate } from './limits.js';
import { type MessagePayload, message } from './message.js';
import { attribution, shareAsImage } from './quote.js';

const BOARD_COLOUR = 0xf1c40f;

/** Board entries in the order a sort asks for: newest saved first, or most saved first. */
export function sortBoard(entries: BoardEntry[], sort: BoardSort): BoardEntry[] {
	return [...entries].sort((a, b) =>
		sort === 'top' ? b.savedBy.length - a.savedBy.length || b.savedAt - a.savedAt : b.savedAt - a.savedAt,
	);
}

export interface BoardView {
	entries: BoardEntry[];
	sort: BoardSort;
	index: number;
	/** Who turns this message's pages. */
	owner: string;
	/** The rating gate where the board is shown: a line it hides shows where it is from, not its text. */
	gate: Gate;
	/** The rating an entry is gated by (see gate.ts's savedLineRating). */
	ratingOf: (entry: BoardEntry) => Rating;
}

/**
 * One quote of the server's board: the line, who said it where, who saved it; Previous and Next (turned by
 * `owner`), Read in context, and Remove (allowed to the first saver and to members who manage messages). A
 * line whose story the gate hides here shows only where it is from.
 */
export function boardPage({ entries, sort, index, owner, gate, ratingOf }: BoardView): MessagePayload {
	if (!entries.length) {
		return message({ content: 'This server’s quote board is empty. Press Save on a quote card to put a line on it.' });
	}
	const at = Math.min(Math.max(0, index), entries.length - 1);
	const entry = entries[at] as BoardEntry;
	const credit = attribution(entry, entry);
	const rating = ratingOf(entry);
	const shown = textAllowed(rating, gate);
	const line = shown
		? `“${storyText(entry.text, entry.markup ?? 'plain')}”`
		: `*${gateNotice(rating, gate, 'The story this line is from')}*`;
	const savers = entry.savedBy.slice(0, 10).map((id) => `<@${id}>`);
	const more = entry.savedBy.length > savers.length ? ` and ${entry.savedBy.length - savers.length} more` : '';
	const embed = new EmbedBuilder()
		.setTitle(sort === 'top' ? 'Quote board · most saved' : 'Quote board · newest')
		.setColor(BOARD_COLOUR)
		.setDescription(truncate(`${line}\n\n${credit}`, LIMITS.embedDescription))
		.addFields({
			name: `Saved ${entry.savedBy.length === 1 ? 'once' : `${entry.savedBy.length} times`}`,
			value: truncate(`by ${savers.join(', ')}${more}`, LIMITS.fieldValue),
		})
		.setFooter({ text: `Quote ${at + 1} of ${entries.length} · page ${entry.page} of the story` });
	const to = (i: number) => encodeBoard({ kind: 'page', sort, index: i, owner });
	const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
		new ButtonBuilder()
			.setCustomId(to(Math.max(0, at - 1)))
			.setLabel('‹ Previous')
			.setStyle(ButtonStyle.Secondary)
			.setDisabled(at === 0),
		new ButtonBuilder()
			// Never the same id as Previous: with one entry both are disabled and point at 0 and 1.
			.setCustomId(to(at + 1))
			.setLabel('Next ›')
			.setStyle(ButtonStyle.Secondary)
			.setDisabled(at >= entries.length - 1),
		new ButtonBuilder()
			.setCustomId(encodeRead({ kind: 'open', storyId: entry.storyId, page: entry.page, visibility: 'ephemeral' }))
			.setLabel('Read in context')
			.setStyle(ButtonStyle.Secondary),
		new ButtonBuilder()
			.setCustomId(encodeBoard({ kind: 'remove', entryId: entry.id, sort, index: at }))
			.setLabel('Remove')
			.setStyle(ButtonStyle.Danger),
	);
	if (shown) row.addComponents(shareAsImage(encodeBoard({ kind: 'image', entryId: entry.id })));
	return message({ embeds: [embed.toJSON()], components: [row.toJSON()] });
}
