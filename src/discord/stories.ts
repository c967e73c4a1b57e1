import type { AutocompleteInteraction } from 'discord.js';
import { type FacetKind, facetKey } from '../archive/facets.js';
import type { StoryRecord } from '../archive/store.js';
import type { Chapter } from '../archive/types.js';
import type { Context } from './context.js';
import { MAX_CHARACTER_IN_ID } from './custom-id.js';
import { UserError } from './errors.js';
import { allowedRatings, type Gate } from './gate.js';
import { escapeText, plainText } from './render/escape.js';
import { LIMITS, orDash, truncate } from './render/limits.js';
import { chapterLabel } from './render/page.js';

/** Autocomplete gives a story option the value `id:<n>`; a typed title is looked up instead. */
const ID_VALUE = /^id:(\d{1,10})$/;

export const storyValue = (id: number) => `id:${id}`;

/** The story an option names: an autocompleted id, an exact title, else the first story autocomplete would offer. */
export function resolveStory(ctx: Context, value: string): StoryRecord {
	const text = value.trim();
	const id = ID_VALUE.exec(text);
	const story = id
		? ctx.store.story(Number(id[1]))
		: (ctx.store.storyByTitle(text) ??
			(() => {
				const first = text ? ctx.search.suggest(text, 1)[0] : undefined;
				return first && ctx.store.story(first.id);
			})());
	if (!story) {
		throw new UserError(
			id
				? 'That story is no longer in the archive. Pick another from the list.'
				: `No story matches “${escapeText(truncate(text, 100))}”. Start typing a title or an author and pick from the list.`,
		);
	}
	return story;
}

/** The story option's choices: titles that start with what is typed, then titles and authors with words that do. */
export async function storyChoices(interaction: AutocompleteInteraction, ctx: Context): Promise<void> {
	const typed = interaction.options.getFocused();
	const choices = ctx.search.suggest(typed, LIMITS.choices).map((s) => ({
		name: truncate(
			orDash(plainText(s.author ? `${s.title} — ${s.author}` : s.title), `Story ${s.id}`),
			LIMITS.choiceName,
		),
		value: storyValue(s.id),
	}));
	await interaction.respond(choices);
}

/** The character option's choices: the chosen story's characters, or the archive's, by prefix. */
export async function characterChoices(interaction: AutocompleteInteraction, ctx: Context): Promise<void> {
	const typed = interaction.options.getFocused().slice(0, 50);
	const storyOption = interaction.options.getString('story');
	let storyId: number | undefined;
	if (storyOption) {
		try {
			storyId = resolveStory(ctx, storyOption).id;
		} catch {
			storyId = undefined;
		}
	}
	// A name too long for the quote buttons' custom_id could not be filtered on again: left out.
	const names = ctx.store.characterNames(typed, storyId, LIMITS.choices).filter((n) => n.length <= MAX_CHARACTER_IN_ID);
	await interaction.respond(
		names.map((name) => ({
			name: truncate(plainText(name), LIMITS.choiceName),
			value: truncate(name, LIMITS.choiceValue),
		})),
	);
}

/** The chapter option's choices: the chosen story's chapters whose number or title matches what is typed. */
export async function chapterChoices(interaction: AutocompleteInteraction, ctx: Context): Promise<void> {
	const typed = String(interaction.options.getFocused()).trim().toLowerCase();
	const storyOption = interaction.options.getString('story');
	let chapters: Chapter[] = [];
	if (storyOption) {
		try {
			chapters = ctx.store.chapters(resolveStory(ctx, storyOption).id);
		} catch {
			chapters = [];
		}
	}
	const matching = chapters.filter(
		(c) => !typed || String(c.number).startsWith(typed) || c.title?.toLowerCase().includes(typed),
	);
	await interaction.respond(
		matching
			.slice(0, LIMITS.choices)
			.map((c) => ({ name: truncate(plainText(chapterLabel(c)), LIMITS.choiceName), value: c.number })),
	);
}

/**
 * A tag option's choices (fandom, ship, character, tag, warning): the archive's tags of that kind with a word
 * starting with each typed word, most used first, counting only stories whose text the gate allows here. The
 * value is the tag as spelled (keyed again when read), cut to Discord's 100 characters. `names`: fill what the
 * tags leave of the 25 with the archive's character names from the stories' text (as /quote's character option
 * offers them), for search's character:, which matches those too.
 */
export async function facetChoices(
	interaction: AutocompleteInteraction,
	ctx: Context,
	kind: FacetKind,
	gate: Gate,
	names = false,
): Promise<void> {
	const typed = interaction.options.getFocused().slice(0, 100);
	const values = ctx.store.facetValues(kind, { typed, ratings: allowedRatings(gate), limit: LIMITS.choices });
	const choices = values.map((v) => ({
		name: truncate(`${plainText(v.value)} (${v.stories})`, LIMITS.choiceName),
		value: truncate(v.value, LIMITS.choiceValue),
	}));
	if (names && choices.length < LIMITS.choices) {
		const taken = new Set(values.map((v) => v.key));
		for (const name of ctx.store.characterNames(typed, undefined, LIMITS.choices)) {
			if (choices.length >= LIMITS.choices) break;
			if (taken.has(facetKey('character', name))) continue;
			choices.push({ name: truncate(plainText(name), LIMITS.choiceName), value: truncate(name, LIMITS.choiceValue) });
		}
	}
	await interaction.respond(choices);
}
