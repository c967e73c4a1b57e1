import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StoryFilter, storyFilter } from '../../../src/archive/search/index.js';
import { parseQuery } from '../../../src/archive/search/query.js';
import { type Archive, close, synthetic } from './archives.js';

describe('filters alone, along the listing index', () => {
	let archive: Archive;
	beforeAll(async () => {
		archive = await synthetic(1048576, 33);
	});
	afterAll(() => close(archive));

	/** Every story a filter lists, page after page of results. */
	function listed(query: string): number[] {
		const ids: number[] = [];
		for (let offset = 0; ; offset += 25) {
			const { hits, more } = archive.search.search(query, { limit: 25, offset });
			ids.push(...hits.map((h) => h.storyId));
			if (!more) return ids;
		}
	}

	const inTitleOrder = (where: string, ...params: string[]) =>
		archive.store.db
			.prepare(`SELECT id FROM stories WHERE ${where} ORDER BY title COLLATE NOCASE, id`)
			.pluck()
			.all(...params) as number[];

	it('lists every story a common or a rare character is in, in title order', () => {
		const [common, rare] = archive.store.db
			.prepare(
				'SELECT name FROM characters GROUP BY name HAVING count(*) >= 3 ORDER BY count(*) DESC, name LIMIT 1 OFFSET 0',
			)
			.pluck()
			.all()
			.concat(
				archive.store.db
					.prepare('SELECT name FROM characters GROUP BY name HAVING count(*) BETWEEN 2 AND 5 ORDER BY name LIMIT 1')
					.pluck()
					.all(),
			) as [string, string];
		for (const name of [common, rare]) {
			const expected = inTitleOrder(
				'id IN (SELECT story_id FROM characters WHERE name = ? COLLATE NOCASE)',
				name.toLowerCase(),
			);
			expect(expected.length, name).toBeGreaterThan(1);
			expect(listed(`character:${name.toLowerCase()}`), name).toEqual(expected);
		}
	});

	it('lists ratings and authors in title order, and both together', () => {
		expect(listed('rating:teen')).toEqual(inTitleOrder("rating = 'Teen'"));
		expect(listed('rating:>=mature')).toEqual(inTitleOrder("rating IN ('Mature', 'Explicit')"));
		const author = archive.store.db
			.prepare('SELECT author FROM stories WHERE author IS NOT NULL GROUP BY author ORDER BY count(*) DESC LIMIT 1')
			.pluck()
			.get() as string;
		const quoted = `author:"${author}"`;
		// An author filter matches part of the name, case aside.
		expect(listed(quoted)).toEqual(inTitleOrder('author LIKE ?', `%${author}%`));
		expect(listed(`${quoted} rating:<=teen`)).toEqual(
			inTitleOrder("author LIKE ? AND rating IN ('General', 'Teen')", `%${author}%`),
		);
	});

	it('applies a filter to words through the same index', () => {
		const teen = new Set(inTitleOrder("rating = 'Teen'"));
		const { hits } = archive.search.search('spike rating:teen', { limit: 25 });
		expect(hits.length).toBeGreaterThan(0);
		for (const hit of hits) expect(teen.has(hit.storyId)).toBe(true);
	});
});

