import { SlashCommandBuilder } from '@discordjs/builders';
import { InteractionContextType, PermissionFlagsBits } from 'discord.js';
import type { Command, ComponentInteraction, Context } from '../src/discord/context.js';
import { BOARD_PREFIX, type BoardSort, decodeBoard } from '../src/discord/custom-id.js';
import { EPHEMERAL, STALE_COMPONENT, UserError } from '../src/discord/errors.js';
import { forChannel, type Gate, gateFor, gateNotice, savedLineRating, textAllowed } from '../src/discord/gate.js';
import { postQuotePicture } from '../src/discord/quote-picture.js';
import { messageOwner, storyOrGone, turnsMessage } from '../src/discord/reader.js';
import { type BoardView, boardPage, sortBoard } from '../src/discord/render/board.js';
import { message } from '../src/discord/render/message.js';
import type { BoardEntry } from '../src/state.js';

const ONLY_IN_SERVERS = 'The quote board belongs to a server: use it in a server channel.';

/** A board page as `gate` lets it show here: lines whose story it hides show only where they are from. */
function board(ctx: Context, gate: Gate, view: Omit<BoardView, 'gate' | 'ratingOf'>): ReturnType<typeof boardPage> {
	const ratingOf = (entry: BoardEntry) => {
		// The story's rating now, if the id still names the story the line was saved from.
		const story = ctx.store.story(entry.storyId);
		return savedLineRating(entry.rating, story?.title === entry.title ? story.rating : undefined);
	};
	return boardPage({ ...view, gate, ratingOf });
}

async function save(interaction: ComponentInteraction, ctx: Context, quoteId: number): Promise<void> {
	if (!interaction.inGuild()) throw new UserError(ONLY_IN_SERVERS);
	const quote = ctx.store.quote(quoteId);
	if (!quote) throw new UserError('That line is no longer in the archive: the story was updated since.');
	const story = storyOrGone(ctx, quote.storyId);
	// Only a line the gate shows here can be saved from here (a forged Save button names any line).
	const gate = await gateFor(interaction, ctx);
	if (!textAllowed(story.rating, gate)) throw new UserError(gateNotice(story.rating, gate));
	const line = {
		storyId: story.id,
		page: quote.page,
		text: quote.text,
		markup: story.markup,
		rating: story.rating,
		speaker: quote.speaker,
		title: story.title,
		author: story.author,
	};
	const { entry, added } = await ctx.state.saveToBoard(interaction.guildId, line, interaction.user.id);
	const saves = entry.savedBy.length === 1 ? 'saved once' : `saved ${entry.savedBy.length} times`;
	await interaction.reply({
		...message({
			content: added
				? `Saved to this server’s quote board (${saves}). \`/quotes\` shows the board.`
				: `You saved this line already (${saves}).`,
		}),
		flags: EPHEMERAL,
	});
}

export default {
	data: new SlashCommandBuilder()
		.setName('quotes')
		.setDescription('The quotes this server saved')
		.setContexts(InteractionContextType.Guild)
		.addStringOption((o) =>
			o
				.setName('sort')
				.setDescription('Newest first (default) or most saved first')
				.addChoices({ name: 'newest', value: 'new' }, { name: 'most saved', value: 'top' }),
		),
	help: '`/quotes [sort]`: the server’s quote board (Save on any quote card adds to it)',
	unavailable: 'The quote board cannot be reached right now. Please try again in a minute.',

	async run(interaction, ctx) {
		if (!interaction.inGuild()) throw new UserError(ONLY_IN_SERVERS);
		const sort = (interaction.options.getString('sort') ?? 'new') as BoardSort;
		const entries = await ctx.state.board(interaction.guildId);
		const gate = await gateFor(interaction, ctx);
		const owner = interaction.user.id;
		await interaction.reply(
			forChannel(gate, board(ctx, gate, { entries: sortBoard(entries, sort), sort, index: 0, owner })),
		);
	},

	components: {
		prefix: BOARD_PREFIX,
		async run(interaction, ctx) {
			const route = decodeBoard(interaction.customId);
			if (!route || !interaction.isButton()) throw new UserError(STALE_COMPONENT);
			if (route.kind === 'save') return save(interaction, ctx, route.quoteId);
			if (!interaction.inGuild()) throw new UserError(ONLY_IN_SERVERS);
			const guild = interaction.guildId;
			if (route.kind === 'image') {
				const entry = (await ctx.state.board(guild)).find((e) => e.id === route.entryId);
				if (!entry) throw new UserError('That quote is no longer on the board.');
				const story = ctx.store.story(entry.storyId);
				const rating = savedLineRating(entry.rating, story?.title === entry.title ? story.rating : undefined);
				await postQuotePicture(interaction, ctx, { ...entry, markup: entry.markup ?? 'plain', rating });
				return;
			}
			if (route.kind === 'page') {
				const entries = sortBoard(await ctx.state.board(guild), route.sort);
				const gate = await gateFor(interaction, ctx);
				const { sort, index } = route;
				// The owner turns the message; anyone else (or a forged owner) gets their own copy.
				if (turnsMessage(interaction, route.owner)) {
					await interaction.update(board(ctx, gate, { entries, sort, index, owner: route.owner }));
				} else {
					const copy = board(ctx, gate, { entries, sort, index, owner: interaction.user.id });
					await interaction.reply({ ...copy, flags: EPHEMERAL });
				}
				return;
			}
			// Remove: the first saver, or a member who may manage messages here (checked now, not when posted).
			const entries = await ctx.state.board(guild);
			const entry = entries.find((e) => e.id === route.entryId);
			if (!entry) throw new UserError('That quote is no longer on the board.');
			const moderator = interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages) ?? false;
			if (entry.savedBy[0] !== interaction.user.id && !moderator) {
				throw new UserError(
					'Only the person who saved this quote, or a member who can manage messages, can remove it.',
				);
			}
			await ctx.state.removeFromBoard(guild, entry.id);
			// The board as read above, less the quote: no third read of it.
			const rest = sortBoard(
				entries.filter((e) => e.id !== entry.id),
				route.sort,
			);
			// The quote is gone for everyone: the message moves on to the next one, still turned by its owner.
			const owner = messageOwner(interaction) ?? interaction.user.id;
			const gate = await gateFor(interaction, ctx);
			await interaction.update({
				...board(ctx, gate, { entries: rest, sort: route.sort, index: route.index, owner }),
				content: rest.length ? 'Removed from the board.' : 'Removed. The board is empty now.',
			});
		},
	},
} satisfies Command;
