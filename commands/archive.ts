import { SlashCommandBuilder } from '@discordjs/builders';
import type { Command } from '../src/discord/context.js';
import { EPHEMERAL } from '../src/discord/errors.js';
import { archiveInfo } from '../src/discord/render/archive.js';

export default {
	data: new SlashCommandBuilder().setName('archive').setDescription("The archive's size and the bot's commands"),
	help: '`/archive`: this help, and how big the archive is',

	async run(interaction, ctx) {
		const body = archiveInfo(
			ctx.store.stats(),
			ctx.commands.map((c) => c.help),
		);
		await interaction.reply({ ...body, flags: EPHEMERAL });
	},
} satisfies Command;
