import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../../bench/synth.js';
import { ArchiveSearch } from '../../../src/archive/search/index.js';
import { Stemmer } from '../../../src/archive/search/stemmer.js';
import type { ArchiveStore } from '../../../src/archive/store.js';
import {
	type Archive,
	close,
	numberedStories,
	pages,
	samples,
	snippetOf,
	storyNumbered,
	synthetic,
	UNTIMED,
	withSearch,
} from './archives.js';

/** Letters and digits only, lower-cased, each word between single spaces: whether a page holds a line's words. */
const words = (text: string) => ` ${(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).join(' ')} `;

/** Lines of 8–14 whitespace-separated words, from one paragraph each, as a reader would copy them. */
function drawLines(store: ArchiveStore, count: number, seed: number): { line: string; storyId: number }[] {
	const rng = new Rng(seed);
	const all = pages(store);
	const lines: { line: string; storyId: number }[] = [];
	for (let tries = 0; tries < count * 50 && lines.length < count; tries++) {
		const page = all[rng.int(all.length)];
		if (!page) continue;
		const paragraphs = page.text
			.split(/\n\s*\n/)
			.map((p) => p.trim().split(/\s+/))
			.filter((p) => p.length >= 8);
		const paragraph = paragraphs[rng.int(paragraphs.length)];
		if (!paragraph) continue;
		const length = rng.range(8, Math.min(14, paragraph.length));
		const at = rng.int(paragraph.length - length + 1);
		const tokens = paragraph.slice(at, at + length);
		if (tokens.filter((t) => /\p{L}{3,}/u.test(t)).length < 6) continue;
		lines.push({ line: tokens.join(' '), storyId: page.storyId });
	}
	return lines;
}

/** The line's longest word with two neighbouring letters swapped (from its second letter). */
function swapped(line: string): string {
	const longest = (line.match(/\p{L}+/gu) ?? []).reduce((a, b) => (b.length > a.length ? b : a), '');
	for (let i = 1; i + 1 < longest.length; i++)
		if (longest[i] !== longest[i + 1]) {
			const typo = longest.slice(0, i) + longest.charAt(i + 1) + longest.charAt(i) + longest.slice(i + 2);
			return line.replace(new RegExp(`(?<!\\p{L})${longest}(?!\\p{L})`, 'u'), typo);
		}
	return line;
}

/** The line with its longest word replaced by letters no archive has. */
const garbled = (line: string) => {
	const longest = (line.match(/\p{L}+/gu) ?? []).reduce((a, b) => (b.length > a.length ? b : a), '');
	return line.replace(new RegExp(`(?<!\\p{L})${longest}(?!\\p{L})`, 'u'), 'qxzvjwq');
};

/** Mean reciprocal rank of the first hit whose page holds the line's words in order (top 10). */
function pageMrr(archive: Archive, lines: readonly string[], asked: (line: string) => string): number {
	let sum = 0;
	for (const line of lines) {
		const { hits } = archive.search.search(asked(line), { limit: 10 });
		const rank = hits.findIndex((h) => words(archive.store.page(h.storyId, h.page)?.text ?? '').includes(words(line)));
		sum += rank < 0 ? 0 : 1 / (rank + 1);
	}
	return sum / Math.max(1, lines.length);
}

