/**
 * Autocomplete's stories: titles that start with what is typed, then titles and authors with words that start
 * with each typed word, in title order.
 */
import type { SearchIndex } from './handle.js';

/**
 * Stories matched by the words typed that autocomplete sorts by title, at most: a short start of a common name costs
 * no more than reading and sorting these (more letters narrow it); past them, stories further on are not offered.
 */
const SUGGEST_SORTED = 2000;
/** Stories suggested at most: as many as an autocomplete list offers. */
const SUGGEST_MAX = 25;

/**
 * Stories for autocomplete, at most 25: titles that start with what is typed, then stories where each typed word
 * starts a word of the title or of the author's name ("sunny" finds Bleeding Sunnydale, "sarah" Sarah Sinclair's),
 * each group in title order.
 */
export function suggestStories(
	ix: SearchIndex,
	prefix: string,
	limit = SUGGEST_MAX,
): { id: number; title: string; author: string | null }[] {
	type Row = { id: number; title: string; author: string | null };
	const text = prefix.trim().slice(0, 100);
	const max = Math.min(limit, SUGGEST_MAX);
	if (!text) {
		return ix
			.statement('SELECT id, title, author FROM stories ORDER BY title COLLATE NOCASE, id LIMIT ?')
			.all(max) as Row[];
	}
	// One range of the listing index (titles in order, case aside), however many stories there are.
	const rows = ix
		.statement(
			`SELECT id, title, author FROM stories INDEXED BY stories_listing
				WHERE title >= ? COLLATE NOCASE AND title < ? COLLATE NOCASE ORDER BY title COLLATE NOCASE, id LIMIT ?`,
		)
		.all(text, `${text}\uffff`, max) as Row[];
	const words = text
		.split(/\s+/)
		.filter((word) => /[\p{L}\p{N}]/u.test(word))
		.map((word) => `"${word.replaceAll('"', '""')}" *`);
	if (rows.length < max && words.length) {
		const seen = new Set(rows.map((r) => r.id));
		// In title order: at most the first SUGGEST_SORTED stories that match (by id) are read and sorted, so a
		// short start of a common name costs no more than that (more letters narrow it).
		const more = ix
			.statement(
				`SELECT s.id, s.title, s.author
					FROM (SELECT rowid FROM story_words WHERE story_words MATCH ? LIMIT ${SUGGEST_SORTED}) w
					JOIN stories s ON s.id = w.rowid ORDER BY s.title COLLATE NOCASE, s.id LIMIT ?`,
			)
			.all(`{title author} : (${words.join(' AND ')})`, max + rows.length) as Row[];
		for (const row of more) if (!seen.has(row.id) && rows.length < max) rows.push(row);
	}
	return rows;
}
