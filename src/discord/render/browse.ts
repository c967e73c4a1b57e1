import {
	ActionRowBuilder,
	EmbedBuilder,
	StringSelectMenuBuilder,
	StringSelectMenuOptionBuilder,
} from '@discordjs/builders';
import { FACET_NAMES } from '../../archive/facets.js';
import type { StoryRecord } from '../../archive/store.js';
import { type BrowseKind, type BrowseRoute, encodeBrowse } from '../custom-id.js';
import { type Gate, ratingRank } from '../gate.js';
import { escapeText, plainText } from './escape.js';
import { pager } from './hits.js';
import { LIMITS, orDash, truncate } from './limits.js';
import { type MessagePayload, message, number } from './message.js';

/** Tags on a page of /browse, and stories on a page of a tag's. */
export const VALUES_PER_PAGE = 10;
export const STORIES_PER_PAGE = 5;
const BROWSE_COLOUR = 0x5865f2;
const SUMMARY = 200;

/** How /browse names a kind of tag ("Ships", for relationships, as its subcommand is called). */
export const BROWSE_TITLES: Record<BrowseKind, { one: string; many: string }> = {
	...FACET_NAMES,
	relationship: { one: 'ship', many: 'ships' },
};
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const stories = (n: number) => `${number(n)} ${n === 1 ? 'story' : 'stories'}`;

/** What the gate leaves out of a list outside age-restricted channels, said once under it. */
function gateLine(gate: Gate): string | null {
	if (gate.nsfw) return null;
	const upTo = ratingRank(gate.maxRating) === 0 ? 'General' : `up to ${gate.maxRating}`;
	return `Counting stories rated ${upTo}; age-restricted (NSFW) channels list the rest.`;
}

export interface ValuesView {
	facet: BrowseKind;
	/** The tags on this page, most used first; `ref` is how the menu's option carries it (key or `#hash`). */
	values: { value: string; stories: number; ref: string }[];
	offset: number;
	more: boolean;
	owner: string;
	/** What the list is narrowed to ("" for all); null: it does not fit the buttons' ids, so no paging. */
	typed: string | null;
	gate: Gate;
}

/** A page of a kind's tags with their stories, most used first; a menu lists a tag's stories. */
export function browseValues(view: ValuesView): MessagePayload {
	const names = BROWSE_TITLES[view.facet];
	const narrowed = view.typed ? ` matching “${escapeText(truncate(view.typed, 100))}”` : '';
	const embed = new EmbedBuilder()
		.setTitle(truncate(`${capital(names.many)}${narrowed}`, LIMITS.embedTitle))
		.setColor(BROWSE_COLOUR);
	const lines = view.values.map(
		(v, i) => `**${view.offset + i + 1}.** ${escapeText(truncate(v.value, 150))} · ${stories(v.stories)}`,
	);
	if (!lines.length) lines.push(view.offset ? 'No more.' : `No ${names.many}${narrowed} here.`);
	const gate = gateLine(view.gate);
	if (gate) lines.push('', `*${gate}*`);
	embed.setDescription(truncate(lines.join('\n'), LIMITS.embedDescription));
	if (view.values.length)
		embed.setFooter({
			text: `${capital(names.many)} ${view.offset + 1}–${view.offset + view.values.length}, most stories first${view.more ? ' · more with Next' : ''}`,
		});
	const components = [];
	const typed = view.typed;
	if (typed !== null && (view.offset > 0 || view.more)) {
		components.push(
			pager(view.offset, VALUES_PER_PAGE, view.more, (offset) =>
				encodeBrowse({ kind: 'values', facet: view.facet, offset, owner: view.owner, typed }),
			),
		);
	}
	if (view.values.length) {
		components.push(
			new ActionRowBuilder<StringSelectMenuBuilder>()
				.addComponents(
					new StringSelectMenuBuilder()
						.setCustomId(encodeBrowse({ kind: 'pick', facet: view.facet, owner: view.owner }))
						.setPlaceholder(`The stories of a ${names.one}`)
						.addOptions(
							view.values.slice(0, LIMITS.selectOptions).map((v) =>
								new StringSelectMenuOptionBuilder()
									.setLabel(truncate(plainText(v.value), LIMITS.optionLabel))
									.setValue(v.ref)
									.setDescription(stories(v.stories)),
							),
						),
				)
				.toJSON(),
		);
	}
	return message({ embeds: [embed.toJSON()], components });
}

