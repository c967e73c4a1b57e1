import type { BaseInteraction } from 'discord.js';

/**
 * Whether the interaction came from an age-restricted (NSFW) channel: a thread goes by its parent, a DM is
 * never one, and a channel the bot cannot see counts as not age-restricted.
 */
export function isNsfwChannel(interaction: BaseInteraction): boolean {
	if (!interaction.inGuild()) return false;
	const channel = interaction.channel;
	if (!channel) return false;
	if (channel.isThread()) return Boolean(channel.parent && 'nsfw' in channel.parent && channel.parent.nsfw);
	return 'nsfw' in channel && Boolean(channel.nsfw);
}
