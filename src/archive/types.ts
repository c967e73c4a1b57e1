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
	/**
	 * Tag lists, as an archive tagged them (AO3) or as a header listed them (split at commas). Each has a string
	 * twin above for display: `fandom`, `pairing` and `characters` hold the same tags joined with ", ".
	 */
	fandoms?: string[];
	relationships?: string[];
	characterTags?: string[];
	additionalTags?: string[];
	/** The work's address where the file gives it (AO3's "Posted originally at", FanFicFare's Story URL, front matter). */
	url?: string;
	/** The story's language as the source names it ("English", "en"). */
	language?: string;
	/** The first series the story belongs to, and its part in it ("Part 2 of …"). */
	series?: { name: string; part: number };
	/** True when the source says the story is finished, false when in progress; absent when it does not say. */
	complete?: boolean;
	/** ISO dates (YYYY-MM-DD) the source gives for first publication and the last update. */
	published?: string;
	updated?: string;
	/** Chapters the author plans, when the source says ("Chapters: 2/5" → 5); absent when unknown ("2/?"). */
	plannedChapters?: number;
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
	/**
	 * The pages that mention them, the most mentions for its length first (the first of equals first), at most 32,
	 * when the pages were given: a search for the name opens the story on the first without reading its pages, and
	 * a search for several names on the first of the rarest's that the others list too.
	 */
	pages?: number[];
}

/**
 * A chapter of a story: its pages are `firstPage` to `firstPage + pageCount - 1`. A story without chapters has
 * one, titled null. Page numbers run on through the whole story.
 */
export interface Chapter {
	/** 1-based chapter number. */
	number: number;
	/** The chapter's own title ("The Crypt" for "Chapter 2: The Crypt"), or null when it has none. */
	title: string | null;
	firstPage: number;
	pageCount: number;
}

/**
 * A page is a slice of the body: body.slice(offset, offset + text.length) === text. Pages never span two
 * chapters; the blank line between two chapters belongs to neither.
 */
export interface Page {
	/** 1-based page number, counted through the whole story. */
	number: number;
	/** 1-based number of the chapter the page is in. */
	chapter: number;
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
	/** 1-based chapter the line is in. */
	chapter: number;
}

/** The file formats the parser reads. */
export const FORMATS = ['plain-text', 'ao3-html', 'epub', 'fanficfare-text', 'fanficfare-html', 'markdown'] as const;
export type StoryFormat = (typeof FORMATS)[number];

/**
 * How a story's text is written. `plain`: literal text. `markdown`: Markdown (italics and bold from the source),
 * literal `*`, `_`, `~`, `` ` ``, `|` and backslashes already escaped; stripMarkdown() in markup.ts reads it as plain
 * text. Each front end shows either its own way.
 */
export type Markup = 'plain' | 'markdown';

export interface ParsedStory {
	meta: StoryMeta;
	format: StoryFormat;
	markup: Markup;
	/**
	 * Story text: paragraphs separated by one blank line, scene breaks as a "* * *" paragraph, chapters one after
	 * another with a blank line between them (chapter titles are in `chapters`, not in the text).
	 */
	body: string;
	chapters: Chapter[];
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
