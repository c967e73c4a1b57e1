import { EmbedBuilder } from '@discordjs/builders';
import type { ArchiveStats } from '../../archive/store.js';
import { LIMITS, truncate } from './limits.js';
import { type MessagePayload, message, number } from './message.js';

/** /archive: what the archive holds and what the bot can do. */
export function archiveInfo(stats: ArchiveStats, help: string[]): MessagePayload {
	const embed = new EmbedBuilder()
		.setTitle('The archive')
		.setColor(0x5865f2)
		.setDescription(
			truncate(
				stats.stories
					? `${number(stats.stories)} ${stats.stories === 1 ? 'story' : 'stories'} by ${number(stats.authors)} ${stats.authors === 1 ? 'author' : 'authors'}: ` +
							`${number(stats.words)} words on ${number(stats.pages)} pages, with ${number(stats.quotes)} quotable lines.`
					: 'The archive is empty: whoever runs the bot imports stories with `npm run import`.',
				LIMITS.embedDescription,
			),
		)
		.addFields({ name: 'Commands', value: truncate(help.map((line) => `• ${line}`).join('\n'), LIMITS.fieldValue) })
		.setFooter({
			text: 'Stories rated Mature or Explicit show their text only in age-restricted channels.',
		});
	return message({ embeds: [embed.toJSON()] });
}
