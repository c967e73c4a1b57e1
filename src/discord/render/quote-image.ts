import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { Rating } from '../../archive/types.js';
import { bold, prepareText } from './fonts.js';
import { RATING_COLOUR } from './message.js';

/**
 * A quote card as a picture (PNG): the line, large, wrapped and shrunk to fit; who says it; the story's title
 * and author; the rating's colour down the left edge and its name in the corner. Pure apart from the fonts it
 * registers on first use (fonts.ts); about 10–30 ms a card.
 */

export const CARD_WIDTH = 960;
export const CARD_HEIGHT = 504;
/** The coloured edge: `ACCENT_WIDTH` pixels of the rating's colour down the left side. */
export const ACCENT_WIDTH = 14;
const PAD = 64;
const TEXT_TOP = 116;
const TEXT_BOTTOM = 384;
const MAX_SIZE = 48;
export const MIN_SIZE = 18;
const LINE_HEIGHT = 1.3;
const BACKGROUND = '#17181c';
const INK = '#f2f3f5';
const MUTED = '#a4aab6';

export interface QuoteImageInput {
	/** The line, as plain text (markdown already stripped). */
	text: string;
	/** Who says it; null for narration or an unnamed speaker. */
	speaker: string | null;
	title: string;
	author: string | null;
	rating: Rating;
}

export interface QuoteImage {
	png: Buffer;
	width: number;
	height: number;
	/** The size the line was drawn at, and its lines (the last ends in … when even the smallest size overflowed). */
	fontSize: number;
	lines: string[];
	/** Characters no shipped font has, drawn as U+FFFD. */
	missing: number;
}

const hex = (colour: number) => `#${colour.toString(16).padStart(6, '0')}`;

/** Han, kana, Hangul and full-width forms: a line may break between any two of them. */
const CJK = '\\u2E80-\\u9FFF\\uAC00-\\uD7AF\\uF900-\\uFAFF\\uFE30-\\uFE4F\\uFF00-\\uFFEF\\u{20000}-\\u{3FFFF}';
const TOKENS = new RegExp(`\\s+|[${CJK}]|[^\\s${CJK}]+`, 'gu');

/**
 * Greedy line filling: breaks at spaces and between CJK characters, and inside a word only when the word alone
 * is wider than the line. `widthOf` measures a piece of text (a word, a space, a character) at the size drawn.
 */
export function wrap(text: string, width: number, widthOf: (piece: string) => number): string[] {
	const lines: string[] = [];
	let line = '';
	let used = 0;
	const space = widthOf(' ');
	const push = () => {
		if (line.trim()) lines.push(line.trimEnd());
		line = '';
		used = 0;
	};
	for (const token of text.match(TOKENS) ?? []) {
		if (/^\s+$/.test(token)) {
			if (line) {
				line += ' ';
				used += space;
			}
			continue;
		}
		const w = widthOf(token);
		if (used + w <= width) {
			line += token;
			used += w;
			continue;
		}
		push();
		if (w <= width) {
			line = token;
			used = w;
			continue;
		}
		// A word wider than the line: broken between characters.
		for (const ch of token) {
			const c = widthOf(ch);
			if (line && used + c > width) push();
			line += ch;
			used += c;
		}
	}
	push();
	return lines;
}

/** Cuts a one-line text to `width`, ending in … when it had to be cut. */
function fitLine(ctx: SKRSContext2D, text: string, width: number): string {
	if (ctx.measureText(text).width <= width) return text;
	const chars = [...text];
	let low = 0;
	let high = chars.length;
	while (low < high) {
		const mid = Math.ceil((low + high) / 2);
		if (ctx.measureText(`${chars.slice(0, mid).join('').trimEnd()}…`).width <= width) low = mid;
		else high = mid - 1;
	}
	return `${chars.slice(0, low).join('').trimEnd()}…`;
}

/** Pieces are measured once at this size; other sizes scale (text widths are linear in the size, to hinting). */
const REFERENCE_SIZE = 100;
/** What scaling may be off by: lines are filled to this share of the box, and the last is measured exactly. */
const SLACK = 0.97;

