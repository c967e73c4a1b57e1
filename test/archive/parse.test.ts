import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHARACTER_PAGES, countWords, findCharacters } from '../../src/archive/characters.js';
import { parseStory } from '../../src/archive/parse/index.js';
import { normalizeRating, parseDate, splitPartMarker, splitTitleDate } from '../../src/archive/parse/normalize.js';
import { parsePlainText } from '../../src/archive/parse/plain-text.js';
import { StoryError } from '../../src/archive/types.js';

const sample = async (name: string) => parseStory(name, readFileSync(new URL(`../../data/${name}`, import.meta.url)));
const text = (s: string) => new TextEncoder().encode(s);
/** The two most frequent characters, in name order. */
const topTwo = (characters: readonly { name: string }[]) =>
	characters
		.slice(0, 2)
		.map((c) => c.name)
		.sort();
const PROSE =
	'Buffy walked into the Magic Box and dropped her bag on the table, and Giles looked up from his books with a sigh. "Spike was here," Giles said. "He asked about you, Buffy."';

describe('the sample stories', () => {
	it('reads Leaving: labelled header, date in the title, PG13 as Teen', async () => {
		const { meta, words, characters } = await sample('leaving.txt');
		expect(meta.title).toBe('Leaving');
		expect(meta.author).toBe('Slaymesoftly');
		expect(meta.ratingText).toBe('PG13');
		expect(meta.rating).toBe('Teen');
		expect(meta.date).toBe('2003-09-24');
		expect(meta.declaredWords).toBe(2782);
		expect(meta.disclaimer).toMatch(/not Joss/);
		expect(meta.distribution).toBe('just let me know where it goes.');
		expect(meta.feedback).toBe('please!');
		// The free-text header line is a note: not lost, and not story text.
		expect(meta.notes).toContain('Season VI – didn’t happen, but could have....');
		expect(meta.trailer).toBe('The End');
		expect(Math.abs(words - 2782) / 2782).toBeLessThan(0.05);
		expect(topTwo(characters)).toEqual(['Buffy', 'Spike']);
	});

	it('reads Moving Day: a first-line title and a By line, no rating', async () => {
		const { meta, body, characters } = await sample('moving-day.txt');
		expect(meta.title).toBe('Moving Day');
		expect(meta.author).toBe('Klytaimnestra');
		expect(meta.rating).toBe('Not Rated');
		expect(meta.ratingText).toBeNull();
		expect(meta.disclaimer).toMatch(/^Thanks be to the Joss/);
		expect(body.startsWith('Buffy kicked open the door to the crypt.')).toBe(true);
		expect(topTwo(characters)).toEqual(['Buffy', 'Spike']);
	});

	it('keeps header text out of the body, and the body clean', async () => {
		for (const name of ['leaving.txt', 'moving-day.txt']) {
			const { body } = await sample(name);
			expect(body).not.toMatch(/Disclaimer|Word count|Feedback\/reviews/);
			expect(body).not.toMatch(/^[ \u00a0]|[ \u00a0]$|\n{3,}| {2,}|[ \u00a0]\n/m);
			expect(body).not.toMatch(/The End/);
		}
	});
});

