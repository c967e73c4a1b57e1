import type { ChatInputCommandInteraction } from 'discord.js';
import type { ComponentInteraction, Context } from './context.js';
import { UserError } from './errors.js';
import { allowedRatings, forChannel, gatedCard, gateFor, textAllowed } from './gate.js';
import { storyOrGone } from './reader.js';
import { escapeText } from './render/escape.js';
import { truncate } from './render/limits.js';
import { type QuoteFilters, quoteCard } from './render/quote.js';

/**
 * Posts a random quote matching the filters, publicly, as a new message (or in place of the card when
 * `update` is set: the "Another" of the person who asked for it). Only from stories whose text the gate
 * allows here; a story the gate hides gets its card instead.
 */
export async function postQuote(
	interaction: ChatInputCommandInteraction | ComponentInteraction,
	ctx: Context,
	filters: QuoteFilters,
	update = false,
): Promise<void> {
	const gate = await gateFor(interaction, ctx);
	if (filters.storyId !== null) {
		const story = storyOrGone(ctx, filters.storyId);
		if (!textAllowed(story.rating, gate)) {
			await interaction.reply(forChannel(gate, gatedCard(ctx, story, gate)));
			return;
		}
	}
	const quote = ctx.store.randomQuote({
		...(filters.storyId !== null ? { storyId: filters.storyId } : {}),
		...(filters.character ? { speaker: filters.character } : {}),
		ratings: allowedRatings(gate),
	});
	if (!quote) {
		const who = filters.character ? ` by ${escapeText(truncate(filters.character, 100))}` : '';
		const where = filters.storyId !== null ? ' in that story' : ' in stories that can be shown here';
		throw new UserError(`No quotes${who}${where}.`);
	}
	const card = quoteCard(quote, storyOrGone(ctx, quote.storyId), interaction.user.id, filters, {
		saveable: interaction.inGuild(),
	});
	if (update && interaction.isMessageComponent()) await interaction.update(card);
	else await interaction.reply(forChannel(gate, card));
}
