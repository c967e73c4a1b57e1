import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseStory } from '../../src/archive/parse/index.js';
import {
	type Markup,
	type ParsedStory,
	StoryError,
	type StoryFormat,
	type StoryMeta,
} from '../../src/archive/types.js';
import { ao3CalibreEpubFiles, ao3EpubFiles, type Files, fanficfareEpubFiles, without, zip } from '../fixtures/epub.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));
const text = (s: string) => new TextEncoder().encode(s);

/** What every parsed story must hold: chapters that tile the pages, pages and quotes that know their chapter. */
function expectConsistent(story: ParsedStory) {
	let page = 1;
	for (const [i, chapter] of story.chapters.entries()) {
		expect(chapter.number).toBe(i + 1);
		expect(chapter.firstPage).toBe(page);
		expect(chapter.pageCount).toBeGreaterThan(0);
		for (let n = chapter.firstPage; n < chapter.firstPage + chapter.pageCount; n++) {
			expect(story.pages[n - 1]?.chapter).toBe(chapter.number);
		}
		page += chapter.pageCount;
	}
	expect(page - 1).toBe(story.pages.length);
	for (const p of story.pages) expect(story.body.slice(p.offset, p.offset + p.text.length)).toBe(p.text);
	for (const q of story.quotes) expect(q.chapter).toBe(story.pages[q.page - 1]?.chapter);
}

/** The text of one chapter: its pages joined. */
const chapterText = (story: ParsedStory, number: number) =>
	story.pages
		.filter((p) => p.chapter === number)
		.map((p) => p.text)
		.join('');

/** What FanFicFare says of The Slayer's Almanac in each of its formats (HTML, EPUB, text). */
const ALMANAC = {
	title: "The Slayer's Almanac",
	author: 'quillfeather',
	rating: 'General',
	ratingText: 'K+',
	category: 'Buffy: The Vampire Slayer',
	characterTags: ['Rupert G.', 'Dawn S.'],
	published: '2015-03-02',
	updated: '2015-04-11',
} satisfies Partial<StoryMeta>;

