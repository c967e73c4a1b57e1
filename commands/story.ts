import { SlashCommandBuilder } from '@discordjs/builders';
import type { Command } from '../src/discord/context.js';
import { decodeStory, STORY_PREFIX } from '../src/discord/custom-id.js';
import { UserError } from '../src/discord/errors.js';
import { gateFor } from '../src/discord/gate.js';
import { EPHEMERAL, storyOrGone } from '../src/discord/reader.js';
import { gateNotice, textAllowed } from '../src/discord/render/message.js';
import { storyCard } from '../src/discord/render/story.js';
import { STALE_COMPONENT } from '../src/discord/router.js';
import { resolveStory, storyChoices } from '../src/discord/stories.js';
import { postQuote } from './quote.js';

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
		const gated = !textAllowed(story.rating, gate);
		const card = storyCard(story, ctx.store.characters(story.id), {
			ephemeral,
			gated,
			...(gated ? { notice: gateNotice(story.rating, gate) } : {}),
		});
		await interaction.reply(ephemeral ? { ...card, flags: EPHEMERAL } : card);
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
			const gated = !textAllowed(story.rating, await gateFor(interaction, ctx));
			const card = storyCard(story, ctx.store.characters(story.id), { gated });
			await interaction.reply({ ...card, content: `Shared by <@${interaction.user.id}>` });
		},
	},
} satisfies Command;
