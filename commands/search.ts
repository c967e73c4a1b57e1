import { createHash } from 'node:crypto';
import { SlashCommandBuilder, type SlashCommandStringOption } from '@discordjs/builders';
import type { RepliableInteraction } from 'discord.js';
import type { FacetKind } from '../src/archive/facets.js';
import type { SearchHit } from '../src/archive/search/index.js';
import { MAX_QUERY_LENGTH, parseQuery } from '../src/archive/search/query.js';
import type { Command, Context } from '../src/discord/context.js';
import { decodeSearch, SEARCH_PREFIX, searchIdFits } from '../src/discord/custom-id.js';
import { EPHEMERAL, STALE_COMPONENT, UserError } from '../src/discord/errors.js';
import { allowedRatings, type Gate, gateFor, placeOf } from '../src/discord/gate.js';
import { turnsMessage } from '../src/discord/reader.js';
import { RESULTS_PER_PAGE, STORY_PAGES, searchResults, storyPages } from '../src/discord/render/hits.js';
import type { MessagePayload } from '../src/discord/render/message.js';
import { facetChoices } from '../src/discord/stories.js';
import { StateError } from '../src/state.js';

/** The filter options, each a kind of tag autocompleted from the archive, and the query filter it becomes. */
const FILTER_OPTIONS: readonly { option: string; kind: FacetKind; filter: string; description: string }[] = [
	{ option: 'fandom', kind: 'fandom', filter: 'fandom', description: 'Only stories of this fandom' },
	{ option: 'ship', kind: 'relationship', filter: 'ship', description: 'Only stories with this relationship' },
	{ option: 'character', kind: 'character', filter: 'character', description: 'Only stories with this character' },
	{ option: 'tag', kind: 'tag', filter: 'tag', description: 'Only stories with this tag' },
	{ option: 'warning', kind: 'warning', filter: 'warning', description: 'Only stories with this warning' },
	{ option: 'hide-warning', kind: 'warning', filter: '-warning', description: 'Leave out stories with this warning' },
];

/**
 * The query the options make: each filter option as its filter in the query language (quoted; quote marks in
 * a value would end it, so they are spaces), before what was typed, so that a long query cannot push them out.
 */
