import {
	ActionRowBuilder,
	ButtonBuilder,
	EmbedBuilder,
	ModalBuilder,
	StringSelectMenuBuilder,
	TextInputBuilder,
} from '@discordjs/builders';
import type { APIModalInteractionResponseCallbackData } from 'discord.js';
import { ButtonStyle, TextInputStyle } from 'discord.js';
import type { StoredPage, StoryRecord } from '../../archive/store.js';
import type { Chapter } from '../../archive/types.js';
import { encodeQuote, encodeRead } from '../custom-id.js';
import { escapeText, plainText, storyText } from './escape.js';
import { LIMITS, orDash, truncate } from './limits.js';
import { type MessagePayload, message, RATING_COLOUR } from './message.js';

/** The jump modal's text input. */
export const JUMP_INPUT = 'page';

/** "Chapter 2: The Crypt" (or "Chapter 2" when it has no title of its own). */
export const chapterLabel = (chapter: Chapter) =>
	`Chapter ${chapter.number}${chapter.title ? `: ${chapter.title}` : ''}`;

/** "Page 3 of 12 · Leaving · Slaymesoftly", after "Chapter 2: The Crypt · " in a story of chapters. */
export function pageFooter(story: StoryRecord, page: number, chapter?: Chapter): string {
	const parts = [`Page ${page} of ${story.pageCount}`, truncate(plainText(story.title), 100)];
	if (chapter && story.chapterCount > 1) parts.unshift(truncate(plainText(chapterLabel(chapter)), 120));
	if (story.author) parts.push(truncate(plainText(story.author), 80));
	return parts.join(' · ');
}

/** What the footer adds while everyone turns the pages. */
export const SHARED_FOOTER = 'everyone turns pages';

export interface ReaderOptions {
	quotable?: boolean;
	chapters?: Chapter[];
	/** Everyone's clicks turn this message (the owner handed the pages over). */
	shared?: boolean;
	/** The message is public and turned by its owner: offer the "Everyone turns pages" toggle. */
	shareable?: boolean;
}

/**
 * One page of a story: its text as the embed's description, the footer saying where you are, and the
 * reader's buttons (first, previous, n/N to jump, next, last). `owner` is who turns this message's pages
 * (everyone, when `shared`); every control carries the page it was made on, so a click from a page the message
 * has left since turns nothing.
 */
export function readerPage(
	story: StoryRecord,
	page: StoredPage,
	owner: string,
	options: ReaderOptions = {},
): MessagePayload {
	const chapters = options.chapters ?? [];
	const chapter = [...chapters].reverse().find((c) => c.firstPage <= page.number);
	const shared = Boolean(options.shared);
	const footer = pageFooter(story, page.number, chapter);
	const embed = new EmbedBuilder()
		.setTitle(truncate(orDash(escapeText(story.title), 'Untitled'), LIMITS.embedTitle))
		.setDescription(truncate(orDash(storyText(page.text, story.markup), '*(a blank page)*'), LIMITS.embedDescription))
		.setColor(RATING_COLOUR[story.rating])
		.setFooter({ text: shared ? truncate(`${footer} · ${SHARED_FOOTER}`, LIMITS.footer) : footer });
	const n = page.number;
	const last = story.pageCount;
	const state = { storyId: story.id, owner, shared, from: n };
	const nav = (kind: 'first' | 'prev' | 'next' | 'last', target: number, label: string, disabled: boolean) =>
		new ButtonBuilder()
			.setCustomId(encodeRead({ kind, ...state, page: Math.min(Math.max(target, 1), last) }))
			.setLabel(label)
			.setStyle(ButtonStyle.Secondary)
			.setDisabled(disabled);
	const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
		nav('first', 1, '« First', n <= 1),
		nav('prev', n - 1, '‹ Previous', n <= 1),
		new ButtonBuilder()
			.setCustomId(encodeRead({ kind: 'jump', ...state, page: n }))
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
	if (options.shareable || shared) {
		tools.addComponents(
			new ButtonBuilder()
				.setCustomId(encodeRead({ kind: 'together', storyId: story.id, page: n, owner, shared: !shared }))
				.setLabel(shared ? 'Everyone turns pages ✓' : 'Everyone turns pages')
				.setEmoji({ name: '👥' })
				.setStyle(shared ? ButtonStyle.Success : ButtonStyle.Secondary),
		);
	}
	const rows: MessagePayload['components'] = [row.toJSON(), tools.toJSON()];
	if (chapters.length > 1 && chapter) rows.push(chapterMenu(chapters, chapter, state));
	return message({ embeds: [embed.toJSON()], components: rows });
}

/**
 * The menu to jump between chapters: all of them, or the 25 around the current one in a long story. The
 * current chapter is shown as chosen.
 */
function chapterMenu(
	chapters: Chapter[],
	current: Chapter,
	state: { storyId: number; owner: string; shared: boolean; from: number },
) {
	const at = chapters.findIndex((c) => c.number === current.number);
	const from = Math.max(0, Math.min(at - 12, chapters.length - LIMITS.selectOptions));
	const menu = new StringSelectMenuBuilder()
		.setCustomId(encodeRead({ kind: 'chapter', ...state }))
		.setPlaceholder('Jump to a chapter')
		.addOptions(
			chapters.slice(from, from + LIMITS.selectOptions).map((c) => ({
				label: truncate(orDash(plainText(chapterLabel(c))), LIMITS.optionLabel),
				value: String(c.number),
				description: truncate(
					`page ${c.firstPage} · ${c.pageCount} ${c.pageCount === 1 ? 'page' : 'pages'}`,
					LIMITS.optionDescription,
				),
				default: c.number === current.number,
			})),
		);
	return new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(menu).toJSON();
}

/** The "go to page" modal opened by the n/N button of a reader at page `current`. */
export function jumpModal(
	story: StoryRecord,
	owner: string,
	current: number,
	shared = false,
): APIModalInteractionResponseCallbackData {
	return new ModalBuilder()
		.setCustomId(encodeRead({ kind: 'modal', storyId: story.id, owner, shared, from: current }))
		.setTitle(truncate(`Go to page · ${plainText(story.title)}`, LIMITS.modalTitle))
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
