import { ActionRowBuilder, ButtonBuilder, SlashCommandBuilder } from '@discordjs/builders';
import { ButtonStyle, type ChatInputCommandInteraction } from 'discord.js';
import type { StoryRecord } from '../src/archive/store.js';
import type { Command, ComponentInteraction, Context } from '../src/discord/context.js';
import {
	decodeLocation,
	decodeRead,
	encodeRead,
	READ_PREFIX,
	type ReaderState,
	type Visibility,
} from '../src/discord/custom-id.js';
import { EPHEMERAL, STALE_COMPONENT, UserError } from '../src/discord/errors.js';
import { type Gate, gateFor, placeOf } from '../src/discord/gate.js';
import {
	isPublicMessage,
	outOfRange,
	ownsMessage,
	pageView,
	readerOnMessage,
	readerPoster,
	remember,
	storyOrGone,
	turnFor,
} from '../src/discord/reader.js';
import { escapeText } from '../src/discord/render/escape.js';
import { message } from '../src/discord/render/message.js';
import { JUMP_INPUT, jumpModal } from '../src/discord/render/page.js';
import { chapterChoices, resolveStory, storyChoices } from '../src/discord/stories.js';
import { readInThread } from '../src/discord/threads.js';
import { StateError } from '../src/state.js';

/**
 * Posts a new reader message at `page` for the person interacting, for the channel or for them alone (always
 * for them alone when the gate failed closed).
 */
async function openReader(
	interaction: ChatInputCommandInteraction | ComponentInteraction,
	ctx: Context,
	story: StoryRecord,
	page: number,
	ephemeral: boolean,
	known?: Gate,
	thread = false,
): Promise<void> {
	const gate = known ?? (await gateFor(interaction, ctx));
	const alone = ephemeral || Boolean(gate.failedClosed);
	const view = pageView(ctx, gate, story, page, interaction.user.id, { shareable: !alone });
	remember(ctx, interaction.user.id, story, view, page);
	// A thread is public: only a reading the channel may see goes into one (a thread keeps the channel's gate).
	if (thread && view.shown && !alone) return readInThread(interaction, ctx, story, page, view.body);
	await interaction.reply(alone ? { ...view.body, flags: EPHEMERAL } : view.body);
}

/**
 * Turns the message the component is on to `page` when the clicker owns it (by its custom_id and by Discord's
 * record of who posted it), or when its owner handed the pages to everyone; a `guarded` click (a page button)
 * on a shared message that someone turned first turns nothing. Anyone else gets a reader of their own there.
 */
async function turnPage(
	interaction: ComponentInteraction,
	ctx: Context,
	story: StoryRecord,
	page: number,
	route: ReaderState,
	guarded = false,
): Promise<void> {
	const reader = interaction.user.id;
	const turn = turnFor(interaction, route, guarded, await readerPoster(interaction));
	if (turn.how === 'stale' && (interaction.isMessageComponent() || interaction.isFromMessage())) {
		return void (await interaction.deferUpdate());
	}
	const gate = await gateFor(interaction, ctx);
	if (turn.how === 'turn') {
		const view = pageView(ctx, gate, story, page, route.owner, turn);
		remember(ctx, reader, story, view, page);
		if (interaction.isMessageComponent()) return void (await interaction.update(view.body));
		if (interaction.isFromMessage()) return void (await interaction.update(view.body));
	}
	const view = pageView(ctx, gate, story, page, reader);
	remember(ctx, reader, story, view, page);
	await interaction.reply({ ...view.body, flags: EPHEMERAL });
}

export const ONLY_OWNER_SHARES =
	'Only the person who opened this reader can hand its pages to everyone, or take them back. Open your own with /read.';

/** Whether an opened reader goes to the clicker alone. */
function ephemeralFor(interaction: ComponentInteraction, visibility: Visibility): boolean {
	if (visibility === 'public' || visibility === 'thread') return false;
	if (visibility === 'ephemeral') return true;
	return !ownsMessage(interaction);
}