/** Each format's fixture file and the metadata read from it: every row is checked the same way (below). */
const FIXTURES: {
	name: string;
	file: string;
	bytes: () => Uint8Array;
	format: StoryFormat;
	markup: Markup;
	meta: Partial<StoryMeta>;
}[] = [
	{
		name: 'an AO3 HTML download',
		file: 'long-night.html',
		bytes: () => fixture('ao3-the-long-night.html'),
		format: 'ao3-html',
		markup: 'markdown',
		meta: {
			title: 'The Long Night',
			author: 'nightbird',
			rating: 'Teen',
			ratingText: 'Teen And Up Audiences',
			warnings: 'No Archive Warnings Apply',
			category: 'F/M, Gen',
			fandoms: ['Buffy the Vampire Slayer (TV)'],
			fandom: 'Buffy the Vampire Slayer (TV)',
			relationships: ['Buffy Summers/Spike'],
			pairing: 'Buffy Summers/Spike',
			characterTags: ['Buffy Summers', 'Spike (Buffyverse)', 'Dawn Summers'],
			additionalTags: ['Post-Season/Series 06', 'Hurt/Comfort', 'Snow'],
			language: 'English',
			series: { name: 'Sunnydale Winters', part: 2 },
			published: '2019-12-01',
			updated: '2020-01-15',
			date: '2019-12-01',
			declaredWords: 1204,
			plannedChapters: 5,
			complete: false,
			summary:
				'The power goes out on the longest night of the year, and Spike is the only one who knows where the candles are.',
			extra: {},
			url: 'http://archiveofourown.org/works/12345678',
		},
	},
	{
		name: 'an AO3 one-shot with plural labels and several authors',
		file: 'first-snow.html',
		bytes: () => fixture('ao3-first-snow.html'),
		format: 'ao3-html',
		markup: 'markdown',
		meta: {
			title: 'First Snow',
			author: 'willowtree, moonstone',
			rating: 'General',
			ratingText: 'General Audiences',
			warnings: 'Creator Chose Not To Use Archive Warnings, No Archive Warnings Apply',
			fandoms: ['Buffy the Vampire Slayer (TV)', 'Angel: the Series'],
			relationships: ['Tara Maclay/Willow Rosenberg', 'Willow Rosenberg & Xander Harris'],
			characterTags: ['Willow Rosenberg'],
			published: '2018-12-21',
			declaredWords: 214,
			complete: true,
			summary: 'It never snows in Sunnydale. Except when it does.',
			extra: { Collections: 'Winter Fic Exchange 2018' },
		},
	},
	{
		name: 'an AO3 work page saved from a browser',
		file: 'Lamplight - wrenfield.html',
		bytes: () => fixture('ao3-workpage-lamplight.html'),
		format: 'ao3-html',
		markup: 'markdown',
		meta: {
			title: 'Lamplight',
			author: 'wrenfield',
			rating: 'Teen',
			ratingText: 'Teen And Up Audiences',
			warnings: 'No Archive Warnings Apply',
			category: 'Gen',
			fandoms: ['Angel: the Series'],
			relationships: ['Winifred "Fred" Burkle & Wesley Wyndam-Pryce'],
			characterTags: ['Wesley Wyndam-Pryce', 'Winifred "Fred" Burkle'],
			additionalTags: ['Hyperion Hotel', 'Lamps'],
			language: 'English',
			series: { name: 'Hyperion Nights', part: 2 },
			published: '2021-04-01',
			updated: '2021-05-02',
			declaredWords: 1204,
			complete: false,
			summary: 'Fred reads by the wrong light.',
			notes: ['For the lamp prompt.', 'Thanks for reading.'],
			url: 'https://archiveofourown.org/works/5550123',
			extra: {},
		},
	},
	{
		name: 'FanFicFare HTML',
		file: 'almanac.html',
		bytes: () => fixture('fanficfare-slayers-almanac.html'),
		format: 'fanficfare-html',
		markup: 'markdown',
		meta: {
			// FanFicFare's chapter range "(Ch 1-2)" is not part of the title.
			...ALMANAC,
			complete: false,
			declaredWords: 512,
			summary: 'Dawn finds an almanac in the Magic Box.\n\nGiles is not amused.',
			url: 'https://www.fanfiction.net/s/11112222/1/The-Slayer-s-Almanac',
		},
	},
	{
		name: 'an AO3 EPUB',
		file: 'crypt-door.epub',
		bytes: () => zip(ao3EpubFiles()),
		format: 'epub',
		markup: 'markdown',
		meta: {
			title: 'The Crypt Door',
			author: 'crimsonthorn',
			rating: 'Mature',
			ratingText: 'Mature',
			warnings: 'Graphic Depictions Of Violence',
			characterTags: ['Spike (Buffyverse)', 'Buffy Summers'],
			additionalTags: ['Angst', 'Domesticity'],
			language: 'English',
			published: '2022-10-31',
			updated: '2022-11-07',
			complete: true,
			summary: 'Spike fixes a door. Buffy watches.',
			notes: ['Thank you for reading!'],
		},
	},
	{
		name: 'an AO3 EPUB in calibre’s layout',
		file: 'lamplight.epub',
		bytes: () => zip(ao3CalibreEpubFiles()),
		format: 'epub',
		markup: 'markdown',
		meta: {
			title: 'Lamplight',
			author: 'wrenfield',
			rating: 'Teen',
			fandoms: ['Angel: the Series'],
			characterTags: ['Wesley Wyndam-Pryce', 'Winifred "Fred" Burkle'],
			published: '2021-04-01',
			updated: '2021-05-02',
			declaredWords: 120,
			plannedChapters: 3,
			complete: false,
			summary: 'Fred reads by the wrong light.',
			notes: ['For the lamp prompt.', 'Thanks for reading.'],
			url: 'https://archiveofourown.org/works/5550123',
		},
	},
	{
		name: 'a FanFicFare EPUB',
		file: 'almanac.epub',
		bytes: () => zip(fanficfareEpubFiles()),
		format: 'epub',
		markup: 'markdown',
		meta: {
			...ALMANAC,
			additionalTags: ['Friendship', 'Humor'],
			complete: true,
			language: 'en',
			series: { name: 'Magic Box Days', part: 3 },
			declaredWords: 298,
			summary: 'Dawn finds an almanac in the Magic Box. Giles is not amused.',
		},
	},
	{
		name: 'FanFicFare text',
		file: 'almanac.txt',
		bytes: () => fixture('fanficfare-slayers-almanac.txt'),
		format: 'fanficfare-text',
		markup: 'markdown',
		meta: {
			...ALMANAC,
			complete: false,
			declaredWords: 512,
			summary:
				'Dawn finds an almanac in the Magic Box that predicts the weather, the moon, and the next three apocalypses. Giles is not amused.',
			extra: { Genre: 'Friendship, Humor', Publisher: 'www.fanfiction.net' },
		},
	},
	{
		name: 'Markdown with YAML front matter',
		file: 'diary.md',
		bytes: () => fixture('markdown-the-watchers-diary.md'),
		format: 'markdown',
		markup: 'markdown',
		meta: {
			title: "The Watcher's Diary",
			author: 'Jenny C.',
			rating: 'Teen',
			ratingText: 'Teen And Up Audiences',
			fandoms: ['Buffy the Vampire Slayer'],
			relationships: ['Giles/Jenny Calendar'],
			characterTags: ['Rupert Giles', 'Jenny Calendar'],
			additionalTags: ['Epistolary', 'Library', 'Season 2'],
			summary: 'Giles keeps a diary. Jenny reads it.',
			complete: true,
			published: '2021-02-14',
			series: { name: 'Library Hours', part: 1 },
			extra: { beta: 'Willow' },
		},
	},
];

/** A fixture of the table, parsed. */
async function parsed(file: string): Promise<ParsedStory> {
	const row = FIXTURES.find((r) => r.file === file);
	if (!row) throw new Error(`no fixture ${file} in FIXTURES`);
	return parseStory(row.file, row.bytes());
}

async function reason(file: string, bytes: Uint8Array): Promise<string> {
	try {
		await parseStory(file, bytes);
	} catch (error) {
		expect(error).toBeInstanceOf(StoryError);
		expect((error as StoryError).file).toBe(file);
		expect((error as StoryError).message).toContain(file);
		return (error as StoryError).reason;
	}
	throw new Error(`expected ${file} to fail`);
}

describe('metadata of each format', () => {
	it.each(FIXTURES.map((row) => [row.name, row] as const))(
		'reads %s: its format, markup and metadata',
		async (_, row) => {
			const story = await parseStory(row.file, row.bytes());
			expectConsistent(story);
			expect(story.format).toBe(row.format);
			expect(story.markup).toBe(row.markup);
			expect(story.meta).toMatchObject(row.meta);
		},
	);
});

