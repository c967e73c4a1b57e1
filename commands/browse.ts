import { createHash } from 'node:crypto';
import { SlashCommandBuilder } from '@discordjs/builders';
import { facetKey } from '../src/archive/facets.js';
import type { Command, ComponentInteraction, Context } from '../src/discord/context.js';
import { BROWSE_PREFIX, type BrowseKind, browseIdFits, decodeBrowse } from '../src/discord/custom-id.js';
import { EPHEMERAL, STALE_COMPONENT, UserError } from '../src/discord/errors.js';
import {
	allowedRatings,
	forChannel,
	type Gate,
	gatedCard,
	gateFor,
	placeOf,
	textAllowed,
} from '../src/discord/gate.js';
import { turnsMessage } from '../src/discord/reader.js';
import {
	BROWSE_TITLES,
	browseStories,
	browseValues,
	STORIES_PER_PAGE,
	VALUES_PER_PAGE,
} from '../src/discord/render/browse.js';
import type { MessagePayload } from '../src/discord/render/message.js';
import { storyCard } from '../src/discord/render/story.js';
import { facetChoices } from '../src/discord/stories.js';
import { StateError } from '../src/state.js';

/** The subcommands, each a kind of tag: /browse ship lists relationships. */
const SUBCOMMANDS: Record<string, BrowseKind> = {
	fandom: 'fandom',
	ship: 'relationship',
	character: 'character',
	tag: 'tag',
	warning: 'warning',
};
const DESCRIPTIONS: Record<BrowseKind, string> = {
	fandom: 'Fandoms by how many stories they have, or one fandom’s stories',
	relationship: 'Ships (relationships) by how many stories they have, or one ship’s stories',
	character: 'Tagged characters by how many stories they are in, or one character’s stories',
	tag: 'Additional tags by how many stories have them, or one tag’s stories',
	warning: 'Warnings by how many stories carry them, or one warning’s stories',
};
const KEY_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** A tag's key as the buttons carry it: itself when it fits, else `#<hash>` kept in the state store; null if it cannot be. */
async function refFor(ctx: Context, key: string, fits: (key: string) => boolean): Promise<string | null> {
	if (fits(key)) return key;
	const hash = createHash('sha256').update(`browse\u0000${key}`).digest('base64url').slice(0, 22);
	try {
		await ctx.state.saveQuery(hash, key, KEY_TTL_MS);
	} catch (error) {
		if (!(error instanceof StateError)) throw error;
		ctx.log.warn('long tag not kept; browse without paging', { error });
		return null;
	}
	return `#${hash}`;
}

async function keyOf(ctx: Context, ref: string): Promise<string> {
	if (!ref.startsWith('#')) return ref;
	const key = await ctx.state.query(ref.slice(1));
	if (typeof key !== 'string') throw new UserError('This list has expired. Run /browse again.');
	return key;
}

/** A page of a kind's tags (those matching `typed`, when given). */
async function valuesPage(
	ctx: Context,
	facet: BrowseKind,
	typed: string,
	offset: number,
	owner: string,
	gate: Gate,
): Promise<MessagePayload> {
	const found = ctx.store.facetValues(facet, {
		typed,
		ratings: allowedRatings(gate),
		limit: VALUES_PER_PAGE + 1,
		offset,
	});
	const shown = found.slice(0, VALUES_PER_PAGE);
	const values = [];
	for (const v of shown) {
		const ref = await refFor(ctx, v.key, (key) => key.length <= 100);
		if (ref) values.push({ value: v.value, stories: v.stories, ref });
	}
	return browseValues({
		facet,
		values,
		offset,
		more: found.length > VALUES_PER_PAGE,
		owner,
		typed: browseIdFits(owner, 999_999, typed) ? typed : null,
		gate,
	});
}

/** A page of one tag's stories the gate allows, in title order. */
async function storiesPage(
	ctx: Context,
	facet: BrowseKind,
	key: string,
	offset: number,
	owner: string,
	gate: Gate,
): Promise<MessagePayload> {
	const ratings = allowedRatings(gate);
	const tag = ctx.store.facetValue(facet, key, ratings);
	const ids = tag
		? ctx.store.storiesWhere(
				{ facets: [{ kind: facet, keys: [key] }], ratings },
				{ limit: STORIES_PER_PAGE + 1, offset },
			)
		: [];
	const stories = ids.slice(0, STORIES_PER_PAGE).flatMap((id) => ctx.store.story(id) ?? []);
	return browseStories({
		facet,
		value: tag?.value ?? key,
		total: tag?.stories ?? 0,
		stories,
		offset,
		more: ids.length > STORIES_PER_PAGE,
		owner,
		ref: await refFor(ctx, key, (k) => browseIdFits(owner, 999_999, k)),
		gate,
	});
}

