/**
 * State carried in custom_ids, so buttons, menus and modals keep working after a restart and need no store:
 * `<prefix>:<version>:<kind>:<fields…>`, at most 100 characters. The router finds the command by prefix; the
 * command decodes the rest here. Anything that does not decode (forged, truncated, from an older version)
 * decodes to null, and the router answers it politely.
 */

export const CUSTOM_ID_VERSION = 1;
export const MAX_CUSTOM_ID = 100;

/** User ids are snowflakes: 17 to 20 digits for anything made since 2015. */
const SNOWFLAKE = /^\d{17,20}$/;
const POSITIVE = /^[1-9]\d{0,9}$/;

export interface ParsedId {
	prefix: string;
	version: number;
	kind: string;
	fields: string[];
}

/** Splits a custom_id into its route; the last field may itself hold colons (a search query). */
export function parseCustomId(customId: string, fieldCount: number): ParsedId | null {
	if (customId.length > MAX_CUSTOM_ID) return null;
	const parts = customId.split(':');
	const [prefix, version, kind, ...rest] = parts;
	if (!prefix || !version || !kind || !/^\d+$/.test(version)) return null;
	if (rest.length < fieldCount) return null;
	const fields =
		rest.length > fieldCount ? [...rest.slice(0, fieldCount - 1), rest.slice(fieldCount - 1).join(':')] : rest;
	return { prefix, version: Number(version), kind, fields };
}

/** Joins a route into a custom_id; throws if it would not fit, which is a bug in the caller. */
export function buildCustomId(prefix: string, kind: string, fields: (string | number)[]): string {
	const id = [prefix, CUSTOM_ID_VERSION, kind, ...fields].join(':');
	if (id.length > MAX_CUSTOM_ID) throw new RangeError(`custom_id over ${MAX_CUSTOM_ID} characters: ${id}`);
	return id;
}

/** The custom_id's prefix: which command owns it. */
export const customIdPrefix = (customId: string) => customId.slice(0, Math.max(0, customId.indexOf(':')));

const positive = (text: string | undefined) => (text && POSITIVE.test(text) ? Number(text) : null);
/** A Discord id (a user's, a channel's) as a custom_id carries it, or null. */
const snowflake = (text: string | undefined) => (text && SNOWFLAKE.test(text) ? text : null);

// ------------------------------------------------------------------------------------------------- reader

/** The reader's buttons: first, previous, jump (opens a modal), next, last. */
export const NAV_KINDS = ['first', 'prev', 'jump', 'next', 'last'] as const;
export type NavKind = (typeof NAV_KINDS)[number];
const NAV_TAG: Record<NavKind, string> = { first: 'f', prev: 'p', jump: 'j', next: 'n', last: 'l' };
const TAG_NAV = Object.fromEntries(Object.entries(NAV_TAG).map(([k, v]) => [v, k])) as Record<string, NavKind>;

/**
 * A reader message's state as its buttons carry it: `owner` ran /read and turns the message; `shared` when they
 * handed the pages to everyone (anyone's click turns it); `from` the page the message showed when the control
 * was made (absent in ids made before the shared book), so a click from a page no longer shown turns nothing.
 */
export interface ReaderState {
	storyId: number;
	owner: string;
	shared: boolean;
	from?: number;
}

export type ReadRoute =
	/** A reader button: go to `page` of `storyId`. */
	| ({ kind: NavKind; page: number } & ReaderState)
	/** The jump modal's submit. */
	| ({ kind: 'modal' } & ReaderState)
	/** "Everyone turns pages" on `owner`'s reader at `page`: sets the mode to `shared`. */
	| { kind: 'together'; storyId: number; page: number; owner: string; shared: boolean }
	/**
	 * Open a new reader at a page: `ephemeral` for the clicker alone, `public` for the channel, `shared` for the
	 * channel when the button's message is the clicker's own public one (else for the clicker alone), `thread`
	 * in a new thread under the channel (threads.ts).
	 */
	| { kind: 'open'; storyId: number; page: number; visibility: Visibility }
	/** Save the page to the clicker's library as a bookmark. */
	| { kind: 'bookmark'; storyId: number; page: number }
	/** The chapter menu of a reader message; its values are chapter numbers. */
	| ({ kind: 'chapter' } & ReaderState)
	/** A select menu whose values are `<storyId>:<page>`: opens an ephemeral reader. */
	| { kind: 'select' };

