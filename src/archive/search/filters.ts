/**
 * A query's filters (author:, rating:, character:, title:, and the tag, length and completion filters of tags.ts)
 * as SQL over the stories table: the stories they allow, as a set or a check per story, and the listing of filters
 * alone.
 */
import type { ConditionsSql } from '../facets.js';
import type { SearchIndex } from './handle.js';
import { type ParsedQuery, ratingsAllowed } from './query.js';

/** Stories as a search checks them against a filter: a set, or a check per story. */
export type StorySet = Pick<ReadonlySet<number>, 'has'>;

/** A query's filters as SQL over the stories table. */
export interface StoryFilter {
	where: string;
	params: (string | number)[];
	/** Whether a part of it (a rare character, title words, a rare tag) names stories few enough to look up as a set. */
	few: boolean;
	/** What filters alone list their stories from (`FROM …`): a rare tag's set, a length's index; else the titles. */
	source?: string;
}

/**
 * A query's tag, length and completion filters as SQL (`listing`, from the store's listingOf), and the tagged
 * characters each character: filter also stands for (`keys`, any of them; `rare`: carried by few stories).
 */
export interface TagParts {
	listing: ConditionsSql & { source: string };
	characters: { keys: readonly string[]; rare: boolean }[];
}

/**
 * A query's filters as SQL, or null when it has none. A character `common` says is on many pages is checked in
 * each story's own characters (by their primary key: the index by name would walk every story the name is in);
 * a rare one is looked up once by name.
 */
export function storyFilter(
	query: ParsedQuery,
	common: (character: string) => boolean,
	tags: TagParts | null = null,
): StoryFilter | null {
	const where: string[] = [];
	const params: (string | number)[] = [];
	let few = false;
	if (query.author) {
		where.push("author LIKE ? ESCAPE '\\'");
		params.push(`%${escapeLike(query.author)}%`);
	}
	if (query.rating) {
		const ratings = ratingsAllowed(query.rating);
		where.push(`rating IN (${ratings.map(() => '?').join(', ') || 'NULL'})`);
		params.push(...ratings);
	}
	for (const [i, name] of query.characters.entries()) {
		const isCommon = common(name);
		// (`+c.name`: a name compared without its case cannot use the primary key's name; left bare, it makes
		// SQLite pick the index by name, which holds every story the name is in.)
		const named = isCommon
			? 'EXISTS (SELECT 1 FROM characters c WHERE c.story_id = stories.id AND +c.name = ? COLLATE NOCASE)'
			: 'id IN (SELECT story_id FROM characters WHERE name = ? COLLATE NOCASE)';
		// A character is in the story's text, or among its tagged characters.
		const tagged = tags?.characters[i];
		if (tagged?.keys.length) {
			const marks = tagged.keys.map(() => '?').join(', ');
			where.push(
				`(${named} OR ${
					tagged.rare
						? `id IN (SELECT story_id FROM story_facets WHERE kind = 'character' AND value_key IN (${marks}))`
						: `EXISTS (SELECT 1 FROM story_facets f INDEXED BY story_facets_story WHERE f.story_id = stories.id AND f.kind = 'character' AND f.value_key IN (${marks}))`
				})`,
			);
			params.push(name, ...tagged.keys);
			few ||= !isCommon && tagged.rare;
		} else {
			where.push(named);
			params.push(name);
			few ||= !isCommon;
		}
	}
	if (query.titleWords.length) {
		where.push('id IN (SELECT rowid FROM stories_fts WHERE stories_fts MATCH ?)');
		params.push(`title : (${query.titleWords.map((w) => `"${w.replaceAll('"', '""')}"`).join(' AND ')})`);
		few = true;
	}
	let source: string | undefined;
	if (tags) {
		where.push(...tags.listing.where);
		params.push(...tags.listing.params);
		few ||= tags.listing.few;
		if (tags.listing.source !== 'stories INDEXED BY stories_listing') source = tags.listing.source;
	}
	return where.length ? { where: where.join(' AND '), params, few, ...(source ? { source } : {}) } : null;
}

/**
 * The stories a filter allows, for checking text hits against. A filter with a part that names few stories (a
 * rare character, title words) is looked up once, as a set. Any other (a rating, an author, a common character) is
 * checked story by story as hits come, each story once: its set would be most of the archive, 10 to 70 ms to
 * build at 1 GB for the few hundred stories a query looks at.
 */
export function allowedStories(ix: SearchIndex, filter: StoryFilter): StorySet {
	if (filter.few) {
		return new Set(
			ix
				.statement(`SELECT id FROM stories WHERE ${filter.where}`)
				.pluck()
				.all(...filter.params) as number[],
		);
	}
	const check = ix.statement(`SELECT 1 FROM stories WHERE id = ? AND ${filter.where}`).pluck();
	const known = new Map<number, boolean>();
	return {
		has(storyId) {
			let allowed = known.get(storyId);
			if (allowed === undefined) {
				allowed = check.get(storyId, ...filter.params) === 1;
				known.set(storyId, allowed);
			}
			return allowed;
		},
	};
}

/**
 * Filters alone: the stories they allow in title order, `limit` from `offset` (and one more, to tell whether there
 * are more). One ordered, paged query along the listing index, which stops after one page of results when the
 * filter is common; no set of every allowed story is built. A rare tag or a narrow length leads instead: its few
 * stories are read and sorted.
 */
export function filteredStories(ix: SearchIndex, filter: StoryFilter, limit: number, offset: number): number[] {
	return ix
		.statement(
			`SELECT id FROM ${filter.source ?? 'stories INDEXED BY stories_listing'} WHERE ${filter.where} ORDER BY title COLLATE NOCASE, id LIMIT ? OFFSET ?`,
		)
		.pluck()
		.all(...filter.params, limit + 1, offset) as number[];
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, '\\$&');