describe('filters with words', () => {
	let archive: Archive;
	beforeAll(async () => {
		archive = await synthetic(1048576, 34);
	});
	afterAll(() => close(archive));

	const db = () => archive.store.db;
	/** Characters by how many stories they are in: the most common, and one in a few stories. */
	const characters = () => {
		const byStories = db()
			.prepare('SELECT name FROM characters GROUP BY name HAVING count(*) >= 2 ORDER BY count(*) DESC, name')
			.pluck()
			.all() as string[];
		return { common: byStories[0] as string, rare: byStories.at(-1) as string };
	};
	const storiesWith = (name: string) =>
		new Set(
			db().prepare('SELECT story_id FROM characters WHERE name = ? COLLATE NOCASE').pluck().all(name) as number[],
		);
	const teenStories = () =>
		new Set(db().prepare("SELECT id FROM stories WHERE rating = 'Teen'").pluck().all() as number[]);
	/** The stories whose pages, title, author or summary hold a word, from the indexes themselves. */
	const storiesWithWord = (word: string) =>
		new Set(
			(
				db()
					.prepare(
						`SELECT rowid >> 16 FROM pages_fts WHERE pages_fts MATCH :word
							UNION SELECT rowid FROM stories_fts WHERE stories_fts MATCH :word`,
					)
					.pluck()
					.all({ word: `"${word}"` }) as number[]
			).map(Number),
		);

	it('checks a common character story by story and looks a rare one up, with the same answers', () => {
		const { common, rare } = characters();
		const commonName = (name: string) => name === common.toLowerCase();
		const parsed = parseQuery(`character:${common.toLowerCase()} character:${rare.toLowerCase()} rating:teen`);
		const filter = storyFilter(parsed, commonName);
		expect(filter?.where).toMatch(/EXISTS/);
		expect(filter?.where).toMatch(/id IN \(SELECT story_id FROM characters/);
		expect(filter?.few).toBe(true);
		expect(storyFilter(parseQuery(`character:${common.toLowerCase()} rating:teen`), commonName)?.few).toBe(false);
		// A common character is looked for in the story's own characters, by their primary key: the index by name
		// would walk every story the name is in, for each story checked.
		const common1 = storyFilter(parseQuery(`character:${common.toLowerCase()}`), () => true);
		const plan = (
			db()
				.prepare(`EXPLAIN QUERY PLAN SELECT 1 FROM stories WHERE id = ? AND ${common1?.where}`)
				.all(1, ...(common1?.params ?? [])) as { detail: string }[]
		).map((r) => r.detail);
		expect(plan.join('\n')).toMatch(/SEARCH c (?:EXISTS )?USING PRIMARY KEY \(story_id=\?\)/);
		// Both forms pick the same stories.
		for (const name of [common, rare]) {
			const forms = [true, false].map(
				(isCommon) => storyFilter(parseQuery(`character:${name.toLowerCase()}`), () => isCommon) as StoryFilter,
			);
			const [asCommon, asRare] = forms.map(
				(f) =>
					new Set(
						db()
							.prepare(`SELECT id FROM stories WHERE ${f.where}`)
							.pluck()
							.all(...f.params) as number[],
					),
			);
			expect(asCommon, name).toEqual(storiesWith(name));
			expect(asRare, name).toEqual(storiesWith(name));
		}
	});

	it('finds every story a word and a filter allow when they are few, and only those', () => {
		const { common, rare } = characters();
		const teen = teenStories();
		const withCommon = storiesWith(common);
		const withRare = storiesWith(rare);
		// Words on a handful of stories: the search must find all of them that pass the filter.
		const words = db()
			.prepare('SELECT term FROM vocabulary WHERE pages BETWEEN 3 AND 12 AND length(term) > 5 ORDER BY term LIMIT 40')
			.pluck()
			.all() as string[];
		let checked = 0;
		for (const word of words) {
			const withWord = storiesWithWord(word);
			// (A term is a stem, which may stem again to a word on no page: the search would correct it as a typo.)
			if (!withWord.size) continue;
			for (const [filter, allows] of [
				['rating:teen', (id: number) => teen.has(id)],
				[`character:${common.toLowerCase()}`, (id: number) => withCommon.has(id)],
				[`character:${rare.toLowerCase()}`, (id: number) => withRare.has(id)],
				[`character:${common.toLowerCase()} rating:teen`, (id: number) => teen.has(id) && withCommon.has(id)],
			] as const) {
				const expected = [...withWord].filter(allows).sort((a, b) => a - b);
				const found = archive.search
					.search(`${word} ${filter}`, { limit: 25 })
					.hits.map((h) => h.storyId)
					.sort((a, b) => a - b);
				expect(found, `${word} ${filter}`).toEqual(expected);
				checked += expected.length;
			}
		}
		// The check found stories, not just agreed on none.
		expect(checked).toBeGreaterThan(10);
	});

	it('keeps to the filter for frequent words too', () => {
		const { common } = characters();
		const teen = teenStories();
		const name = common.toLowerCase();
		const { hits } = archive.search.search(`the ${name} character:${name} rating:teen`, { limit: 25 });
		expect(hits.length).toBeGreaterThan(0);
		for (const hit of hits) {
			expect(teen.has(hit.storyId)).toBe(true);
			expect(storiesWith(common).has(hit.storyId)).toBe(true);
		}
	});
});