describe('headers', () => {
	it('reads every label with any separator, case and number', () => {
		const { meta } = parsePlainText(
			[
				'TITLE — Ghosts',
				'authors: Someone',
				'Ratings: NC-17',
				'Summary: Spike and Buffy talk',
				'  on the porch, all night.',
				'Pairing - Spike/Buffy',
				'Characters: Spike, Buffy',
				'Spoilers: through Grave',
				'Genre: Angst',
				"Author's notes: For my beta.",
				'Season: 7',
				'Posted: 2004-02-01',
				'Warnings: none',
				'Fandom: BtVS',
				'Beta: Jane',
				'',
				PROSE,
			].join('\n'),
			'ghosts.txt',
		);
		expect(meta).toMatchObject({
			title: 'Ghosts',
			author: 'Someone',
			rating: 'Explicit',
			ratingText: 'NC-17',
			summary: 'Spike and Buffy talk on the porch, all night.',
			pairing: 'Spike/Buffy',
			characters: 'Spike, Buffy',
			spoilers: 'through Grave',
			category: 'Angst',
			season: '7',
			date: '2004-02-01',
			warnings: 'none',
			fandom: 'BtVS',
			extra: { Beta: 'Jane' },
		});
		expect(meta.notes).toContain('For my beta.');
	});

	it('reads "Author - Name" as a labelled line, not a By line', () => {
		expect(parsePlainText(`Title: X\nAuthor - Crimsonthorn\n\n${PROSE}`, 'x.txt').meta.author).toBe('Crimsonthorn');
		expect(parsePlainText(`X\nby Crimsonthorn\n\n${PROSE}`, 'x.txt').meta.author).toBe('Crimsonthorn');
	});

	it('takes the title from the file name when there is no header', () => {
		const { meta, body } = parsePlainText(PROSE, 'the-long-night.txt');
		expect(meta.title).toBe('The Long Night');
		expect(meta.author).toBeNull();
		expect(body).toBe(PROSE);
	});

	it('does not take a first line of prose for a title', () => {
		const { meta, body } = parsePlainText(`It was raining in Sunnydale.\n\n${PROSE}`, 'rain.txt');
		expect(meta.title).toBe('Rain');
		expect(body.startsWith('It was raining')).toBe(true);
	});

	it('takes an empty label’s value from the paragraph under it', () => {
		const { meta } = parsePlainText(`Title: Snow\nSummary:\nIt snows in Sunnydale.\n\n${PROSE}`, 'x.txt');
		expect(meta.summary).toBe('It snows in Sunnydale.');
	});

	it('keeps a free line right under a one-line field as a note, not as more of the value', () => {
		const header = [
			'Title - Cinders',
			'Author – Kissmeoften',
			'Season IV – didn’t happen, but could have....',
			'Rating - R',
			'Set after Fool for Love,',
			'and before Intervention.',
			'Summary: Buffy leaves Sunnydale,',
			'and Spike follows.',
		].join('\n');
		const { meta, body } = parsePlainText(`${header}\n\n${PROSE}`, 'x.txt');
		expect(meta.title).toBe('Cinders');
		expect(meta.author).toBe('Kissmeoften');
		expect(meta.ratingText).toBe('R');
		expect(meta.rating).toBe('Mature');
		// A note of two lines is one note; a value that may run on (a summary) still does.
		expect(meta.notes).toEqual([
			'Season IV – didn’t happen, but could have....',
			'Set after Fool for Love, and before Intervention.',
		]);
		expect(meta.summary).toBe('Buffy leaves Sunnydale, and Spike follows.');
		expect(body).toBe(PROSE);
		// The same under a By line; an empty one-line label still takes the line under it.
		expect(parsePlainText(`Cinders\nBy Kissmeoften\nSet after Fool for Love.\n\n${PROSE}`, 'x.txt').meta).toMatchObject(
			{
				author: 'Kissmeoften',
				notes: ['Set after Fool for Love.'],
			},
		);
		expect(parsePlainText(`Title:\nCinders\nAuthor: K\n\n${PROSE}`, 'x.txt').meta.title).toBe('Cinders');
	});

	it('does not take hard-wrapped prose for header because a line of it starts with a word and a colon', () => {
		const opening = [
			'    These tornadoes are especially dangerous, as even experienced',
			'meteorologists might not see them. Once again, it is essential not',
			'to scare him.',
			'',
			'    Buffy said coldly, "If your prompt elicited a cold response, you have',
			'two options: give up or go straight to a flirt and hope for the best."',
		].join('\n');
		const file = `Buffy's Silence\nBy Teasemesweetly\nRating: NC-17\n\nDisclaimer: Not mine.\n\n\n${opening}\n\n${PROSE}`;
		const { meta, body } = parsePlainText(file, 'x.txt');
		expect(meta.notes).toEqual([]);
		expect(meta.extra).toEqual({});
		expect(body.startsWith('These tornadoes are especially dangerous')).toBe(true);
		expect(body).toContain('two options: give up');
		// A note of several lines between labels is still header, and so is the known label after it.
		const noted = parsePlainText(
			`Title: Leaving\nAuthor: X\n\nWritten for the 2003 ficathon, with thanks to\nmy beta, who fixed everything.\n\nRating: PG\nFeedback: Please.\n\n${PROSE}`,
			'x.txt',
		);
		expect(noted.meta.notes).toEqual(['Written for the 2003 ficathon, with thanks to my beta, who fixed everything.']);
		expect(noted.meta.ratingText).toBe('PG');
		expect(noted.meta.feedback).toBe('Please.');
		expect(noted.body).toBe(PROSE);
	});
});