export type Visibility = 'ephemeral' | 'public' | 'shared' | 'thread';
const VISIBILITY_TAG: Record<Visibility, string> = { ephemeral: 'e', public: 'p', shared: 's', thread: 't' };
const TAG_VISIBILITY = Object.fromEntries(Object.entries(VISIBILITY_TAG).map(([k, v]) => [v, k])) as Record<
	string,
	Visibility
>;

export const READ_PREFIX = 'read';

/** The mode as the last field: `s` shared, `o` the owner alone. */
const MODE_TAG = (shared: boolean) => (shared ? 's' : 'o');
const modeOf = (tag: string | undefined) => (tag === 's' ? true : tag === 'o' ? false : null);
/** `from` and the mode, the fields every reader control ends with (`from` 0 when not known). */
const stateTail = (route: { from?: number; shared: boolean }) => [route.from ?? 0, MODE_TAG(route.shared)];

/**
 * The reader state's tail fields: none (an id made before the shared book: the owner alone, no `from`), or
 * `<from>:<mode>`. Null when malformed.
 */
function decodeTail(fields: string[]): { shared: boolean; from?: number } | null {
	if (!fields.length) return { shared: false };
	const [from, mode, ...extra] = fields;
	const shared = modeOf(mode);
	if (shared === null || extra.length || !from || !/^\d{1,10}$/.test(from)) return null;
	const page = Number(from);
	if (page === 0) return { shared };
	return positive(from) ? { shared, from: page } : null;
}

export function encodeRead(route: ReadRoute): string {
	switch (route.kind) {
		case 'modal':
			return buildCustomId(READ_PREFIX, 'm', [route.storyId, route.owner, ...stateTail(route)]);
		case 'together':
			return buildCustomId(READ_PREFIX, 't', [route.storyId, route.page, route.owner, MODE_TAG(route.shared)]);
		case 'open':
			return buildCustomId(READ_PREFIX, 'o', [route.storyId, route.page, VISIBILITY_TAG[route.visibility]]);
		case 'bookmark':
			return buildCustomId(READ_PREFIX, 'b', [route.storyId, route.page]);
		case 'chapter':
			return buildCustomId(READ_PREFIX, 'c', [route.storyId, route.owner, ...stateTail(route)]);
		case 'select':
			return buildCustomId(READ_PREFIX, 'x', []);
		default:
			return buildCustomId(READ_PREFIX, NAV_TAG[route.kind], [
				route.storyId,
				route.page,
				route.owner,
				...stateTail(route),
			]);
	}
}

export function decodeRead(customId: string): ReadRoute | null {
	const id = parseCustomId(customId, 0);
	if (!id || id.prefix !== READ_PREFIX || id.version !== CUSTOM_ID_VERSION) return null;
	const [a, b, c, ...extra] = id.fields;
	if (id.kind === 'x') return id.fields.length === 0 ? { kind: 'select' } : null;
	if (id.kind === 'm' || id.kind === 'c') {
		const storyId = positive(a);
		const owner = snowflake(b);
		const tail = decodeTail(c === undefined ? [] : [c, ...extra]);
		if (!storyId || !owner || !tail) return null;
		return { kind: id.kind === 'm' ? 'modal' : 'chapter', storyId, owner, ...tail };
	}
	if (id.kind === 't') {
		const storyId = positive(a);
		const page = positive(b);
		const owner = snowflake(c);
		const [mode, ...more] = extra;
		const shared = modeOf(mode);
		if (!storyId || !page || !owner || shared === null || more.length) return null;
		return { kind: 'together', storyId, page, owner, shared };
	}
	if (id.kind === 'o') {
		const storyId = positive(a);
		const page = positive(b);
		const visibility = c ? TAG_VISIBILITY[c] : undefined;
		return storyId && page && visibility && !extra.length ? { kind: 'open', storyId, page, visibility } : null;
	}
	if (id.kind === 'b') {
		const storyId = positive(a);
		const page = positive(b);
		return storyId && page && c === undefined ? { kind: 'bookmark', storyId, page } : null;
	}
	const nav = TAG_NAV[id.kind];
	const storyId = positive(a);
	const page = positive(b);
	const owner = snowflake(c);
	const tail = decodeTail(extra);
	return nav && storyId && page && owner && tail ? { kind: nav, storyId, page, owner, ...tail } : null;
}

/** A search hit or chapter as a select-menu value: `<storyId>:<page>`. */
export const encodeLocation = (storyId: number, page: number) => `${storyId}:${page}`;
export function decodeLocation(value: string | undefined): { storyId: number; page: number } | null {
	const [a, b, ...extra] = (value ?? '').split(':');
	const storyId = positive(a);
	const page = positive(b);
	return storyId && page && !extra.length ? { storyId, page } : null;
}