/**
 * The line's layout: the largest size from 48 px down to 18 px at which it fits the text box (a binary search
 * over sizes, each piece measured once); at 18 px a line that still overflows keeps the lines that fit, the
 * last ending in ….
 */
function layout(ctx: SKRSContext2D, text: string, families: string, width: number, height: number) {
	ctx.font = `${REFERENCE_SIZE}px ${families}`;
	const measured = new Map<string, number>();
	const reference = (piece: string) => {
		let w = measured.get(piece);
		if (w === undefined) {
			w = ctx.measureText(piece).width;
			measured.set(piece, w);
		}
		return w;
	};
	const at = (fontSize: number) => {
		const lines = wrap(text, width * SLACK, (piece) => (reference(piece) * fontSize) / REFERENCE_SIZE);
		return { fontSize, lines, fits: lines.length <= Math.floor(height / (fontSize * LINE_HEIGHT)) };
	};
	let low = MIN_SIZE;
	let high = MAX_SIZE;
	let best = at(MIN_SIZE);
	if (best.fits) {
		// The largest size that fits: the smallest always does here.
		while (low < high) {
			const mid = Math.ceil((low + high) / 2);
			if (at(mid).fits) low = mid;
			else high = mid - 1;
		}
		best = at(low);
	}
	ctx.font = `${best.fontSize}px ${families}`;
	if (best.fits) return best;
	const fits = Math.max(1, Math.floor(height / (best.fontSize * LINE_HEIGHT)));
	const kept = best.lines.slice(0, fits);
	kept[fits - 1] = fitLine(ctx, `${kept[fits - 1]} ${best.lines.slice(fits).join(' ')}`, width);
	return { fontSize: best.fontSize, lines: kept };
}

/** Draws a quote card and encodes it as PNG (off the event loop). */
export async function renderQuoteImage(input: QuoteImageInput): Promise<QuoteImage> {
	const canvas = createCanvas(CARD_WIDTH, CARD_HEIGHT);
	const ctx = canvas.getContext('2d');
	const accent = hex(RATING_COLOUR[input.rating]);
	ctx.fillStyle = BACKGROUND;
	ctx.fillRect(0, 0, CARD_WIDTH, CARD_HEIGHT);
	ctx.fillStyle = accent;
	ctx.fillRect(0, 0, ACCENT_WIDTH, CARD_HEIGHT);

	// The rating in its colour, top right; a large opening quote mark in the same colour.
	const head = prepareText(input.rating);
	ctx.font = `20px ${bold(head.families)}`;
	ctx.textAlign = 'right';
	ctx.textBaseline = 'top';
	ctx.fillText(head.text.toUpperCase(), CARD_WIDTH - PAD, 38);
	ctx.textAlign = 'left';
	ctx.font = `112px ${bold(head.families)}`;
	ctx.fillText('“', PAD - 10, 18);

	const line = prepareText(input.text.trim().replace(/\s+/g, ' '));
	const width = CARD_WIDTH - 2 * PAD;
	const { fontSize, lines } = layout(ctx, line.text, line.families, width, TEXT_BOTTOM - TEXT_TOP);
	ctx.fillStyle = INK;
	ctx.textBaseline = 'alphabetic';
	const step = fontSize * LINE_HEIGHT;
	lines.forEach((text, i) => {
		ctx.fillText(text, PAD, TEXT_TOP + fontSize + i * step);
	});

	const who = prepareText(input.speaker ? `— ${input.speaker}` : '');
	const where = prepareText([input.title, input.author].filter(Boolean).join(' · '));
	if (who.text) {
		ctx.font = `26px ${bold(who.families)}`;
		ctx.fillText(fitLine(ctx, who.text, width), PAD, 432);
	}
	ctx.fillStyle = MUTED;
	ctx.font = `21px ${where.families}`;
	ctx.fillText(fitLine(ctx, where.text, width), PAD, who.text ? 468 : 448);

	const png = await canvas.encode('png');
	const missing = line.missing + who.missing + where.missing;
	return { png, width: CARD_WIDTH, height: CARD_HEIGHT, fontSize, lines, missing };
}