/** The page to resume at: where the person left off, when they have read past page 1 (undefined if unknown). */
async function resumePage(ctx: Context, userId: string, story: StoryRecord): Promise<number | undefined> {
	try {
		const entry = await ctx.state.libraryEntry(userId, story.id);
		return entry && entry.page > 1 && entry.page <= story.pageCount ? entry.page : undefined;
	} catch (error) {
		if (!(error instanceof StateError)) throw error;
		ctx.log.warn('library unavailable; opening page 1', { user: userId, error });
		return undefined;
	}
}

export default {
	data: new SlashCommandBuilder()
		.setName('read')
		.setDescription('Read a story a page at a time, together in this channel')
		.addStringOption((o) =>
			o.setName('story').setDescription('Title or author').setAutocomplete(true).setRequired(true).setMaxLength(200),
		)
		.addIntegerOption((o) =>
			o.setName('chapter').setDescription('Chapter to open (at its first page)').setMinValue(1).setAutocomplete(true),
		)
		.addIntegerOption((o) =>
			o
				.setName('page')
				.setDescription('Page to open, within the chapter if one is given (default: where you left off)')
				.setMinValue(1),
		)
		.addBooleanOption((o) =>
			o.setName('thread').setDescription('Read in a new thread under this channel, keeping the channel clear'),
		)
		.addBooleanOption((o) =>
			o.setName('private').setDescription('Only you see the pages (default: the server’s choice)'),
		),
	help: '`/read <story> [chapter] [page] [thread] [private]`: a page at a time; you turn the pages, others get their own copy; `thread:true` reads in a thread of its own',
	// The one thing /read cannot do without the state store: every other use of it falls back.
	unavailable: 'Bookmarks cannot be saved right now. Please try again in a minute.',

	async run(interaction, ctx) {
		const story = resolveStory(ctx, interaction.options.getString('story', true));
		const chapterNumber = interaction.options.getInteger('chapter');
		let asked = interaction.options.getInteger('page');
		if (chapterNumber !== null) {
			const chapter = ctx.store.chapter(story.id, chapterNumber);
			if (!chapter) {
				throw new UserError(outOfRange(escapeText(story.title), story.chapterCount, 'chapter'));
			}
			// A page inside the chapter counts from the chapter's start; no page opens its first.
			asked = chapter.firstPage + Math.min(Math.max((asked ?? 1) - 1, 0), chapter.pageCount - 1);
		}
		const privateOption = interaction.options.getBoolean('private');
		// Both lookups at once: each has a deadline, and together they must leave time to answer.
		const [{ settings, gate }, resume] = await Promise.all([
			placeOf(interaction, ctx),
			asked === null ? resumePage(ctx, interaction.user.id, story) : undefined,
		]);
		// A thread is asked for in public: it opens unless `private` says otherwise.
		const thread = interaction.options.getBoolean('thread') ?? false;
		const ephemeral = gate.failedClosed || (privateOption ?? (thread ? false : !settings.publicRead));
		if (asked === null) {
			if (resume) {
				// "Continue from page 7?": for the asker alone; their choice opens the reader where it should go.
				const visibility: Visibility = ephemeral ? 'ephemeral' : thread ? 'thread' : 'public';
				const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
					new ButtonBuilder()
						.setCustomId(encodeRead({ kind: 'open', storyId: story.id, page: resume, visibility }))
						.setLabel(`Continue from page ${resume}`)
						.setStyle(ButtonStyle.Primary),
					new ButtonBuilder()
						.setCustomId(encodeRead({ kind: 'open', storyId: story.id, page: 1, visibility }))
						.setLabel('Start at page 1')
						.setStyle(ButtonStyle.Secondary),
				);
				await interaction.reply({
					...message({
						content: `You were on page ${resume} of ${story.pageCount} of “${escapeText(story.title)}”. Continue from page ${resume}?`,
						components: [row.toJSON()],
					}),
					flags: EPHEMERAL,
				});
				return;
			}
		}
		await openReader(interaction, ctx, story, asked ?? 1, ephemeral, gate, thread);
	},

	async autocomplete(interaction, ctx) {
		if (interaction.options.getFocused(true).name === 'chapter') await chapterChoices(interaction, ctx);
		else await storyChoices(interaction, ctx);
	},

	components: {
		prefix: READ_PREFIX,
		async run(interaction, ctx) {
			const route = decodeRead(interaction.customId);
			if (!route) throw new UserError(STALE_COMPONENT);
			const reader = interaction.user.id;
			switch (route.kind) {
				case 'open': {
					const story = storyOrGone(ctx, route.storyId);
					const ephemeral = ephemeralFor(interaction, route.visibility);
					await openReader(interaction, ctx, story, route.page, ephemeral, undefined, route.visibility === 'thread');
					return;
				}
				case 'select': {
					if (!interaction.isStringSelectMenu()) throw new UserError(STALE_COMPONENT);
					const at = decodeLocation(interaction.values[0]);
					if (!at) throw new UserError(STALE_COMPONENT);
					const story = storyOrGone(ctx, at.storyId);
					await openReader(interaction, ctx, story, at.page, ephemeralFor(interaction, 'shared'));
					return;
				}
				case 'bookmark': {
					const story = storyOrGone(ctx, route.storyId);
					if (route.page > story.pageCount) throw new UserError('That page is no longer in the story.');
					await ctx.state.recordRead(reader, story.id, route.page, story.pageCount, true);
					await interaction.reply({
						...message({
							content: `Bookmarked page ${route.page} of “${escapeText(story.title)}”. \`/library\` lists your stories.`,
						}),
						flags: EPHEMERAL,
					});
					return;
				}
				case 'jump': {
					if (!interaction.isButton()) throw new UserError(STALE_COMPONENT);
					const story = storyOrGone(ctx, route.storyId);
					// The modal carries the message's owner: their answer turns it, anyone else's opens a copy.
					await interaction.showModal(jumpModal(story, route.owner, route.page, route.shared));
					return;
				}
				case 'modal': {
					if (!interaction.isModalSubmit()) throw new UserError(STALE_COMPONENT);
					const story = storyOrGone(ctx, route.storyId);
					const typed = interaction.fields.getTextInputValue(JUMP_INPUT).trim();
					const page = /^\d{1,6}$/.test(typed) ? Number(typed) : Number.NaN;
					if (!Number.isInteger(page) || page < 1 || page > story.pageCount) {
						throw new UserError(`Type a page number from 1 to ${story.pageCount}.`);
					}
					await turnPage(interaction, ctx, story, page, route);
					return;
				}
				case 'chapter': {
					if (!interaction.isStringSelectMenu()) throw new UserError(STALE_COMPONENT);
					const story = storyOrGone(ctx, route.storyId);
					const chapter = ctx.store.chapter(story.id, Number(interaction.values[0]));
					if (!chapter) throw new UserError('That chapter is no longer in the story.');
					await turnPage(interaction, ctx, story, chapter.firstPage, route);
					return;
				}
				case 'together': {
					// Only the owner hands the pages to everyone, or takes them back, on their own public reader.
					if (!interaction.isButton()) throw new UserError(STALE_COMPONENT);
					const story = storyOrGone(ctx, route.storyId);
					const poster = await readerPoster(interaction);
					if (reader !== route.owner || poster !== route.owner || !isPublicMessage(interaction)) {
						throw new UserError(ONLY_OWNER_SHARES);
					}
					const page = readerOnMessage(interaction)?.page ?? route.page;
					const mode = { shared: route.shared, shareable: true };
					const view = pageView(ctx, await gateFor(interaction, ctx), story, page, route.owner, mode);
					await interaction.update(view.body);
					return;
				}
				default: {
					await turnPage(interaction, ctx, storyOrGone(ctx, route.storyId), route.page, route, true);
				}
			}
		},
	},
} satisfies Command;