describe('copied lines with a typo, on the sample stories', () => {
	let archive: Archive;
	let lines: string[];
	beforeAll(async () => {
		archive = await samples();
		lines = drawLines(archive.store, 60, 11).map((l) => l.line);
	});
	afterAll(() => close(archive));

	it('finds the page a line came from, as copied, with letters swapped, or with a word no archive has', () => {
		expect(lines.length).toBe(60);
		expect(pageMrr(archive, lines, (l) => l)).toBeGreaterThanOrEqual(0.95);
		expect(pageMrr(archive, lines, swapped)).toBeGreaterThanOrEqual(0.9);
		expect(pageMrr(archive, lines, garbled)).toBeGreaterThanOrEqual(0.9);
	});

	it('shows what a swapped word was corrected to, and bolds the line in the snippet', () => {
		const line = lines.find((l) => swapped(l) !== l) as string;
		const result = archive.search.search(swapped(line), { limit: 5 });
		expect(result.corrected?.toLowerCase()).toBe(flat(line));
		expect(snippetOf(result.hits[0])).toMatch(/\*\*/);
	});

	it('finds a line where a word was changed to another real word (the whole line is on no page)', () => {
		// A real word, so no correction: the line is found by the parts the change leaves intact.
		let checked = 0;
		let first = 0;
		for (const line of lines) {
			const tokens = line.split(' ');
			const at = Math.floor(tokens.length / 2);
			if (!/^\p{L}+$/u.test(tokens[at] ?? '') || tokens[at]?.toLowerCase() === 'crypt') continue;
			tokens[at] = 'crypt';
			const { hits, corrected } = archive.search.search(tokens.join(' '), { limit: 10 });
			expect(corrected).toBeUndefined();
			checked++;
			const top = hits[0];
			if (top && words(archive.store.page(top.storyId, top.page)?.text ?? '').includes(words(line))) first++;
		}
		expect(checked).toBeGreaterThan(20);
		expect(first / checked).toBeGreaterThanOrEqual(0.9);
	});

	it('finds lines whose rarest words are on too many pages to check, by those words near each other', () => {
		// One candidate page per query: every line's keys are "too common", so the last resort runs.
		const few = new ArchiveSearch(archive.store, { ...UNTIMED, lineCandidates: 1 });
		const fewArchive = { ...archive, search: few };
		expect(pageMrr(fewArchive, lines, (l) => l)).toBeGreaterThanOrEqual(0.9);
		few.close();
	});

	it('takes a line in quote marks as typed but for them (the marks are often the query’s)', () => {
		const line = 'As she recognized her surroundings, her breathing and heart rate';
		const bare = archive.search.search(line);
		expect(snippetOf(bare.hits[0])).toContain(`**${line}**`);
		// Its words alone, punctuation aside: a page holding them scores less than one holding it as typed.
		const words = archive.search.search(line.replace(',', ''));
		for (const quoted of [`"${line}"`, `“${line}”`]) {
			const { hits } = archive.search.search(quoted);
			expect(hits[0], quoted).toMatchObject({ storyId: bare.hits[0]?.storyId, page: bare.hits[0]?.page });
			expect(hits[0]?.score, quoted).toBeGreaterThan(words.hits[0]?.score as number);
		}
	});

	it('still finds nothing for words that are in no story', () => {
		expect(archive.search.search('qxzvjwq blorfendahl zingotrapic wubbleflax snerkulous').hits).toEqual([]);
	});
});

const flat = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();

describe('copied lines with a typo, on a small synthetic archive', () => {
	let archive: Archive;
	beforeAll(async () => {
		archive = await synthetic(2 * 1048576, 5);
	});
	afterAll(() => close(archive));

	it('ranks the page a line came from first, exactly and with one typo', () => {
		const lines = drawLines(archive.store, 100, 3).map((l) => l.line);
		expect(lines.length).toBe(100);
		expect(pageMrr(archive, lines, (l) => l)).toBeGreaterThanOrEqual(0.95);
		expect(pageMrr(archive, lines, swapped)).toBeGreaterThanOrEqual(0.85);
		expect(pageMrr(archive, lines, garbled)).toBeGreaterThanOrEqual(0.85);
	});

	it('corrects a single swapped word to the word it was', () => {
		const stemmer = new Stemmer();
		const pagesOf = archive.store.db.prepare('SELECT pages FROM vocabulary WHERE term = ?').pluck();
		const rng = new Rng(9);
		const all = pages(archive.store);
		const seen = new Set<string>();
		let tried = 0;
		let fixed = 0;
		for (let i = 0; i < 2000 && tried < 40; i++) {
			const tokens = all[rng.int(all.length)]?.text.split(/\s+/) ?? [];
			const word = /^\p{Ll}{7,}$/u.exec(tokens[rng.int(tokens.length)] ?? '')?.[0];
			if (!word || seen.has(word)) continue;
			seen.add(word);
			const stem = stemmer.stems(word)[0] as string;
			const n = (pagesOf.get(stem) as number | undefined) ?? 0;
			const typo = word.slice(0, 2) + word.charAt(3) + word.charAt(2) + word.slice(4);
			if (n < 2 || n > 200 || typo === word || stemmer.stems(typo).some((s) => pagesOf.get(s) !== undefined)) continue;
			tried++;
			const result = archive.search.search(typo);
			expect(result.hits.length).toBeGreaterThan(0);
			if (stemmer.stems(result.corrected ?? '')[0] === stem) fixed++;
		}
		stemmer.close();
		expect(tried).toBeGreaterThanOrEqual(30);
		expect(fixed / tried).toBeGreaterThanOrEqual(0.9);
	});
});

