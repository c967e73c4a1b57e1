import { ActionRowBuilder, ButtonBuilder, EmbedBuilder } from '@discordjs/builders';
import { ButtonStyle } from 'discord.js';
import type { StoryRecord } from '../../archive/store.js';
import type { Character } from '../../archive/types.js';
import { type CardSettings, DEFAULT_CARD } from '../../state.js';
import { encodeRead, encodeStory } from '../custom-id.js';
import { escapeText, plainText, spoilerText } from './escape.js';
import { LIMITS, orDash, truncate, truncateMarkdown } from './limits.js';
import { type MessagePayload, message, number, RATING_COLOUR, readingTime } from './message.js';

const CARD_DESCRIPTION = 1500;
/** A short summary (a server's choice): about two sentences, enough to tell stories apart in a channel. */
export const SHORT_SUMMARY = 300;
const CARD_CHARACTERS = 10;

export interface CardOptions {
	/** The card is shown only to the person who asked: it gets a Share button that posts it publicly. */
	ephemeral?: boolean;
	/** The story's text may not be shown here (rating gate): no Read or quote buttons. */
	gated?: boolean;
	/** A line above the card, e.g. why the text is not shown. */
	notice?: string;
	/** What the server's cards show (absent: everything, as by default). */
	card?: CardSettings;
}

/** "Teen (PG13)", or just "Teen" when the header wrote it that way or had no rating. */
export function ratingLabel(story: Pick<StoryRecord, 'rating' | 'ratingText'>): string {
	const written = story.ratingText?.trim();
	return written && written.toLowerCase() !== story.rating.toLowerCase()
		? `${story.rating} (${written})`
		: story.rating;
}

/** Sites stories are posted on, by domain, as the link button names them; any other site goes by its host. */
const SITES: Record<string, string> = {
	'archiveofourown.org': 'AO3',
	'ao3.org': 'AO3',
	'fanfiction.net': 'FanFiction.Net',
	'fictionpress.com': 'FictionPress',
	'wattpad.com': 'Wattpad',
	'fimfiction.net': 'FimFiction',
	'royalroad.com': 'Royal Road',
	'spacebattles.com': 'SpaceBattles',
	'sufficientvelocity.com': 'Sufficient Velocity',
	'questionablequesting.com': 'Questionable Questing',
	'tthfanfic.org': 'TtH',
	'livejournal.com': 'LiveJournal',
	'dreamwidth.org': 'Dreamwidth',
	'tumblr.com': 'Tumblr',
	'asianfanfics.com': 'Asianfanfics',
	'quotev.com': 'Quotev',
	'ficbook.net': 'Ficbook',
};

/**
 * The card's link to where the story was posted ("Open on AO3", "Open on Wattpad", "Open on example.org"), or
 * null when the story has no address, or one that is not http(s) or too long for a link button.
 */
export function sourceLink(address: string | undefined): { url: string; label: string } | null {
	if (!address) return null;
	let url: URL;
	try {
		url = new URL(address);
	} catch {
		return null;
	}
	if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.href.length > LIMITS.buttonUrl) return null;
	const host = url.hostname.toLowerCase().replace(/^www\./, '');
	const site = Object.entries(SITES).find(([domain]) => host === domain || host.endsWith(`.${domain}`))?.[1] ?? host;
	return { url: url.href, label: truncate(`Open on ${site}`, LIMITS.buttonLabel) };
}

const field = (name: string, value: string, inline = true) => ({
	name: truncate(name, LIMITS.fieldName),
	value: truncateMarkdown(orDash(value), LIMITS.fieldValue),
	inline,
});

/**
 * A summary cut to about `max` characters at a word (a long word is cut where it reaches `max`), with "…"
 * when anything was left out.
 */
export function shortSummary(text: string, max = SHORT_SUMMARY): string {
	const whole = text.trim();
	if (whole.length <= max) return whole;
	const atWord = /^[\s\S]*\s/.exec(whole.slice(0, max))?.[0].trimEnd() ?? '';
	return atWord.length > max / 2 ? `${atWord}…` : truncate(whole, max);
}

/** The card settings each optional field follows; fields not named here always show. */
const FIELD_SETTING: Partial<Record<string, 'fandom' | 'relationships' | 'warnings' | 'tags'>> = {
	Relationships: 'relationships',
	Pairing: 'relationships',
	Fandom: 'fandom',
	Warnings: 'warnings',
	Tags: 'tags',
};

/**
 * The metadata card: who wrote it, rating, length, date, characters, summary; Read, Read in a thread, Random
 * quote, Share. The server's card settings leave fields out, shorten the summary, or put warnings and tags
 * behind spoiler bars.
 */
