/**
 * Bounds on the work one copied line may cost (issues 19 and 25). better-sqlite3 is synchronous and cannot interrupt
 * a statement: a search holds the bot's event loop for as long as it runs, so its fallbacks are cut by time between
 * statements and page reads, and each statement is kept small (a copied line's FTS5 queries read a few hundred rows).
 */

/**
 * Time one search may spend looking for a copied line (ms). Its first FTS5 query always runs; the fallbacks after it
 * (respellings, wider NEAR and AND queries, reading on) and the pages they read stop once the search has run this
 * long, and what was found so far is the answer. It trades a line found only by a late fallback on a slow or loaded
 * machine for a bot that answers everyone else within 50 ms: at 1 GB the first query finds nearly every line that
 * is on a page in under 20 ms, and a line of frequent words that no page holds ran its fallbacks for over 130 ms.
 */
export const LINE_BUDGET_MS = 35;

/**
 * Words of a copied line searched, at most: a longer line (a pasted paragraph) is searched by the LINE_WORDS_MAX words
 * in a row that are rarest in the archive. Sixteen words in a row are on one page or very few; more only add page
 * lists to walk and text to check.
 */
export const LINE_WORDS_MAX = 16;

/** A search's time budget, on a clock that tests may replace. */
export class SearchClock {
	private readonly ends: number;
	/** Whether some work was skipped because the budget was spent. */
	stopped = false;

	constructor(
		ms: number,
		private readonly now: () => number = () => performance.now(),
	) {
		this.ends = now() + ms;
	}

	/** Whether the budget is spent (and so the work asked about is skipped: `stopped` records it). */
	spent(): boolean {
		if (this.now() < this.ends) return false;
		this.stopped = true;
		return true;
	}
}

/** A clock that never runs out (for work that is not bounded by time). */
export const UNBOUNDED: Pick<SearchClock, 'spent'> = { spent: () => false };

/** The words of a text (as a copied line is cut into words), with where each starts and ends. */
function wordsOf(text: string): { word: string; start: number; end: number }[] {
	return [...text.matchAll(/[\p{L}\p{N}]+/gu)].map((m) => ({
		word: (m[0] as string).toLowerCase(),
		start: m.index,
		end: m.index + (m[0] as string).length,
	}));
}

/**
 * A copied line of more than `max` words cut to the `max` words in a row that are rarest (the largest sum of
 * log(total / pages) over the words on some page; a word on no page counts nothing, the first such window wins),
 * as typed from its first word to its last; `keep` (spans of the text, such as filters) are put back after it.
 * Null when the line has no more than `max` words.
 */
export function lineWindow(
	text: string,
	pages: (word: string) => number,
	total: number,
	keep: readonly { start: number; end: number }[] = [],
	max = LINE_WORDS_MAX,
): string | null {
	const inKeep = (at: number) => keep.some((k) => at >= k.start && at < k.end);
	const words = wordsOf(text).filter((w) => !inKeep(w.start));
	if (words.length <= max) return null;
	const known = new Map<string, number>();
	const weight = (word: string) => {
		let w = known.get(word);
		if (w === undefined) {
			const n = pages(word);
			w = n > 0 ? Math.log((total + 1) / n) : 0;
			known.set(word, w);
		}
		return w;
	};
	const weights = words.map((w) => weight(w.word));
	let sum = weights.slice(0, max).reduce((a, b) => a + b, 0);
	let best = { at: 0, sum };
	for (let at = 1; at + max <= words.length; at++) {
		sum += (weights[at + max - 1] as number) - (weights[at - 1] as number);
		if (sum > best.sum + 1e-9) best = { at, sum };
	}
	const first = words[best.at] as { start: number };
	const last = words[best.at + max - 1] as { end: number };
	// (A filter typed inside the window goes after it, once.)
	let window = '';
	for (let at = first.start; at < last.end; at++) window += inKeep(at) ? ' ' : text.charAt(at);
	return [window, ...keep.map((k) => text.slice(k.start, k.end))].join(' ');
}
