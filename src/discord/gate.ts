import type { BaseInteraction } from 'discord.js';
import { isNsfwChannel } from './channel.js';
import type { Context } from './context.js';
import { DEFAULT_GATE, type Gate } from './render/message.js';

/** The rating gate for where an interaction happened: the channel's NSFW flag and the server's setting. */
export async function gateFor(interaction: BaseInteraction, ctx: Context): Promise<Gate> {
	if (!interaction.inGuild()) return DEFAULT_GATE;
	const settings = await ctx.state.settingsOrDefaults(interaction.guildId);
	return { nsfw: isNsfwChannel(interaction), maxRating: settings.maxRating };
}