describe('copied lines that run from one sentence into the next', () => {
	// Forty stories share one sentence word for word (fan fiction repeats itself: song lyrics, canon quotes), and
	// every story has the words of the next sentence somewhere; only story 17 has the two sentences together.
	const SHARED = 'Together, and so starts her very erratic and bipolarish behavior.';
	let archive: Archive;
	beforeAll(async () => {
		archive = await numberedStories(40, (n) => [
			`Story ${n} opens on a quiet street (-he he, right) where nothing happens for a while. The houses stand in a row, the gardens are kept, and the mornings go by one much like another until somebody new comes to town and the neighbours start to talk about it over their fences.`,
			`${SHARED} ${n === 17 ? 'You lift me up where I belong.' : `Then the rain came down on day ${n}.`}`,
			'Much later someone said: you lift me up, and everybody laughed about it.',
		]);
	});
	afterAll(() => close(archive));

	it('finds the one page that holds the line, though the first sentence is on every page read', () => {
		// Three pages read per query: the shared sentence alone would fill them with the wrong stories.
		const { hits } = withSearch(archive, { lineCandidates: 3 }, (few) =>
			few.search('and so starts her very erratic and bipolarish behavior. You lift me', { limit: 5 }),
		);
		expect(hits[0]).toMatchObject({ storyId: storyNumbered(archive, 17), page: 1 });
		expect(snippetOf(hits[0])).toContain('**');
	});

	it('finds a pasted line with a dash in it, and answers a query that contradicts itself with nothing', () => {
		const { hits } = archive.search.search('opens on a quiet street (-he he, right) where nothing happens');
		expect(hits.length).toBeGreaterThan(0);
		const none = archive.search.search('rain -rain');
		expect(none.hits).toEqual([]);
		expect(none.notes).toContainEqual(expect.stringMatching(/both wanted and left out/));
	});
});

