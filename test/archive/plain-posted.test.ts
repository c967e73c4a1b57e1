// Plain text as it was posted to Usenet and mailing lists: headers as metadata, title blocks below intros,
// hard-wrapped and indent-only paragraphs, plain-text chapter headings. Fixtures are written for the project.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseStory } from '../../src/archive/parse/index.js';
import { buildBody, parsePlainText } from '../../src/archive/parse/plain-text.js';
import { readSubject } from '../../src/archive/parse/posted.js';
import type { ParsedStory } from '../../src/archive/types.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));
const chapterText = (story: ParsedStory, number: number) =>
	story.pages
		.filter((p) => p.chapter === number)
		.map((p) => p.text)
		.join('');
/** Header words that must never be read as a story's text or its characters. */
const HEADER_WORDS = /\b(?:Subject|Path|Newsgroups|Message-ID|Received|Organization|X-Newsreader|Lines):/;

describe('a Usenet post', () => {
	it('reads the mbox line and news headers as metadata, the centred title and by-line under the intro', async () => {
		const story = await parseStory('watch.txt', fixture('usenet-the-long-watch.txt'));
		// The by-line names the author; the all-caps title is title-cased; the Subject's rating is read.
		expect(story.meta).toMatchObject({
			title: 'The Long Watch',
			author: 'Willow Rosenberg',
			rating: 'Teen',
			ratingText: 'PG-13',
			date: '1994-10-03',
			trailer: 'END',
		});
		expect(story.meta.notes[0]).toMatch(/^Hi all! This is my first story for the group/);
		expect(story.body).toMatch(/^The library was cold after midnight/);
		expect(story.body).not.toMatch(HEADER_WORDS);
		expect(story.body).not.toMatch(/Willow Rosenberg|wwatcher|Computers don't lie|END/);
		expect(story.characters.map((c) => c.name)).not.toContain('Subject');
		expect(story.quotes.map((q) => q.text).join('\n')).not.toMatch(/Computers/);
	});

	it('joins the wrapped lines of tab-indented paragraphs, each indented line starting a paragraph', async () => {
		const story = await parseStory('watch.txt', fixture('usenet-the-long-watch.txt'));
		const paragraphs = story.body.split('\n\n');
		expect(paragraphs[1]).toBe('"Buffy?" he called. Nobody answered, and he did not like that at all.');
		expect(paragraphs.slice(-3)).toEqual([
			'Giles sighed. "I am glad to hear it."',
			'"You look awful, Giles."',
			'"Thank you, Buffy."',
		]);
		// No line break but between paragraphs.
		expect(story.body).not.toMatch(/[^\n]\n(?!\n)/);
	});

	it('takes the author from From when the text names none, and the title from the Subject', () => {
		const post = [
			'Path: news.sunnydale.edu!news',
			'From: slaymesoftly@sunnydale.edu (Slaymesoftly)',
			'Newsgroups: alt.tv.buffy.creative',
			'Subject: Re: NEW: Midnight at the Bronze (1 of 1) [Rated R]',
			'Date: Tue, 7 Feb 1995 22:40:01 GMT',
			'',
			'The band was loud and Spike was late, and Buffy told herself she did not care either way, which was a lie.',
		].join('\r\n');
		const { meta, body } = parsePlainText(post, 'midnight.txt');
		expect(meta).toMatchObject({ title: 'Midnight at the Bronze', author: 'Slaymesoftly', rating: 'Mature' });
		expect(body).toMatch(/^The band was loud/);
	});

	it('reads a Subject: prefixes, quotes, a rating and a part leave the title', () => {
		expect(readSubject('"Bad Night" (Rated PG)')).toEqual({ title: 'Bad Night', ratingText: 'PG', part: null });
		expect(readSubject('REPOST: Long Way Home--Part 3')).toEqual({ title: 'Long Way Home', ratingText: null, part: 3 });
		expect(readSubject('Submission to archive: Donut Run')).toMatchObject({ title: 'Donut Run' });
	});

	it('leaves a story whose labels only look like mail headers alone', () => {
		const { meta, body } = parsePlainText(
			'Summary: Giles cleans.\nDate: 2003-01-02\n\nGiles cleaned the library all day long, and nobody came to help him at all.',
			'x.txt',
		);
		expect(meta.summary).toBe('Giles cleans.');
		expect(meta.date).toBe('2003-01-02');
		expect(body).toMatch(/^Giles cleaned/);
	});
});

describe('a file of reposted articles', () => {
	const article = (n: number, text: string, extra: string[] = []) =>
		[
			`Path: news.hellmouth.net!gateway`,
			'From: gateway@hellmouth.net (Archive Gateway)',
			'Newsgroups: alt.tv.buffy.creative',
			`Subject: REPOST: Stakeout (stakeout.p0${n})`,
			'Lines: 20',
			'',
			'',
			'~From: anya@magicbox.com (Anya Jenkins)',
			'~Newsgroups: alt.tv.buffy.creative',
			`~Subject: Stakeout--Part ${n}`,
			'~Date: 2 Mar 1995 10:00:00 GMT',
			'',
			'',
			text,
			...extra,
			'',
		].join('\n');
	const file = [
		article(1, 'Anya counted the money twice, because the first time it had come out wrong and she did not trust it.', [
			'',
			'-- ',
			'Anya Jenkins, proprietor | "Money is good."',
		]),
		article(2, 'Part 2\n\nXander brought coffee, which did not help with the counting but did help with Anya.', [
			'',
			'-------------------------------------------------------------------------',
			'To find out more about the anon service, send mail to help@anon.penet.fi.',
			'Due to the double-blind, any mail replies to this message will be anonymized.',
		]),
	].join('\n');

	it('is one story whose chapters are the articles, without their headers, signatures or remailer footers', () => {
		const { meta, chapters, body } = parsePlainText(file, 'stakeout.txt');
		expect(meta).toMatchObject({ title: 'Stakeout', author: 'Anya Jenkins', date: '1995-03-02' });
		expect(chapters).toHaveLength(2);
		expect(chapters[0]?.text).toBe(
			'Anya counted the money twice, because the first time it had come out wrong and she did not trust it.',
		);
		// The article's own "Part 2" heading is its chapter title (a number: no title), not its text.
		expect(chapters[1]).toEqual({
			title: null,
			text: 'Xander brought coffee, which did not help with the counting but did help with Anya.',
		});
		expect(body).not.toMatch(/Subject|Gateway|proprietor|anon|double-blind|REPOST|~From/);
	});
});

describe('title blocks below an intro', () => {
	const PROSE =
		'    Buffy walked into the Magic Box and dropped her bag on the table, and Giles\nlooked up from his books with a sigh.';

	it('finds the title and by-line after a disclaimer in a box of asterisks', () => {
		const file = [
			'**********************************************************************',
			'The usual disclaimers.  Joss owns them, I only borrow them for a while.',
			'**********************************************************************',
			'',
			'\t     Patrol',
			'\t     by Dawn Summers',
			'\t     (comments to dawn@sunnydale.edu)',
			'',
			PROSE,
			'',
			'Fin',
			'',
			'These characters belong to Mutant Enemy. No infringement is intended.',
		].join('\n');
		const { meta, body } = parsePlainText(file, 'x.txt');
		expect(meta).toMatchObject({ title: 'Patrol', author: 'Dawn Summers', trailer: 'Fin' });
		expect(meta.notes).toEqual([
			'The usual disclaimers. Joss owns them, I only borrow them for a while.',
			'(comments to dawn@sunnydale.edu)',
			'These characters belong to Mutant Enemy. No infringement is intended.',
		]);
		expect(body).toBe(
			'Buffy walked into the Magic Box and dropped her bag on the table, and Giles looked up from his books with a sigh.',
		);
	});

	it('finds a centred all-caps title after a disclaimer, a contact paragraph and a rule', () => {
		const file = [
			'The following story uses characters owned by Mutant Enemy and Fox.',
			'No infringement is intended.',
			'',
			'Please send comments, good or bad, to:',
			'',
			'Jenny Calendar',
			'jcalendar@sunnydale.edu',
			'',
			'------------------------------',
			'',
			'                        THE DARK OF THE MOON',
			'                        by Jenny Calendar',
			'',
			PROSE,
			'                             THE END',
			'--------------------------------------',
			'Jenny Calendar   | "Technopagans do it online."',
		].join('\n');
		const { meta, body } = parsePlainText(file, 'x.txt');
		expect(meta).toMatchObject({ title: 'The Dark of the Moon', author: 'Jenny Calendar', trailer: 'THE END' });
		expect(meta.notes[0]).toMatch(/^The following story uses characters/);
		expect(body).toBe(
			'Buffy walked into the Magic Box and dropped her bag on the table, and Giles looked up from his books with a sigh.',
		);
	});

	it('reads a title and a by-line on one line, with an address and a date after the name', () => {
		const file = `Here's a story from a friend.\n\nSHADOWS        by Faith Lehane (faith@boston.net)   10-5-99\n\n${PROSE}`;
		const { meta, body } = parsePlainText(file, 'x.txt');
		expect(meta).toMatchObject({ title: 'Shadows', author: 'Faith Lehane' });
		expect(body).toMatch(/^Buffy walked/);
	});
});

describe('plain-text chapters', () => {
	it('reads Prologue, Chapter One … and Epilogue headings after form feeds, underlined with ~~~', async () => {
		const story = await parseStory('donut.txt', fixture('mail-donut-run.txt'));
		expect(story.meta).toMatchObject({ title: 'Donut Run', author: 'Xander Harris', date: '1995-05-12' });
		expect(story.chapters.map((c) => c.title)).toEqual(['Prologue', null, null, 'Epilogue']);
		// The underline is no scene break, the ASCII art and the letter to the archivist are not text.
		expect(story.body).not.toMatch(/\* \* \*|~|\^L|\f|Archivist|Donut {2}|\(____\)/);
		expect(story.meta.notes[0]).toMatch(/^Dear Archivist, Here is my story/);
		expect(chapterText(story, 2)).toBe(
			'"Donuts," Xander said. "The all-night place on Main."\n\n"It is three in the morning," Willow said.',
		);
		expect(chapterText(story, 4)).toBe('They ate the donuts anyway.');
	});

	it('reads Part N: headings and an Afterword', () => {
		const { chapters } = parsePlainText(
			'Title: Parts\n\nPart 1\n\nBuffy slept.\n\nPart 2:\n\nBuffy woke.\n\nAfterword\n=========\n\nThanks, all.',
			'x.txt',
		);
		expect(chapters).toEqual([
			{ title: null, text: 'Buffy slept.' },
			{ title: null, text: 'Buffy woke.' },
			{ title: 'Afterword', text: 'Thanks, all.' },
		]);
	});

	it('reads Chapter 1 / Part 2 headings between rule lines', () => {
		const { chapters } = parsePlainText(
			[
				'Title: Rules',
				'',
				'--------------',
				'Chapter 1',
				'--------------',
				'',
				'Buffy slept.',
				'',
				'--------------',
				'Chapter 2',
				'--------------',
				'',
				'Buffy woke.',
			].join('\n'),
			'x.txt',
		);
		expect(chapters).toEqual([
			{ title: null, text: 'Buffy slept.' },
			{ title: null, text: 'Buffy woke.' },
		]);
	});
});

describe('paragraphs', () => {
	it('joins hard-wrapped lines, starts a paragraph at an indent, keeps a poem’s and a list’s lines', () => {
		const file = [
			'Title: Lines',
			'',
			'    She read the letter twice before she understood it, and then a third',
			'time to be sure. It was from her father, and it was short. He',
			'was coming for her birthday, he wrote, and he would bring a present.',
			'    She folded it up and put it away.',
			'',
			'Roses are red,',
			'    vampires are dead,',
			'Spike is a pain',
			'    and so is the rain.',
			'',
			'- stakes, six',
			'- holy water, two bottles',
			'- crossbow bolts, a dozen or so if the shop has them in stock',
		].join('\n');
		const { body } = parsePlainText(file, 'x.txt');
		expect(body.split('\n\n')).toEqual([
			'She read the letter twice before she understood it, and then a third time to be sure. It was from her father, and it was short. He was coming for her birthday, he wrote, and he would bring a present.',
			'She folded it up and put it away.',
			'Roses are red,\nvampires are dead,\nSpike is a pain\nand so is the rain.',
			'- stakes, six\n- holy water, two bottles\n- crossbow bolts, a dozen or so if the shop has them in stock',
		]);
	});

	it('joins a wrapped sentence’s last two short lines, but keeps two short lines of verse or dialogue', () => {
		const file = [
			'Title: Tails',
			'',
			'    "Want to watch something together?" Giles asked, putting the kettle on. "The Thing',
			'is on," he',
			'added helpfully.',
			'    "Ick," Buffy said, and she meant it, but she stayed on the line with him anyway.',
			'"Fine."',
			'"Good."',
		].join('\n');
		expect(parsePlainText(file, 'x.txt').body.split('\n\n')).toEqual([
			'"Want to watch something together?" Giles asked, putting the kettle on. "The Thing is on," he added helpfully.',
			'"Ick," Buffy said, and she meant it, but she stayed on the line with him anyway.\n"Fine."\n"Good."',
		]);
	});

	it('ends the text at a closing line standing alone, not at a wrapped paragraph’s last word', () => {
		const wrapped = [
			'Title: Ends',
			'',
			'Spike watched the sun come up over the water and knew it was the',
			'end.',
			'',
			'Buffy found the ashes an hour later.',
		].join('\n');
		expect(parsePlainText(wrapped, 'x.txt').body).toMatch(/ the end\.\n\nBuffy found the ashes an hour later\.$/);
		const closed = parsePlainText(`${wrapped}\n                THE END\nSpike's Girl | "Bite me."`, 'x.txt');
		expect(closed.meta.trailer).toBe('THE END');
		expect(closed.body).toMatch(/an hour later\.$/);
		expect(closed.meta.notes).toContain('Spike\'s Girl | "Bite me."');
	});

	it('keeps the sample stories’ paragraphs as they are', async () => {
		const sample = (name: string) => readFileSync(new URL(`../../data/${name}`, import.meta.url));
		const moving = await parseStory('moving-day.txt', sample('moving-day.txt'));
		expect(moving.body.split('\n\n')[1]).toMatch(
			/^She hadn't seen the vampire in a few days; .* She'd stop by on her way home\.$/,
		);
	});

	// Words as fast-check makes them: letters that spell no scene break ("oOo", "xXx") and no closing line ("End").
	const word = fc.stringMatching(/^[a-dg-mA-DG-M]{1,9}[,.;!?]?$/);
	const line = fc.tuple(fc.constantFrom('', '  ', '    ', '\t'), fc.array(word, { minLength: 1, maxLength: 14 }));
	const lines = fc.array(fc.oneof(line, fc.constant(null)), { minLength: 1, maxLength: 60 });

	it('never loses or reorders a word when it joins lines (property)', () => {
		fc.assert(
			fc.property(lines, (generated) => {
				const text = generated.map((l) => (l ? `${l[0]}${l[1].join(' ')}` : ''));
				const { body } = buildBody(text.map((t) => t.replace(/\t/g, '    ')));
				const words = (s: string) => s.split(/\s+/).filter(Boolean);
				expect(words(body)).toEqual(generated.flatMap((l) => (l ? l[1] : [])));
				// Paragraphs are separated by one blank line, lines never start or end with a space.
				expect(body).not.toMatch(/\n{3}|^ | $| \n|\n /m);
			}),
			{ numRuns: 400 },
		);
	});
});
