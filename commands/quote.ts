import { SlashCommandBuilder } from '@discordjs/builders';
import type { RepliableInteraction } from 'discord.js';
import { RATINGS } from '../src/archive/types.js';
import { isNsfwChannel } from '../src/discord/channel.js';
import type { Command, Context } from '../src/discord/context.js';
import { decodeQuote, QUOTE_PREFIX } from '../src/discord/custom-id.js';
import { UserError } from '../src/discord/errors.js';
import { storyOrGone } from '../src/discord/reader.js';
import { GATED_RATINGS, gateNotice, textAllowed } from '../src/discord/render/message.js';
import { type QuoteFilters, quoteCard } from '../src/discord/render/quote.js';
import { storyCard } from '../src/discord/render/story.js';
import { STALE_COMPONENT } from '../src/discord/router.js';
import { characterChoices, resolveStory, storyChoices } from '../src/discord/stories.js';

/** Ratings whose quotes may be posted in this channel. */
const ratingsFor = (interaction: RepliableInteraction) =>
	isNsfwChannel(interaction) ? RATINGS : RATINGS.filter((r) => !GATED_RATINGS.includes(r));

/**
 * Posts a random quote matching the filters, publicly, as a new message (or in place of the card when
 * `update` is set: the "Another" of the person who asked for it).
 */
export async function postQuote(
	interaction: RepliableInteraction,
	ctx: Context,
	filters: QuoteFilters,
	update = false,
): Promise<void> {
	if (filters.storyId !== null) {
		const story = storyOrGone(ctx, filters.storyId);
		if (!textAllowed(story.rating, isNsfwChannel(interaction))) {
			const card = storyCard(story, ctx.store.characters(story.id), { gated: true, notice: gateNotice(story.rating) });
			await interaction.reply(card);
			return;
		}
	}
	const quote = ctx.store.randomQuote({
		...(filters.storyId !== null ? { storyId: filters.storyId } : {}),
		...(filters.character ? { speaker: filters.character } : {}),
		ratings: ratingsFor(interaction),
	});
	if (!quote) {
		const who = filters.character ? ` by ${filters.character}` : '';
		const where = filters.storyId !== null ? ' in that story' : ' in stories that can be shown here';
		throw new UserError(`No quotes${who}${where}.`);
	}
	const story = storyOrGone(ctx, quote.storyId);
	const card = quoteCard(quote, story, interaction.user.id, filters);
	if (update && interaction.isMessageComponent()) await interaction.update(card);
	else await interaction.reply(card);
}

export default {
	data: new SlashCommandBuilder()
		.setName('quote')
		.setDescription('Share a random line from the archive with the channel')
		.addStringOption((o) =>
			o.setName('story').setDescription('Only from this story').setAutocomplete(true).setMaxLength(200),
		)
		.addStringOption((o) =>
			o.setName('character').setDescription('Only lines this character says').setAutocomplete(true).setMaxLength(100),
		),
	help: '`/quote [story] [character]`: a random line for the channel, with Another and Read in context',

	async run(interaction, ctx) {
		const storyOption = interaction.options.getString('story');
		const storyId = storyOption ? resolveStory(ctx, storyOption).id : null;
		const character = interaction.options.getString('character')?.trim() || null;
		await postQuote(interaction, ctx, { storyId, character });
	},

	async autocomplete(interaction, ctx) {
		if (interaction.options.getFocused(true).name === 'character') await characterChoices(interaction, ctx);
		else await storyChoices(interaction, ctx);
	},

	components: {
		prefix: QUOTE_PREFIX,
		async run(interaction, ctx) {
			const route = decodeQuote(interaction.customId);
			if (!route || !interaction.isButton()) throw new UserError(STALE_COMPONENT);
			const filters = { storyId: route.storyId, character: route.character };
			await postQuote(interaction, ctx, filters, interaction.user.id === route.owner);
		},
	},
} satisfies Command;