// ------------------------------------------------------------------------------------------------- story card

export type StoryRoute =
	/** The card's Random quote and Share buttons. */
	| { kind: 'quote' | 'share'; storyId: number }
	/** The card's "More like this": the story's nearest stories, for the clicker. */
	| { kind: 'similar'; storyId: number }
	/** The menu of a "More like this" list: opens the card of the story picked (its id is the menu's value). */
	| { kind: 'card' };
export const STORY_PREFIX = 'story';
const STORY_TAG = { quote: 'q', share: 's', similar: 'm' } as const;

export const encodeStory = (route: StoryRoute) =>
	route.kind === 'card'
		? buildCustomId(STORY_PREFIX, 'c', [])
		: buildCustomId(STORY_PREFIX, STORY_TAG[route.kind], [route.storyId]);

export function decodeStory(customId: string): StoryRoute | null {
	const id = parseCustomId(customId, 0);
	if (!id || id.prefix !== STORY_PREFIX || id.version !== CUSTOM_ID_VERSION) return null;
	if (id.kind === 'c') return id.fields.length === 0 ? { kind: 'card' } : null;
	if (id.fields.length !== 1) return null;
	const storyId = positive(id.fields[0]);
	if (!storyId) return null;
	if (id.kind === 'q') return { kind: 'quote', storyId };
	if (id.kind === 's') return { kind: 'share', storyId };
	if (id.kind === 'm') return { kind: 'similar', storyId };
	return null;
}

/** A story id as a select-menu value (the "More like this" menu); null for anything else. */
export const decodeStoryValue = (value: string | undefined) => positive(value);

// ------------------------------------------------------------------------------------------------- quotes

export type QuoteRoute =
	/** "Another": a new random quote with the same filters (0 = any story; character may be empty). */
	| { kind: 'another'; storyId: number | null; character: string | null; owner: string }
	/** "Quote a line" on a reader page: offers the page's lines. */
	| { kind: 'line'; storyId: number; page: number }
	/** The menu of a page's lines; its values are quote ids. */
	| { kind: 'pick' }
	/** "Share as image": the line as a picture, for the channel. */
	| { kind: 'image'; quoteId: number };
export const QUOTE_PREFIX = 'quote';
/** What is left of 100 characters after `quote:1:a:<story id, 10>:<owner, 20>:`. */
export const MAX_CHARACTER_IN_ID = 57;

export function encodeQuote(route: QuoteRoute): string {
	if (route.kind === 'line') return buildCustomId(QUOTE_PREFIX, 'l', [route.storyId, route.page]);
	if (route.kind === 'pick') return buildCustomId(QUOTE_PREFIX, 'p', []);
	if (route.kind === 'image') return buildCustomId(QUOTE_PREFIX, 'i', [route.quoteId]);
	const character = (route.character ?? '').slice(0, MAX_CHARACTER_IN_ID);
	return buildCustomId(QUOTE_PREFIX, 'a', [route.storyId ?? 0, route.owner, character]);
}

export function decodeQuote(customId: string): QuoteRoute | null {
	if (customId === buildCustomId(QUOTE_PREFIX, 'p', [])) return { kind: 'pick' };
	const line = parseCustomId(customId, 0);
	if (line?.prefix === QUOTE_PREFIX && line.version === CUSTOM_ID_VERSION && line.kind === 'l') {
		const storyId = positive(line.fields[0]);
		const page = positive(line.fields[1]);
		return storyId && page && line.fields.length === 2 ? { kind: 'line', storyId, page } : null;
	}
	if (line?.prefix === QUOTE_PREFIX && line.version === CUSTOM_ID_VERSION && line.kind === 'i') {
		const quoteId = positive(line.fields[0]);
		return quoteId && line.fields.length === 1 ? { kind: 'image', quoteId } : null;
	}
	const id = parseCustomId(customId, 3);
	if (!id || id.prefix !== QUOTE_PREFIX || id.version !== CUSTOM_ID_VERSION || id.kind !== 'a') return null;
	const [story, owner, character] = id.fields;
	const storyId = story === '0' ? null : positive(story);
	if ((storyId === null && story !== '0') || !snowflake(owner) || character === undefined) return null;
	return { kind: 'another', storyId, character: character || null, owner: owner as string };
}

// ------------------------------------------------------------------------------------------------- search

/**
 * Search results' controls. The query travels in the id when it fits; a longer one is kept in the state store
 * under a hash, and `key` is `#<hash>`.
 */
