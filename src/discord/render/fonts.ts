import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { GlobalFonts } from '@napi-rs/canvas';

/**
 * The fonts quote-card images are drawn with, all shipped in registry packages (nothing is fetched, and no
 * system font is relied on): DejaVu Sans (Latin, Greek, Cyrillic, Armenian, Hebrew, much of Arabic, symbols,
 * some emoji) first; Noto Sans SC for Chinese and Japanese (Han, kana, full-width forms); Noto Sans KR for
 * Hangul; Noto Emoji (monochrome) for the rest of emoji. The Noto packages come as ~100 slices of a font,
 * each with the characters it is meant for (`unicode.json`, which overclaims: a glyph must also be in the
 * slice's cmap, read from its WOFF2); a slice is read and registered the first time a line needs it. A
 * character none of them has is drawn as U+FFFD, never as an empty box, and counted.
 */

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

const SANS = 'CardSans';
const SANS_BOLD = 'CardSansBold';
const SANS_FILE = join(packageDir('dejavu-fonts-ttf'), 'ttf', 'DejaVuSans.ttf');
const SANS_BOLD_FILE = join(packageDir('dejavu-fonts-ttf'), 'ttf', 'DejaVuSans-Bold.ttf');
export const REPLACEMENT = '\uFFFD';

interface Slice {
	family: string;
	file: string;
	/** What the slice is meant for (its unicode.json): a first, cheap filter. */
	ranges: [number, number][];
	/** What its cmap really maps, read the first time a character falls in its ranges (ranges overclaim). */
	coverage?: Set<number>;
	registered: boolean;
}

/** Whether a slice draws a character: in its ranges, and in its cmap (a few ms to read, once a slice). */
function draws(slice: Slice, cp: number): boolean {
	if (!slice.ranges.some(([a, b]) => cp >= a && cp <= b)) return false;
	slice.coverage ??= cmapCoverage(readFileSync(slice.file));
	return slice.coverage.has(cp);
}

/** The code points a TrueType/OpenType font (or a WOFF2 one) maps to a glyph. */
export function cmapCoverage(font: Buffer): Set<number> {
	if (font.toString('latin1', 0, 4) === 'wOF2') {
		const found = woff2Cmap(font);
		return found ? coverageAt(found.data, found.offset) : new Set();
	}
	const tables = font.readUInt16BE(4);
	for (let i = 0; i < tables; i++) {
		const at = 12 + i * 16;
		if (font.toString('latin1', at, at + 4) === 'cmap') return coverageAt(font, font.readUInt32BE(at + 8));
	}
	return new Set();
}

/** WOFF2's variable-length numbers: 7 bits a byte, high bit set on all but the last. */
function base128(buf: Buffer, at: number): { value: number; next: number } {
	let value = 0;
	for (let i = 0; i < 5; i++) {
		const byte = buf.readUInt8(at + i);
		value = value * 128 + (byte & 0x7f);
		if (!(byte & 0x80)) return { value, next: at + i + 1 };
	}
	throw new RangeError('bad UIntBase128');
}

/**
 * A WOFF2 font's cmap: the table directory gives each table's length in the Brotli stream that follows it
 * (tables one after another; cmap is never transformed), so the stream is decompressed and cmap found in it.
 */
function woff2Cmap(font: Buffer): { data: Buffer; offset: number } | null {
	const tables = font.readUInt16BE(12);
	let at = 48;
	let offset = 0;
	let cmap = -1;
	for (let i = 0; i < tables; i++) {
		const flags = font.readUInt8(at++);
		const index = flags & 0x3f;
		const transform = flags >> 6;
		let tag = WOFF2_TAGS[index] ?? '';
		if (index === 63) {
			tag = font.toString('latin1', at, at + 4);
			at += 4;
		}
		const orig = base128(font, at);
		at = orig.next;
		let length = orig.value;
		const glyphs = tag === 'glyf' || tag === 'loca';
		if ((glyphs && transform !== 3) || (!glyphs && transform !== 0)) {
			const transformed = base128(font, at);
			at = transformed.next;
			length = transformed.value;
		}
		if (tag === 'cmap') cmap = offset;
		offset += length;
	}
	if (cmap < 0) return null;
	const compressed = font.readUInt32BE(20);
	return { data: brotliDecompressSync(font.subarray(at, at + compressed)), offset: cmap };
}

