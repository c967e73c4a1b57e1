/**
 * Ranking by character names: a query of nothing but names ranks stories by how central the characters are (from
 * import), and a story found so opens at a page that mentions them all, its snippet cut there.
 */
import { pageRowid } from '../store.js';
import type { SearchIndex } from './handle.js';
import type { ParsedQuery } from './query.js';
import { CLOSE, markedParts, OPEN, type Snippet } from './snippet.js';
import { wholeWordAt } from './words.js';

/**
 * Stories of a character read at most to rank a query of names, when the first read hold too few with all the other
 * names: more find stories where a rare pairing meets, at a longer read of the rarest name's stories.
 */
const CHARACTER_SCAN = 1000;
/** Stories ranked for a query of names, at most: enough for a filter to drop some and still leave pages of results. */
export const STORIES_BY_NAME = 300;

/**
 * The query's words as character names, as the archive spells them, rarest (on fewest pages) first, when it
 * is nothing but names ("buffy", "spike buffy"); else null.
 */
export function characterNames(ix: SearchIndex, query: ParsedQuery): string[] | null {
	if (!query.terms.length || query.phrases.length || query.terms.some((t) => t.prefix)) return null;
	const names: string[] = [];
	for (const t of query.terms) {
		const name = ix
			.statement('SELECT name FROM characters WHERE name = ? COLLATE NOCASE LIMIT 1')
			.pluck()
			.get(t.text) as string | undefined;
		if (name === undefined) return null;
		names.push(name);
	}
	const pages = new Map(names.map((name) => [name, ix.pageCount(name)]));
	return names.sort((a, b) => (pages.get(a) as number) - (pages.get(b) as number));
}

/**
 * Stories where characters are most central (mentions per thousand words, from import), among those where all
 * of them are characters (`names` rarest first, as characterNames gives them): read in the order of the
 * rarest name's weight, the others checked per story.
 * `wanted` stories are ranked from a few times as many (all STORIES_BY_NAME when a filter will drop some).
 */
export function rankByNames(
	ix: SearchIndex,
	names: readonly string[],
	wanted: number,
): { storyId: number; score: number }[] {
	const [rarest, ...others] = names;
	// The rarest name's first stories only, as many as will do: the others are checked per story, and a word
	// that is a name in some stories ("price") may share few with them (then more are read). The others as
	// spelled in the archive (characterNames gives them so): each check is one lookup of the table's key.
	const read = (scan: number) =>
		ix
			.statement(
				`SELECT story_id AS storyId, weight AS score FROM (SELECT story_id, weight FROM characters
					WHERE name = ? COLLATE NOCASE ORDER BY weight DESC LIMIT ${scan}) c${others.length ? ' WHERE' : ''}${others
						.map(() => ' EXISTS (SELECT 1 FROM characters o WHERE o.story_id = c.story_id AND o.name = ?)')
						.join(' AND')} ORDER BY weight DESC LIMIT ${STORIES_BY_NAME}`,
			)
			.all(rarest, ...others) as { storyId: number; score: number }[];
	const first = read(Math.min(Math.max(4 * wanted, 40), STORIES_BY_NAME));
	return first.length < wanted ? read(CHARACTER_SCAN) : first;
}

/**
 * Where a story found by its characters opens, with its snippet, without its pages being scored: of the pages
 * that mention the rarest of the names (listed at import, most mentions for their length first), the first
 * that the other names' lists hold too. A name that is no character of the story (found by its title, "Angel's
 * Chains" for "buffy angel") is left out. Undefined when none is a character or their lists share no page.
 */
export function namesPage(
	ix: SearchIndex,
	storyId: number,
	names: readonly string[],
): { page: number; snippet: Snippet } | undefined {
	const listed = ix.statement('SELECT pages FROM characters WHERE story_id = ? AND name = ? COLLATE NOCASE').pluck();
	const present: string[] = [];
	const lists: string[][] = [];
	for (const name of names) {
		const pages = listed.get(storyId, name) as string | null | undefined;
		if (!pages) continue;
		present.push(name);
		lists.push(pages.split(' '));
	}
	const [rarest, ...others] = lists;
	const shared = others.map((list) => new Set(list));
	const page = rarest?.find((p) => shared.every((set) => set.has(p)));
	if (!page) return undefined;
	const text = ix.pageText(pageRowid(storyId, Number(page)));
	const snippet = text === undefined ? undefined : namesSnippet(text, present);
	return snippet && { page: Number(page), snippet };
}

/**
 * About 200 characters of a page around the names (whole words, any case), every name in it a match: the first
 * stretch that shows the most of them. Undefined unless the page holds them all. FTS5's snippet() would give
 * much the same, at a lookup of the words in every index segment per hit.
 */
function namesSnippet(page: string, names: readonly string[]): Snippet | undefined {
	const lower = page.toLowerCase();
	// (Lower-casing that changes the length, as of "İ", would put the matches in the wrong places.)
	if (lower.length !== page.length) return undefined;
	const words = names.map((name) => name.toLowerCase());
	const mentions = words.flatMap((word, name) => {
		const found: { at: number; name: number }[] = [];
		for (let at = wholeWordAt(lower, word, 0); at !== -1; at = wholeWordAt(lower, word, at + 1))
			found.push({ at, name });
		return found;
	});
	if (new Set(mentions.map((m) => m.name)).size < words.length) return undefined;
	mentions.sort((a, b) => a.at - b.at);
	// Each mention as the first in view: how many of the names the next 140 characters show.
	const shown = (from: number) =>
		new Set(mentions.filter((m) => m.at >= from && m.at < from + 140).map((m) => m.name)).size;
	let first = (mentions[0] as { at: number }).at;
	for (const { at } of mentions) if (shown(at) > shown(first)) first = at;
	let start = Math.max(0, first - 60);
	let end = Math.min(page.length, start + 200);
	// Cut at word boundaries, with an ellipsis where the page goes on.
	if (start > 0) start = page.indexOf(' ', start) + 1 || first;
	if (end < page.length) end = Math.max(first + 1, page.lastIndexOf(' ', end));
	const bold: [number, number][] = [];
	for (const word of words)
		for (let at = wholeWordAt(lower, word, start); at !== -1 && at < end; at = wholeWordAt(lower, word, at + 1))
			bold.push([at, Math.min(end, at + word.length)]);
	bold.sort((a, b) => a[0] - b[0]);
	let text = '';
	let from = start;
	for (const [a, b] of bold) {
		if (a < from) continue;
		text += `${page.slice(from, a)}${OPEN}${page.slice(a, b)}${CLOSE}`;
		from = b;
	}
	text += page.slice(from, end);
	return { parts: markedParts(`${start > 0 ? '…' : ''}${text}${end < page.length ? '…' : ''}`) };
}
