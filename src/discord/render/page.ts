import { ActionRowBuilder, ButtonBuilder, EmbedBuilder, ModalBuilder, TextInputBuilder } from '@discordjs/builders';
import type { APIModalInteractionResponseCallbackData } from 'discord.js';
import { ButtonStyle, TextInputStyle } from 'discord.js';
import { escapeMarkdown } from '../../archive/markdown.js';
import type { StoredPage, StoryRecord } from '../../archive/store.js';
import { encodeQuote, encodeRead } from '../custom-id.js';
import { LIMITS, orDash, truncate } from './limits.js';
import { type MessagePayload, message, RATING_COLOUR } from './message.js';

/** The jump modal's text input. */
export const JUMP_INPUT = 'page';

/** "Page 3 of 12 · Leaving · Slaymesoftly" */
export function pageFooter(story: StoryRecord, page: number): string {
	const parts = [`Page ${page} of ${story.pageCount}`, truncate(story.title, 100)];
	if (story.author) parts.push(truncate(story.author, 80));
	return parts.join(' · ');
}

/**
 * One page of a story: its text as the embed's description, the footer saying where you are, and the
 * reader's buttons (first, previous, n/N to jump, next, last). `owner` is who turns this message's pages.
 */
export function readerPage(
	story: StoryRecord,
	page: StoredPage,
	owner: string,
	options: { quotable?: boolean } = {},
): MessagePayload {
	const embed = new EmbedBuilder()
		.setTitle(truncate(orDash(escapeMarkdown(story.title), 'Untitled'), LIMITS.embedTitle))
		.setDescription(truncate(orDash(escapeMarkdown(page.text), '*(a blank page)*'), LIMITS.embedDescription))
		.setColor(RATING_COLOUR[story.rating])
		.setFooter({ text: pageFooter(story, page.number) });
	const n = page.number;
	const last = story.pageCount;
	const nav = (kind: 'first' | 'prev' | 'next' | 'last', target: number, label: string, disabled: boolean) =>
		new ButtonBuilder()
			.setCustomId(encodeRead({ kind, storyId: story.id, page: Math.min(Math.max(target, 1), last), owner }))
			.setLabel(label)
			.setStyle(ButtonStyle.Secondary)
			.setDisabled(disabled);
	const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
		nav('first', 1, '« First', n <= 1),
		nav('prev', n - 1, '‹ Previous', n <= 1),
		new ButtonBuilder()
			.setCustomId(encodeRead({ kind: 'jump', storyId: story.id, page: n, owner }))
			.setLabel(`${n} / ${last}`)
			.setStyle(ButtonStyle.Primary)
			.setDisabled(last <= 1),
		nav('next', n + 1, 'Next ›', n >= last),
		nav('last', last, 'Last »', n >= last),
	);
	// Per reader, not per message: a bookmark is the clicker's, and the lines offered are shown to them alone.
	const tools = new ActionRowBuilder<ButtonBuilder>().addComponents(
		new ButtonBuilder()
			.setCustomId(encodeRead({ kind: 'bookmark', storyId: story.id, page: n }))
			.setLabel('Bookmark')
			.setEmoji({ name: '🔖' })
			.setStyle(ButtonStyle.Secondary),
	);
	if (options.quotable) {
		tools.addComponents(
			new ButtonBuilder()
				.setCustomId(encodeQuote({ kind: 'line', storyId: story.id, page: n }))
				.setLabel('Quote a line')
				.setStyle(ButtonStyle.Secondary),
		);
	}
	return message({ embeds: [embed.toJSON()], components: [row.toJSON(), tools.toJSON()] });
}

/** The "go to page" modal opened by the n/N button. */
export function jumpModal(story: StoryRecord, owner: string, current: number): APIModalInteractionResponseCallbackData {
	return new ModalBuilder()
		.setCustomId(encodeRead({ kind: 'modal', storyId: story.id, owner }))
		.setTitle(truncate(`Go to page · ${story.title}`, LIMITS.modalTitle))
		.addComponents(
			new ActionRowBuilder<TextInputBuilder>().addComponents(
				new TextInputBuilder()
					.setCustomId(JUMP_INPUT)
					.setLabel(truncate(`Page (1 to ${story.pageCount})`, LIMITS.inputLabel))
					.setStyle(TextInputStyle.Short)
					.setPlaceholder(String(current))
					.setMinLength(1)
					.setMaxLength(6)
					.setRequired(true),
			),
		)
		.toJSON();
}