describe('copied lines where a typo made another real word', () => {
	// Forty stories have the words of story 17's line, each far from the others; story 5 alone says "Das ist gut"
	// (the index's "ist" is what "istting", "sitting" mistyped, stems to: a real word, on one page).
	const LINE = 'You were sitting down on a chair that is a little behind you.';
	const far = 'The morning went by slowly while the rain kept falling over the quiet grey town and its empty streets.';
	let archive: Archive;
	beforeAll(async () => {
		archive = await numberedStories(40, (n) => [
			[
				`Story ${n} begins with Buffy sitting by the window.`,
				'Then a chair scraped.',
				'Someone stood behind her.',
				'It is a little cold.',
				'Were you down there?',
				'Who was that?',
				'She went on.',
			].join(` ${far} ${far} `),
			n === 17 ? `"${LINE}" Willow nodded.` : `Nothing much happened on day ${n}.`,
			n === 5 ? '"Das ist gut," Giles said, and closed the book.' : 'Much later everybody went home.',
			...(n >= 8 && n <= 10 ? ['Xander pulled the chain.'] : []),
		]);
	});
	afterAll(() => close(archive));
	const story = (n: number) => storyNumbered(archive, n);

	it('respells a rare word of a line that is on no page as typed, says so, and bolds the line', () => {
		const result = archive.search.search('you were istting down on a chair that is a little behind you');
		expect(result.hits[0]).toMatchObject({ storyId: story(17), page: 1 });
		expect(snippetOf(result.hits[0])).toContain('**You were sitting down on a chair that is a little behind you**');
		expect(result.corrected).toBe('you were sitting down on a chair that is a little behind you');
	});

	it('leaves a rare word of a line that is on a page as typed as it is', () => {
		const result = archive.search.search('"Das ist gut," Giles said, and closed the book');
		expect(result.hits[0]).toMatchObject({ storyId: story(5), page: 1 });
		expect(result.corrected).toBeUndefined();
	});

	it('finds a line with a word changed to another, not many times rarer, through the rest of it', () => {
		// "chain" (three stories) for "chair" (all forty): not taken for a typo. Four pages read per query: every
		// story holds each other word of the line, so any two of them anywhere on a page would fill those with the
		// wrong stories; only story 17 holds the rest of the line together.
		const { hits, corrected } = withSearch(archive, { lineCandidates: 4 }, (few) =>
			few.search('you were sitting down on a chain that is a little behind you', { limit: 5 }),
		);
		expect(hits[0]).toMatchObject({ storyId: story(17), page: 1 });
		expect(corrected).toBeUndefined();
	});

	it("lists the story's page for such a line among its matching pages, as for one with a word no story has", () => {
		// Each word of these lines is in no page of story 17 beside the others ("istting", "chain", "qxzvjwq"):
		// the story's pages are those the line was found on.
		for (const typo of ['istting', 'chain', 'qxzvjwq']) {
			const line = `you were sitting down on a chair that is a little behind you`.replace(
				typo === 'istting' ? 'sitting' : 'chair',
				typo,
			);
			const pages = archive.search.pagesOf(story(17) as number, line);
			expect(pages[0], typo).toMatchObject({ storyId: story(17), page: 1 });
		}
		const exact = archive.search.pagesOf(
			story(17) as number,
			'you were sitting down on a chair that is a little behind you',
		);
		expect(snippetOf(exact[0])).toContain('**You were sitting down on a chair that is a little behind you**');
	});
});

describe('copied lines that add a few words of their own to a quote repeated across the archive', () => {
	// Forty stories quote one line, each after "Buffy said,"; story 17 after "Spike snapped,". Sixty more stories
	// say "snapped" (so it is no rarer than the quote's words) but not the quote.
	const QUOTE = '"He starred solo & directed before being paired with Oliver Hardy."';
	let archive: Archive;
	beforeAll(async () => {
		archive = await numberedStories(100, (n) =>
			n <= 40
				? [`Story ${n} opens in the library.`, `${n === 17 ? 'Spike snapped' : 'Buffy said'}, ${QUOTE}`]
				: [`Story ${n} opens in the graveyard.`, 'Faith snapped her gum and walked away.'],
		);
	});
	afterAll(() => close(archive));

	it('finds the page by the word that the pages holding the quote lack', () => {
		// Three pages read per query: the quote's words alone fill them with the wrong stories.
		const { hits } = withSearch(archive, { lineCandidates: 3 }, (few) =>
			few.search('snapped, "He starred solo & directed before being paired', { limit: 5 }),
		);
		expect(hits[0]).toMatchObject({ storyId: storyNumbered(archive, 17), page: 1 });
		expect(snippetOf(hits[0])).toContain('**snapped, "He starred solo & directed before being paired**');
	});
});

describe('copied lines with the story’s own quote marks', () => {
	// Story 1 tells the line, story 2 has somebody say it.
	const LINE = 'The library will be closed for the rest of the week';
	let archive: Archive;
	beforeAll(async () => {
		archive = await numberedStories(2, (n) => [
			n === 1 ? `${LINE}, and nobody minded.` : `Giles looked up. "${LINE}," he said.`,
			'Much later everybody went home.',
		]);
	});
	afterAll(() => close(archive));

	it('ranks the page that holds the marks as pasted above one that holds the words alone', () => {
		expect(archive.search.search(`"${LINE},"`).hits[0]?.storyId).toBe(storyNumbered(archive, 2));
		expect(archive.search.search(`"${LINE}`).hits[0]?.storyId).toBe(storyNumbered(archive, 2));
		expect(archive.search.search(`${LINE}, and`).hits[0]?.storyId).toBe(storyNumbered(archive, 1));
	});
});
