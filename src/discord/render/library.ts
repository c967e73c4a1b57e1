import { ActionRowBuilder, EmbedBuilder, StringSelectMenuBuilder } from '@discordjs/builders';
import type { StoryRecord } from '../../archive/store.js';
import type { LibraryEntry } from '../../state.js';
import { encodeLocation, encodeRead } from '../custom-id.js';
import { escapeText, plainText } from './escape.js';
import { LIMITS, orDash, truncate } from './limits.js';
import { type MessagePayload, message } from './message.js';

/** "▓▓▓▓░░░░░░ 40%" */
export function progressBar(page: number, pages: number, width = 10): string {
	const share = pages > 0 ? Math.min(1, Math.max(0, page / pages)) : 0;
	const filled = Math.round(share * width);
	return `${'▓'.repeat(filled)}${'░'.repeat(width - filled)} ${Math.round(share * 100)}%`;
}

/** A person's library: their stories, most recently read first, with progress and a menu to resume one. */
export function libraryView(entries: { entry: LibraryEntry; story: StoryRecord }[]): MessagePayload {
	if (!entries.length) {
		return message({
			content:
				'Your library is empty. Every page you read with `/read` is remembered here, and the Bookmark button saves one.',
		});
	}
	const shown = entries.slice(0, LIMITS.fields);
	const embed = new EmbedBuilder()
		.setTitle('Your library')
		.setColor(0x5865f2)
		.addFields(
			shown.map(({ entry, story }) => {
				const page = Math.min(entry.page, story.pageCount);
				const bookmark = entry.bookmark && entry.bookmark <= story.pageCount ? ` · 🔖 page ${entry.bookmark}` : '';
				return {
					name: truncate(
						orDash(escapeText(`${story.title}${story.author ? ` — ${story.author}` : ''}`), 'Untitled'),
						LIMITS.fieldName,
					),
					value: truncate(
						`Page ${page} of ${story.pageCount} ${progressBar(page, story.pageCount)}${bookmark}`,
						LIMITS.fieldValue,
					),
				};
			}),
		)
		.setFooter({
			text: `${entries.length} ${entries.length === 1 ? 'story' : 'stories'}${entries.length > shown.length ? `, the ${shown.length} most recent shown` : ''} · /library clear forgets them`,
		});
	const menu = new StringSelectMenuBuilder()
		.setCustomId(encodeRead({ kind: 'select' }))
		.setPlaceholder('Resume a story')
		.addOptions(
			shown.map(({ entry, story }) => ({
				label: truncate(orDash(plainText(story.title), 'Untitled'), LIMITS.optionLabel),
				value: encodeLocation(story.id, Math.min(entry.page, story.pageCount)),
				description: truncate(
					`page ${Math.min(entry.page, story.pageCount)} of ${story.pageCount}`,
					LIMITS.optionDescription,
				),
			})),
		);
	return message({
		embeds: [embed.toJSON()],
		components: [new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(menu).toJSON()],
	});
}
