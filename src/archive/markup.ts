/**
 * Story text written in Markdown (a story whose markup is 'markdown': AO3, EPUB, FanFicFare, Markdown files keep their
 * italics and bold so) read as plain text. How a front end shows story text is the front end's affair.
 */

/**
 * Markdown story text as plain text: emphasis, strikethrough and spoiler markers dropped, backslash escapes
 * undone, scene breaks kept. For reading Markdown files and anything else that shows text without its formatting.
 */
export function stripMarkdown(text: string): string {
	return text
		.split('\n')
		.map((line) => (line === '* * *' ? line : line.replace(/\\(.)|[*_~]+|\|\|/g, (_, escaped) => escaped ?? '')))
		.join('\n');
}
