import type { Rating } from '../types.js';

/**
 * Rating codes as they appear in fic headers, after upper-casing and dropping spaces, dots, dashes and
 * underscores ("PG-13" → "PG13"). Matching is anchored on whole tokens, so "PG-13" can never read as "PG".
 */
const RATING_CODES: ReadonlyMap<string, Rating> = new Map([
	...['G', 'K', 'K+', 'PG', 'GENERAL', 'GENERALAUDIENCES', 'U', 'ALLAGES', 'FRC', 'FRAO'].map(
		(c) => [c, 'General'] as const,
	),
	...['PG13', 'T', '13', '15', '12', 'TEEN', 'TEENANDUP', 'TEENANDUPAUDIENCES', 'FRT', 'FR13', 'FR15'].map(
		(c) => [c, 'Teen'] as const,
	),
	...['R', 'M', 'MATURE', '16', '17', '18', 'FRM', 'FR18', 'NC16'].map((c) => [c, 'Mature'] as const),
	...['NC17', 'NC-17', 'X', 'XXX', 'MA', 'E', 'EXPLICIT', 'ADULT', 'FR21', 'NC18', '18+'].map(
		(c) => [c, 'Explicit'] as const,
	),
	...['NR', 'NOTRATED', 'UNRATED', 'NONE'].map((c) => [c, 'Not Rated'] as const),
]);

const compact = (s: string) => s.toUpperCase().replace(/[\s._-]+/g, '');

/**
 * Maps a header's rating text to the AO3 scale. Tries the whole value, then its first phrase before any
 * "for …"/"(…)"/comma explanation, then its first token; anything unrecognised is Not Rated.
 */
export function normalizeRating(text: string | null | undefined): Rating {
	if (!text) return 'Not Rated';
	const value = text.trim();
	const candidates = [
		value,
		value.split(/\s+(?:for|due|because)\s+|[,;(:/]| - | – | — /i)[0] ?? '',
		value.match(/^[A-Za-z0-9+]+(?:[-\s.]?(?:13|17|15|18|21|\+))?/)?.[0] ?? '',
	];
	for (const candidate of candidates) {
		const rating = RATING_CODES.get(compact(candidate));
		if (rating) return rating;
	}
	return 'Not Rated';
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function isoDate(year: number, month: number, day: number): string | null {
	const y = year < 100 ? (year < 50 ? 2000 + year : 1900 + year) : year;
	if (month < 1 || month > 12 || day < 1 || day > 31 || y < 1900 || y > 2100) return null;
	const date = new Date(Date.UTC(y, month - 1, day));
	if (date.getUTCDate() !== day) return null;
	return date.toISOString().slice(0, 10);
}

/** Reads the date formats fic headers use: 9/24/03 (US order), 2003-09-24, 24 September 2003, Sept 24, 2003. */
export function parseDate(text: string): string | null {
	const value = text.trim();
	let m = value.match(/\b(\d{4})-(\d{1,2})-(\d{1,2})\b/);
	if (m) return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
	m = value.match(/\b(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})\b/);
	if (m) {
		const [a, b, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
		// US order first (the archives this reads are mostly American); day-first only when US order is impossible.
		return isoDate(y, a, b) ?? isoDate(y, b, a);
	}
	m = value.match(/\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,})\.?,?\s+(\d{4})\b/);
	if (m) {
		const month = MONTHS.indexOf((m[2] ?? '').slice(0, 3).toLowerCase()) + 1;
		if (month) return isoDate(Number(m[3]), month, Number(m[1]));
	}
	m = value.match(/\b([A-Za-z]{3,})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b/);
	if (m) {
		const month = MONTHS.indexOf((m[1] ?? '').slice(0, 3).toLowerCase()) + 1;
		if (month) return isoDate(Number(m[3]), month, Number(m[2]));
	}
	return null;
}

/** "Leaving (9/24/03)" → { title: "Leaving", date: "2003-09-24" }. */
export function splitTitleDate(title: string): { title: string; date: string | null } {
	const m = title.match(/^(.*?)\s*[([]\s*([^()[\]]*\d[^()[\]]*)\s*[)\]]\s*$/);
	if (m?.[1]) {
		const date = parseDate(m[2] ?? '');
		if (date) return { title: m[1].trim(), date };
	}
	return { title: title.trim(), date: null };
}

/** Parses a declared word count: "2782", "2,782", "about 2.5k", "3000 words". */
export function parseWordCount(text: string): number | null {
	const m = text.replace(/(\d),(\d{3})/g, '$1$2').match(/(\d+(?:\.\d+)?)\s*(k)?/i);
	if (!m) return null;
	const n = Number(m[1]) * (m[2] ? 1000 : 1);
	return Number.isFinite(n) && n > 0 ? Math.round(n) : null;
}

/**
 * A part marker at a title's end: "(1/3)", "1/3", "[2 of 5]", "(Part 2)", "--Part 1", " Part 2 of 3", FanFicFare's
 * chapter range "(Ch 3-3)".
 */
const PART_MARKER =
	/\s*(?:[([]\s*(?:(?:part|pt\.?)\s*)?(\d{1,3})\s*(?:\/|of)\s*(\d{1,3}|\?)\s*[)\]]|(?<![\d/])(\d{1,3})\s*\/\s*(\d{1,3})|[([]\s*(?:part|pt\.?)\s*(\d{1,3})\s*[)\]]|\(\s*ch\.?\s*(\d{1,4})\s*-\s*(\d{1,4})\s*\)|[-–—:,]*\s*\b(?:part|pt\.?)\s+(\d{1,3})(?:\s*(?:\/|of)\s*(\d{1,3}))?)\s*$/i;

/**
 * "Midnight at the Bronze (1/1)" → { title: "Midnight at the Bronze", part: 1, of: 1 }; a title with no marker
 * comes back as it is. A title that is nothing but a marker keeps it.
 */
export function splitPartMarker(title: string): { title: string; part: number | null; of: number | null } {
	const m = title.match(PART_MARKER);
	const rest = m ? title.slice(0, m.index).trim() : '';
	if (!m || !rest) return { title: title.trim(), part: null, of: null };
	// A bare "9/11" is a part marker only when it could be one (part ≤ parts); a chapter range says no total.
	if (m[3] && Number(m[3]) > Number(m[4])) return { title: title.trim(), part: null, of: null };
	const part = m[1] ?? m[3] ?? m[5] ?? m[6] ?? m[8];
	const of = m[2] ?? m[4] ?? m[9];
	return { title: rest, part: part ? Number(part) : null, of: of && of !== '?' ? Number(of) : null };
}
