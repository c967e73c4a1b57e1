import { SlashCommandBuilder } from '@discordjs/builders';
import type { StoryRecord } from '../src/archive/store.js';
import type { Command } from '../src/discord/context.js';
import { EPHEMERAL } from '../src/discord/errors.js';
import { libraryView } from '../src/discord/render/library.js';
import { message } from '../src/discord/render/message.js';

export default {
	data: new SlashCommandBuilder()
		.setName('library')
		.setDescription('The stories you are reading, with your progress')
		.addSubcommand((s) =>
			s.setName('list').setDescription('Your stories, most recent first, with a menu to resume one'),
		)
		.addSubcommand((s) => s.setName('clear').setDescription('Forget every page and bookmark you have')),
	help: '`/library list`: your stories with progress, to resume one; `/library clear` forgets them',
	unavailable: 'Your library cannot be reached right now. Please try again in a minute.',
	ephemeral: true,

	async run(interaction, ctx) {
		const user = interaction.user.id;
		if (interaction.options.getSubcommand() === 'clear') {
			const count = await ctx.state.clearLibrary(user);
			await interaction.reply({
				...message({
					content: count ? `Forgot ${count} ${count === 1 ? 'story' : 'stories'}.` : 'Your library was already empty.',
				}),
				flags: EPHEMERAL,
			});
			return;
		}
		const entries = (await ctx.state.library(user))
			.map((entry) => ({ entry, story: ctx.store.story(entry.storyId) }))
			.filter((e): e is { entry: typeof e.entry; story: StoryRecord } => Boolean(e.story));
		await interaction.reply({ ...libraryView(entries), flags: EPHEMERAL });
	},
} satisfies Command;
