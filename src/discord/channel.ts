import type { BaseInteraction, Channel } from 'discord.js';

/**
 * Whether a channel is age-restricted (NSFW): a thread goes by its parent (Discord gives threads no flag of their
 * own: they inherit it), a DM is never one, and a thread whose parent the bot cannot see counts as not
 * age-restricted.
 */
export function channelIsNsfw(channel: Channel | null | undefined): boolean {
	if (!channel || channel.isDMBased()) return false;
	if (channel.isThread()) return Boolean(channel.parent && 'nsfw' in channel.parent && channel.parent.nsfw);
	return 'nsfw' in channel && Boolean(channel.nsfw);
}

/**
 * Whether the interaction came from an age-restricted (NSFW) channel (see `channelIsNsfw`); a channel the bot
 * cannot see counts as not age-restricted.
 */
export function isNsfwChannel(interaction: BaseInteraction): boolean {
	if (!interaction.inGuild()) return false;
	return channelIsNsfw(interaction.channel);
}