describe('ratings', () => {
	it.each([
		['G', 'General'],
		['K', 'General'],
		['PG', 'General'],
		['PG-13', 'Teen'],
		['PG13', 'Teen'],
		['pg 13', 'Teen'],
		['T', 'Teen'],
		['15', 'Teen'],
		['R', 'Mature'],
		['M', 'Mature'],
		['NC-17', 'Explicit'],
		['NC17', 'Explicit'],
		['X', 'Explicit'],
		['MA', 'Explicit'],
		['E', 'Explicit'],
		['General Audiences', 'General'],
		['Teen And Up Audiences', 'Teen'],
		['Mature', 'Mature'],
		['Explicit', 'Explicit'],
		['Not Rated', 'Not Rated'],
		['PG-13 for language', 'Teen'],
		['R (violence)', 'Mature'],
		['PG, mild swearing', 'General'],
		['', 'Not Rated'],
		['whatever', 'Not Rated'],
		['PGX', 'Not Rated'],
	] as const)('%s → %s', (input, rating) => {
		expect(normalizeRating(input)).toBe(rating);
	});
});

describe('dates', () => {
	it.each([
		['Leaving (9/24/03)', 'Leaving', '2003-09-24'],
		['Leaving [2003-09-24]', 'Leaving', '2003-09-24'],
		['Chapter (1)', 'Chapter (1)', null],
		['Plain', 'Plain', null],
	] as const)('%s', (input, title, date) => {
		expect(splitTitleDate(input)).toEqual({ title, date });
	});

	it.each([
		['24 September 2003', '2003-09-24'],
		['Sept 24, 2003', '2003-09-24'],
		['25/12/99', '1999-12-25'],
		['2/30/03', null],
	] as const)('%s', (input, iso) => {
		expect(parseDate(input)).toBe(iso);
	});
});

describe('part markers', () => {
	it.each([
		['Midnight at the Bronze (1/1)', 'Midnight at the Bronze', 1, 1],
		['Elizabeth (1 of 1)', 'Elizabeth', 1, 1],
		['No Escape 2/15', 'No Escape', 2, 15],
		['Title [2 of 5]', 'Title', 2, 5],
		['Fire (Part 2)', 'Fire', 2, null],
		['Fire (3/?)', 'Fire', 3, null],
		["The Kids Aren't Alright (Ch 3-3)", "The Kids Aren't Alright", 3, null],
		['Nine 11/9', 'Nine 11/9', null, null],
		['(1/3)', '(1/3)', null, null],
		['Leaving', 'Leaving', null, null],
	] as const)('%s', (input, title, part, of) => {
		expect(splitPartMarker(input)).toEqual({ title, part, of });
	});
});

describe('body', () => {
	it('drops indentation, collapses blank lines, keeps scene breaks and paragraphs', () => {
		const { body } = parsePlainText(
			`Title: T\n\n    First para.   \n\n\n\n\t  Second para.\n***\n~~~\nThird.\n* * *\n`,
			't.txt',
		);
		expect(body).toBe('First para.\n\nSecond para.\n\n* * *\n\nThird.');
	});

	it('joins hard-wrapped lines into paragraphs and keeps short lines', () => {
		const wrapped = [
			'She walked along the edge of the cemetery for a long while,',
			'thinking about what he had said, and about what she had not.',
			'Then she went home.',
		].join('\n');
		const { body } = parsePlainText(`Title: T\n\n${wrapped}\n\nRoses are red,\nvampires are dead.`, 't.txt');
		expect(body).toBe(
			'She walked along the edge of the cemetery for a long while, thinking about what he had said, and about what she had not. Then she went home.\n\nRoses are red,\nvampires are dead.',
		);
	});

	it('recognises a closing trailer and keeps the note after it', () => {
		const { meta, body } = parsePlainText(`Title: T\n\n${PROSE}\n\n~ Fin ~\n\nThanks for reading!`, 't.txt');
		expect(meta.trailer).toBe('Fin');
		expect(meta.notes).toContain('Thanks for reading!');
		expect(body).toBe(PROSE);
	});

	it('decodes Windows-1252 and drops a byte-order mark', async () => {
		const cp1252 = Uint8Array.from([...text('Title: Quotes\n\n'), 0x93, ...text('Hi,'), 0x94, ...text(' she said.')]);
		expect((await parseStory('q.txt', cp1252)).body).toBe('“Hi,” she said.');
		const bom = Uint8Array.from([0xef, 0xbb, 0xbf, ...text('Title: Bom\n\nText here.')]);
		expect((await parseStory('b.txt', bom)).meta.title).toBe('Bom');
	});
});