export type SearchRoute =
	/** Previous and Next: the results from `offset`, turned by `owner`. */
	| { kind: 'page'; offset: number; owner: string; key: string }
	/** The menu of the results' stories: the chosen story's matching pages (its id is the menu's value). */
	| { kind: 'story'; key: string };
export const SEARCH_PREFIX = 'search';

/** Whether a query fits in every search control's id (the page buttons' is the longest). */
export function searchIdFits(owner: string, offset: number, query: string): boolean {
	return [SEARCH_PREFIX, CUSTOM_ID_VERSION, 'p', offset, owner, query].join(':').length <= MAX_CUSTOM_ID;
}

export const encodeSearch = (route: SearchRoute) =>
	route.kind === 'page'
		? buildCustomId(SEARCH_PREFIX, 'p', [route.offset, route.owner, route.key])
		: buildCustomId(SEARCH_PREFIX, 's', [route.key]);

export function decodeSearch(customId: string): SearchRoute | null {
	const head = parseCustomId(customId, 1);
	if (!head || head.prefix !== SEARCH_PREFIX || head.version !== CUSTOM_ID_VERSION) return null;
	if (head.kind === 's') {
		const [key] = head.fields;
		return key ? { kind: 'story', key } : null;
	}
	const id = parseCustomId(customId, 3);
	if (id?.kind !== 'p') return null;
	const [offset, owner, key] = id.fields;
	if (!offset || !/^\d{1,6}$/.test(offset) || !snowflake(owner) || !key) return null;
	return { kind: 'page', offset: Number(offset), owner: owner as string, key };
}

// ------------------------------------------------------------------------------------------------- quote board

export type BoardSort = 'new' | 'top';
export type BoardRoute =
	/** The Save button on a quote card. */
	| { kind: 'save'; quoteId: number }
	/** A page of /quotes: the `index`-th quote in `sort` order, turned by `owner`. */
	| { kind: 'page'; sort: BoardSort; index: number; owner: string }
	/** Remove a board entry (the saver or a member who can manage messages). */
	| { kind: 'remove'; entryId: string; sort: BoardSort; index: number }
	/** "Share as image": a board entry's line as a picture, for the channel. */
	| { kind: 'image'; entryId: string };
export const BOARD_PREFIX = 'quotes';
const SORT_TAG: Record<BoardSort, string> = { new: 'n', top: 't' };
const ENTRY_ID = /^[0-9a-z]{1,12}$/;

export function encodeBoard(route: BoardRoute): string {
	switch (route.kind) {
		case 'save':
			return buildCustomId(BOARD_PREFIX, 's', [route.quoteId]);
		case 'page':
			return buildCustomId(BOARD_PREFIX, 'p', [SORT_TAG[route.sort], route.index, route.owner]);
		case 'remove':
			return buildCustomId(BOARD_PREFIX, 'r', [route.entryId, SORT_TAG[route.sort], route.index]);
		case 'image':
			return buildCustomId(BOARD_PREFIX, 'i', [route.entryId]);
	}
}

export function decodeBoard(customId: string): BoardRoute | null {
	const id = parseCustomId(customId, 0);
	if (!id || id.prefix !== BOARD_PREFIX || id.version !== CUSTOM_ID_VERSION) return null;
	const [a, b, c, ...extra] = id.fields;
	if (extra.length) return null;
	const sort = (tag: string | undefined): BoardSort | null => (tag === 'n' ? 'new' : tag === 't' ? 'top' : null);
	const index = (text: string | undefined) => (text && /^\d{1,6}$/.test(text) ? Number(text) : null);
	if (id.kind === 's') {
		const quoteId = positive(a);
		return quoteId && b === undefined ? { kind: 'save', quoteId } : null;
	}
	if (id.kind === 'p') {
		const s = sort(a);
		const i = index(b);
		const owner = snowflake(c);
		return s && i !== null && owner ? { kind: 'page', sort: s, index: i, owner } : null;
	}
	if (id.kind === 'i') {
		return a && ENTRY_ID.test(a) && b === undefined ? { kind: 'image', entryId: a } : null;
	}
	if (id.kind === 'r') {
		const s = sort(b);
		const i = index(c);
		return a && ENTRY_ID.test(a) && s && i !== null ? { kind: 'remove', entryId: a, sort: s, index: i } : null;
	}
	return null;
}

// ------------------------------------------------------------------------------------------------- browse

