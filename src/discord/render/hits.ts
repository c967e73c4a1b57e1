import {
	ActionRowBuilder,
	ButtonBuilder,
	EmbedBuilder,
	StringSelectMenuBuilder,
	StringSelectMenuOptionBuilder,
} from '@discordjs/builders';
import { ButtonStyle } from 'discord.js';
import type { SearchHit, SearchResults } from '../../archive/search/index.js';
import { encodeLocation, encodeRead, encodeSearch } from '../custom-id.js';
import { type Gate, textAllowed } from '../gate.js';
import { escapeText, plainText, snippetMarkdown } from './escape.js';
import { LIMITS, orDash, truncate } from './limits.js';
import { type MessagePayload, message } from './message.js';

export const RESULTS_PER_PAGE = 5;
const SEARCH_COLOUR = 0x5865f2;

/**
 * A search's embed title: the query as the user typed it, escaped (Discord reads markdown in titles, and the query
 * is user input shown in the channel), cut to the title's limit.
 */
const searchTitle = (query: string) => truncate(`Search: ${orDash(escapeText(query), '(nothing)')}`, LIMITS.embedTitle);

export interface ResultsView {
	query: string;
	results: SearchResults;
	offset: number;
	/** Who turns this message's result pages. */
	owner: string;
	/**
	 * The query as it travels in the controls' custom_ids: itself when it fits, else `#<hash>`; null: no paging and
	 * no menu of the stories' other pages.
	 */
	key: string | null;
	/** The rating gate where the results are shown: snippets it hides are replaced by a note. */
	gate: Gate;
	/** Each hit's chapter number, for stories of more than one chapter (same order as the hits). */
	chapters?: (number | undefined)[];
	/** Whether the query looks for words, so that a story's pages can match it (not filters alone). */
	words?: boolean;
	/** `results.instead`'s query as its button carries it (as `key` is carried); null or absent: no button. */
	insteadKey?: string | null;
}

/** Previous and Next for a list turned by its owner (ids from `to(offset)`). */
export function pager(offset: number, perPage: number, more: boolean, to: (offset: number) => string) {
	return new ActionRowBuilder<ButtonBuilder>()
		.addComponents(
			new ButtonBuilder()
				.setCustomId(to(Math.max(0, offset - perPage)))
				.setLabel('‹ Previous')
				.setStyle(ButtonStyle.Secondary)
				.setDisabled(offset === 0),
			new ButtonBuilder()
				.setCustomId(to(offset + perPage))
				.setLabel('Next ›')
				.setStyle(ButtonStyle.Secondary)
				.setDisabled(!more),
		)
		.toJSON();
}

/**
 * Search results: five hits as fields with bold-matched snippets, Previous/Next, a menu to open a hit, and one to
 * list every matching page of a hit's story.
 */
export function searchResults(view: ResultsView): MessagePayload {
	const { results, offset } = view;
	const lines: string[] = [];
	// A correction is a word of the archive's text: named only when a hit here shows text (else it may be a
	// word of a story the gate hides).
	if (results.corrected) {
		lines.push(
			results.hits.some((hit) => textAllowed(hit.rating, view.gate))
				? `Showing results for **${escapeText(results.corrected)}**`
				: 'Showing results for a corrected spelling.',
		);
	}
	for (const note of results.notes) lines.push(`*${escapeText(note)}*`);
	if (!results.hits.length) {
		lines.push(offset ? 'No more results.' : `No stories match **${escapeText(truncate(view.query, 200))}**.`);
	}
	const embed = new EmbedBuilder().setTitle(searchTitle(view.query)).setColor(SEARCH_COLOUR);
	if (lines.length) embed.setDescription(truncate(lines.join('\n'), LIMITS.embedDescription));
	embed.addFields(
		results.hits.slice(0, LIMITS.fields).map((hit, i) => ({
			name: truncate(
				`${offset + i + 1}. ${escapeText(hit.title)}${hit.author ? ` — ${escapeText(hit.author)}` : ''} · ${pageLabel(view.chapters?.[i], hit.page)}`,
				LIMITS.fieldName,
			),
			value: snippetShown(hit, view.gate),
		})),
	);
	if (results.hits.length) {
		embed.setFooter({
			text: `Results ${offset + 1}–${offset + results.hits.length}${results.more ? ' · more with Next' : ''}`,
		});
	}
	const components = [];
	const key = view.key;
	if (key !== null && (offset > 0 || results.more)) {
		const to = (o: number) => encodeSearch({ kind: 'page', offset: o, owner: view.owner, key });
		components.push(pager(offset, RESULTS_PER_PAGE, results.more, to));
	}
	if (results.instead && view.insteadKey) {
		// Nothing matched, and without one word something does: one click to search for that.
		components.push(
			new ActionRowBuilder<ButtonBuilder>()
				.addComponents(
					new ButtonBuilder()
						.setCustomId(encodeSearch({ kind: 'page', offset: 0, owner: view.owner, key: view.insteadKey }))
						.setLabel(truncate(`Search without “${plainText(results.instead.without)}”`, LIMITS.buttonLabel))
						.setStyle(ButtonStyle.Primary),
				)
				.toJSON(),
		);
	}
	if (results.hits.length) {
		components.push(openMenu(results.hits.map((hit) => ({ ...hit, label: `${hit.title} · page ${hit.page}` }))));
	}
	if (key !== null && results.hits.length && view.words !== false) {
		const stories = [...new Map(results.hits.map((hit) => [hit.storyId, hit])).values()];
		components.push(
			new ActionRowBuilder<StringSelectMenuBuilder>()
				.addComponents(
					new StringSelectMenuBuilder()
						.setCustomId(encodeSearch({ kind: 'story', key }))
						.setPlaceholder('Every matching page of a story')
						.addOptions(
							stories.slice(0, LIMITS.selectOptions).map((hit) =>
								new StringSelectMenuOptionBuilder()
									.setLabel(truncate(`Pages of ${plainText(hit.title)}`, LIMITS.optionLabel))
									.setValue(String(hit.storyId))
									.setDescription(byline(hit.author)),
							),
						),
				)
				.toJSON(),
		);
	}
	return message({ embeds: [embed.toJSON()], components });
}

