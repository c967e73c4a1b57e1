/**
 * Display width of text in a terminal, as wcwidth-style terminals draw it: East Asian wide and fullwidth
 * characters and emoji take two columns, combining marks, variation selectors and zero-width joiners none,
 * everything else one. A ZWJ sequence (👩‍👩‍👧) or a flag (two regional indicators) is one emoji: two columns.
 */

/** Ranges (inclusive) of wide characters: East Asian Wide/Fullwidth and emoji presentation. */
const WIDE: [number, number][] = [
	[0x1100, 0x115f], // Hangul Jamo initials
	[0x231a, 0x231b],
	[0x2329, 0x232a],
	[0x23e9, 0x23ec],
	[0x23f0, 0x23f0],
	[0x23f3, 0x23f3],
	[0x25fd, 0x25fe],
	[0x2614, 0x2615],
	[0x2648, 0x2653],
	[0x267f, 0x267f],
	[0x2693, 0x2693],
	[0x26a1, 0x26a1],
	[0x26aa, 0x26ab],
	[0x26bd, 0x26be],
	[0x26c4, 0x26c5],
	[0x26ce, 0x26ce],
	[0x26d4, 0x26d4],
	[0x26ea, 0x26ea],
	[0x26f2, 0x26f3],
	[0x26f5, 0x26f5],
	[0x26fa, 0x26fa],
	[0x26fd, 0x26fd],
	[0x2705, 0x2705],
	[0x270a, 0x270b],
	[0x2728, 0x2728],
	[0x274c, 0x274c],
	[0x274e, 0x274e],
	[0x2753, 0x2755],
	[0x2757, 0x2757],
	[0x2795, 0x2797],
	[0x27b0, 0x27b0],
	[0x27bf, 0x27bf],
	[0x2b1b, 0x2b1c],
	[0x2b50, 0x2b50],
	[0x2b55, 0x2b55],
	[0x2e80, 0x303e], // CJK radicals, Kangxi, CJK symbols and punctuation
	[0x3041, 0x33ff], // Hiragana, Katakana, Bopomofo, Hangul compatibility, CJK compatibility
	[0x3400, 0x4dbf], // CJK Extension A
	[0x4e00, 0x9fff], // CJK Unified Ideographs
	[0xa000, 0xa4cf], // Yi
	[0xa960, 0xa97f], // Hangul Jamo Extended-A
	[0xac00, 0xd7a3], // Hangul syllables
	[0xf900, 0xfaff], // CJK compatibility ideographs
	[0xfe10, 0xfe19], // vertical forms
	[0xfe30, 0xfe6f], // CJK compatibility forms, small forms
	[0xff00, 0xff60], // fullwidth forms
	[0xffe0, 0xffe6],
	[0x16fe0, 0x16fe4],
	[0x17000, 0x18cff], // Tangut
	[0x1b000, 0x1b2ff], // Kana supplement and extensions
	[0x1f004, 0x1f004],
	[0x1f0cf, 0x1f0cf],
	[0x1f18e, 0x1f18e],
	[0x1f191, 0x1f19a],
	[0x1f200, 0x1f251],
	[0x1f300, 0x1f64f], // pictographs, emoticons
	[0x1f680, 0x1f6ff], // transport and map
	[0x1f7e0, 0x1f7eb],
	[0x1f90c, 0x1f9ff], // supplemental symbols and pictographs
	[0x1fa70, 0x1faff], // symbols and pictographs extended-A
	[0x20000, 0x3fffd], // CJK Extensions B and on
];

/** Combining marks (variation selectors among them) and format characters (ZWJ, soft hyphen): no column. */
const ZERO = /^[\p{Mn}\p{Me}\p{Cf}]$/u;
const REGIONAL = /^\p{Regional_Indicator}$/u;
const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

function isWide(cp: number): boolean {
	let lo = 0;
	let hi = WIDE.length - 1;
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		const [from, to] = WIDE[mid] as [number, number];
		if (cp < from) hi = mid - 1;
		else if (cp > to) lo = mid + 1;
		else return true;
	}
	return false;
}

/** Columns one user-perceived character (a grapheme cluster) takes. */
export function graphemeWidth(grapheme: string): number {
	const first = grapheme.codePointAt(0) ?? 0;
	if (first < 0x20 || (first >= 0x7f && first < 0xa0)) return 0;
	if (REGIONAL.test(String.fromCodePoint(first))) return 2;
	// A text-style symbol made emoji by VS16 (❤️) is drawn two wide.
	if (grapheme.includes('\u{FE0F}')) return 2;
	if (isWide(first)) return 2;
	if (ZERO.test(String.fromCodePoint(first))) return 0;
	return 1;
}

/** Display width of plain text (no colour codes) in terminal columns. */
export function displayWidth(text: string): number {
	// ASCII, the common case, is one column a character.
	if (/^[\x20-\x7e]*$/.test(text)) return text.length;
	let width = 0;
	for (const { segment } of segmenter.segment(text)) width += graphemeWidth(segment);
	return width;
}

/** The grapheme clusters of text, each with its width: cut text there, never inside one. */
export function graphemes(text: string): { segment: string; width: number }[] {
	return [...segmenter.segment(text)].map(({ segment }) => ({ segment, width: graphemeWidth(segment) }));
}
