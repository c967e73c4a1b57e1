/**
 * Lines as readers copy them, for the known-item class: the first ten words of a random paragraph of a random
 * page with what a copy loses removed, each with the story it came from; the same lines with one typo each; and
 * the worst inputs, made to cost as much as a query can.
 */
import { PAGE_ROWID_SHIFT } from '../../src/archive/store.js';
import type { Rng } from '../synth.js';
import type { Draw } from './classes.js';
import { type Corpus, swapAdjacent } from './corpus.js';

/** Known-item lines drawn (all are timed as the known-item class, and scored). */
export const KNOWN_ITEMS = 200;

/** What a reader's copy of a line loses: quote marks, and `*()^:-` (issue 25's lines were drawn so). */
export const COPY_LOSES = /["“”„«»＂*()^:-]/g;
/** Words a reader copies: the first ten of a paragraph. */
const COPIED_WORDS = 10;

/** A paragraph's start as a reader copies it; undefined when it has fewer than five words with letters. */
export function readerCopy(paragraph: string): string | undefined {
	const tokens = paragraph.replace(COPY_LOSES, '').split(/\s+/).filter(Boolean).slice(0, COPIED_WORDS);
	return tokens.filter((t) => /\p{L}/u.test(t)).length >= 5 ? tokens.join(' ') : undefined;
}

/**
 * known-item: lines as readers copy them (issue 25): a random paragraph of a random page, its first ten words, with
 * quote marks and `*()^:-` removed, whatever words they are made of (frequent ones included). Paragraphs of fewer
 * than five words with letters are left out (a query of a few words is not searched as a line).
 */
export function knownItemLines({ corpus, rng }: Draw): { lines: string[]; lineStories: number[] } {
	const lines: string[] = [];
	const lineStories: number[] = [];
	for (let i = 0; i < KNOWN_ITEMS * 100 && lines.length < KNOWN_ITEMS; i++) {
		const page = corpus.page();
		const paragraph = rng.pick(page.paragraphs);
		const line = paragraph && readerCopy(paragraph.join(' '));
		if (!line || lines.includes(line)) continue;
		lines.push(line);
		lineStories.push(Math.floor(page.id / PAGE_ROWID_SHIFT));
	}
	return { lines, lineStories };
}

/** A line with one typo: two adjacent letters swapped in its longest word. */
export function typoLine(line: string, rng: Rng): string {
	const tokens = line.split(' ');
	let best = -1;
	let bestRun: RegExpExecArray | undefined;
	for (const [i, token] of tokens.entries()) {
		for (const run of token.matchAll(/\p{L}+/gu))
			if (!bestRun || run[0].length > bestRun[0].length) {
				best = i;
				bestRun = run;
			}
	}
	if (!bestRun) return line;
	const swapped = swapAdjacent(bestRun[0], rng);
	if (!swapped) return line;
	const token = tokens[best] as string;
	tokens[best] = token.slice(0, bestRun.index) + swapped.word + token.slice(bestRun.index + bestRun[0].length);
	return tokens.join(' ');
}

/** The longest paragraph of a few random pages, its words joined by single spaces. */
export function longParagraph(corpus: Corpus): string {
	let longest = '';
	for (let i = 0; i < 20; i++)
		for (const p of corpus.paragraphs()) if (p.join(' ').length > longest.length) longest = p.join(' ');
	return longest;
}

/**
 * Queries that ask for the most work (issue 19: one 500-letter word held the bot for a second), within the 500
 * characters a query is cut to: words too long to be typos, many words that match nothing, many frequent words as a
 * copied line, and a pasted paragraph with a typo in every other long word.
 */
export function worstInputs(paragraph: string, rng: Rng): { name: string; query: string }[] {
	const letters = 'etaoinshrdlcumwfgypbvkjxqz';
	/** A non-word of `length` letters, the nth of its kind. */
	const nonWord = (length: number, n: number) =>
		Array.from({ length }, (_, i) => letters.charAt((n * 7 + i * (n + 3)) % letters.length)).join('');
	const fill = (make: (n: number) => string) => {
		const words: string[] = [];
		for (let n = 0; words.join(' ').length + make(n).length < 499; n++) words.push(make(n));
		return words.join(' ');
	};
	const frequent = 'said the and she was to of it in that he her his you had with for not at but'.split(' ');
	const pasted = paragraph
		.slice(0, 500)
		.split(' ')
		.map((word, i) => (word.length >= 6 && i % 2 ? (swapAdjacent(word, rng)?.word ?? word) : word))
		.join(' ');
	return [
		{ name: 'one 500-letter word', query: nonWord(500, 1) },
		{ name: '12 words of 40 letters', query: fill((n) => nonWord(40, n)) },
		{ name: '24 words of 20 letters', query: fill((n) => nonWord(20, n)) },
		{ name: 'non-words of 8 letters', query: fill((n) => nonWord(8, n)) },
		{ name: 'non-words of 3 letters', query: fill((n) => nonWord(3, n)) },
		{ name: 'frequent words as a line', query: fill((n) => frequent[(n * 7) % frequent.length] as string) },
		{ name: 'pasted paragraph, typos', query: pasted },
	];
}
