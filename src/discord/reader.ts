import { MessageFlags } from 'discord.js';
import type { StoryRecord } from '../archive/store.js';
import type { ComponentInteraction, Context } from './context.js';
import { UserError } from './errors.js';
import { type Gate, gatedCard, textAllowed } from './gate.js';
import { escapeText } from './render/escape.js';
import type { MessagePayload } from './render/message.js';
import { readerPage } from './render/page.js';

/** The story, or a polite error when it has left the archive since the button was made. */
export function storyOrGone(ctx: Context, storyId: number): StoryRecord {
	const story = ctx.store.story(storyId);
	if (!story) throw new UserError('That story is no longer in the archive.');
	return story;
}

/** A message that shows a page (`shown`), or the card without text where the rating gate hides it. */
export interface PageView {
	body: MessagePayload;
	shown: boolean;
}

/** “X” has 12 pages: pick one from 1 to 12. (“X” has only one page. when there is nothing to pick from.) */
export function outOfRange(title: string, count: number, noun: 'page' | 'chapter'): string {
	return count === 1
		? `“${title}” has only one ${noun}.`
		: `“${title}” has ${count} ${noun}s: pick one from 1 to ${count}.`;
}

/**
 * A reader message at `page`, turned by `owner`; the card without text (and why) where the rating gate
 * hides the story's text. Out-of-range pages answer politely.
 */
export function pageView(ctx: Context, gate: Gate, story: StoryRecord, page: number, owner: string): PageView {
	if (!textAllowed(story.rating, gate)) return { body: gatedCard(ctx, story, gate), shown: false };
	if (!Number.isInteger(page) || page < 1 || page > story.pageCount) {
		throw new UserError(outOfRange(escapeText(story.title), story.pageCount, 'page'));
	}
	const stored = ctx.store.page(story.id, page);
	if (!stored) throw new UserError('That page is no longer in the archive. Open the story again with /read.');
	const quotable = ctx.store.hasQuotesOnPage(story.id, page);
	const chapters = story.chapterCount > 1 ? ctx.store.chapters(story.id) : [];
	return { body: readerPage(story, stored, owner, { quotable, chapters }), shown: true };
}

/**
 * Remembers the page a reader is shown, without waiting for it: a store that is down costs the bookmark
 * (logged), never the page. Called before the answer goes out, so the write is queued ahead of anything the
 * reader does next (say, /library clear).
 */
export function remember(ctx: Context, userId: string, story: StoryRecord, view: PageView, page: number): void {
	if (!view.shown) return;
	ctx.state.recordRead(userId, story.id, page, story.pageCount).catch((error: unknown) => {
		ctx.log.warn('could not remember the page read', { user: userId, story: story.id, page, error });
	});
}

/**
 * Who ran the interaction that posted the message a component is on, as Discord says (its interaction
 * metadata); null for a message no interaction posted (quote of the day) or when it is not known.
 */
export function messageOwner(interaction: ComponentInteraction): string | null {
	const msg = interaction.message;
	if (!msg) return null;
	// `interaction` is the older field (discord.js 14 still fills it from old payloads).
	return msg.interactionMetadata?.user.id ?? msg.interaction?.user.id ?? null;
}

/**
 * Whether a button on this message belongs to the person clicking it: they ran the command that posted it,
 * and it is public. Their clicks turn the shared message; anyone else's open a copy of their own.
 */
export function ownsMessage(interaction: ComponentInteraction): boolean {
	const msg = interaction.message;
	return Boolean(msg && !msg.flags.has(MessageFlags.Ephemeral) && messageOwner(interaction) === interaction.user.id);
}

/**
 * Whether the clicker may change the message in place (turn its pages, its results, its board): they are
 * the owner its custom_id names, and Discord says they posted it. A custom_id can be forged; the message's
 * interaction metadata cannot. Anyone else gets a copy of their own.
 */
export function turnsMessage(interaction: ComponentInteraction, owner: string): boolean {
	return interaction.user.id === owner && messageOwner(interaction) === owner;
}
