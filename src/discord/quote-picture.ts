import { stripMarkdown } from '../archive/markup.js';
import type { StoryRecord } from '../archive/store.js';
import type { Rating } from '../archive/types.js';
import type { ComponentInteraction, Context } from './context.js';
import { UserError } from './errors.js';
import { forChannel, gateFor, gateNotice, textAllowed } from './gate.js';
import { escapeText } from './render/escape.js';
import { truncate } from './render/limits.js';
import { message } from './render/message.js';
import { renderQuoteImage } from './render/quote-image.js';

/** An attachment's alt text (Discord's `description`) holds at most 1,024 characters. */
export const ALT_TEXT_MAX = 1024;
export const QUOTE_IMAGE_NAME = 'quote.png';

/** A line to draw: its text as stored (markdown when the story is), who says it, where it is from. */
export interface PictureLine {
	text: string;
	markup?: 'plain' | 'markdown';
	speaker: string | null;
	title: string;
	author: string | null;
	/** The rating the gate judges the line by (the story's; a board entry's saved rating at the strictest). */
	rating: Rating;
}

/** What a picture takes from the story a line is from. */
export const pictureOf = (story: StoryRecord) => ({
	markup: story.markup,
	title: story.title,
	author: story.author,
	rating: story.rating,
});

/** The line as plain text: what the picture shows and its alt text says. */
export const plainLine = (line: Pick<PictureLine, 'text' | 'markup'>) =>
	(line.markup === 'markdown' ? stripMarkdown(line.text) : line.text).replace(/\s+/g, ' ').trim();

/**
 * "Share as image": the line drawn as a PNG card and posted for the channel as an attachment whose alt text is
 * the line itself. The rating gate decides before anything is drawn: a line whose text may not be shown here
 * (an Explicit line outside an age-restricted channel, always) is refused and no image is made.
 */
export async function postQuotePicture(
	interaction: ComponentInteraction,
	ctx: Context,
	line: PictureLine,
): Promise<void> {
	const gate = await gateFor(interaction, ctx);
	if (!textAllowed(line.rating, gate))
		throw new UserError(gateNotice(line.rating, gate, 'The story this line is from'));
	const text = plainLine(line);
	const image = await renderQuoteImage({ ...line, text });
	if (image.missing) ctx.log.debug('quote image: characters no font has', { missing: image.missing });
	const name = interaction.user.globalName ?? interaction.user.username;
	const body = message({ content: `Shared by ${escapeText(truncate(name, 100))}` });
	await interaction.reply(
		forChannel(gate, {
			...body,
			files: [{ attachment: image.png, name: QUOTE_IMAGE_NAME, description: truncate(text, ALT_TEXT_MAX) }],
		}),
	);
}