/** WOFF2's known-table tags, by index (the ones before cmap matter: cmap is 0, so none do in practice). */
const WOFF2_TAGS = ['cmap', 'head', 'hhea', 'hmtx', 'maxp', 'name', 'OS/2', 'post', 'cvt ', 'fpgm', 'glyf', 'loca'];

/** The code points a cmap table at `cmap` maps to a glyph (format 12, else format 4). */
function coverageAt(font: Buffer, cmap: number): Set<number> {
	const covered = new Set<number>();
	const encodings = font.readUInt16BE(cmap + 2);
	const subtables: { platform: number; encoding: number; offset: number }[] = [];
	for (let i = 0; i < encodings; i++) {
		const at = cmap + 4 + i * 8;
		subtables.push({
			platform: font.readUInt16BE(at),
			encoding: font.readUInt16BE(at + 2),
			offset: cmap + font.readUInt32BE(at + 4),
		});
	}
	const full = subtables.find((s) => s.platform === 3 && s.encoding === 10 && font.readUInt16BE(s.offset) === 12);
	if (full) {
		const groups = font.readUInt32BE(full.offset + 12);
		for (let g = 0; g < groups; g++) {
			const at = full.offset + 16 + g * 12;
			const [start, end, glyph] = [font.readUInt32BE(at), font.readUInt32BE(at + 4), font.readUInt32BE(at + 8)];
			for (let cp = start; cp <= end; cp++) if (glyph + (cp - start) !== 0) covered.add(cp);
		}
		return covered;
	}
	const bmp = subtables.find((s) => s.platform === 3 && s.encoding === 1 && font.readUInt16BE(s.offset) === 4);
	if (!bmp) return covered;
	const segments = font.readUInt16BE(bmp.offset + 6) / 2;
	const ends = bmp.offset + 14;
	const starts = ends + segments * 2 + 2;
	const deltas = starts + segments * 2;
	const rangeOffsets = deltas + segments * 2;
	for (let s = 0; s < segments; s++) {
		const end = font.readUInt16BE(ends + s * 2);
		const start = font.readUInt16BE(starts + s * 2);
		const delta = font.readInt16BE(deltas + s * 2);
		const rangeAt = rangeOffsets + s * 2;
		const rangeOffset = font.readUInt16BE(rangeAt);
		for (let cp = start; cp <= end && cp !== 0xffff; cp++) {
			let glyph: number;
			if (rangeOffset === 0) glyph = (cp + delta) & 0xffff;
			else {
				const raw = font.readUInt16BE(rangeAt + rangeOffset + (cp - start) * 2);
				glyph = raw === 0 ? 0 : (raw + delta) & 0xffff;
			}
			if (glyph !== 0) covered.add(cp);
		}
	}
	return covered;
}

/** `U+1f1e9-1f1f5,U+20` → [[0x1f1e9, 0x1f1f5], [0x20, 0x20]] */
export function parseUnicodeRange(text: string): [number, number][] {
	return text
		.split(',')
		.map((part) => /^\s*U\+([0-9a-f]+)(?:-([0-9a-f]+))?\s*$/i.exec(part))
		.filter((m): m is RegExpExecArray => m !== null)
		.map((m) => [Number.parseInt(m[1] as string, 16), Number.parseInt(m[2] ?? (m[1] as string), 16)]);
}