export function queryWithFilters(query: string, filters: readonly { filter: string; value: string }[]): string {
	const parts = filters
		.map(({ filter, value }) => ({
			filter,
			value: value
				.replace(/["“”„＂]/g, ' ')
				.replace(/\s+/g, ' ')
				.trim(),
		}))
		.filter((f) => f.value)
		.map((f) => `${f.filter}:"${f.value}"`);
	return [...parts, query].filter(Boolean).join(' ');
}

/** The nth filter option, autocompleted. */
function filterOption(o: SlashCommandStringOption, n: number): SlashCommandStringOption {
	const f = FILTER_OPTIONS[n] as (typeof FILTER_OPTIONS)[number];
	return o.setName(f.option).setDescription(f.description).setAutocomplete(true).setMaxLength(200);
}

/** How long a long query is kept for its result buttons. */
const QUERY_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * The query as the buttons carry it: itself when it fits in a custom_id, else `#<hash>` kept in the state
 * store; null when the store cannot keep it now (the results are shown without Previous and Next).
 */
async function keyFor(ctx: Context, owner: string, query: string): Promise<string | null> {
	if (!query.startsWith('#') && searchIdFits(owner, 999_999, query)) return query;
	const hash = createHash('sha256').update(query).digest('base64url').slice(0, 22);
	try {
		await ctx.state.saveQuery(hash, query, QUERY_TTL_MS);
	} catch (error) {
		if (!(error instanceof StateError)) throw error;
		ctx.log.warn('long search query not kept; results without paging', { error });
		return null;
	}
	return `#${hash}`;
}

async function queryFor(ctx: Context, key: string): Promise<string> {
	if (!key.startsWith('#')) return key;
	const query = await ctx.state.query(key.slice(1));
	if (typeof query !== 'string') throw new UserError('This search has expired. Run /search again.');
	return query;
}

/** Each hit's chapter number, in a story of more than one chapter. */
const chaptersOf = (ctx: Context, hits: readonly SearchHit[]) =>
	hits.map((hit) =>
		(ctx.store.story(hit.storyId)?.chapterCount ?? 1) > 1
			? ctx.store.chapterOfPage(hit.storyId, hit.page)?.number
			: undefined,
	);

/** The results at `offset`, for whoever asked (the answer is theirs to send: a reply or an update). */
async function results(
	interaction: RepliableInteraction,
	ctx: Context,
	query: string,
	key: string | null,
	offset: number,
	known?: Gate,
): Promise<MessagePayload> {
	const gate = known ?? (await gateFor(interaction, ctx));
	// Typo corrections only from stories whose text the gate shows here.
	const found = ctx.search.search(query, { offset, limit: RESULTS_PER_PAGE, textRatings: allowedRatings(gate) });
	const owner = interaction.user.id;
	const chapters = chaptersOf(ctx, found.hits);
	// Filters alone match whole stories, not pages: no menu of a story's matching pages then.
	const { terms, phrases } = parseQuery(query);
	// Nothing matched but for one word: a button searches without it (kept like any query for its buttons).
	const insteadKey = found.instead ? await keyFor(ctx, owner, found.instead.query) : null;
	return searchResults({
		query,
		results: found,
		offset,
		owner,
		key,
		gate,
		chapters,
		words: terms.length + phrases.length > 0,
		insteadKey,
	});
}

export default {
	data: new SlashCommandBuilder()
		.setName('search')
		.setDescription('Search the stories’ text, titles and authors')
		.addStringOption((o) =>
			o
				.setName('query')
				.setDescription('Words, "a phrase", prefix*, -not, author:, rating:, fandom:, ship:, tag:, words:>1000…')
				.setMaxLength(MAX_QUERY_LENGTH),
		)
		.addBooleanOption((o) => o.setName('private').setDescription('Only you see the results'))
		.addStringOption((o) => filterOption(o, 0))
		.addStringOption((o) => filterOption(o, 1))
		.addStringOption((o) => filterOption(o, 2))
		.addStringOption((o) => filterOption(o, 3))
		.addStringOption((o) => filterOption(o, 4))
		.addStringOption((o) => filterOption(o, 5)),
	help: '`/search [query] [private] [fandom] [ship] [character] [tag] [warning]`: words, "phrases", prefix*, -not, filters',
	// The one thing /search cannot do without the state store (a long query kept for its buttons falls back).
	unavailable: 'This search’s next results cannot be reached right now. Please try again in a minute.',

	async run(interaction, ctx) {
		const query = queryWithFilters(
			(interaction.options.getString('query') ?? '').trim(),
			FILTER_OPTIONS.map((f) => ({ filter: f.filter, value: interaction.options.getString(f.option) ?? '' })),
		);
		if (!query) throw new UserError('Type something to search for, or pick a filter such as a fandom.');
		const { settings, gate } = await placeOf(interaction, ctx);
		// Settings that cannot be read answer privately, whatever was asked.
		const ephemeral = gate.failedClosed || (interaction.options.getBoolean('private') ?? !settings.publicSearch);
		const key = await keyFor(ctx, interaction.user.id, query);
		// Answered in one go when ready in time, else deferred by the router (answer.ts).
		const body = await results(interaction, ctx, query, key, 0, gate);
		await interaction.reply(ephemeral ? { ...body, flags: EPHEMERAL } : body);
	},

	async autocomplete(interaction, ctx) {
		const name = interaction.options.getFocused(true).name;
		const filter = FILTER_OPTIONS.find((f) => f.option === name);
		if (!filter) return interaction.respond([]);
		await facetChoices(interaction, ctx, filter.kind, await gateFor(interaction, ctx), filter.kind === 'character');
	},

	components: {
		prefix: SEARCH_PREFIX,
		async run(interaction, ctx) {
			const route = decodeSearch(interaction.customId);
			if (route?.kind === 'story' && interaction.isStringSelectMenu()) {
				// A story's matching pages: for whoever asked, beside the results.
				const storyId = Number(interaction.values[0]);
				const query = await queryFor(ctx, route.key);
				const story = Number.isSafeInteger(storyId) ? ctx.store.story(storyId) : undefined;
				if (!story) throw new UserError('That story is no longer in the archive.');
				const found = ctx.search.pagesOf(storyId, query, STORY_PAGES + 1);
				const hits = found.slice(0, STORY_PAGES);
				const body = storyPages({
					query,
					story,
					hits,
					more: found.length > hits.length,
					gate: await gateFor(interaction, ctx),
					chapters: chaptersOf(ctx, hits),
				});
				await interaction.reply({ ...body, flags: EPHEMERAL });
				return;
			}
			if (route?.kind !== 'page' || !interaction.isButton()) throw new UserError(STALE_COMPONENT);
			const mine = turnsMessage(interaction, route.owner);
			const query = await queryFor(ctx, route.key);
			const key = mine ? route.key : await keyFor(ctx, interaction.user.id, query);
			const body = await results(interaction, ctx, query, key, route.offset);
			// The searcher turns the shared results; anyone else gets their own copy at that page.
			if (mine) await interaction.update(body);
			else await interaction.reply({ ...body, flags: EPHEMERAL });
		},
	},
} satisfies Command;