export interface StoriesView {
	facet: BrowseKind;
	/** The tag as most of its stories spell it. */
	value: string;
	/** Its stories the gate allows here, in all. */
	total: number;
	stories: StoryRecord[];
	offset: number;
	more: boolean;
	owner: string;
	/** The tag as the buttons carry it (key or `#hash`); null: no paging. */
	ref: string | null;
	gate: Gate;
}

/** One line on a story's length and state: "Teen · 2,782 words · 3 chapters · complete". */
function storyLine(story: StoryRecord): string {
	const parts = [story.rating, `${number(story.words)} words`];
	if (story.chapterCount > 1) parts.push(`${number(story.chapterCount)} chapters`);
	if (story.meta.complete === true) parts.push('complete');
	else if (story.meta.complete === false) parts.push('in progress');
	return parts.join(' · ');
}

/** A page of a tag's stories in title order, each with its length and summary; a menu opens a story's card. */
export function browseStories(view: StoriesView): MessagePayload {
	const names = BROWSE_TITLES[view.facet];
	const embed = new EmbedBuilder()
		.setTitle(truncate(`${capital(names.one)}: ${escapeText(view.value)}`, LIMITS.embedTitle))
		.setColor(BROWSE_COLOUR);
	const lines = [view.total ? `${stories(view.total)}, in title order.` : `No stories with this ${names.one} here.`];
	if (!view.stories.length && view.offset) lines.push('No more.');
	const gate = gateLine(view.gate);
	if (gate) lines.push(`*${gate}*`);
	embed.setDescription(truncate(lines.join('\n'), LIMITS.embedDescription));
	embed.addFields(
		view.stories.slice(0, LIMITS.fields).map((story, i) => {
			const summary = story.meta.summary?.replace(/\s+/g, ' ').trim();
			return {
				name: truncate(
					`${view.offset + i + 1}. ${escapeText(story.title)}${story.author ? ` — ${escapeText(story.author)}` : ''}`,
					LIMITS.fieldName,
				),
				value: truncate(
					orDash(`${storyLine(story)}${summary ? `\n${escapeText(truncate(summary, SUMMARY))}` : ''}`),
					LIMITS.fieldValue,
				),
			};
		}),
	);
	if (view.stories.length)
		embed.setFooter({
			text: `Stories ${view.offset + 1}–${view.offset + view.stories.length}${view.more ? ' · more with Next' : ''}`,
		});
	const components = [];
	const ref = view.ref;
	if (ref !== null && (view.offset > 0 || view.more)) {
		components.push(
			pager(view.offset, STORIES_PER_PAGE, view.more, (offset) =>
				encodeBrowse({ kind: 'stories', facet: view.facet, offset, owner: view.owner, key: ref }),
			),
		);
	}
	if (view.stories.length) {
		components.push(
			new ActionRowBuilder<StringSelectMenuBuilder>()
				.addComponents(
					new StringSelectMenuBuilder()
						.setCustomId(encodeBrowse({ kind: 'open' } satisfies BrowseRoute))
						.setPlaceholder('Open a story’s card')
						.addOptions(
							view.stories.slice(0, LIMITS.selectOptions).map((story) =>
								new StringSelectMenuOptionBuilder()
									.setLabel(truncate(plainText(story.title), LIMITS.optionLabel))
									.setValue(String(story.id))
									.setDescription(
										truncate(
											story.author ? `by ${plainText(story.author)}` : 'author unknown',
											LIMITS.optionDescription,
										),
									),
							),
						),
				)
				.toJSON(),
		);
	}
	return message({ embeds: [embed.toJSON()], components });
}
