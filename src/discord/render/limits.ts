import type { APIEmbed } from 'discord.js';

/** Discord's hard limits on what a message may carry. */
export const LIMITS = {
	content: 2000,
	embedTitle: 256,
	embedDescription: 4096,
	fieldName: 256,
	fieldValue: 1024,
	fields: 25,
	footer: 2048,
	authorName: 256,
	embedTotal: 6000,
	customId: 100,
	buttonLabel: 80,
	buttonUrl: 512,
	buttonsPerRow: 5,
	rows: 5,
	selectOptions: 25,
	optionLabel: 100,
	optionValue: 100,
	optionDescription: 100,
	placeholder: 150,
	choices: 25,
	choiceName: 100,
	choiceValue: 100,
	modalTitle: 45,
	inputLabel: 45,
} as const;

/** Cuts text to at most `max` characters, ending in an ellipsis when cut, never inside a surrogate pair. */
export function truncate(text: string, max: number): string {
	if (text.length <= max) return text;
	let end = max - 1;
	const code = text.charCodeAt(end - 1);
	if (code >= 0xd800 && code <= 0xdbff) end--;
	// A trailing backslash would escape the ellipsis' neighbour in markdown: drop it with the cut.
	let cut = text.slice(0, end);
	while (cut.endsWith('\\')) cut = cut.slice(0, -1);
	return `${cut}…`;
}

/** One whole spoiler around escaped text (as escape.ts's `spoilerText` writes it): no unescaped bar inside. */
const WHOLE_SPOILER = /^\|\|((?:[^\\|]|\\[\s\S])*)\|\|$/;

/**
 * Cuts markdown to at most `max` characters as `truncate` does; a value that is one spoiler (`||…||`) is cut
 * inside its bars, so they still close over what is left and nothing meant to be hidden shows.
 */
export function truncateMarkdown(text: string, max: number): string {
	if (text.length <= max) return text;
	const spoiler = WHOLE_SPOILER.exec(text);
	return spoiler ? `||${truncate(spoiler[1] ?? '', max - 4)}||` : truncate(text, max);
}

/** The characters of an embed that count toward Discord's 6,000 per message. */
export function embedLength(embed: APIEmbed): number {
	return (
		(embed.title?.length ?? 0) +
		(embed.description?.length ?? 0) +
		(embed.footer?.text.length ?? 0) +
		(embed.author?.name.length ?? 0) +
		(embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
	);
}

/**
 * Shortens an embed's longest texts (description and field values) until the whole fits Discord's 6,000
 * characters per message; each keeps at least a short beginning (and a spoiler its bars). Returns the same embed when it fits.
 */
export function fitEmbed(embed: APIEmbed, max: number = LIMITS.embedTotal): APIEmbed {
	let excess = embedLength(embed) - max;
	if (excess <= 0) return embed;
	const fitted: APIEmbed = { ...embed, fields: embed.fields?.map((f) => ({ ...f })) };
	const KEEP = 64;
	while (excess > 0) {
		const texts = [
			...(fitted.description !== undefined
				? [{ get: () => fitted.description ?? '', set: (t: string) => (fitted.description = t) }]
				: []),
			...(fitted.fields ?? []).map((f) => ({ get: () => f.value, set: (t: string) => (f.value = t) })),
		];
		const longest = texts.reduce((a, b) => (b.get().length > a.get().length ? b : a), texts[0] as (typeof texts)[0]);
		const length = longest?.get().length ?? 0;
		if (!longest || length <= KEEP) break;
		const target = Math.max(KEEP, length - excess);
		longest.set(truncateMarkdown(longest.get(), target));
		excess -= length - longest.get().length;
	}
	return fitted;
}

/** Discord refuses empty (or blank) field values, titles and descriptions: a dash or the fallback instead. */
export const orDash = (text: string, fallback = '—') => (text.trim() ? text : fallback);