describe('AO3 HTML downloads', () => {
	it('reads the preface, three chapters and the afterword', async () => {
		const story = await parsed('long-night.html');
		expect(story.meta.notes).toEqual([
			'Written for the Winter Solstice exchange. Thanks to my beta!',
			'Title from the solstice, obviously.',
		]);
		expect(story.chapters.map((c) => c.title)).toEqual(['Blackout', null, 'The Candles Burn Down']);
		const first = chapterText(story, 1);
		expect(first).toMatch(/^The lights went out at a quarter past six/);
		expect(first).toContain('“Great,” she muttered. “*Perfect.* Exactly what tonight needed.”');
		expect(first).toContain('behind the register, **for emergencies**, he says.\nReckon this counts.”');
		expect(first).toContain('never came back.”\n\n* * *\n\nSpike found them');
		// Chapter summaries and notes are not story text.
		expect(story.body).not.toMatch(/The lights go out\.|More soon|Chapter Summary|Chapter End Notes|Afterword/);
		expect(chapterText(story, 3)).toMatch(/Wasn’t planning on going anywhere, Slayer\.”$/);
		expect(story.quotes.some((q) => q.chapter === 3 && q.speaker === 'Spike')).toBe(true);
	});

	it('reads a one-shot with plural labels, several authors and its text right in #chapters', async () => {
		const story = await parsed('first-snow.html');
		expect(story.chapters).toEqual([{ number: 1, title: null, firstPage: 1, pageCount: 1 }]);
		// AO3 leaves "Chapters: 1/1" out of a one-shot's download; there is no update date either.
		expect(story.meta.series).toBeUndefined();
		expect(story.meta.updated).toBeUndefined();
		expect(story.meta.plannedChapters).toBeUndefined();
		// The source's own asterisks are text, escaped; its italics are markdown; a typed "~~~" is a scene break.
		expect(story.body).toContain('not frosted, but *white*, and');
		expect(story.body).toContain('drew a \\*star\\* in it');
		expect(story.body).toContain('one finger.\n\n* * *\n\nLater, Tara');
	});

	it('reads a one-shot whose text is one .userstuff inside #chapters, whatever the file is called', async () => {
		const html = `<!DOCTYPE html><html lang="en"><body>
			<div id="preface"><div class="meta"><dl class="tags"><dt>Rating:</dt><dd>Explicit</dd><dt>Stats:</dt>
			<dd>Published: 2020-05-05 Words: 30 Chapters: 1/?</dd></dl><h1>Night Shift</h1>
			<div class="byline">by <a rel="author" href="#">Anonymous</a></div></div></div>
			<div id="chapters" class="userstuff"><div class="userstuff"><p>Faith took the night shift at the diner,
			and nobody <i>ever</i> asked her why she never seemed tired.</p><p>Nobody asked twice.</p></div></div>
			</body></html>`;
		const story = await parseStory('night-shift.txt', text(html));
		expect(story.format).toBe('ao3-html');
		expect(story.meta).toMatchObject({
			title: 'Night Shift',
			author: 'Anonymous',
			rating: 'Explicit',
			complete: false,
		});
		expect(story.meta.plannedChapters).toBeUndefined();
		expect(story.body).toBe(
			'Faith took the night shift at the diner, and nobody *ever* asked her why she never seemed tired.\n\nNobody asked twice.',
		);
	});

	it('turns headings in the text into bold lines and list items into bullets', async () => {
		const html = `<html lang="en"><body><div id="preface"><dl class="tags"><dt>Rating:</dt><dd>Not Rated</dd></dl>
			<h1>Lists</h1></div><div id="chapters" class="userstuff"><div class="userstuff"><h3>The <em>Rules</em></h3>
			<ul><li>Never invite them in.</li><li># Always carry a stake.</li></ul><p>- Giles</p></div></div></body></html>`;
		const story = await parseStory('lists.html', text(html));
		expect(story.meta.rating).toBe('Not Rated');
		expect(story.body).toBe('**The *Rules***\n\n• Never invite them in.\n\n• # Always carry a stake.\n\n\\- Giles');
	});
});