/** A fontsource package's 400-weight slices, from its unicode.json (`"[4]": "U+…"` ↔ files/<id>-4-400-normal.woff2). */
function slicesOf(name: string, id: string, family: string): Slice[] {
	const dir = packageDir(name);
	const ranges = JSON.parse(readFileSync(join(dir, 'unicode.json'), 'utf8')) as Record<string, string>;
	return Object.entries(ranges)
		.map(([key, range]) => ({ n: /^\[(\d+)\]$/.exec(key)?.[1], range }))
		.filter((s): s is { n: string; range: string } => s.n !== undefined)
		.map(({ n, range }) => ({
			family: `${family}${n}`,
			file: join(dir, 'files', `${id}-${n}-400-normal.woff2`),
			ranges: parseUnicodeRange(range),
			registered: false,
		}));
}

interface Fonts {
	sans: Set<number>;
	slices: Slice[];
	/** Which slice has a character (null: none), remembered per code point. */
	sliceOf: Map<number, Slice | null>;
}

let fonts: Fonts | undefined;

/** Registers DejaVu Sans and reads what every font covers; once per process (about 20 ms). */
function loadFonts(): Fonts {
	if (fonts) return fonts;
	GlobalFonts.registerFromPath(SANS_FILE, SANS);
	GlobalFonts.registerFromPath(SANS_BOLD_FILE, SANS_BOLD);
	fonts = {
		sans: cmapCoverage(readFileSync(SANS_FILE)),
		// CJK before emoji: the CJK slices hold a few symbols the emoji font draws as pictures.
		slices: [
			...slicesOf('@fontsource/noto-sans-sc', 'noto-sans-sc', 'CardCJK'),
			...slicesOf('@fontsource/noto-sans-kr', 'noto-sans-kr', 'CardKR'),
			...slicesOf('@fontsource/noto-emoji', 'noto-emoji', 'CardEmoji'),
		],
		sliceOf: new Map(),
	};
	return fonts;
}

/** Characters that take no glyph of their own: joiners, variation selectors, tag characters. */
const zeroWidth = (cp: number) =>
	(cp >= 0x200b && cp <= 0x200d) || cp === 0x2060 || (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0020 && cp <= 0xe007f);

export interface PreparedText {
	/** The text as it will be drawn: controls dropped, characters no font has replaced by U+FFFD. */
	text: string;
	/** The CSS font-family list that draws it: DejaVu Sans, then the slices it needs. */
	families: string;
	/** How many characters no shipped font has (each drawn as U+FFFD). */
	missing: number;
}

/**
 * Makes text drawable with the shipped fonts: registers the slices its characters need, and replaces what no
 * font has with U+FFFD (so nothing is drawn as an empty box and nothing falls to a system font).
 */
export function prepareText(input: string): PreparedText {
	const { sans, slices, sliceOf } = loadFonts();
	const used = new Set<Slice>();
	let missing = 0;
	let text = '';
	for (const ch of input.normalize('NFC')) {
		const cp = ch.codePointAt(0) as number;
		if (ch === '\n' || ch === '\t') {
			text += ' ';
			continue;
		}
		if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) continue;
		// Joiners and variation selectors are dropped: a joined emoji shows as its parts, in one colour.
		if (zeroWidth(cp)) continue;
		if (sans.has(cp)) {
			text += ch;
			continue;
		}
		let slice = sliceOf.get(cp);
		if (slice === undefined) {
			slice = slices.find((s) => draws(s, cp)) ?? null;
			sliceOf.set(cp, slice);
		}
		if (slice) {
			used.add(slice);
			text += ch;
		} else {
			missing++;
			text += REPLACEMENT;
		}
	}
	for (const slice of used) {
		if (!slice.registered) {
			GlobalFonts.registerFromPath(slice.file, slice.family);
			slice.registered = true;
		}
	}
	const families = [SANS, ...[...used].map((s) => s.family)].join(', ');
	return { text, families, missing };
}

/** A family list with DejaVu Sans Bold in place of the regular (the fallbacks stay regular). */
export const bold = (families: string) => families.replace(SANS, SANS_BOLD);
