// The Markdown reader on what real Markdown fics hold: footnotes, reference links, backslash escapes, and the
// ff.net export shape (bold-line title, by-line and chapter headings, notes around every chapter).
import { describe, expect, it } from 'vitest';
import { countWords } from '../../src/archive/characters.js';
import { parseStory } from '../../src/archive/parse/index.js';
import type { ParsedStory } from '../../src/archive/types.js';

const text = (s: string) => new TextEncoder().encode(s);
const read = (md: string, file = 'story.md') => parseStory(file, text(md));
const chapterText = (story: ParsedStory, number: number) =>
	story.pages
		.filter((p) => p.chapter === number)
		.map((p) => p.text)
		.join('');

describe('Markdown footnotes', () => {
	const md = [
		'---',
		'title: Notes',
		'author: A. Writer',
		'---',
		'',
		'# One',
		'',
		'Petunia was a Squib.[^sq] Vernon was not, and Dudley[^dd] only just.',
		'Petunia never said so.[^sq] Nobody asked[^missing].',
		'',
		'# Two',
		'',
		'Harry had a scar.[^dd]',
		'',
		'[^dd]:',
		'    Dudley is, just barely,',
		'    a nephil.',
		'',
		'    See the appendix.',
		'',
		'[^sq]: Per my notes, I am making',
		'Petunia a Squib.',
		'',
	].join('\n');

	it('numbers references in order of first reference and puts the notes after the chapter', async () => {
		const story = await read(md);
		expect(story.chapters.map((c) => c.title)).toEqual(['One', 'Two']);
		expect(chapterText(story, 1)).toBe(
			[
				'Petunia was a Squib.[1] Vernon was not, and Dudley[2] only just. Petunia never said so.[1] Nobody asked[^missing].',
				'**Notes**',
				'[1] Per my notes, I am making Petunia a Squib.',
				'[2] Dudley is, just barely, a nephil. See the appendix.',
			].join('\n\n'),
		);
		// Each chapter numbers its own notes.
		expect(chapterText(story, 2)).toBe(
			'Harry had a scar.[1]\n\n**Notes**\n\n[1] Dudley is, just barely, a nephil. See the appendix.',
		);
		expect(story.body).not.toMatch(/\[\^(?:sq|dd)\]/);
	});

	it('quotes no line of the notes', async () => {
		const note = 'Petunia kept her own counsel about the letters, and Vernon never once asked her why she did.';
		const story = await read(`${note}[^a]\n\n[^a]: See the letters. ${note}\n`);
		expect(story.body).toBe(`${note}[1]\n\n**Notes**\n\n[1] See the letters. ${note}`);
		expect(story.quotes.map((q) => [q.text, q.offset])).toEqual([[note, 0]]);
	});

	it('counts the story’s words, not the notes’', async () => {
		const story = await read(md);
		const story1 =
			'Petunia was a Squib.[1] Vernon was not, and Dudley[2] only just. Petunia never said so.[1] Nobody asked[^missing].';
		expect(story.words).toBe(countWords(story1) + countWords('Harry had a scar.[1]'));
	});
});

describe('Markdown reference links and escapes', () => {
	it('turns reference links into their text and drops their definitions', async () => {
		const story = await read(
			[
				'Per my [Notes] on this, see [relative power levels][rpl] and [the map][].',
				'A [bracketed aside] stays as written.',
				'',
				'[rpl]: <../../Appendices/Relative Power Levels/>',
				'[Notes]: <../Points of Divergence/> "Points"',
				'[the map]: https://example.com/map',
			].join('\n'),
		);
		expect(story.body).toBe(
			'Per my Notes on this, see relative power levels and the map. A [bracketed aside] stays as written.',
		);
	});

	it('undoes \\\' and \\" and other escapes Discord has no use for, keeping those of its markup', async () => {
		const story = await read(
			'Ace\\\'s friend said, \\"It\\\'s \\$5\\... or P\\*T\\*E\\*N.\\" A back\\\\slash.\n\n1\\. Not a list.',
		);
		expect(story.body).toBe('Ace\'s friend said, "It\'s $5... or P\\*T\\*E\\*N." A back\\\\slash.\n\n1\\. Not a list.');
		expect(story.quotes.every((q) => !q.text.includes("\\'"))).toBe(true);
	});
});

