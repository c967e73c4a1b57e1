import {
	ActionRowBuilder,
	EmbedBuilder,
	StringSelectMenuBuilder,
	StringSelectMenuOptionBuilder,
} from '@discordjs/builders';
import type { Shared, SimilarStory } from '../../archive/similar.js';
import type { Rating } from '../../archive/types.js';
import { encodeStory } from '../custom-id.js';
import { type Gate, textAllowed } from '../gate.js';
import { escapeText, plainText } from './escape.js';
import { LIMITS, truncate } from './limits.js';
import { type MessagePayload, message, RATING_COLOUR } from './message.js';

export interface SimilarView {
	story: { title: string; rating: Rating };
	/** The story's nearest stories, nearest first (the store's `similar`). */
	list: readonly SimilarStory[];
	/** The rating gate where the list is shown: words of a text it hides are not named. */
	gate: Gate;
}

/**
 * Why two stories are close, in a line: "Same series: … · Characters: Buffy, Willow · Tags: … · Words: …". Words are
 * words of the stories' text: named only where the gate shows both texts, else "similar wording".
 */
export function whyLine(shared: Shared, wordsShown: boolean): string {
	const parts: string[] = [];
	const list = (names: string[] | undefined) => (names ?? []).map((name) => escapeText(name)).join(', ');
	if (shared.series?.length) parts.push(`Same series: ${list(shared.series)}`);
	if (shared.fandoms?.length) parts.push(`Fandom: ${list(shared.fandoms)}`);
	if (shared.relationships?.length) parts.push(`Relationships: ${list(shared.relationships)}`);
	if (shared.characters?.length) parts.push(`Characters: ${list(shared.characters)}`);
	if (shared.tags?.length) parts.push(`Tags: ${list(shared.tags)}`);
	if (shared.words?.length) parts.push(wordsShown ? `Words: ${list(shared.words)}` : 'Similar wording');
	return parts.length ? parts.join(' · ') : 'Close in several small ways';
}

/** "More like this": up to five stories near this one, each with why, and a menu that opens one's card. */
export function similarStories(view: SimilarView): MessagePayload {
	const embed = new EmbedBuilder()
		.setTitle(truncate(`More like ${escapeText(view.story.title)}`, LIMITS.embedTitle))
		.setColor(RATING_COLOUR[view.story.rating]);
	if (!view.list.length) {
		embed.setDescription('No other story in the archive is close enough to this one.');
		return message({ embeds: [embed.toJSON()] });
	}
	const shown = textAllowed(view.story.rating, view.gate);
	embed.addFields(
		view.list.slice(0, LIMITS.fields).map((s, i) => ({
			name: truncate(
				`${i + 1}. ${escapeText(s.title)}${s.author ? ` — ${escapeText(s.author)}` : ''} · ${s.rating}`,
				LIMITS.fieldName,
			),
			value: truncate(whyLine(s.shared, shown && textAllowed(s.rating, view.gate)), LIMITS.fieldValue),
		})),
	);
	embed.setFooter({ text: 'Close by shared series, fandom, characters, tags and wording' });
	const menu = new StringSelectMenuBuilder()
		.setCustomId(encodeStory({ kind: 'card' }))
		.setPlaceholder('Open a story’s card')
		.addOptions(
			view.list.slice(0, LIMITS.selectOptions).map((s) =>
				new StringSelectMenuOptionBuilder()
					.setLabel(truncate(plainText(s.title) || 'Untitled', LIMITS.optionLabel))
					.setValue(String(s.id))
					.setDescription(
						truncate(
							`${s.author ? `by ${plainText(s.author)}` : 'author unknown'} · ${s.rating}`,
							LIMITS.optionDescription,
						),
					),
			),
		);
	return message({
		embeds: [embed.toJSON()],
		components: [new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(menu).toJSON()],
	});
}
