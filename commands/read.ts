import { SlashCommandBuilder } from '@discordjs/builders';
import type { Command } from '../src/discord/context.js';
import { decodeLocation, decodeRead, READ_PREFIX } from '../src/discord/custom-id.js';
import { UserError } from '../src/discord/errors.js';
import { EPHEMERAL, ownsMessage, pageMessage, storyOrGone } from '../src/discord/reader.js';
import { JUMP_INPUT, jumpModal } from '../src/discord/render/page.js';
import { STALE_COMPONENT } from '../src/discord/router.js';
import { resolveStory, storyChoices } from '../src/discord/stories.js';

export default {
	data: new SlashCommandBuilder()
		.setName('read')
		.setDescription('Read a story a page at a time, together in this channel')
		.addStringOption((o) =>
			o.setName('story').setDescription('Title or author').setAutocomplete(true).setRequired(true).setMaxLength(200),
		)
		.addIntegerOption((o) => o.setName('page').setDescription('Page to open (default 1)').setMinValue(1))
		.addBooleanOption((o) => o.setName('private').setDescription('Only you see the pages (default: the channel does)')),
	help: '`/read <story> [page]`: a page at a time; you turn the pages, others get their own copy',

	async run(interaction, ctx) {
		const story = resolveStory(ctx, interaction.options.getString('story', true));
		const page = interaction.options.getInteger('page') ?? 1;
		const body = pageMessage(ctx, interaction, story, page, interaction.user.id);
		await interaction.reply(interaction.options.getBoolean('private') ? { ...body, flags: EPHEMERAL } : body);
	},

	autocomplete: storyChoices,

	components: {
		prefix: READ_PREFIX,
		async run(interaction, ctx) {
			const route = decodeRead(interaction.customId);
			if (!route) throw new UserError(STALE_COMPONENT);
			const reader = interaction.user.id;
			switch (route.kind) {
				case 'open': {
					const story = storyOrGone(ctx, route.storyId);
					const body = pageMessage(ctx, interaction, story, route.page, reader);
					const shared = !route.ephemeral && ownsMessage(interaction);
					await interaction.reply(shared ? body : { ...body, flags: EPHEMERAL });
					return;
				}
				case 'select': {
					if (!interaction.isStringSelectMenu()) throw new UserError(STALE_COMPONENT);
					const at = decodeLocation(interaction.values[0]);
					if (!at) throw new UserError(STALE_COMPONENT);
					const story = storyOrGone(ctx, at.storyId);
					const body = pageMessage(ctx, interaction, story, at.page, reader);
					await interaction.reply(ownsMessage(interaction) ? body : { ...body, flags: EPHEMERAL });
					return;
				}
				case 'jump': {
					if (!interaction.isButton()) throw new UserError(STALE_COMPONENT);
					const story = storyOrGone(ctx, route.storyId);
					// The modal carries the message's owner: their answer turns it, anyone else's opens a copy.
					await interaction.showModal(jumpModal(story, route.owner, route.page));
					return;
				}
				case 'modal': {
					if (!interaction.isModalSubmit()) throw new UserError(STALE_COMPONENT);
					const story = storyOrGone(ctx, route.storyId);
					const typed = interaction.fields.getTextInputValue(JUMP_INPUT).trim();
					const page = /^\d{1,6}$/.test(typed) ? Number(typed) : Number.NaN;
					if (!Number.isInteger(page) || page < 1 || page > story.pageCount) {
						throw new UserError(`Type a page number from 1 to ${story.pageCount}.`);
					}
					if (reader === route.owner && interaction.isFromMessage()) {
						await interaction.update(pageMessage(ctx, interaction, story, page, reader));
					} else {
						await interaction.reply({ ...pageMessage(ctx, interaction, story, page, reader), flags: EPHEMERAL });
					}
					return;
				}
				default: {
					const story = storyOrGone(ctx, route.storyId);
					const body = pageMessage(ctx, interaction, story, route.page, reader);
					if (reader === route.owner && interaction.isMessageComponent()) await interaction.update(body);
					else await interaction.reply({ ...body, flags: EPHEMERAL });
				}
			}
		},
	},
} satisfies Command;