describe('AO3 work pages saved from a browser', () => {
	it('reads a full-work view of a logged-in page: the work meta, every chapter, none of the site', async () => {
		const story = await parsed('Lamplight - wrenfield.html');
		expect(story.meta.plannedChapters).toBeUndefined();
		expect(story.chapters.map((c) => c.title)).toEqual(['Hyperion', null]);
		expect(chapterText(story, 1)).toBe(
			'The lobby lamps had been out for a week when Fred found the one in the basement.\n\n“It still works,” she told Wesley, and *meant* it.',
		);
		expect(chapterText(story, 2)).toBe(
			'Wesley carried it upstairs himself, the cord trailing behind him like a tail.\n\n* * *\n\n“Leave it on,” Fred said. “Just tonight.”',
		);
		// Navigation, the landmark headings, chapter summaries and notes, kudos, comments and the footer are not text.
		expect(story.body).not.toMatch(
			/Archive of Our Own|Hi, reader42|Work Search|Chapter Text|basement, at last|season two|More soon|Thanks for reading|kudos|library|Loved the lamp|Site Map|Hits/i,
		);
	});

	it('reads a chapter view from the 2017 layout, all on one line: one chapter, the whole work’s stats', async () => {
		const html = [
			'<!DOCTYPE html><html lang="en"><head><title>Tea Leaves - Chapter 1 - Ostara - Harry Potter [Archive of Our Own]</title></head><body>',
			'<div id="outer" class="wrapper"><div id="header" class="region"><h1 class="heading"><a href="/"><span>Archive of Our Own</span><sup> beta</sup></a></h1>',
			'<ul class="user navigation actions" role="navigation"><li><a href="/users/Ostara">Hi, Ostara!</a></li></ul></div>',
			'<div id="main" class="chapters-show region" role="main"><div class="work"><ul class="work navigation actions" role="menu">',
			'<li class="chapter entire"><a href="/works/4242?view_full_work=true">Entire Work</a></li>',
			'<li class="chapter next"><a href="/works/4242/chapters/9002#workskin">Next Chapter →</a></li>',
			'<li class="share hidden"><a href="/works/4242/share">Share</a></li></ul>',
			'<div class="wrapper"><dl class="work meta group" role="complementary"><dt class="rating tags"> Rating: </dt>',
			'<dd class="rating tags"> <ul class="commas"> <li><a class="tag" href="/tags/General%20Audiences/works">General Audiences</a></li> </ul> </dd>',
			'<dt class="fandom tags"> Fandom: </dt> <dd class="fandom tags"> <ul class="commas"> <li><a class="tag" href="/tags/HP/works">Harry Potter - Rowling</a></li> </ul> </dd>',
			'<dt class="stats">Stats:</dt> <dd class="stats"> <dl class="stats"><dt class="published">Published:</dt><dd class="published">2005-11-04</dd>',
			'<dt class="status">Updated:</dt><dd class="status">2008-09-20</dd><dt class="words">Words:</dt><dd class="words">1581</dd>',
			'<dt class="chapters">Chapters:</dt><dd class="chapters">2/?</dd><dt class="hits">Hits:</dt><dd class="hits">594</dd></dl> </dd> </dl> </div>',
			'<div id="workskin"> <div class="preface group"> <h2 class="title heading"> Tea Leaves </h2> <h3 class="byline heading"> <a rel="author" href="/users/Ostara/pseuds/Ostara">Ostara</a> </h3>',
			'<div class="summary module" role="complementary"> <h3 class="heading">Summary:</h3> <blockquote class="userstuff"> <p>A cup, read wrong.</p> </blockquote> </div> </div>',
			'<div id="chapters"> <div class="chapter" id="chapter-1"> <h3 class="landmark heading">Chapter Management</h3>',
			'<ul class="chapter actions" role="menu"> <li><a href="/works/4242/chapters/9001/edit">Edit Chapter</a></li> </ul>',
			'<div class="chapter preface group" role="complementary"> <h3 class="title"> <a href="/works/4242/chapters/9001">Chapter 1</a>: Where am I? </h3> </div>',
			'<div class="userstuff module" role="article"> <h3 class="landmark heading" id="work">Chapter Text</h3>',
			'<p>Amy woke slowly, and the cup on the nightstand was not hers.</p> <p>“Drink up,” said a voice from the door.</p> </div> </div> </div> </div> </div>',
			'<div id="feedback" class="feedback" role="complementary"><div id="kudos"><p class="kudos"> 1 guest left kudos on this work! </p></div></div>',
			'</div></div></body></html>',
		].join(' ');
		const story = await parseStory('where.html', text(html));
		expectConsistent(story);
		expect(story.meta).toMatchObject({
			title: 'Tea Leaves',
			author: 'Ostara',
			rating: 'General',
			fandoms: ['Harry Potter - Rowling'],
			published: '2005-11-04',
			updated: '2008-09-20',
			declaredWords: 1581,
			complete: false,
			summary: 'A cup, read wrong.',
			url: 'https://archiveofourown.org/works/4242',
		});
		expect(story.chapters.map((c) => c.title)).toEqual(['Where am I?']);
		expect(story.body).toBe(
			'Amy woke slowly, and the cup on the nightstand was not hers.\n\n“Drink up,” said a voice from the door.',
		);
	});

	it('reads a one-chapter work whose text sits right in #chapters, with the page’s canonical address', async () => {
		const page = `<!DOCTYPE html><html lang="en"><head><link rel="canonical" href="https://archiveofourown.org/works/777/chapters/1?view_adult=true"></head>
			<body><div id="main"><div class="wrapper"><dl class="work meta group">
			<dt class="rating tags">Rating:</dt><dd class="rating tags"><a class="tag">Mature</a></dd>
			<dt class="stats">Stats:</dt><dd class="stats"><dl class="stats"><dt>Published:</dt><dd>2022-09-20</dd><dt>Words:</dt><dd>5</dd><dt>Chapters:</dt><dd>1/1</dd></dl></dd></dl>
			<div id="workskin"><div class="preface group"><h2 class="title heading">Saved Page</h2><h3 class="byline heading">Anonymous</h3></div>
			<div id="chapters" role="article"><h3 class="landmark heading" id="work">Work Text:</h3><div class="userstuff"><p>Text, and more text here.</p><div class="userstuff"><p>Inner.</p></div></div></div></div></div></div></body></html>`;
		const story = await parseStory('saved.html', text(page));
		expect(story.meta).toMatchObject({
			title: 'Saved Page',
			author: 'Anonymous',
			rating: 'Mature',
			complete: true,
			plannedChapters: 1,
			url: 'https://archiveofourown.org/works/777',
		});
		expect(story.chapters).toHaveLength(1);
		// A text block inside the text block is read once, with it.
		expect(story.body).toBe('Text, and more text here.\n\nInner.');
	});
});