describe('an ff.net export in Markdown', () => {
	const block = (chapter: string) => [
		'**Disclaimer: This is a work of fanfiction. I make no claim to ownership.**',
		'',
		'**Acknowledgements: Thank you to my editor.**',
		'',
		'**If you would like my chapters early, I have a P\\*T\\*E\\*N page.**',
		'',
		'**The Fabric of Fate**',
		'',
		'**By Writer100**',
		'',
		'**Season I: The Veil**',
		'',
		`**${chapter}**`,
		'',
	];
	const endnote = [
		'**Chapter references:**',
		'',
		'**1-2: Season I**',
		'',
		"**Author\\'s Endnote:**",
		'',
		'**Please read and review, \\"friends\\".**',
		'',
		'**Also, the title is from *the Last Olympian.***',
		'',
	];
	const md = [
		...block('Chapter I: Future Aspirations'),
		'***September 7, 2004***',
		'',
		'Ace tossed a pencil from one hand to the other while the clock ticked on above the door.',
		'',
		'\\"I\\\'m not going to the game tonight, whatever the coach says about it,\\" Ace said.',
		'',
		...endnote,
		...block('Chapter II: Cato Hates California'),
		'Cato hated California, and he said so to anyone who would listen to him.',
		'',
		'A/N: Short one this week.',
		'',
		...block('Interlude I:'),
		'Somewhere far away, a figure reached for the Master Bolt.',
		'',
		"**Author\\'s Endnote:**",
		'',
		'**That is season one in the books!**',
	].join('\n');

	it('takes the title and author from the bold lines and starts a chapter at each bold chapter heading', async () => {
		const story = await read(md, 'fof_text.md');
		expect(story.meta).toMatchObject({
			title: 'The Fabric of Fate',
			author: 'Writer100',
			disclaimer: 'This is a work of fanfiction. I make no claim to ownership.',
		});
		expect(story.chapters.map((c) => c.title)).toEqual(['Future Aspirations', 'Cato Hates California', 'Interlude I']);
	});

	it('takes no sentence for a by-line', async () => {
		const story = await read('By the time the sun rose, Buffy was gone.\n\nSpike found the note.\n', 'dawn.md');
		expect(story.meta.author).toBeNull();
		expect(story.body).toBe('By the time the sun rose, Buffy was gone.\n\nSpike found the note.');
		expect((await read('**Dawn**\n\n**by Jenny C.**\n\nSpike found the note.\n')).meta).toMatchObject({
			title: 'Dawn',
			author: 'Jenny C.',
		});
	});

	it('leaves the disclaimer, acknowledgement and author’s-note blocks out of the text and the quotes', async () => {
		const story = await read(md, 'fof_text.md');
		expect(chapterText(story, 1)).toBe(
			[
				'***September 7, 2004***',
				'Ace tossed a pencil from one hand to the other while the clock ticked on above the door.',
				'"I\'m not going to the game tonight, whatever the coach says about it," Ace said.',
			].join('\n\n'),
		);
		expect(chapterText(story, 2)).toBe('Cato hated California, and he said so to anyone who would listen to him.');
		expect(chapterText(story, 3)).toBe('Somewhere far away, a figure reached for the Master Bolt.');
		const quoted = story.quotes.map((q) => q.text).join('\n');
		expect(quoted).toContain("I'm not going to the game tonight, whatever the coach says about it");
		expect(quoted).not.toMatch(/\\|claim to ownership|read and review|editor/);
	});
});
