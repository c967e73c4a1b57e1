import { EmbedBuilder } from '@discordjs/builders';
import type { GuildSettings } from '../../state.js';
import { type MessagePayload, message } from './message.js';

/** /settings: a server's settings as one card, under `said` (what was just changed) when there is one. */
export function settingsCard(s: GuildSettings, said?: string): MessagePayload {
	const qotd = s.qotd
		? `<#${s.qotd.channelId}> at ${String(s.qotd.hour).padStart(2, '0')}:00 ${s.qotd.timeZone}`
		: 'off (`/settings qotd` turns it on)';
	const embed = new EmbedBuilder()
		.setTitle('Settings for this server')
		.setColor(0x5865f2)
		.addFields(
			{
				name: 'Highest rating outside age-restricted channels',
				value: `${s.maxRating}${s.maxRating === 'Teen' ? ' (the default)' : ''}. Age-restricted channels show every story; Explicit text is shown only there.`,
			},
			{ name: '/read answers', value: s.publicRead ? 'for the channel' : 'for the reader alone', inline: true },
			{ name: '/search answers', value: s.publicSearch ? 'for the channel' : 'for the searcher alone', inline: true },
			{ name: 'Quote of the day', value: qotd },
		);
	return message(said === undefined ? { embeds: [embed.toJSON()] } : { content: said, embeds: [embed.toJSON()] });
}
