import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { capitalisedWordStarts, findCharacters } from '../../src/archive/characters.js';
import { paginate } from '../../src/archive/pages.js';
import { parseStory } from '../../src/archive/parse/index.js';
import { CLAUSE_BREAK, extractQuotes, QUOTE_MAX, QUOTE_MIN } from '../../src/archive/quotes.js';

const quotesOf = (body: string) => {
	const pages = paginate(body, 300);
	return extractQuotes(body, pages, findCharacters(body));
};

describe('quotes', () => {
	it('attributes speech to the speaker the text names', () => {
		const body = [
			'"You should have told me you were leaving town tonight," Buffy whispered, not looking at him.',
			'Spike shrugged. "Never was one for long goodbyes, love, you know that about me."',
			'Spike said, "I would have come back for the Bit, whatever else you think of me."',
			'"Is there anything I can say to change your mind about this?" asked Buffy.',
			'Buffy and Spike stood in the crypt. Buffy and Spike were quiet.',
		].join('\n\n');
		const byText = new Map(quotesOf(body).map((q) => [q.text.slice(0, 20), q]));
		expect(byText.get('You should have told')?.speaker).toBe('Buffy');
		expect(byText.get('Never was one for lo')?.speaker).toBe('Spike');
		expect(byText.get('I would have come ba')?.speaker).toBe('Spike');
		expect(byText.get('Is there anything I ')?.speaker).toBe('Buffy');
	});

	it('joins speech broken by a tag, and skips fragments', () => {
		const body = [
			'"Yes," Spike said. "I\'m leaving town tonight, and I\'m not coming back to this place."',
			'"No," Buffy said.',
			'"But - you can\'t leave, I - " Buffy trailed off, and Spike watched her face.',
		].join('\n\n');
		const quotes = quotesOf(body);
		// The clauses as written, the tag between them left out and marked.
		expect(quotes.find((q) => q.speaker === 'Spike')?.text).toBe(
			`Yes,${CLAUSE_BREAK}I'm leaving town tonight, and I'm not coming back to this place.`,
		);
		expect(quotes.some((q) => q.text === 'No.')).toBe(false);
		expect(quotes.some((q) => q.text.includes("can't leave"))).toBe(false);
	});

	it('never joins the speech of two speakers: untagged speech after speech, or on another line, is a new line', () => {
		const body = [
			'"Mulder, it\'s Scully, I\'m calling about the case from this morning." "Hey, Scully. What\'s up with the case now, then?"',
			'"You spelled demonology wrong on page three of the diary, Rupert."\n"I did not spell it wrong, and you know it."',
			'"Yes," Buffy said. Spike answered, "I know what you meant by that, and you know that I know it."',
		].join('\n\n');
		const texts = quotesOf(body).map((q) => q.text);
		expect(texts).toContain("Mulder, it's Scully, I'm calling about the case from this morning.");
		expect(texts).toContain("Hey, Scully. What's up with the case now, then?");
		expect(texts).toContain('You spelled demonology wrong on page three of the diary, Rupert.');
		expect(texts).toContain('I did not spell it wrong, and you know it.');
		expect(texts).toContain('I know what you meant by that, and you know that I know it.');
		expect(texts.some((t) => t.includes('Yes,'))).toBe(false);
	});

	it('keeps speech as written: the comma its tag took up is dropped, never turned into a full stop', () => {
		const body = '"You should have told me you were leaving town tonight," Buffy whispered, not looking at him.';
		expect(quotesOf(body).map((q) => q.text)).toEqual(['You should have told me you were leaving town tonight']);
	});

	it('names the speaker a paragraph names: its tag anywhere in it, "… and snarled at", "she" for the one named', () => {
		const body = [
			'Spike stood by the door with his bags. He waited. Xander came in, and Xander had an axe, and Xander was angry.',
			'"The world\'s not a tidy place, Slayer," Spike said. He ran his hand through his hair, and it began to curl on his forehead. "She cheated on me, yeah, and made a fool of me. But she loved me."',
			'Having forgotten he was told to shut up, Xander threw back his shoulders and snarled at Spike, "It\'s about time you realized there is no other reason, then."',
			'Buffy looked at the floor for a long time. Buffy waited for Spike, and Spike waited for Buffy.',
			'Sighing, Buffy studied the buttons on his shirt for a while. "I don\'t suppose I can convince you that I stubbed my toe?" she muttered.',
		].join('\n\n');
		const speakers = new Map(quotesOf(body).map((q) => [q.text.slice(0, 16), q.speaker]));
		expect(speakers.get('She cheated on m')).toBe('Spike');
		expect(speakers.get("It's about time ")).toBe('Xander');
		expect(speakers.get("I don't suppose ")).toBe('Buffy');
	});

	it('records where each line is, within bounds, for both samples', async () => {
		for (const name of ['leaving.txt', 'moving-day.txt']) {
			const story = await parseStory(name, readFileSync(new URL(`../../data/${name}`, import.meta.url)));
			expect(story.quotes.length).toBeGreaterThan(10);
			expect(story.quotes.some((q) => q.kind === 'narration')).toBe(true);
			const speakers = new Set(story.quotes.map((q) => q.speaker).filter(Boolean));
			expect(speakers.size).toBeGreaterThan(0);
			for (const speaker of speakers) expect(story.characters.map((c) => c.name)).toContain(speaker);
			for (const quote of story.quotes) {
				expect(quote.text.length).toBeGreaterThanOrEqual(QUOTE_MIN);
				expect(quote.text.length).toBeLessThanOrEqual(QUOTE_MAX);
				const page = story.pages[quote.page - 1];
				expect(page).toBeDefined();
				// The line starts where it says: its first word is on that page at that offset (speech broken by a
				// tag is joined, so only the first word is sure to be verbatim).
				const firstWord = quote.text.match(/^[\p{L}\p{N}'’-]+/u)?.[0] ?? quote.text.slice(0, 1);
				expect(page?.text.slice(quote.offset, quote.offset + firstWord.length)).toBe(firstWord);
				expect(story.meta.disclaimer ?? '').not.toContain(quote.text);
			}
		}
	});

	it('resolves "he" and "she" by the narration, passing over the pronouns inside speech', () => {
		const body = [
			'It was late when Buffy came in. She looked around the crypt for a long moment.',
			'The door creaked, and Spike stepped out of the dark. He smiled at her.',
			'At last Buffy spoke. "He said he would come," she told him.',
			'Then Spike shrugged, and he sat down.',
			'"You should have told me you were leaving town tonight," she said quietly.',
		].join('\n\n');
		// Buffy is "she" twice in the narration; the "He" of her speech is not the narration's.
		expect(quotesOf(body).find((q) => q.text.startsWith('You should have told'))?.speaker).toBe('Buffy');
	});

	it('keeps the strongest lines of each page, the earlier of equals, in text order', () => {
		const lines = [
			'The rain came down on the town all night long.',
			'The wind came down on the town all night long.',
			'The storm went on until morning, and the whole town was awake to hear it go.',
			'The snow came down on the town all night long.',
		];
		const body = lines.join(' ');
		// Two lines of narration a page: the longer one scores higher, then the first of the three equal ones.
		expect(extractQuotes(body, paginate(body, 1800), []).map((q) => q.text)).toEqual([lines[0], lines[2]]);
	});

	it('finds the same lines whether or not the capitalised words are handed to it', () => {
		const body = readFileSync(new URL('../../data/leaving.txt', import.meta.url), 'utf8');
		const pages = paginate(body, 500);
		const characters = findCharacters(body, undefined, pages);
		const starts = capitalisedWordStarts(body);
		expect(findCharacters(body, undefined, pages, starts)).toEqual(characters);
		expect(extractQuotes(body, pages, characters, starts)).toEqual(extractQuotes(body, pages, characters));
	});
});

describe('capitalised words', () => {
	it('start at a capital that is not the tail of a longer word', () => {
		const text = "Buffy's friend O'Neill met McDonald and “Spike” at ÉLAN.";
		expect(capitalisedWordStarts(text).map((i) => text.slice(i, i + 3))).toEqual(['Buf', "O'N", 'McD', 'Spi', 'ÉLA']);
	});
});