/** The owner turns their own message; anyone else gets a copy of their own. */
async function answer(interaction: ComponentInteraction, mine: boolean, body: MessagePayload): Promise<void> {
	if (mine && interaction.isMessageComponent()) await interaction.update(body);
	else await interaction.reply({ ...body, flags: EPHEMERAL });
}

const builder = new SlashCommandBuilder().setName('browse').setDescription('Browse the archive by fandom, ship, tag');
for (const [name, facet] of Object.entries(SUBCOMMANDS)) {
	builder.addSubcommand((s) =>
		s
			.setName(name)
			.setDescription(DESCRIPTIONS[facet])
			.addStringOption((o) =>
				o
					.setName('name')
					.setDescription(`A ${BROWSE_TITLES[facet].one}: its stories (else every ${BROWSE_TITLES[facet].one})`)
					.setAutocomplete(true)
					.setMaxLength(200),
			)
			.addBooleanOption((o) => o.setName('private').setDescription('Only you see the list')),
	);
}

export default {
	data: builder,
	help: '`/browse fandom|ship|character|tag|warning [name] [private]`: tags by their stories, or one tag’s stories',

	async run(interaction, ctx) {
		const facet = SUBCOMMANDS[interaction.options.getSubcommand()];
		if (!facet) throw new UserError(STALE_COMPONENT);
		const typed = (interaction.options.getString('name') ?? '').replace(/\s+/g, ' ').trim();
		const { settings, gate } = await placeOf(interaction, ctx);
		const ephemeral = gate.failedClosed || (interaction.options.getBoolean('private') ?? !settings.publicSearch);
		const owner = interaction.user.id;
		// A tag as autocomplete gave it (or typed in full) lists its stories; anything else narrows the list of tags.
		const key = facetKey(facet, typed);
		const body =
			key && ctx.store.facetValue(facet, key, allowedRatings(gate))
				? await storiesPage(ctx, facet, key, 0, owner, gate)
				: await valuesPage(ctx, facet, typed, 0, owner, gate);
		await interaction.reply(ephemeral ? { ...body, flags: EPHEMERAL } : forChannel(gate, body));
	},

	async autocomplete(interaction, ctx) {
		const facet = SUBCOMMANDS[interaction.options.getSubcommand()];
		if (!facet) return interaction.respond([]);
		await facetChoices(interaction, ctx, facet, await gateFor(interaction, ctx));
	},

	components: {
		prefix: BROWSE_PREFIX,
		async run(interaction, ctx) {
			const route = decodeBrowse(interaction.customId);
			if (!route) throw new UserError(STALE_COMPONENT);
			const gate = await gateFor(interaction, ctx);
			if (route.kind === 'open') {
				if (!interaction.isStringSelectMenu()) throw new UserError(STALE_COMPONENT);
				const story = ctx.store.story(Number(interaction.values[0]));
				if (!story) throw new UserError('That story is no longer in the archive.');
				const card = textAllowed(story.rating, gate)
					? storyCard(story, ctx.store.characters(story.id), { ephemeral: true })
					: gatedCard(ctx, story, gate, { ephemeral: true });
				await interaction.reply({ ...card, flags: EPHEMERAL });
				return;
			}
			const mine = turnsMessage(interaction, route.owner);
			const owner = mine ? route.owner : interaction.user.id;
			if (route.kind === 'pick') {
				const ref = interaction.isStringSelectMenu() ? interaction.values[0] : undefined;
				if (!ref) throw new UserError(STALE_COMPONENT);
				const key = await keyOf(ctx, ref);
				await answer(interaction, mine, await storiesPage(ctx, route.facet, key, 0, owner, gate));
				return;
			}
			if (!interaction.isButton()) throw new UserError(STALE_COMPONENT);
			const body =
				route.kind === 'values'
					? await valuesPage(ctx, route.facet, route.typed, route.offset, owner, gate)
					: await storiesPage(ctx, route.facet, await keyOf(ctx, route.key), route.offset, owner, gate);
			await answer(interaction, mine, body);
		},
	},
} satisfies Command;
