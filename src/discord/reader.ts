import { type BaseInteraction, MessageFlags } from 'discord.js';
import type { StoryRecord } from '../archive/store.js';
import { isNsfwChannel } from './channel.js';
import type { ComponentInteraction, Context } from './context.js';
import { UserError } from './errors.js';
import { gateNotice, type MessagePayload, textAllowed } from './render/message.js';
import { readerPage } from './render/page.js';
import { storyCard } from './render/story.js';

export const EPHEMERAL = MessageFlags.Ephemeral;

/** The story, or a polite error when it has left the archive since the button was made. */
export function storyOrGone(ctx: Context, storyId: number): StoryRecord {
	const story = ctx.store.story(storyId);
	if (!story) throw new UserError('That story is no longer in the archive.');
	return story;
}

/**
 * A reader message at `page`, turned by `owner`; the card without text (and why) where the rating gate
 * hides the story's text. Out-of-range pages answer politely.
 */
export function pageMessage(
	ctx: Context,
	interaction: BaseInteraction,
	story: StoryRecord,
	page: number,
	owner: string,
): MessagePayload {
	if (!textAllowed(story.rating, isNsfwChannel(interaction))) {
		return storyCard(story, ctx.store.characters(story.id), { gated: true, notice: gateNotice(story.rating) });
	}
	if (!Number.isInteger(page) || page < 1 || page > story.pageCount) {
		throw new UserError(
			`“${story.title}” has ${story.pageCount} ${story.pageCount === 1 ? 'page' : 'pages'}: pick one from 1 to ${story.pageCount}.`,
		);
	}
	const stored = ctx.store.page(story.id, page);
	if (!stored) throw new UserError('That page is no longer in the archive. Open the story again with /read.');
	return readerPage(story, stored, owner);
}

/**
 * Whether a button on this message belongs to the person clicking it: they ran the command that posted it,
 * and it is public. Their clicks turn the shared message; anyone else's open a copy of their own.
 */
export function ownsMessage(interaction: ComponentInteraction): boolean {
	const msg = interaction.message;
	return Boolean(
		msg && !msg.flags.has(MessageFlags.Ephemeral) && msg.interactionMetadata?.user.id === interaction.user.id,
	);
}
