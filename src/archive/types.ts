/** The AO3 rating scale every story is normalised to. */
export const RATINGS = ['General', 'Teen', 'Mature', 'Explicit', 'Not Rated'] as const;
export type Rating = (typeof RATINGS)[number];

/** Everything a header can say about a story. Absent fields are left out, never empty strings. */
export interface StoryMeta {
	title: string;
	author: string | null;
	rating: Rating;
	/** The rating as the header wrote it ("PG13"), or null when the header had none. */
	ratingText: string | null;
	/** ISO date (YYYY-MM-DD) from a date in the title or a Date/Posted line. */
	date: string | null;
	/** The word count the author declared, when the header has one. */
	declaredWords: number | null;
	summary?: string;
	disclaimer?: string;
	distribution?: string;
	feedback?: string;
	pairing?: string;
	characters?: string;
	spoilers?: string;
	category?: string;
	season?: string;
	warnings?: string;
	fandom?: string;
	/** Author's notes and free-text header lines that are not labelled. */
	notes: string[];
	/** A closing line such as "The End", when the story has one. */
	trailer?: string;
	/** Labelled header lines this parser has no field for, label as written. */
	extra: Record<string, string>;
}

export interface Character {
	name: string;
	/** Mentions in the story text, including possessives. */
	count: number;
}

/** A page is a slice of the body: body.slice(offset, offset + text.length) === text. */
export interface Page {
	/** 1-based page number. */
	number: number;
	offset: number;
	text: string;
}

export interface Quote {
	text: string;
	/** Who says it, for dialogue whose speaker the text names; null for narration. */
	speaker: string | null;
	kind: 'dialogue' | 'narration';
	/** 1-based page the line is on, and its offset in that page's text. */
	page: number;
	offset: number;
}

export interface ParsedStory {
	meta: StoryMeta;
	/** Story text: paragraphs separated by one blank line, scene breaks as a "* * *" paragraph. */
	body: string;
	/** Words counted in the body. */
	words: number;
	characters: Character[];
	pages: Page[];
	quotes: Quote[];
}

/** A story file that could not be read: the file and, in words, what is wrong with it. */
export class StoryError extends Error {
	constructor(
		readonly file: string,
		readonly reason: string,
	) {
		super(`${file}: ${reason}`);
		this.name = 'StoryError';
	}
}
