import { ActionRowBuilder, SlashCommandBuilder, StringSelectMenuBuilder } from '@discordjs/builders';
import { stripMarkdown } from '../src/archive/markup.js';
import type { StoredQuote } from '../src/archive/store.js';
import type { Command, ComponentInteraction, Context } from '../src/discord/context.js';
import { decodeQuote, encodeQuote, MAX_CHARACTER_IN_ID, QUOTE_PREFIX } from '../src/discord/custom-id.js';
import { EPHEMERAL, STALE_COMPONENT, UserError } from '../src/discord/errors.js';
import { forChannel, gateFor, gateNotice, textAllowed } from '../src/discord/gate.js';
import { pictureOf, postQuotePicture } from '../src/discord/quote-picture.js';
import { postQuote } from '../src/discord/quoting.js';
import { storyOrGone, turnsMessage } from '../src/discord/reader.js';
import { escapeText, plainText } from '../src/discord/render/escape.js';
import { LIMITS, truncate } from '../src/discord/render/limits.js';
import { message } from '../src/discord/render/message.js';
import { lineDescription, quoteCard } from '../src/discord/render/quote.js';
import { characterChoices, resolveStory, storyChoices } from '../src/discord/stories.js';

/** One line chosen from a page, for the channel: attributed, shared by whoever chose it. */
async function shareLine(interaction: ComponentInteraction, ctx: Context, quote: StoredQuote): Promise<void> {
	const story = storyOrGone(ctx, quote.storyId);
	const gate = await gateFor(interaction, ctx);
	if (!textAllowed(story.rating, gate)) throw new UserError(gateNotice(story.rating, gate));
	const filters = { storyId: story.id, character: null };
	const name = interaction.user.globalName ?? interaction.user.username;
	await interaction.reply(
		forChannel(
			gate,
			quoteCard(quote, story, interaction.user.id, filters, { sharedBy: name, saveable: interaction.inGuild() }),
		),
	);
}

export default {
	data: new SlashCommandBuilder()
		.setName('quote')
		.setDescription('Share a random line from the archive with the channel')
		.addStringOption((o) =>
			o.setName('story').setDescription('Only from this story').setAutocomplete(true).setMaxLength(200),
		)
		.addStringOption((o) =>
			o
				.setName('character')
				.setDescription('Only lines this character says')
				.setAutocomplete(true)
				.setMaxLength(MAX_CHARACTER_IN_ID),
		),
	help: '`/quote [story] [character]`: a random line for the channel, with Another, Read in context and Save',

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
			if (!route) throw new UserError(STALE_COMPONENT);
			if (route.kind === 'another') {
				if (!interaction.isButton()) throw new UserError(STALE_COMPONENT);
				const filters = { storyId: route.storyId, character: route.character };
				await postQuote(interaction, ctx, filters, turnsMessage(interaction, route.owner));
				return;
			}
			if (route.kind === 'image') {
				const quote = ctx.store.quote(route.quoteId);
				if (!quote) throw new UserError('That line is no longer in the archive: the story was updated since.');
				const story = storyOrGone(ctx, quote.storyId);
				await postQuotePicture(interaction, ctx, { ...quote, ...pictureOf(story) });
				return;
			}
			if (route.kind === 'line') {
				// "Quote a line": the page's lines, offered to the clicker alone, where the gate shows its text.
				const story = storyOrGone(ctx, route.storyId);
				const gate = await gateFor(interaction, ctx);
				if (!textAllowed(story.rating, gate)) throw new UserError(gateNotice(story.rating, gate));
				const lines = ctx.store.quotesOnPage(story.id, route.page).slice(0, LIMITS.selectOptions);
				if (!lines.length) throw new UserError('There are no quotable lines on this page.');
				const menu = new StringSelectMenuBuilder()
					.setCustomId(encodeQuote({ kind: 'pick' }))
					.setPlaceholder('Pick a line to share with the channel')
					.addOptions(
						lines.map((q) => ({
							label: truncate(
								plainText(story.markup === 'markdown' ? stripMarkdown(q.text) : q.text),
								LIMITS.optionLabel,
							),
							value: String(q.id),
							description: truncate(lineDescription(q), LIMITS.optionDescription),
						})),
					);
				await interaction.reply({
					...message({
						content: `Lines on page ${route.page} of “${escapeText(truncate(story.title, 200))}”:`,
						components: [new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(menu).toJSON()],
					}),
					flags: EPHEMERAL,
				});
				return;
			}
			if (!interaction.isStringSelectMenu()) throw new UserError(STALE_COMPONENT);
			const id = Number(interaction.values[0]);
			const quote = Number.isInteger(id) ? ctx.store.quote(id) : undefined;
			if (!quote)
				throw new UserError('That line is no longer in the archive: the story was updated. Open the page again.');
			await shareLine(interaction, ctx, quote);
		},
	},
} satisfies Command;
