/**
 * Tag filters (fandom:, ship:, tag:, warning:, and character: for tagged characters) matched to the archive's tags:
 * the tag as typed (any spelling of it), else the tags holding each typed word, else one typo away; with
 * length, chapter and completion filters, the conditions a story must meet.
 */
import { FACET_NAMES, type FacetKind, facetKey, facetWords, type StoryConditions } from '../facets.js';
import { type ArchiveStore, type FacetValue, FEW_STORIES } from '../store.js';
import type { TagParts } from './filters.js';
import type { SearchIndex } from './handle.js';
import type { ParsedQuery } from './query.js';

/** At most this many tags stand for one typed value ("buffy": every fandom with the word). */
const MAX_KEYS = 40;
/** Tags compared with a mistyped value: the most used of its kind (comparing is about 1 µs a tag). */
const TYPO_CANDIDATES = 2000;

/** The tags a typed value stands for, and a note when they are not the value as typed. */
export interface MatchedTag {
	keys: string[];
	note?: string;
}

const shown = (text: string) =>
	`“${Array.from(text).length > 40 ? `${Array.from(text).slice(0, 39).join('')}…` : text}”`;

/** Whether every typed word is a word of the tag's (or, with `prefix`, starts one). */
function holds(tagWords: readonly string[], typed: readonly string[], prefix: boolean): boolean {
	return typed.every((w) => tagWords.some((t) => (prefix ? t.startsWith(w) : t === w)));
}

/** A relationship typed with "/" asks for romantic ones, with "&" for friendships (AO3's forms); else either. */
function sameForm(kind: FacetKind, typed: string, key: string): boolean {
	if (kind !== 'relationship') return true;
	if (typed.includes('/')) return key.includes('/');
	if (typed.includes('&')) return key.includes('&');
	return true;
}

/** Damerau-Levenshtein (optimal string alignment) distance between two short words, giving up past `max`. */
function distance(a: string, b: string, max: number): number {
	if (Math.abs(a.length - b.length) > max) return max + 1;
	let prev2: number[] = [];
	let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const row = [i];
		for (let j = 1; j <= b.length; j++) {
			let d = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (prev2[j - 2] ?? 0) + 1);
			row.push(d);
		}
		prev2 = prev;
		prev = row;
	}
	return prev[b.length] ?? max + 1;
}

/** Edits a typed word may be off by: none under 4 letters, one under 7, two after. */
const allowedEdits = (word: string) => (word.length < 4 ? 0 : word.length < 7 ? 1 : 2);

/**
 * The tags of a kind a typed value stands for. The tag itself, in any spelling (case, accents, punctuation, a
 * relationship's order); else every tag holding each typed word as a word (at most MAX_KEYS, most used first),
 * else as the start of a word; else, for a value with a typo, the most used tag whose words each typed word is
 * at most one or two edits from (`typos`). None: no story has it.
 */
export function matchTag(store: ArchiveStore, kind: FacetKind, typed: string, typos = true): MatchedTag {
	const key = facetKey(kind, typed);
	if (!key) return { keys: [] };
	if (store.facetStories(kind, [key]) > 0) return { keys: [key] };
	const words = facetWords(typed).split(' ').filter(Boolean);
	const name = FACET_NAMES[kind];
	const many = (found: FacetValue[]): MatchedTag => {
		const keys = found.slice(0, MAX_KEYS).map((v) => v.key);
		if (keys.length === 1) return { keys };
		const listed = found
			.slice(0, 3)
			.map((v) => shown(v.value))
			.join(', ');
		return {
			keys,
			note: `${shown(typed)} is in ${found.length > MAX_KEYS ? `over ${MAX_KEYS}` : found.length} ${name.many}, any of them: ${listed}${found.length > 3 ? '…' : ''}.`,
		};
	};
	const candidates = store
		.facetValues(kind, { typed, limit: MAX_KEYS * 4 })
		.filter((v) => sameForm(kind, typed, v.key));
	for (const prefix of [false, true]) {
		const found = candidates.filter((v) => holds(v.key.split(/[ /&]+/), words, prefix));
		if (found.length) return many(found);
	}
	if (!typos || words.every((w) => allowedEdits(w) === 0)) return { keys: [] };
	// A typo: the most used tag whose words each typed word is close to (the list is most used first).
	for (const v of store.facetValues(kind, { limit: TYPO_CANDIDATES })) {
		if (!sameForm(kind, typed, v.key)) continue;
		const tagWords = v.key.split(/[ /&]+/);
		const close = words.every((w) =>
			tagWords.some((t) => t === w || distance(w, t, allowedEdits(w)) <= allowedEdits(w)),
		);
		if (close) return { keys: [v.key], note: `No ${name.one} ${shown(typed)}; showing ${name.one} ${shown(v.value)}.` };
	}
	return { keys: [] };
}

/** A query's tag, length and completion filters as conditions, with notes on how its tags were matched. */
export interface TagConditions {
	conditions: StoryConditions;
	notes: string[];
	/** Tagged characters each character: filter stands for (as well as the name in the text), in its order. */
	characterKeys: string[][];
}

/** The conditions a query's tag, length and completion filters set; null when it has none of them. */
export function tagConditions(store: ArchiveStore, query: ParsedQuery): TagConditions | null {
	const characterKeys = query.characters.map((name) => matchTag(store, 'character', name, false).keys);
	const tags = query.tags ?? [];
	const anyTagged = characterKeys.some((keys) => keys.length);
	if (!tags.length && !query.words && !query.chapters && query.complete === undefined && !anyTagged) return null;
	const conditions: StoryConditions = {};
	const notes: string[] = [];
	const facets: NonNullable<StoryConditions['facets']> = [];
	const without: NonNullable<StoryConditions['without']> = [];
	for (const tag of tags) {
		const matched = matchTag(store, tag.kind, tag.value);
		if (matched.note) notes.push(matched.note);
		if (tag.negated) {
			if (matched.keys.length) without.push({ kind: tag.kind, keys: matched.keys });
			continue;
		}
		if (!matched.keys.length) notes.push(`No story has the ${FACET_NAMES[tag.kind].one} ${shown(tag.value)}.`);
		facets.push({ kind: tag.kind, keys: matched.keys });
	}
	if (facets.length) conditions.facets = facets;
	if (without.length) conditions.without = without;
	if (query.words) conditions.words = query.words;
	if (query.chapters) conditions.chapters = query.chapters;
	if (query.complete !== undefined) conditions.complete = query.complete;
	return { conditions, notes, characterKeys };
}

/**
 * A query's tag, length and completion filters as SQL for storyFilter (null when it has none), its notes added to
 * `notes`. `need`: how many stories filters alone list (offset and page), 0 for a query with words.
 */
export function tagParts(ix: SearchIndex, query: ParsedQuery, notes: string[], need: number): TagParts | null {
	const found = tagConditions(ix.store, query);
	if (!found) return null;
	notes.push(...found.notes);
	return {
		listing: ix.store.listingOf(found.conditions, need),
		characters: found.characterKeys.map((keys) => ({
			keys,
			rare: ix.store.facetStories('character', keys) <= FEW_STORIES,
		})),
	};
}
