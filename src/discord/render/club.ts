import { ActionRowBuilder, ButtonBuilder, EmbedBuilder } from '@discordjs/builders';
import { ButtonStyle } from 'discord.js';
import type { StoryRecord } from '../../archive/store.js';
import type { Club, ClubPart } from '../../state.js';
import { describeSchedule } from '../club-schedule.js';
import { encodeClub } from '../custom-id.js';
import { escapeText } from './escape.js';
import { LIMITS, truncate } from './limits.js';
import { type MessagePayload, message, RATING_COLOUR } from './message.js';

/** "a chapter", "3 pages". */
export const perLabel = (per: Club['per']) => (per === 'chapter' ? 'a chapter' : per === 1 ? 'a page' : `${per} pages`);

/** Discord's timestamp markup: shown in each reader's own time zone. */
const when = (at: Date, style: 'F' | 'R') => `<t:${Math.floor(at.getTime() / 1000)}:${style}>`;

/** "Part 3 · pages 19–27 of 95" (one page: "page 19 of 95"). */
export function partLabel(part: Pick<ClubPart, 'n' | 'first' | 'last'>, pageCount: number): string {
	const pages = part.first === part.last ? `page ${part.first}` : `pages ${part.first}–${part.last}`;
	return `Part ${part.n} · ${pages} of ${pageCount}`;
}

/**
 * The message that ends an installment in its thread: what it was, when the next comes (or that the story is
 * over), and "Caught up", which each member presses for themselves.
 */
export function partEnd(
	club: Club,
	story: StoryRecord,
	part: ClubPart,
	next: Date | null,
	cut: number,
): MessagePayload {
	const lines = [`**${partLabel(part, story.pageCount)}** of “${escapeText(story.title)}”.`];
	if (cut > 0) {
		lines.push(
			`This part goes on for ${cut} more ${cut === 1 ? 'page' : 'pages'}: press **Next ›** on the last page above to read on.`,
		);
	}
	lines.push(
		next
			? `The next part comes ${when(next, 'F')} (${when(next, 'R')}).`
			: 'That was the last part: the story is finished. Thank you for reading together.',
	);
	lines.push('Press **Caught up** when you have read it: `/club status` shows who has.');
	const button = new ButtonBuilder()
		.setCustomId(
			encodeClub({
				kind: 'caught-up',
				channelId: club.channelId,
				part: part.n,
				storyId: story.id,
				lastPage: part.last,
			}),
		)
		.setLabel('Caught up')
		.setEmoji({ name: '✅' })
		.setStyle(ButtonStyle.Success);
	return message({
		content: truncate(lines.join('\n'), LIMITS.content),
		components: [new ActionRowBuilder<ButtonBuilder>().addComponents(button).toJSON()],
	});
}

/** A club's state for `/club status`: the story, the schedule, how far it is, and who has caught up. */
export function clubStatus(
	club: Club,
	story: StoryRecord | undefined,
	readers: Record<string, number>,
	next: Date | null,
): MessagePayload {
	const latest = club.parts.at(-1);
	const pages = story?.pageCount;
	const embed = new EmbedBuilder()
		.setTitle(truncate(`Reading club · ${escapeText(story?.title ?? club.title)}`, LIMITS.embedTitle))
		.setColor(story ? RATING_COLOUR[story.rating] : 0x99aab5);
	const state =
		club.status === 'done'
			? 'Finished: every part has been posted.'
			: club.status === 'paused'
				? `Paused${club.pausedBecause ? `: ${club.pausedBecause}` : ' by a member with Manage Server'}. \`/club resume\` carries on.`
				: next
					? `Next part ${when(next, 'F')} (${when(next, 'R')}).`
					: 'Active.';
	const progress = latest
		? `${club.parts.length} ${club.parts.length === 1 ? 'part' : 'parts'} posted, up to page ${latest.last}${pages ? ` of ${pages}` : ''}; the latest in <#${latest.threadId}>.`
		: 'No part posted yet.';
	const byPart = new Map<number, string[]>();
	for (const [user, part] of Object.entries(readers)) byPart.set(part, [...(byPart.get(part) ?? []), `<@${user}>`]);
	const caught = [...byPart.entries()]
		.sort(([a], [b]) => b - a)
		.map(
			([part, users]) =>
				`${latest && part >= latest.n ? `Part ${part} (the latest)` : `Part ${part}`}: ${users.join(', ')}`,
		);
	embed.addFields(
		{
			name: 'Where',
			value: `<#${club.channelId}>, each part in a thread of its own; started by <@${club.startedBy}>`,
			inline: false,
		},
		{
			name: 'When',
			value: truncate(`${describeSchedule(club.schedule)}, ${perLabel(club.per)} at a time`, LIMITS.fieldValue),
			inline: false,
		},
		{ name: 'Progress', value: truncate(progress, LIMITS.fieldValue), inline: false },
		{ name: 'State', value: truncate(state, LIMITS.fieldValue), inline: false },
		{ name: 'Caught up', value: truncate(caught.join('\n') || 'Nobody yet.', LIMITS.fieldValue), inline: false },
	);
	return message({ embeds: [embed.toJSON()] });
}
