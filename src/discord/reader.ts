import { MessageFlags } from 'discord.js';
import type { StoryRecord } from '../archive/store.js';
import type { ComponentInteraction, Context } from './context.js';
import { decodeRead, type ReaderState } from './custom-id.js';
import { UserError } from './errors.js';
import { type Gate, gatedCard, textAllowed } from './gate.js';
import { escapeText } from './render/escape.js';
import type { MessagePayload } from './render/message.js';
import { type ReaderOptions, readerPage } from './render/page.js';
import { threadReaderOwner } from './threads.js';

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
export function pageView(
	ctx: Context,
	gate: Gate,
	story: StoryRecord,
	page: number,
	owner: string,
	mode: Pick<ReaderOptions, 'shared' | 'shareable'> = {},
): PageView {
	if (!textAllowed(story.rating, gate)) return { body: gatedCard(ctx, story, gate), shown: false };
	if (!Number.isInteger(page) || page < 1 || page > story.pageCount) {
		throw new UserError(outOfRange(escapeText(story.title), story.pageCount, 'page'));
	}
	const stored = ctx.store.page(story.id, page);
	if (!stored) throw new UserError('That page is no longer in the archive. Open the story again with /read.');
	const quotable = ctx.store.hasQuotesOnPage(story.id, page);
	const chapters = story.chapterCount > 1 ? ctx.store.chapters(story.id) : [];
	return { body: readerPage(story, stored, owner, { ...mode, quotable, chapters }), shown: true };
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

/** Whether the component's message is one everyone sees (not ephemeral). */
export const isPublicMessage = (interaction: ComponentInteraction) =>
	Boolean(interaction.message && !interaction.message.flags.has(MessageFlags.Ephemeral));

/** Every custom_id in a message's components, as discord.js objects or as JSON. */
function customIdsOf(components: readonly unknown[]): string[] {
	const ids: string[] = [];
	const walk = (node: unknown) => {
		if (!node || typeof node !== 'object') return;
		const json = 'toJSON' in node && typeof node.toJSON === 'function' ? (node.toJSON() as unknown) : node;
		if (!json || typeof json !== 'object') return;
		if ('custom_id' in json && typeof json.custom_id === 'string') ids.push(json.custom_id);
		if ('components' in json && Array.isArray(json.components)) json.components.forEach(walk);
	};
	components.forEach(walk);
	return ids;
}

/**
 * The reader state of the message a component is on, read from the message as Discord sends it with the click
 * (its jump button's custom_id): the page it shows now, its owner, and whether everyone turns it. Unlike the
 * clicked custom_id, the message cannot be forged. Null for a message that is not a reader.
 */
export function readerOnMessage(interaction: ComponentInteraction): (ReaderState & { page: number }) | null {
	for (const id of customIdsOf(interaction.message?.components ?? [])) {
		const route = decodeRead(id);
		if (route?.kind === 'jump') return route;
	}
	return null;
}

/**
 * Who a reader message belongs to, as Discord says: whoever ran the interaction that posted it, or for a reader the
 * bot posted in a reading thread, whoever opened the thread. Null when neither is known.
 */
export async function readerPoster(interaction: ComponentInteraction): Promise<string | null> {
	return messageOwner(interaction) ?? (await threadReaderOwner(interaction));
}

/**
 * How a click on a reader control is taken: `turn` the message (its owner's click, or anyone's once the owner
 * handed the pages to everyone), `stale` (a `guarded` click, a page button, on a shared message that has left
 * the page the click was made on: someone turned it first, so this click turns nothing), or `copy` (a reader
 * of the clicker's own). The jump box and the chapter menu name a page outright and are not guarded. `poster` is
 * the message's owner as Discord says (readerPoster: a thread's reader is its opener's).
 */
export function turnFor(
	interaction: ComponentInteraction,
	route: ReaderState,
	guarded = true,
	poster = messageOwner(interaction),
): { how: 'turn'; shared: boolean; shareable: boolean } | { how: 'stale' | 'copy' } {
	const shown = readerOnMessage(interaction);
	const shared = Boolean(
		shown?.shared &&
			shown.owner === route.owner &&
			shown.storyId === route.storyId &&
			isPublicMessage(interaction) &&
			poster === route.owner,
	);
	const owns = interaction.user.id === route.owner && poster === route.owner;
	if (!shared && !owns) return { how: 'copy' };
	if (guarded && shared && route.from !== undefined && shown?.page !== route.from) return { how: 'stale' };
	return { how: 'turn', shared, shareable: isPublicMessage(interaction) };
}