/** Where a hit is: "page 3", or "chapter 2, page 3" in a story of chapters. */
const pageLabel = (chapter: number | undefined, page: number) =>
	chapter ? `chapter ${chapter}, page ${page}` : `page ${page}`;

/** A hit's snippet, or a note where the rating gate hides its text. */
const snippetShown = (hit: SearchHit, gate: Gate) =>
	textAllowed(hit.rating, gate)
		? truncate(orDash(snippetMarkdown(hit.snippet, hit.markup), '…'), LIMITS.fieldValue)
		: `*Rated ${hit.rating}: text shown only in age-restricted channels.*`;

const byline = (author: string | null) =>
	truncate(author ? `by ${plainText(author)}` : 'author unknown', LIMITS.optionDescription);

/** A menu that opens hits at their pages (a hit's story and page once). */
function openMenu(hits: readonly (SearchHit & { label: string })[]) {
	const seen = new Set<string>();
	const options = [];
	for (const hit of hits.slice(0, LIMITS.selectOptions)) {
		const value = encodeLocation(hit.storyId, hit.page);
		if (seen.has(value)) continue;
		seen.add(value);
		options.push(
			new StringSelectMenuOptionBuilder()
				.setLabel(truncate(plainText(hit.label), LIMITS.optionLabel))
				.setValue(value)
				.setDescription(byline(hit.author)),
		);
	}
	return new ActionRowBuilder<StringSelectMenuBuilder>()
		.addComponents(
			new StringSelectMenuBuilder()
				.setCustomId(encodeRead({ kind: 'select' }))
				.setPlaceholder('Open a result at its page')
				.addOptions(options),
		)
		.toJSON();
}

export interface StoryPagesView {
	query: string;
	story: { title: string; author: string | null };
	/** The story's matching pages, best first (at most `STORY_PAGES`). */
	hits: readonly SearchHit[];
	/** Whether more pages match than are listed. */
	more: boolean;
	gate: Gate;
	/** Each page's chapter number, for a story of more than one chapter (same order as the hits). */
	chapters?: (number | undefined)[];
}

/** How many of a story's matching pages are listed. */
export const STORY_PAGES = 10;

/** Every page of one story that matches a search (the first ten, best first), with a menu to open one. */
export function storyPages(view: StoryPagesView): MessagePayload {
	const { title, author } = view.story;
	const where = (i: number, page: number) => {
		const label = pageLabel(view.chapters?.[i], page);
		return label.charAt(0).toUpperCase() + label.slice(1);
	};
	const embed = new EmbedBuilder().setTitle(searchTitle(view.query)).setColor(SEARCH_COLOUR);
	const story = `*${escapeText(title)}*${author ? ` by ${escapeText(author)}` : ''}`;
	if (!view.hits.length) {
		// Found by its title, author or summary alone.
		embed.setDescription(truncate(`No page of ${story} matches.`, LIMITS.embedDescription));
		return message({ embeds: [embed.toJSON()] });
	}
	const count = view.more ? `the best ${view.hits.length}` : `${view.hits.length}`;
	embed.setDescription(truncate(`Pages of ${story} that match: ${count}.`, LIMITS.embedDescription));
	embed.addFields(
		view.hits.slice(0, LIMITS.fields).map((hit, i) => ({
			name: truncate(where(i, hit.page), LIMITS.fieldName),
			value: snippetShown(hit, view.gate),
		})),
	);
	return message({
		embeds: [embed.toJSON()],
		components: [openMenu(view.hits.map((hit, i) => ({ ...hit, label: `${where(i, hit.page)} of ${hit.title}` })))],
	});
}