describe('bad input', () => {
	const reason = async (file: string, bytes: Uint8Array, options = {}) => {
		try {
			await parseStory(file, bytes, options);
		} catch (error) {
			expect(error).toBeInstanceOf(StoryError);
			expect((error as StoryError).file).toBe(file);
			return (error as StoryError).reason;
		}
		throw new Error('expected a StoryError');
	};

	it('names what is wrong with each kind of bad file', async () => {
		expect(await reason('empty.txt', new Uint8Array())).toMatch(/empty/);
		expect(await reason('blank.txt', text('  \n\n \t\n'))).toMatch(/empty/);
		expect(await reason('image.txt', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13]))).toMatch(/binary/);
		expect(await reason('book.epub', Uint8Array.from([0x50, 0x4b, 3, 4, 20, 0]))).toMatch(/zip/);
		expect(await reason('big.txt', text('Title: Big\n\nWords.'), { maxFileBytes: 10 })).toMatch(/over the .* limit/);
		expect(await reason('header.txt', text('Title: Only\nAuthor: Someone\nRating: PG\n'))).toMatch(/no story text/);
	});

	it('reads invalid UTF-8 as Windows-1252 rather than failing', async () => {
		const story = await parseStory(
			'latin.txt',
			Uint8Array.from([...text('Title: Caf'), 0xe9, ...text('\n\nA long day.')]),
		);
		expect(story.meta.title).toBe('Café');
	});
});

describe('characters', () => {
	it('are names that stand inside sentences more than once, not words that start them', () => {
		const body = [
			'Willow looked up. "Bring it on, Dead Boy," said Xander, and Willow laughed.',
			'"Dead, evil thing," Xander muttered to Willow. Then Xander left.',
		].join('\n\n');
		const names = findCharacters(body).map((c) => c.name);
		expect(names).toEqual(['Willow', 'Xander']);
		expect(findCharacters('Then Dawn came.\n\nDawn sat.').map((c) => c.name)).toEqual([]);
	});

	it('are not titles, ranks, times of day or shouts, and keep the names beside them', () => {
		const body = [
			'At 8:15 AM Captain Picard called Cadet Marrissa to the bridge. "Yes, Captain," said Marrissa.',
			'By 9:30 AM Agent Mulder and Agent Scully met Aunt Petunia, and Jean Luc Picard nodded to Mulder.',
			'Then CJ laughed, and Scully said "I AM CORRECTING YOU, HE\'S WRONG" as Mulder and CJ left with Jean Luc.',
		].join('\n\n');
		const names = findCharacters(body).map((c) => c.name);
		expect(names.sort()).toEqual(['CJ', 'Jean', 'Luc', 'Marrissa', 'Mulder', 'Picard', 'Scully']);
	});

	it('list the pages that mention each, the most mentions for their length first, given the pages', () => {
		const paragraphs = [
			'Then Willow and Xander walked home, and Willow talked.',
			'Xander and Willow, and Willow again, and once more Willow and Xander; Willow, Xander.',
			`At the end, Willow and Xander and Xander and Xander sat, Xander said, and Xander left, while the page goes${' on and'.repeat(600)} on.`,
		];
		const body = paragraphs.join('\n\n');
		const pages = paragraphs.map((text, i) => ({ number: i + 1, offset: body.indexOf(text), text }));
		const found = findCharacters(body, undefined, pages);
		// Willow: 2 mentions on page 1, 4 on page 2, 1 on the long page 3.
		expect(found.find((c) => c.name === 'Willow')).toMatchObject({ count: 7, pages: [2, 1, 3] });
		// Xander: five mentions on the last page, but it is five times as long as the second, which has three; the
		// first has one.
		expect(found.find((c) => c.name === 'Xander')).toMatchObject({ count: 9, pages: [2, 3, 1] });
		expect(findCharacters(body).every((c) => c.pages === undefined)).toBe(true);
	});

	it(`list at most ${CHARACTER_PAGES} pages, equals in page order`, () => {
		// Page n mentions Willow once, twice on every fifth page; pages of the same length.
		const paragraphs = Array.from(
			{ length: 60 },
			(_, i) => `Then Willow sat down${(i + 1) % 5 === 0 ? ' and Willow laughed' : ' and she laughed'}.`,
		);
		const body = paragraphs.join('\n\n');
		let offset = 0;
		const pages = paragraphs.map((text, i) => {
			const page = { number: i + 1, offset, text };
			offset += text.length + 2;
			return page;
		});
		const willow = findCharacters(body, undefined, pages).find((c) => c.name === 'Willow');
		const twice = [5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60];
		const once = pages.map((p) => p.number).filter((n) => n % 5 !== 0);
		expect(willow?.pages).toEqual([...twice, ...once].slice(0, CHARACTER_PAGES));
	});
});

describe('word count', () => {
	it.each([
		["don't stop", 2],
		['a 3-year-old, sulky', 3],
		['"I - " she said…', 3],
		['Zoë’s café — closed.', 3],
		['', 0],
	] as const)('%s', (text, n) => {
		expect(countWords(text)).toBe(n);
	});
});