describe('FanFicFare HTML', () => {
	it('reads the title line, the fields table and the chapters after the contents', async () => {
		const story = await parsed('almanac.html');
		expect(story.chapters.map((c) => c.title)).toEqual(['The Almanac', 'The Weather Report']);
		expect(chapterText(story, 1)).toMatch(/^The book was wedged/);
		expect(chapterText(story, 1)).toContain('"*The Farmer\'s Almanac of the Hellmouth*. Giles, did you know?"');
		expect(chapterText(story, 2)).toMatch(/chance of frogs\."\n\n\* \* \*\n\nOn Thursday[\s\S]*Giles said\.$/);
		expect(story.body).not.toMatch(/Table of Contents|Category|quillfeather|Summary/);
	});
});

describe('EPUB', () => {
	it('reads an AO3 EPUB: the split download joined, tags from its preface', async () => {
		const story = await parsed('crypt-door.epub');
		expect(story.chapters.map((c) => c.title)).toEqual(['Hinges', 'Paint']);
		expect(chapterText(story, 1)).toContain('lately, and *hated* that she did.');
		expect(chapterText(story, 2)).toBe(
			'He fixed it on a Tuesday, when she was not there to see, and painted it black for good measure.\n\n* * *\n\n' +
				'“Looks good,” Buffy said on Wednesday, running one finger down the new hinge. “Very **gothic**.”\n\n' +
				'Spike shrugged as if it were nothing, and she let him pretend that it was.',
		);
		expect(story.body).not.toMatch(/Short one|Posted originally|Preface/);
	});

	it('reads an AO3 EPUB in calibre’s layout: userstuff1/userstuff2, a file per chapter, notes kept out', async () => {
		const story = await parsed('lamplight.epub');
		// calibre's heading is the chapter's title alone, or "Chapter 2" for a chapter without one.
		expect(story.chapters.map((c) => c.title)).toEqual(['Hyperion', null]);
		expect(chapterText(story, 1)).toBe(
			'The lobby lamps had been out for a week when Fred found the one in the basement.\n\n“It still works,” she told Wesley, and *meant* it.',
		);
		expect(chapterText(story, 2)).toBe('Wesley carried it upstairs himself, the cord trailing behind him like a tail.');
		expect(story.body).not.toMatch(
			/season two|More soon|Chapter Notes|End Notes|Posted originally|Preface|Afterword|drop by/,
		);
	});

	it('reads an AO3-looking EPUB in a layout it does not know by its spine, rather than refusing it', async () => {
		const files = Object.fromEntries(
			Object.entries(ao3CalibreEpubFiles()).map(([name, content]) => [
				name,
				typeof content === 'string'
					? content.replace(/userstuff2/g, 'chaptertext').replace(/userstuff1/g, 'box')
					: content,
			]),
		);
		const story = await parseStory('lamplight.epub', zip(files));
		expectConsistent(story);
		expect(story.body).toContain('The lobby lamps had been out for a week');
		expect(story.body).toContain('Wesley carried it upstairs himself');
	});

	it('reads a FanFicFare EPUB: package metadata, the title page, chapters from the spine titled by the NCX', async () => {
		const story = await parsed('almanac.epub');
		// The second chapter was split in two files; the log page is not part of the story.
		expect(story.chapters.map((c) => c.title)).toEqual(['The Almanac', 'The Weather Report']);
		expect(chapterText(story, 1)).toMatch(/^The book was wedged/);
		expect(chapterText(story, 1)).toContain('"*The Farmer\'s Almanac of the Hellmouth*. Giles, did you know?"');
		expect(chapterText(story, 2)).toMatch(
			/^"Rain on Thursday,"[\s\S]*"I'm going to need to see that book," Giles said\.$/,
		);
		expect(story.body).not.toMatch(/Update Log|Updated:|The Almanac\n|Title Page/);
		expect(story.meta.url).toBe('https://www.fanfiction.net/s/11112222/1/');
		expect(story.meta.extra.Source).toBeUndefined();
	});

	it('reads any EPUB 2 by its spine and NCX, without FanFicFare’s chapter range in the title', async () => {
		const files: Files = {
			mimetype: 'application/epub+zip',
			'META-INF/container.xml':
				'<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>',
			'OEBPS/content.opf': `<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="bookid">
				<metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
				<dc:title>Harbour Lights (Ch 2-3)</dc:title><dc:creator opf:role="aut">M. Okafor</dc:creator>
				<dc:identifier id="bookid">urn:uuid:1b2c</dc:identifier><dc:identifier opf:scheme="URL">https://www.example.org/stories/77</dc:identifier>
				<dc:subject>Last Update: 2024/01/22</dc:subject><dc:subject>Drama</dc:subject></metadata>
				<manifest><item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
				<item id="a" href="ch2.html" media-type="application/xhtml+xml"/><item id="b" href="ch3.html" media-type="application/xhtml+xml"/>
				<item id="c" href="ch3b.html" media-type="application/xhtml+xml"/></manifest>
				<spine toc="ncx"><itemref idref="a"/><itemref idref="b"/><itemref idref="c"/></spine></package>`,
			'OEBPS/toc.ncx': `<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"><navMap>
				<navPoint id="p1"><navLabel><text>Low Tide</text></navLabel><content src="ch2.html"/></navPoint>
				<navPoint id="p2"><navLabel><text>High Water</text></navLabel><content src="ch3.html"/></navPoint></navMap></ncx>`,
			'OEBPS/ch2.html':
				'<html xmlns="http://www.w3.org/1999/xhtml"><body><h2>Low Tide</h2><p>The boats sat in the mud like tired dogs.</p></body></html>',
			'OEBPS/ch3.html':
				'<html xmlns="http://www.w3.org/1999/xhtml"><body><p>By evening the water was back.</p></body></html>',
			'OEBPS/ch3b.html': '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>It always came back.</p></body></html>',
		};
		const story = await parseStory('harbour.epub', zip(files));
		expectConsistent(story);
		expect(story.meta).toMatchObject({
			title: 'Harbour Lights',
			author: 'M. Okafor',
			additionalTags: ['Drama'],
			url: 'https://www.example.org/stories/77',
		});
		// A document the NCX does not list continues the chapter before it.
		expect(story.chapters.map((c) => c.title)).toEqual(['Low Tide', 'High Water']);
		expect(chapterText(story, 2)).toBe('By evening the water was back.\n\nIt always came back.');
	});

	it('reads an EPUB 3 with a nav document, titling chapters by it and dropping the repeated heading', async () => {
		const files: Files = {
			mimetype: 'application/epub+zip',
			'META-INF/container.xml':
				'<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/></rootfiles></container>',
			'EPUB/package.opf': `<package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
				<dc:title>Two Doors</dc:title><dc:creator>Anya J.</dc:creator><dc:date>2024-03-01</dc:date></metadata>
				<manifest><item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
				<item id="c1" href="text/one.xhtml" media-type="application/xhtml+xml"/><item id="c2" href="text/two%20b.xhtml" media-type="application/xhtml+xml"/></manifest>
				<spine><itemref idref="nav"/><itemref idref="c1"/><itemref idref="c2"/></spine></package>`,
			'EPUB/nav.xhtml':
				'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><body><nav epub:type="toc"><ol><li><a href="text/one.xhtml">Chapter One: The Shop</a></li><li><a href="text/two%20b.xhtml#start">Chapter Two</a></li></ol></nav></body></html>',
			'EPUB/text/one.xhtml':
				'<html xmlns="http://www.w3.org/1999/xhtml"><body><section><h1>Chapter One: The Shop</h1><p>Anya counted the till twice, because money deserved respect.</p><p/><p>Then she counted it a third time.</p></section></body></html>',
			'EPUB/text/two b.xhtml':
				'<html xmlns="http://www.w3.org/1999/xhtml"><body><h2 id="start">Chapter Two</h2><p>Xander came in with doughnuts&nbsp;and an apology.</p></body></html>',
		};
		const story = await parseStory('two-doors.epub', zip(files));
		expectConsistent(story);
		expect(story.meta).toMatchObject({ title: 'Two Doors', author: 'Anya J.', published: '2024-03-01' });
		expect(story.chapters.map((c) => c.title)).toEqual(['The Shop', null]);
		expect(story.body).toBe(
			'Anya counted the till twice, because money deserved respect.\n\nThen she counted it a third time.\n\nXander came in with doughnuts and an apology.',
		);
	});
});

describe('EPUB chapters by anchor', () => {
	it('cuts one document at the anchors its contents point to', async () => {
		const files: Files = {
			mimetype: 'application/epub+zip',
			'META-INF/container.xml':
				'<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OPS/book.opf" media-type="application/oebps-package+xml"/></rootfiles></container>',
			'OPS/book.opf': `<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Dusk and Dawn</dc:title></metadata>
				<manifest><item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/><item id="book" href="book.xhtml" media-type="application/xhtml+xml"/></manifest>
				<spine toc="ncx"><itemref idref="book"/></spine></package>`,
			'OPS/toc.ncx': `<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"><navMap>
				<navPoint id="a"><navLabel><text>Chapter 1: Dusk</text></navLabel><content src="book.xhtml#c1"/></navPoint>
				<navPoint id="b"><navLabel><text>Chapter 2: Dawn</text></navLabel><content src="book.xhtml#c2"/></navPoint></navMap></ncx>`,
			'OPS/book.xhtml': `<html xmlns="http://www.w3.org/1999/xhtml"><body><div class="book">
				<h1 id="c1">Chapter 1: Dusk</h1><p>Angel watched the sun go down from the hotel roof.</p>
				<p><a id="c2"/></p><h1>Chapter 2: Dawn</h1><p>Cordelia brought coffee at six.</p></div></body></html>`,
		};
		const story = await parseStory('dusk.epub', zip(files));
		expectConsistent(story);
		expect(story.chapters.map((c) => c.title)).toEqual(['Dusk', 'Dawn']);
		expect(chapterText(story, 1)).toBe('Angel watched the sun go down from the hotel roof.');
		expect(chapterText(story, 2)).toBe('Cordelia brought coffee at six.');
	});
});

describe('FanFicFare text', () => {
	it('reads the title block, the labels, the contents and the chapters up to "End file."', async () => {
		const story = await parsed('almanac.txt');
		// FanFicFare writes html2text's Markdown: its italics are shown as italics (issue 18).
		expect(story.chapters.map((c) => c.title)).toEqual(['The Almanac', 'The Weather Report']);
		// Wrapped lines are joined into paragraphs; the contents, the headings and "End file." are not text.
		expect(chapterText(story, 1)).toMatch(
			/^The book was wedged behind a row of crystal balls on the highest shelf, and Dawn only found it/,
		);
		expect(chapterText(story, 1)).toContain('* * *');
		expect(chapterText(story, 1)).toContain('"_The Farmer\'s Almanac of the Hellmouth_. Giles,');
		expect(chapterText(story, 2)).toMatch(/^"Rain on Thursday,"[\s\S]*Giles said\.$/);
		expect(story.body).not.toMatch(/TABLE OF CONTENTS|End file|^1\. The Almanac/m);
	});

	it('reads a one-chapter story without a table of contents', async () => {
		const file =
			'\n\n\nSmall Hours\n\nby someone\n\n\nRating: T\nStatus: Completed\n\n\n\n\tSmall Hours\n\nBuffy could not sleep, so she went out to patrol, and the night was kind to her for once.\n\n\nEnd file.\n';
		const story = await parseStory('small.txt', text(file));
		expect(story.format).toBe('fanficfare-text');
		expect(story.chapters).toEqual([{ number: 1, title: 'Small Hours', firstPage: 1, pageCount: 1 }]);
		expect(story.meta).toMatchObject({ title: 'Small Hours', author: 'someone', rating: 'Teen', complete: true });
		expect(story.body).toBe(
			'Buffy could not sleep, so she went out to patrol, and the night was kind to her for once.',
		);
	});
});

describe('FanFicFare text as it wraps and marks up', () => {
	const ffTitle = 'The Long Way Round (Ch 1-3)';
	const longTitle = 'Prologue: In which Willow finds the spell, Xander finds the snacks, and Giles finds';
	const file = [
		'',
		'',
		ffTitle,
		'',
		'by tara_m',
		'',
		'',
		'Chapters: 3',
		'',
		'',
		'TABLE OF CONTENTS',
		'',
		'',
		`${longTitle} them both`,
		'',
		'Chapter 1, The Spell',
		'',
		'Chapter 2 & 2.5',
		'',
		'',
		`\t${longTitle}`,
		'them both',
		'',
		'',
		'Willow did _not_ want to say it twice, so she said it **once**, to tara_m and to',
		'Giles, who had *starred* the page [twice] and written ~~nothing~~ in the margin.',
		'',
		'',
		'\tChapter 1, The Spell',
		'',
		'',
		'### The Library',
		'',
		'The spell _worked,_ more or less.',
		'',
		'',
		'\tChapter 2 & 2.5',
		'',
		'',
		'Xander ate the snacks.',
		'',
		'',
		'End file.',
		'',
	].join('\r\n');

	it('keeps a chapter whose long title wraps onto a second line, with its text', async () => {
		const story = await parseStory('round.txt', text(file));
		expect(story.format).toBe('fanficfare-text');
		expect(story.chapters.map((c) => c.title)).toEqual([`${longTitle} them both`, 'The Spell', 'Chapter 2 & 2.5']);
		expect(chapterText(story, 1)).toMatch(/^Willow did/);
		expect(story.body).not.toMatch(/End file|them both\n/);
	});

	it('takes the chapter range off the title', async () => {
		expect((await parseStory('round.txt', text(file))).meta.title).toBe('The Long Way Round');
	});

	it('shows _italics_, **bold** and ~~strikethrough~~ as markdown, and escapes every other markdown character', async () => {
		const story = await parseStory('round.txt', text(file));
		expect(story.markup).toBe('markdown');
		expect(chapterText(story, 1)).toBe(
			'Willow did _not_ want to say it twice, so she said it **once**, to tara\\_m and to Giles, who had \\*starred\\* the page \\[twice\\] and written ~~nothing~~ in the margin.',
		);
		// A heading is a bold line; emphasis around punctuation closes where html2text put it.
		expect(chapterText(story, 2)).toBe('**The Library**\n\nThe spell _worked,_ more or less.');
	});
});

describe('Markdown', () => {
	it('reads YAML front matter and ## chapters under the # title', async () => {
		const story = await parsed('diary.md');
		expect(story.chapters.map((c) => c.title)).toEqual(['Monday', 'Tuesday']);
		const monday = chapterText(story, 1);
		expect(monday).toMatch(
			/^Giles wrote the first entry in fountain pen, because a ballpoint felt like a betrayal of the whole/,
		);
		expect(monday).toContain("It's very **brooding**, Rupert.");
		expect(monday).toContain('\n\n* * *\n\nShe took the chair');
		expect(monday).toContain('on top of a sixteenth-century bestiary, and');
		expect(chapterText(story, 2)).toContain('wrong on page three."\n"I did not."');
	});

	it('reads front matter fields as a title page’s labels, lists item by item, other fields under their own names', async () => {
		const md = [
			'---',
			'title: Fields',
			'additional_tags: [Angst, "Hurt, then Comfort"]',
			'ships:',
			'  - Buffy/Spike',
			'  - Willow/Tara',
			'  - Buffy/Spike',
			'character: Dawn Summers; Joyce Summers',
			'word-count: 1,234',
			'beta_reader: Willow',
			'---',
			'Buffy read the list twice.',
		].join('\n');
		const story = await parseStory('fields.md', text(md));
		expect(story.meta).toMatchObject({
			title: 'Fields',
			additionalTags: ['Angst', 'Hurt, then Comfort'],
			relationships: ['Buffy/Spike', 'Willow/Tara'],
			characterTags: ['Dawn Summers', 'Joyce Summers'],
			declaredWords: 1234,
			extra: { beta_reader: 'Willow' },
		});
	});

	it('makes each # heading a chapter, and reads a .md file without front matter', async () => {
		const md = '# Part One\n\nWillow cast the spell.\n\n# Part Two: Aftermath\n\nIt ~~mostly~~ worked.\n';
		const story = await parseStory('spell.md', text(md));
		expect(story.meta.title).toBe('Spell');
		expect(story.chapters.map((c) => c.title)).toEqual([null, 'Aftermath']);
		expect(story.body).toBe('Willow cast the spell.\n\nIt ~~mostly~~ worked.');
	});

	it('takes front matter in a file of any name only when it is YAML with a title', async () => {
		const md = await parseStory('x.txt', text('---\ntitle: Found\n---\nSome story text here.\n'));
		expect(md).toMatchObject({ format: 'markdown', meta: { title: 'Found' } });
		// A plain-text header between rules is not front matter, and a broken one in a .txt is left to plain text.
		const plain = await parseStory('leaving.txt', text('---\nTitle: Leaving\nAuthor: S\n---\n\nSpike left.\n'));
		expect(plain).toMatchObject({ format: 'plain-text', meta: { title: 'Leaving', author: 'S' } });
		const broken = await parseStory('y.txt', text('---\ntitle: [unclosed\n---\n\nBuffy slept.\n'));
		expect(broken.format).toBe('plain-text');
	});
});

describe('plain text chapters', () => {
	it('splits at a run of "Chapter N" headings, numbered in order', async () => {
		const body = (n: string) => `Buffy patrolled the cemetery for the ${n} time that week, and nothing moved.`;
		const file = `Title: Patrols\nAuthor: K\n\nChapter 1\n\n${body('first')}\n\nChapter 2: Second Night\n\n${body('second')}\n\n~ Chapter Three ~\n\n${body('third')}`;
		const story = await parseStory('patrols.txt', text(file));
		expectConsistent(story);
		expect(story.chapters.map((c) => c.title)).toEqual([null, 'Second Night', null]);
		expect(chapterText(story, 2)).toBe(body('second'));
	});

	it('takes a prologue and an epilogue beside numbered chapters', async () => {
		const file = [
			'Title: Seasons',
			'',
			'Prologue',
			'',
			'Before anything, there was the Hellmouth, and it was hungry.',
			'',
			'Chapter 1',
			'',
			'Buffy moved to Sunnydale in the spring, and nothing went as planned.',
			'',
			'Chapter 2',
			'',
			'Willow found the spell in a book nobody had opened for a hundred years.',
			'',
			'~ Epilogue: After ~',
			'',
			'The town was quiet, for a while.',
		].join('\n');
		const story = await parseStory('seasons.txt', text(file));
		expectConsistent(story);
		expect(story.chapters.map((c) => c.title)).toEqual(['Prologue', null, null, 'Epilogue: After']);
		expect(chapterText(story, 4)).toBe('The town was quiet, for a while.');
		// Without numbered chapters, a lone "Prologue" is just a line of text.
		const lone = await parseStory('lone.txt', text('Title: T\n\nPrologue\n\nSome text here.'));
		expect(lone.chapters).toHaveLength(1);
	});

	it('keeps one chapter when headings are not a clean run', async () => {
		for (const file of [
			'Title: T\n\nChapter 1\n\nText one here.\n\nChapter 3\n\nText three here.',
			'Title: T\n\nChapter 1\n\nOnly one heading and its text.',
			'Title: T\n\nPart 1\n\nText.\n\nChapter 2\n\nMore text.',
		]) {
			const story = await parseStory('t.txt', text(file));
			expect(story.chapters).toHaveLength(1);
			expect(story.chapters[0]?.title).toBeNull();
		}
		for (const name of ['leaving.txt', 'moving-day.txt']) {
			const story = await parseStory(name, readFileSync(new URL(`../../data/${name}`, import.meta.url)));
			expect(story.chapters).toEqual([{ number: 1, title: null, firstPage: 1, pageCount: story.pages.length }]);
		}
	});
});

describe('bad input fails alone, naming the file and what is wrong', () => {
	it('a truncated zip', async () => {
		const epub = zip(ao3EpubFiles());
		expect(await reason('cut.epub', epub.subarray(0, Math.floor(epub.length / 2)))).toMatch(
			/zip archive is damaged or cut short/,
		);
		expect(await reason('tiny.epub', Uint8Array.from([0x50, 0x4b, 3, 4, 20, 0]))).toMatch(/zip archive is damaged/);
	});

	it('an EPUB with a missing spine item, or without its package', async () => {
		const files = fanficfareEpubFiles();
		expect(await reason('gap.epub', zip(without(files, 'OEBPS/file0002.xhtml')))).toBe(
			'the EPUB’s spine lists OEBPS/file0002.xhtml, which is missing from the file',
		);
		const badRef = {
			...files,
			'content.opf': String(files['content.opf']).replace('idref="file0001"', 'idref="nope"'),
		};
		expect(await reason('ref.epub', zip(badRef))).toMatch(/spine lists “nope”, which is not in its manifest/);
		expect(await reason('bare.epub', zip(without(files, 'content.opf')))).toMatch(
			/package file content\.opf is missing/,
		);
	});

	it('an EPUB with DRM, while obfuscated fonts alone are fine', async () => {
		const encryption = (uri: string, algorithm: string) =>
			`<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData><enc:EncryptionMethod Algorithm="${algorithm}"/><enc:CipherData><enc:CipherReference URI="${uri}"/></enc:CipherData></enc:EncryptedData></encryption>`;
		const files = fanficfareEpubFiles();
		const drm = {
			...files,
			'META-INF/encryption.xml': encryption('OEBPS/file0001.xhtml', 'http://www.w3.org/2001/04/xmlenc#aes128-cbc'),
		};
		expect(await reason('locked.epub', zip(drm))).toMatch(/DRM-protected/);
		const fonts = {
			...files,
			'META-INF/encryption.xml': encryption('OEBPS/font.otf', 'http://www.idpf.org/2008/embedding'),
		};
		expect((await parseStory('fonts.epub', zip(fonts))).chapters).toHaveLength(2);
	});

	it('a zip that is not an EPUB', async () => {
		expect(await reason('photos.zip', zip({ 'a.txt': 'hello' }))).toMatch(/zip archive but not an EPUB/);
		expect(await reason('story.docx', zip({ '[Content_Types].xml': '<x/>', 'word/document.xml': '<w/>' }))).toMatch(
			/Word document/,
		);
		expect(await reason('odd.epub', zip({ mimetype: 'application/x-other', 'a.txt': 'x' }))).toMatch(
			/zip archive of type application\/x-other/,
		);
	});

	it('HTML that is not an AO3 download', async () => {
		const html = '<!DOCTYPE html><html lang="en"><body><h1>My page</h1><p>Not a story download.</p></body></html>';
		expect(await reason('page.html', text(html))).toMatch(/HTML that is not an AO3 download/);
		expect(await reason('fragment.htm', text('<div><p>Some text</p></div>'))).toMatch(/not an AO3 download/);
	});

	it('an EPUB that inflates to more than a story may hold', async () => {
		const files = fanficfareEpubFiles();
		const huge = { ...files, 'OEBPS/file0001.xhtml': `<html><body><p>${'a '.repeat(400_000)}</p></body></html>` };
		const bytes = zip(huge);
		expect(bytes.length).toBeLessThan(50_000);
		await expect(parseStory('bomb.epub', bytes, { maxFileBytes: 60_000 })).rejects.toThrow(
			/bomb\.epub: OEBPS\/file0001\.xhtml inflates to 0\.8 MB, over what one story may hold/,
		);
	});

	it('a Markdown file with broken YAML', async () => {
		expect(await reason('broken.md', text('---\ntitle: [unclosed\nauthor: x\n---\n\nText.\n'))).toMatch(
			/^the YAML front matter is broken: /,
		);
		expect(await reason('list.md', text('---\n- a\n- b\n---\n\nText.\n'))).toMatch(/not a set of `key: value` fields/);
	});

	it('an unknown binary format', async () => {
		expect(await reason('cover.png', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]))).toMatch(
			/binary file .*not a story in a format fic-archive reads/,
		);
		expect(await reason('story.pdf', text('%PDF-1.7\n%âãÏÓ\n1 0 obj'))).toMatch(/it is a PDF/);
		expect(await reason('story.rtf', text('{\\rtf1\\ansi Hello}'))).toMatch(/RTF document/);
	});

	it('a format with metadata but no text', async () => {
		const md = '---\ntitle: Empty\n---\n\n# Chapter 1\n\n';
		expect(await reason('empty.md', text(md))).toMatch(/has metadata but no story text \(read as markdown\)/);
	});
});
