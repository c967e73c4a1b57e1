import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