/** What /browse lists, as its ids carry it (one letter). */
export const BROWSE_KINDS = ['fandom', 'relationship', 'character', 'tag', 'warning'] as const;
export type BrowseKind = (typeof BROWSE_KINDS)[number];
const BROWSE_TAG: Record<BrowseKind, string> = {
	fandom: 'f',
	relationship: 'r',
	character: 'c',
	tag: 't',
	warning: 'w',
};
const TAG_BROWSE = Object.fromEntries(Object.entries(BROWSE_TAG).map(([k, v]) => [v, k])) as Record<string, BrowseKind>;

/**
 * /browse's controls. A tag travels as its key when it fits, else as `#<hash>` kept in the state store (as a long
 * search query is); `typed` narrows a list of tags to those matching it (empty: all).
 */
export type BrowseRoute =
	/** Previous and Next of a list of tags, from `offset`, turned by `owner`. */
	| { kind: 'values'; facet: BrowseKind; offset: number; owner: string; typed: string }
	/** Previous and Next of a tag's stories, from `offset`, turned by `owner`. */
	| { kind: 'stories'; facet: BrowseKind; offset: number; owner: string; key: string }
	/** The menu of a list's tags (its values are keys): the chosen tag's stories, turned by `owner`. */
	| { kind: 'pick'; facet: BrowseKind; owner: string }
	/** The menu of a tag's stories (its values are story ids): the chosen story's card. */
	| { kind: 'open' };
export const BROWSE_PREFIX = 'browse';

/** Whether a tag's key (or typed text) fits in the longest of the ids that carry it. */
export function browseIdFits(owner: string, offset: number, text: string): boolean {
	return [BROWSE_PREFIX, CUSTOM_ID_VERSION, 's', 'f', offset, owner, text].join(':').length <= MAX_CUSTOM_ID;
}

export function encodeBrowse(route: BrowseRoute): string {
	switch (route.kind) {
		case 'values':
			return buildCustomId(BROWSE_PREFIX, 'v', [BROWSE_TAG[route.facet], route.offset, route.owner, route.typed]);
		case 'stories':
			return buildCustomId(BROWSE_PREFIX, 's', [BROWSE_TAG[route.facet], route.offset, route.owner, route.key]);
		case 'pick':
			return buildCustomId(BROWSE_PREFIX, 'p', [BROWSE_TAG[route.facet], route.owner]);
		case 'open':
			return buildCustomId(BROWSE_PREFIX, 'o', []);
	}
}

export function decodeBrowse(customId: string): BrowseRoute | null {
	if (customId === buildCustomId(BROWSE_PREFIX, 'o', [])) return { kind: 'open' };
	const head = parseCustomId(customId, 0);
	if (!head || head.prefix !== BROWSE_PREFIX || head.version !== CUSTOM_ID_VERSION) return null;
	if (head.kind === 'p') {
		const [tag, owner, ...extra] = head.fields;
		const facet = tag ? TAG_BROWSE[tag] : undefined;
		return facet && snowflake(owner) && !extra.length ? { kind: 'pick', facet, owner: owner as string } : null;
	}
	if (head.kind !== 'v' && head.kind !== 's') return null;
	const id = parseCustomId(customId, 4);
	if (!id) return null;
	const [tag, offset, owner, text] = id.fields;
	const facet = tag ? TAG_BROWSE[tag] : undefined;
	if (!facet || !offset || !/^\d{1,6}$/.test(offset) || !snowflake(owner) || text === undefined) return null;
	const at = { facet, offset: Number(offset), owner: owner as string };
	if (head.kind === 'v') return { kind: 'values', ...at, typed: text };
	return text ? { kind: 'stories', ...at, key: text } : null;
}

// ------------------------------------------------------------------------------------------------- reading club

/**
 * A club installment's "Caught up" button: the club's channel, the installment's number, and its story and
 * last page, so it still records the reading in the library after the club has ended.
 */
export interface ClubRoute {
	kind: 'caught-up';
	channelId: string;
	part: number;
	storyId: number;
	lastPage: number;
}

export const CLUB_PREFIX = 'club';

export const encodeClub = (route: ClubRoute) =>
	buildCustomId(CLUB_PREFIX, 'u', [route.channelId, route.part, route.storyId, route.lastPage]);

export function decodeClub(customId: string): ClubRoute | null {
	const id = parseCustomId(customId, 0);
	if (!id || id.prefix !== CLUB_PREFIX || id.version !== CUSTOM_ID_VERSION || id.kind !== 'u') return null;
	const [a, b, c, d, ...extra] = id.fields;
	const channelId = snowflake(a);
	const part = positive(b);
	const storyId = positive(c);
	const lastPage = positive(d);
	return channelId && part && storyId && lastPage && !extra.length
		? { kind: 'caught-up', channelId, part, storyId, lastPage }
		: null;
}