export function storyCard(story: StoryRecord, characters: Character[], options: CardOptions = {}): MessagePayload {
	const meta = story.meta;
	const card = options.card ?? DEFAULT_CARD;
	const summary = meta.summary ?? (meta.notes.length ? meta.notes.join('\n') : (meta.disclaimer ?? ''));
	const about = card.summary === 'none' ? '' : card.summary === 'short' ? shortSummary(summary) : summary;
	const embed = new EmbedBuilder()
		.setTitle(truncate(orDash(escapeText(story.title), 'Untitled'), LIMITS.embedTitle))
		.setColor(RATING_COLOUR[story.rating])
		// How to come back to it: the command that opens it, which a reader can type or share (was "Story N").
		.setFooter({
			text: `Open it again: /read story:${truncate(plainText(story.title), 150)}${meta.language ? ` · ${truncate(plainText(meta.language), 40)}` : ''}`,
		});
	if (about.trim()) embed.setDescription(truncate(escapeText(about), CARD_DESCRIPTION));
	const words =
		story.declaredWords && story.declaredWords !== story.words
			? `${number(story.words)} (${number(story.declaredWords)} declared)`
			: number(story.words);
	const fields = [
		field('Author', escapeText(story.author ?? 'Unknown')),
		field('Rating', escapeText(ratingLabel(story))),
		field('Words', `${words} · ${readingTime(story.words)}`),
	];
	if (meta.published && meta.updated && meta.updated !== meta.published) {
		fields.push(field('Published', escapeText(`${meta.published}, updated ${meta.updated}`)));
	} else if (story.date) {
		fields.push(field('Date', escapeText(story.date)));
	}
	const chapters =
		story.chapterCount > 1 || meta.plannedChapters
			? `${number(story.chapterCount)}${meta.plannedChapters ? `/${number(meta.plannedChapters)}` : ''} chapters · `
			: '';
	const status = meta.complete === true ? ' · complete' : meta.complete === false ? ' · in progress' : '';
	fields.push(
		field('Length', `${chapters}${number(story.pageCount)} ${story.pageCount === 1 ? 'page' : 'pages'}${status}`),
	);
	if (meta.series) fields.push(field('Series', `Part ${meta.series.part} of ${escapeText(meta.series.name)}`));
	// Characters as the source tagged them, else as the text shows them.
	const names = meta.characterTags?.length
		? meta.characterTags.slice(0, 20).map((tag) => escapeText(tag))
		: characters.slice(0, CARD_CHARACTERS).map((c) => escapeText(c.name));
	if (names.length && card.characters === 'shown') fields.push(field('Characters', names.join(', '), false));
	for (const [label, value] of [
		['Relationships', meta.relationships?.length ? meta.relationships.join(', ') : undefined],
		['Pairing', meta.relationships?.length ? undefined : meta.pairing],
		['Fandom', meta.fandom],
		['Category', meta.category],
		['Warnings', meta.warnings],
		['Season', meta.season],
		['Tags', meta.additionalTags?.length ? meta.additionalTags.join(', ') : undefined],
	] as const) {
		const setting = FIELD_SETTING[label];
		const shown = setting ? card[setting] : 'shown';
		if (!value || shown === 'hidden') continue;
		const text = shown === 'spoiler' ? spoilerText(value) : escapeText(value);
		fields.push(field(label, text, label !== 'Tags' && label !== 'Relationships'));
	}
	if (meta.summary && meta.disclaimer) fields.push(field('Disclaimer', escapeText(meta.disclaimer), false));
	embed.addFields(fields.slice(0, LIMITS.fields));

	const buttons: ButtonBuilder[] = [];
	if (!options.gated) {
		buttons.push(
			new ButtonBuilder()
				.setCustomId(
					encodeRead({
						kind: 'open',
						storyId: story.id,
						page: 1,
						visibility: options.ephemeral ? 'ephemeral' : 'shared',
					}),
				)
				.setLabel('Read')
				.setStyle(ButtonStyle.Primary),
		);
		// A thread is public: a card only its asker sees keeps its reading private (and a row holds five buttons).
		if (!options.ephemeral) {
			buttons.push(
				new ButtonBuilder()
					.setCustomId(encodeRead({ kind: 'open', storyId: story.id, page: 1, visibility: 'thread' }))
					.setLabel('Read in a thread')
					.setStyle(ButtonStyle.Secondary),
			);
		}
		if (story.quoteCount > 0) {
			buttons.push(
				new ButtonBuilder()
					.setCustomId(encodeStory({ kind: 'quote', storyId: story.id }))
					.setLabel('Random quote')
					.setStyle(ButtonStyle.Secondary),
			);
		}
	}
	if (options.ephemeral) {
		buttons.push(
			new ButtonBuilder()
				.setCustomId(encodeStory({ kind: 'share', storyId: story.id }))
				.setLabel('Share')
				.setStyle(ButtonStyle.Secondary),
		);
	}
	// Where the story was posted: not its text, so gated cards have it too.
	const link = sourceLink(meta.url);
	if (link) buttons.push(new ButtonBuilder().setURL(link.url).setLabel(link.label).setStyle(ButtonStyle.Link));
	return message({
		...(options.notice ? { content: truncate(options.notice, LIMITS.content) } : {}),
		embeds: [embed.toJSON()],
		components: buttons.length ? [new ActionRowBuilder<ButtonBuilder>().addComponents(buttons).toJSON()] : [],
	});
}
