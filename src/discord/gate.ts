import type { BaseInteraction } from 'discord.js';
import type { GuildSettings } from '../state.js';
import { isNsfwChannel } from './channel.js';
import type { Context } from './context.js';
import { DEFAULT_GATE, type Gate } from './render/message.js';

/**
 * The rating gate for where an interaction happened: the channel's NSFW flag and the server's setting (read
 * here unless the caller has the server's settings already).
 */
export async function gateFor(interaction: BaseInteraction, ctx: Context, known?: GuildSettings): Promise<Gate> {
	if (!interaction.inGuild()) return DEFAULT_GATE;
	const settings = known ?? (await ctx.state.settingsOrDefaults(interaction.guildId));
	return { nsfw: isNsfwChannel(interaction), maxRating: settings.maxRating };
}
