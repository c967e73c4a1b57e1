import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importArchive } from '../../src/archive/import.js';
import { ArchiveSearch, editDistance } from '../../src/archive/search/index.js';
import { ArchiveStore } from '../../src/archive/store.js';
import { pages, snippetOf, UNTIMED } from './search/archives.js';

let dir: string;
let store: ArchiveStore;
let search: ArchiveSearch;
const id = (path: string) => store.fileHashes().get(path)?.id as number;
const flat = (s: string) => s.replace(/\s+/g, ' ').toLowerCase();

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'fic-archive-search-'));
	for (const name of ['leaving.txt', 'moving-day.txt'])
		copyFileSync(new URL(`../../data/${name}`, import.meta.url), join(dir, name));
	writeFileSync(
		join(dir, 'markdown.txt'),
		'Title: Stars and _Lines_\nAuthor: Test Writer\nRating: NC-17\nSummary: A story about the porcupine.\n\nThe porcupine wrote *stars* and __lines__ and `code` and ~~strikes~~ and ||spoilers|| on the wall.\n\n> The porcupine quoted itself.',
	);
	store = ArchiveStore.open(':memory:');
	await importArchive(store, dir);
	search = new ArchiveSearch(store, UNTIMED);
});
afterAll(() => {
	search.close();
	store.close();
	rmSync(dir, { recursive: true, force: true });
});

