/**
 * A story's facets: the tags readers filter and browse by (fandoms, relationships, characters, additional tags,
 * warnings), each with a key that spellings of one tag share.
 */
import { splitList } from './parse/source.js';
import type { StoryMeta } from './types.js';

/** The kinds of tag a story is filtered and browsed by. */
export const FACET_KINDS = ['fandom', 'relationship', 'character', 'tag', 'warning'] as const;
export type FacetKind = (typeof FACET_KINDS)[number];

/** What each kind is called where a person reads it ("3 stories in this fandom"). */
export const FACET_NAMES: Record<FacetKind, { one: string; many: string }> = {
	fandom: { one: 'fandom', many: 'fandoms' },
	relationship: { one: 'relationship', many: 'relationships' },
	character: { one: 'character', many: 'characters' },
	tag: { one: 'tag', many: 'tags' },
	warning: { one: 'warning', many: 'warnings' },
};

export interface Facet {
	kind: FacetKind;
	/** As the source wrote it ("Buffy Summers/Spike"). */
	value: string;
	/** What spellings of one tag share (see facetKey). */
	key: string;
}

/** Letters and digits of a tag, accent-folded and lower-cased, words separated by single spaces. */
export function facetWords(text: string): string {
	return text
		.normalize('NFKD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.replace(/[^\p{L}\p{N}]+/gu, ' ')
		.trim();
}

/** A relationship's people: "Buffy Summers/Spike" → ["Buffy Summers", "Spike"]; "&" for friendships. */
const PEOPLE = /\s*[/&]\s*/;

/**
 * The key spellings of one tag share: case, accents and punctuation do not count ("Buffy the Vampire Slayer
 * (TV)" and "buffy the vampire slayer tv"). A relationship's people are sorted, so "Spike/Buffy" and
 * "Buffy/Spike" are one, and its kind kept: "a/b" (romantic) and "a & b" (friendship, as AO3 writes it) stay two.
 */
export function facetKey(kind: FacetKind, value: string): string {
	if (kind !== 'relationship' || !PEOPLE.test(value)) return facetWords(value);
	const people = value.split(PEOPLE).map(facetWords).filter(Boolean).sort();
	return people.join(value.includes('/') ? '/' : ' & ');
}

/** A list as the source gave it, or its display string split at commas. */
const listOf = (list: readonly string[] | undefined, text: string | undefined) =>
	list?.length ? list : text ? splitList(text) : [];

/** A story's facets, each (kind, key) once: the first spelling the source gives is kept. */
export function storyFacets(meta: StoryMeta): Facet[] {
	const sources: Record<FacetKind, readonly string[]> = {
		fandom: listOf(meta.fandoms, meta.fandom),
		relationship: listOf(meta.relationships, meta.pairing),
		character: listOf(meta.characterTags, meta.characters),
		tag: meta.additionalTags ?? [],
		warning: listOf(undefined, meta.warnings),
	};
	const facets: Facet[] = [];
	const seen = new Set<string>();
	for (const kind of FACET_KINDS) {
		for (const raw of sources[kind]) {
			const value = raw.replace(/\s+/g, ' ').trim();
			const key = facetKey(kind, value);
			if (!key || seen.has(`${kind}\u0000${key}`)) continue;
			seen.add(`${kind}\u0000${key}`);
			facets.push({ kind, value, key });
		}
	}
	return facets;
}

/** A comparison of a number (words:>10000, chapters:<=3). */
export interface NumberRange {
	op: '=' | '<' | '<=' | '>' | '>=';
	value: number;
}

/**
 * What stories must be to be listed or searched, all of it (AND): for each facet entry a tag of its kind among
 * `keys` (any of them); none of `without`'s; length, chapters and completion; one of `ratings` when given.
 */
export interface StoryConditions {
	facets?: { kind: FacetKind; keys: readonly string[] }[];
	without?: { kind: FacetKind; keys: readonly string[] }[];
	words?: NumberRange[];
	chapters?: NumberRange[];
	complete?: boolean;
	ratings?: readonly string[];
}

/** Conditions as SQL over the stories table (`stories.id`), and whether a part names few stories. */
export interface ConditionsSql {
	where: string[];
	params: (string | number)[];
	/** Whether a part of it (a tag carried by few stories) names stories few enough to look up as a set. */
	few: boolean;
}

const OPS = new Set(['=', '<', '<=', '>', '>=']);
const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/**
 * Conditions as SQL. The facet at index `lead` (when given) is looked up once as a set of stories by its key, to
 * lead a listing or to be the set text hits are checked against; every other tag is checked in each story's own
 * tags, story by story, so that listing common ones in title order stops after one page.
 */
export function conditionsSql(conditions: StoryConditions, lead: number | null = null): Omit<ConditionsSql, 'few'> {
	const where: string[] = [];
	const params: (string | number)[] = [];
	for (const [i, { kind, keys }] of (conditions.facets ?? []).entries()) {
		if (!keys.length) {
			where.push('0');
			continue;
		}
		where.push(
			i === lead
				? `stories.id IN (SELECT story_id FROM story_facets WHERE kind = ? AND value_key IN (${marks(keys.length)}))`
				: `EXISTS (SELECT 1 FROM story_facets f INDEXED BY story_facets_story WHERE f.story_id = stories.id AND f.kind = ? AND f.value_key IN (${marks(keys.length)}))`,
		);
		params.push(kind, ...keys);
	}
	for (const { kind, keys } of conditions.without ?? []) {
		if (!keys.length) continue;
		where.push(
			`NOT EXISTS (SELECT 1 FROM story_facets f INDEXED BY story_facets_story WHERE f.story_id = stories.id AND f.kind = ? AND f.value_key IN (${marks(keys.length)}))`,
		);
		params.push(kind, ...keys);
	}
	for (const [column, ranges] of [
		['words', conditions.words],
		['chapter_count', conditions.chapters],
	] as const) {
		for (const range of ranges ?? []) {
			if (!OPS.has(range.op) || !Number.isFinite(range.value)) {
				where.push('0');
				continue;
			}
			where.push(`stories.${column} ${range.op} ?`);
			params.push(range.value);
		}
	}
	if (conditions.complete !== undefined) {
		where.push('stories.complete = ?');
		params.push(conditions.complete ? 1 : 0);
	}
	if (conditions.ratings) {
		where.push(`stories.rating IN (${marks(conditions.ratings.length) || 'NULL'})`);
		params.push(...conditions.ratings);
	}
	return { where, params };
}

/** One part of a listing's conditions that can lead it: its stories, as counted (at most a cap), and how. */
export interface Lead {
	stories: number;
	/** The facet's index in `conditions.facets`, or the stories index a length or completion leads along. */
	facet?: number;
	index?: string;
}

/**
 * Which part leads a listing of `need` stories in title order: the one naming fewest stories, when it names few
 * (`few`) or fewer than walking the titles would read, each story read counted three times (a walk checks every
 * condition of each; a lead's few are read once and sorted). `share`: the stories that meet every part, as a share
 * of all, estimated as if the parts were independent. Null: walk the titles.
 */
export function chooseLead(leads: readonly Lead[], share: number, need: number, few: number): Lead | null {
	const best = [...leads].sort((a, b) => a.stories - b.stories)[0];
	if (!best) return null;
	const walked = share > 0 ? need / share : Number.POSITIVE_INFINITY;
	return best.stories <= few || best.stories < 3 * walked ? best : null;
}
