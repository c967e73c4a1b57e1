import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { RATINGS, type Rating } from '../../src/archive/types.js';
import { cmapCoverage, parseUnicodeRange, prepareText, REPLACEMENT } from '../../src/discord/render/fonts.js';
import { RATING_COLOUR } from '../../src/discord/render/message.js';
import {
	ACCENT_WIDTH,
	CARD_HEIGHT,
	CARD_WIDTH,
	MIN_SIZE,
	type QuoteImageInput,
	renderQuoteImage,
	wrap,
} from '../../src/discord/render/quote-image.js';

const line = (text: string, rating: Rating = 'Teen'): QuoteImageInput => ({
	text,
	speaker: 'Spike',
	title: 'Leaving',
	author: 'Slaymesoftly',
	rating,
});

/** Width and height from a PNG's signature and IHDR chunk. */
function pngHeader(png: Buffer) {
	expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
	expect(png.toString('latin1', 12, 16)).toBe('IHDR');
	return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** The PNG decoded back into pixels. */
async function pixels(png: Buffer) {
	const image = await loadImage(png);
	const canvas = createCanvas(image.width, image.height);
	const ctx = canvas.getContext('2d');
	ctx.drawImage(image, 0, 0);
	const data = ctx.getImageData(0, 0, image.width, image.height).data;
	return {
		at: (x: number, y: number) => {
			const i = (y * image.width + x) * 4;
			return ((data[i] as number) << 16) | ((data[i + 1] as number) << 8) | (data[i + 2] as number);
		},
		/** How many pixels of a rectangle differ from the card's background. */
		inked: (x0: number, y0: number, x1: number, y1: number) => {
			const background = ((data[(10 * image.width + 100) * 4] as number) << 16) | 0;
			let n = 0;
			for (let y = y0; y < y1; y++) {
				for (let x = x0; x < x1; x++) if ((data[(y * image.width + x) * 4] as number) !== background >> 16) n++;
			}
			return n;
		},
	};
}

describe('quote cards as pictures', () => {
	it('are PNGs of a sane size, the rating’s colour down the edge', async () => {
		const seen = new Set<number>();
		for (const rating of RATINGS) {
			const image = await renderQuoteImage(line('“I’m not leaving,” Spike whispered. “Not tonight.”', rating));
			expect(pngHeader(image.png)).toEqual({ width: CARD_WIDTH, height: CARD_HEIGHT });
			expect(image.png.length).toBeGreaterThan(5_000);
			expect(image.png.length).toBeLessThan(1_000_000);
			const px = await pixels(image.png);
			const edge = px.at(Math.floor(ACCENT_WIDTH / 2), Math.floor(CARD_HEIGHT / 2));
			expect(edge, rating).toBe(RATING_COLOUR[rating]);
			seen.add(edge);
			// The line is drawn: the text box has ink, the right margin has none.
			expect(px.inked(64, 116, CARD_WIDTH - 64, 300)).toBeGreaterThan(2_000);
			expect(px.inked(CARD_WIDTH - 40, 120, CARD_WIDTH, 400)).toBe(0);
		}
		expect(seen.size).toBe(RATINGS.length);
	});

	it('draw a short line large and shrink a long one to fit, cutting only past the smallest size', async () => {
		const short = await renderQuoteImage(line('Not tonight.'));
		expect(short.fontSize).toBe(48);
		expect(short.lines).toEqual(['Not tonight.']);
		const medium = await renderQuoteImage(line('She said the words slowly. '.repeat(8)));
		expect(medium.fontSize).toBeLessThan(48);
		expect(medium.fontSize).toBeGreaterThan(MIN_SIZE);
		expect(medium.lines.join(' ')).toBe('She said the words slowly. '.repeat(8).trim());
		const long = await renderQuoteImage(line('and then the night went on '.repeat(200)));
		expect(long.fontSize).toBe(MIN_SIZE);
		expect(long.lines.length).toBeGreaterThan(5);
		expect(long.lines.at(-1)).toMatch(/…$/);
		expect(pngHeader(long.png)).toEqual({ width: CARD_WIDTH, height: CARD_HEIGHT });
		// One word longer than the card is broken between characters rather than running off the edge.
		const word = await renderQuoteImage(line('a'.repeat(400)));
		expect(word.lines.length).toBeGreaterThan(1);
		expect(word.lines.join('')).toBe('a'.repeat(400));
	});

	it('wrap within the width, at spaces and between CJK characters, keeping every character', () => {
		const widthOf = (piece: string) => [...piece].length * 10;
		const lines = wrap('one two three four five six', 100, widthOf);
		expect(lines).toEqual(['one two', 'three four', 'five six']);
		for (const l of lines) expect(widthOf(l)).toBeLessThanOrEqual(100);
		expect(wrap('你好世界你好世界你好世界', 50, widthOf)).toEqual(['你好世界你', '好世界你好', '世界']);
		expect(wrap('abcdefghijklmnopqrstuvwxyz', 100, widthOf)).toEqual(['abcdefghij', 'klmnopqrst', 'uvwxyz']);
		expect(wrap('   ', 100, widthOf)).toEqual([]);
	});

	it('draw Cyrillic, Greek, CJK and emoji with the shipped fonts, and U+FFFD for what none has', async () => {
		for (const text of [
			'Привет, мир!',
			'Γειά σου κόσμε',
			'你好，世界。こんにちは',
			'안녕하세요',
			'😀🎉🦄✨',
			'ĉu ŝi? Ça va, Ærøskøbing',
		]) {
			const prepared = prepareText(text);
			expect(prepared.missing, text).toBe(0);
			expect(prepared.text, text).toBe(text);
			const image = await renderQuoteImage(line(text));
			expect(image.missing, text).toBe(0);
			expect(pngHeader(image.png)).toEqual({ width: CARD_WIDTH, height: CARD_HEIGHT });
		}
		// Egyptian hieroglyphs and Linear B are in none of the shipped fonts: a clear substitute, not an empty box.
		const lacking = prepareText('𓀀𓀁 𐀀 ok');
		expect(lacking.missing).toBe(3);
		expect(lacking.text).toBe(`${REPLACEMENT}${REPLACEMENT} ${REPLACEMENT} ok`);
		const image = await renderQuoteImage(line('𓀀𓀁𓀂 and 𐀀𐀁𐀂'));
		expect(image.missing).toBe(6);
		// Controls, joiners, a lone surrogate and nothing at all: no crash.
		expect(prepareText('a\u0000b\u200dc\ufe0f').text).toBe('abc');
		for (const odd of ['', ' ', '\ud800', '👨‍👩‍👧', 'e\u0301']) {
			const card = await renderQuoteImage({ ...line(odd), speaker: null, author: null });
			expect(pngHeader(card.png).width).toBe(CARD_WIDTH);
		}
	});

	it('know which characters DejaVu Sans has from its cmap, and the slices’ ranges', () => {
		const require = createRequire(import.meta.url);
		const file = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
		const covered = cmapCoverage(readFileSync(file));
		for (const ch of 'AzЖΩ€—“') expect(covered.has(ch.codePointAt(0) as number), ch).toBe(true);
		for (const ch of ['你', '안', '𓀀']) expect(covered.has(ch.codePointAt(0) as number), ch).toBe(false);
		// WOFF2 slices: their cmap read from the Brotli stream. unicode.json overclaims: slice 21 of Noto Sans SC
		// is meant for a range that holds 가 (U+AC00) but has no glyph for it; the Korean slices draw it.
		const sc = (n: number) => require.resolve(`@fontsource/noto-sans-sc/files/noto-sans-sc-${n}-400-normal.woff2`);
		const slice21 = cmapCoverage(readFileSync(sc(21)));
		expect(slice21.has(0x9f83)).toBe(true); // 齃, which it does draw
		expect(slice21.has(0xac00)).toBe(false);
		const ranges = JSON.parse(readFileSync(require.resolve('@fontsource/noto-sans-sc/unicode.json'), 'utf8'));
		expect(parseUnicodeRange(ranges['[21]']).some(([a, b]) => a <= 0xac00 && 0xac00 <= b)).toBe(true);
		const hangul = prepareText('가세요 작가');
		expect(hangul).toMatchObject({ text: '가세요 작가', missing: 0 });
		expect(hangul.families).toMatch(/CardKR\d+/);
		expect(hangul.families).not.toMatch(/CardCJK21\b/);
		expect(parseUnicodeRange('U+1f1e9-1f1f5,U+20, junk')).toEqual([
			[0x1f1e9, 0x1f1f5],
			[0x20, 0x20],
		]);
	});
});