/** Lines of 8+ words from a story's pages, every few sentences, as a reader would copy them. */
function linesOf(storyId: number, every: number): string[] {
	const lines: string[] = [];
	const story = store.story(storyId);
	for (let page = 1; page <= (story?.pageCount ?? 0); page++) {
		for (const paragraph of (store.page(storyId, page)?.text ?? '').split('\n\n')) {
			const sentences = paragraph.split(/(?<=[.!?]["”]?)\s+/).filter((s) => s.split(/\s+/).length >= 8);
			lines.push(...sentences.filter((_, i) => i % every === 0));
		}
	}
	return lines;
}

/** One typo in the line's longest word: two letters swapped. */
const typo = (line: string) => {
	const longest = line
		.split(/\s+/)
		.reduce((a, b) => (b.replace(/\W/g, '').length > a.replace(/\W/g, '').length ? b : a));
	const i = Math.floor(longest.length / 2);
	return line.replace(longest, longest.slice(0, i - 1) + longest[i] + longest[i - 1] + longest.slice(i + 1));
};

describe('known-item search', () => {
	it('finds the story and the page a copied line came from, also with one typo', () => {
		const reciprocal = { exact: [] as number[], typo: [] as number[] };
		for (const path of ['leaving.txt', 'moving-day.txt']) {
			for (const line of linesOf(id(path), 3)) {
				for (const [kind, query] of [
					['exact', line],
					['typo', typo(line)],
				] as const) {
					const { hits } = search.search(query, { limit: 10 });
					const rank = hits.findIndex((h) => h.storyId === id(path));
					reciprocal[kind].push(rank < 0 ? 0 : 1 / (rank + 1));
					if (kind === 'exact') {
						expect(hits[0]?.storyId).toBe(id(path));
						const page = store.page(id(path), hits[0]?.page as number)?.text ?? '';
						expect(flat(page)).toContain(flat(line).slice(0, 40));
					}
				}
			}
		}
		const mrr = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
		expect(reciprocal.exact.length).toBeGreaterThan(20);
		expect(mrr(reciprocal.exact)).toBeGreaterThanOrEqual(0.95);
		expect(mrr(reciprocal.typo)).toBeGreaterThanOrEqual(0.8);
	});
});

describe('search', () => {
	it('matches all words, stemmed, one hit per story with a bold snippet', () => {
		const { hits } = search.search('spike leaving sunnydale');
		expect(hits.map((h) => h.storyId)).toEqual([id('leaving.txt')]);
		expect(snippetOf(hits[0])).toMatch(/\*\*Sunnydale\*\*/);
		const both = search.search('crypt');
		expect(new Set(both.hits.map((h) => h.storyId)).size).toBe(both.hits.length);
		expect(both.hits.length).toBe(2);
	});

	it('handles phrases, prefixes and exclusions', () => {
		expect(search.search('"real men"').hits.map((h) => h.storyId)).toEqual([id('leaving.txt')]);
		expect(search.search('"men real"').hits).toEqual([]);
		expect(search.search('porcu*').hits.map((h) => h.storyId)).toEqual([id('markdown.txt')]);
		const withoutLeaving = search.search('crypt -desoto').hits.map((h) => h.storyId);
		expect(withoutLeaving).toEqual([id('moving-day.txt')]);
	});

	it('applies filters, and lists stories for a filter alone', () => {
		expect(search.search('author:klyt').hits.map((h) => h.title)).toEqual(['Moving Day']);
		expect(search.search('rating:teen').hits.map((h) => h.title)).toEqual(['Leaving']);
		expect(search.search('rating:>=mature').hits.map((h) => h.title)).toEqual(['Stars and _Lines_']);
		expect(search.search('crypt character:xander').hits.map((h) => h.title)).toEqual(['Leaving']);
		expect(search.search('title:moving crypt').hits.map((h) => h.title)).toEqual(['Moving Day']);
		expect(search.search('author:nobody crypt').hits).toEqual([]);
		// A filter nothing can pass is dropped with a note, not run.
		const impossible = search.search('rating:<general crypt');
		expect(impossible.notes.join(' ')).toMatch(/no rating fits/);
		expect(impossible.hits.length).toBe(2);
	});

	it('ranks a title or summary match above page text', () => {
		expect(search.search('porcupine').hits[0]?.title).toBe('Stars and _Lines_');
		expect(search.search('leaving').hits[0]?.title).toBe('Leaving');
	});

	it('escapes the story’s markdown so the bold matches are the only formatting', () => {
		const snippet = snippetOf(search.search('wrote').hits[0]);
		expect(snippet).toContain('**wrote**');
		expect(snippet).toContain('\\*stars\\*');
		expect(snippet).toContain('\\_\\_lines\\_\\_');
		expect(snippet).toContain('\\`code\\`');
		expect(snippet).toContain('\\~\\~strikes\\~\\~');
		expect(snippet).toContain('\\|\\|spoilers\\|\\|');
		expect(snippet.replace(/\\./g, '').replaceAll('**wrote**', '')).not.toMatch(/[*_~`|]/);
	});

	it('corrects a word that matches nothing from the archive’s own vocabulary', () => {
		const result = search.search('spkie crpyt');
		expect(result.corrected).toBe('spike crypt');
		expect(search.search('rcypt').corrected).toBe('crypt');
		expect(result.hits.length).toBe(2);
		expect(search.search('crypt').corrected).toBeUndefined();
	});

	it('leaves alone a word of a title or author, and does not respell a short word shorter', () => {
		// "Klytaimnestra" is only in the header of Moving Day, not on a page: still no typo.
		const author = search.search('klytaimnestra');
		expect(author.corrected).toBeUndefined();
		expect(author.hits[0]?.storyId).toBe(id('moving-day.txt'));
		// Leaving has "Ow": a three-letter word is respelled to three letters or more ("owe"), never to "ow".
		expect(search.search('owl').corrected).not.toBe('ow');
		expect(search.search('owl').corrected?.length).toBeGreaterThanOrEqual(3);
	});

	it('never corrects a word to a function word, and says which word matches nothing', () => {
		// Neither story says "end" (their "The End" is a trailer, not story text): "and", one letter away and on
		// every page, would find everything.
		expect(pages(store).some((p) => /\bend\b/i.test(p.text))).toBe(false);
		const theEnd = search.search('the end');
		expect(theEnd.corrected).toBeUndefined();
		expect(theEnd.hits).toEqual([]);
		expect(theEnd.notes).toEqual(['No story has the word “end”.']);
		// Nor a word of five letters to one two edits away ("happy" to "happen").
		const happy = search.search('happy');
		expect(happy.corrected).toBeUndefined();
		expect(happy.notes).toEqual(['No story has the word “happy”.']);
		// Nor to one two letters shorter or longer ("pancakes", index term "pancak", to "packing", "pack").
		const pancakes = search.search('pancakes');
		expect(pancakes.corrected).toBeUndefined();
		expect(pancakes.notes).toEqual(['No story has the word “pancakes”.']);
		// Several are named in one note, the first five of many.
		expect(search.search('happy end').notes).toEqual(['No story has the words “happy” or “end”.']);
		expect(search.search('qa qb qc qd qe qf qg').notes).toEqual([
			'No story has the words “qa”, “qb”, “qc”, “qd”, “qe” and 2 more.',
		]);
		// Typos of the stories' words are still corrected, and in a copied line function words too: the line holds them.
		expect(search.search('dwan').corrected).toBe('dawn');
		expect(search.search('leavng').corrected).toBe('leaving');
		const line = search.search('She pulled him iwth her toward the door');
		expect(line.corrected).toBe('She pulled him with her toward the door');
		expect(line.hits[0]?.storyId).toBe(id('leaving.txt'));
	});

	it('says which word to leave out when each is on some page but never all on one', () => {
		// "fledgling" is only in Leaving, "cardboard" only in Moving Day.
		const none = search.search('spike fledgling cardboard');
		expect(none.hits).toEqual([]);
		expect(none.notes).toHaveLength(1);
		const left = /^No page has all of these words; without “(\w+)”, some do\.$/.exec(none.notes[0] ?? '')?.[1];
		expect(['fledgling', 'cardboard']).toContain(left);
		// The query without it, as typed, for a button to search.
		expect(none.instead).toEqual({ query: `spike fledgling cardboard`.replace(` ${left}`, ''), without: left });
		expect(search.search(none.instead?.query as string).hits.length).toBeGreaterThan(0);
		// A word typed in capitals is left out as typed.
		expect(search.search('Spike FLEDGLING Cardboard').instead?.query).toMatch(/^Spike (FLEDGLING|Cardboard)$/);
		// Not for a filter, which may be why, nor for words no story has (named instead), nor for one word.
		expect(search.search('spike fledgling cardboard author:slaymesoftly').notes).toEqual([]);
		expect(search.search('qxzvjwq').notes).toEqual(['No story has the word “qxzvjwq”.']);
	});

	it('pages through results and lists the other matching pages of a story', () => {
		const first = search.search('buffy', { limit: 1 });
		const second = search.search('buffy', { limit: 1, offset: 1 });
		expect(first.more).toBe(true);
		expect(second.hits[0]?.storyId).not.toBe(first.hits[0]?.storyId);
		const pages = search.pagesOf(id('leaving.txt'), 'buffy');
		expect(pages.length).toBe(store.story(id('leaving.txt'))?.pageCount);
		for (const hit of pages) expect(store.page(hit.storyId, hit.page)?.text.toLowerCase()).toContain('buffy');
	});

	it('ranks frequent names by story, without ranking every page', () => {
		const frequent = new ArchiveSearch(store, { ...UNTIMED, frequentPages: 1 });
		const { hits } = frequent.search('xander');
		expect(hits.map((h) => h.storyId)).toEqual([id('leaving.txt')]);
		expect(store.page(id('leaving.txt'), hits[0]?.page as number)?.text).toContain('Xander');
		expect(frequent.search('buffy spike').hits.length).toBe(2);
		// Frequent words that are not names: stories from a sample of matching pages, each at a page that matches.
		const common = frequent.search('crypt door');
		expect(common.hits.length).toBeGreaterThan(0);
		for (const hit of common.hits)
			expect(store.page(hit.storyId, hit.page)?.text.toLowerCase()).toMatch(/crypt[\s\S]*door|door[\s\S]*crypt/);
		frequent.close();
	});

	it('never throws, whatever is typed', () => {
		const hostile = fc
			.array(fc.constantFrom(...'"*-():^{}+ ANDORNOTNEARspikebuffy:author:rating<=teen😀\\'.split('')), {
				maxLength: 80,
			})
			.map((chars) => chars.join(''));
		fc.assert(
			fc.property(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 200 }), hostile), (query) => {
				const result = search.search(query);
				expect(Array.isArray(result.hits)).toBe(true);
			}),
			{ numRuns: 300 },
		);
	});
});

describe('suggest', () => {
	it('offers titles and authors by prefix and by a word inside the title, 25 at most', () => {
		expect(search.suggest('mov').map((s) => s.title)).toEqual(['Moving Day']);
		expect(search.suggest('day').map((s) => s.title)).toEqual(['Moving Day']);
		expect(search.suggest('slay').map((s) => s.author)).toEqual(['Slaymesoftly']);
		expect(search.suggest('').length).toBe(3);
		expect(search.suggest('zzz')).toEqual([]);
		expect(search.suggest('%_\\').length).toBe(0);
	});
});

describe('edit distance', () => {
	it.each([
		['spike', 'spike', 0],
		['spkie', 'spike', 1],
		['spke', 'spike', 1],
		['buffy', 'bufy', 1],
		['crypt', 'crpyt', 1],
		['leaving', 'leavng', 1],
		['abc', 'xyz', 3],
	] as const)('%s → %s = %i', (a, b, d) => {
		expect(editDistance(a, b)).toBe(d);
	});
});
