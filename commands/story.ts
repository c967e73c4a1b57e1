import { SlashCommandBuilder } from '@discordjs/builders';
import type { Command } from '../src/discord/context.js';
import { decodeStory, STORY_PREFIX } from '../src/discord/custom-id.js';
import { EPHEMERAL, STALE_COMPONENT, UserError } from '../src/discord/errors.js';
import { forChannel, gatedCard, gateFor, textAllowed } from '../src/discord/gate.js';
import { postQuote } from '../src/discord/quoting.js';
import { storyOrGone } from '../src/discord/reader.js';
import { storyCard } from '../src/discord/render/story.js';
import { resolveStory, storyChoices } from '../src/discord/stories.js';

export default {
	data: new SlashCommandBuilder()
		.setName('story')
		.setDescription("A story's card: author, rating, length, characters, summary")
		.addStringOption((o) =>
			o.setName('story').setDescription('Title or author').setAutocomplete(true).setRequired(true).setMaxLength(200),
		)
		.addBooleanOption((o) => o.setName('private').setDescription('Only you see the card, with a Share button')),
	help: '`/story <story> [private]`: the story card, with Read, Random quote and Share',

	async run(interaction, ctx) {
		const story = resolveStory(ctx, interaction.options.getString('story', true));
		const ephemeral = interaction.options.getBoolean('private') ?? false;
		const gate = await gateFor(interaction, ctx);
		const card = textAllowed(story.rating, gate)
			? storyCard(story, ctx.store.characters(story.id), { ephemeral, card: gate.card })
			: gatedCard(ctx, story, gate, { ephemeral });
		await interaction.reply(ephemeral ? { ...card, flags: EPHEMERAL } : forChannel(gate, card));
	},

	autocomplete: storyChoices,

	components: {
		prefix: STORY_PREFIX,
		async run(interaction, ctx) {
			const route = decodeStory(interaction.customId);
			if (!route || !interaction.isButton()) throw new UserError(STALE_COMPONENT);
			const story = storyOrGone(ctx, route.storyId);
			if (route.kind === 'quote') {
				await postQuote(interaction, ctx, { storyId: story.id, character: null });
				return;
			}
			// Share: the card, public, under the name of whoever shared it (a mention that pings nobody).
			const gate = await gateFor(interaction, ctx);
			const gated = !textAllowed(story.rating, gate);
			const card = storyCard(story, ctx.store.characters(story.id), { gated, card: gate.card });
			await interaction.reply(forChannel(gate, { ...card, content: `Shared by <@${interaction.user.id}>` }));
		},
	},
} satisfies Command;
