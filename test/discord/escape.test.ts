import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SearchHit } from '../../src/archive/search/index.js';
import type { StoredPage, StoredQuote, StoryRecord } from '../../src/archive/store.js';
import { type Markup, RATINGS, type Rating, type StoryMeta } from '../../src/archive/types.js';
import type { Gate } from '../../src/discord/gate.js';
import { boardPage } from '../../src/discord/render/board.js';
import { escapeText, plainText, spoilerText, storyText } from '../../src/discord/render/escape.js';
import { searchResults, storyPages } from '../../src/discord/render/hits.js';
import { libraryView } from '../../src/discord/render/library.js';
import type { MessagePayload } from '../../src/discord/render/message.js';
import { jumpModal, readerPage } from '../../src/discord/render/page.js';
import { quoteCard } from '../../src/discord/render/quote.js';
import { storyCard } from '../../src/discord/render/story.js';
import { type BoardEntry, DEFAULT_CARD } from '../../src/state.js';
import { limitProblems } from './limits.js';

/**
 * Story-supplied strings (titles, authors, characters, tags, summaries, page text, lines) built from what an
 * attacker would put in a file: masked links, mentions, code fences, spoilers, headings, quotes, emphasis.
 * Through every render function, none of it may come out as live markdown, and every limit must hold.
 */

const INJECTED_USER = '999999999999999999';
const PIECES = [
	'[Free Nitro](https://evil.invalid/title)',
	'[x](<https://evil.invalid>)',
	'@everyone',
	'@here',
	`<@${INJECTED_USER}>`,
	`<@!${INJECTED_USER}>`,
	`<@&${INJECTED_USER}>`,
	`<#${INJECTED_USER}>`,
	`</help:${INJECTED_USER}>`,
	'<t:1700000000:R>',
	'```js\nalert(1)\n```',
	'``',
	'`',
	'||spoiler||',
	'|',
	'# Heading',
	'## Heading',
	'-# small',
	'> quote',
	'>>> all quoted',
	'- item',
	'1. item',
	'*',
	'**',
	'_',
	'__',
	'~~',
	'\\',
	'\n',
	' ',
	'(',
	')',
	'[',
	']',
	'😀',
];
const hostile = (maxLength: number) =>
	fc
		.array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...PIECES) }, { weight: 1, arbitrary: fc.string() }), {
			maxLength: 40,
		})
		.map((parts) => parts.join('').slice(0, maxLength));
const nonEmpty = (maxLength: number) => hostile(maxLength).map((s) => (s.trim() ? s : `${s}x`));

/** What is left of markdown once every escaped character is taken out: what Discord reads as markup. */
const unescaped = (markdown: string) => markdown.replace(/\\[\s\S]/g, 'x');

/** Live markup in a markdown surface that came from the story, in words; [] when there is none. */
function liveMarkup(text: string): string[] {
	const live = unescaped(text);
	const found: string[] = [];
	if (/\[[^\]]*\]\(/.test(live)) found.push('a masked link');
	if (/```/.test(live)) found.push('a code fence');
	if (/\|\|/.test(live)) found.push('a spoiler');
	if (/@(everyone|here)/i.test(live)) found.push('@everyone or @here');
	if (new RegExp(`<(@[!&]?|#|/help:)${INJECTED_USER}`).test(live) || /<t:\d/.test(live)) found.push('a mention');
	if (/^[ \t]*(#{1,3}[ \t]|-#[ \t]|>)/m.test(live)) found.push('a heading, subtext or quote line');
	return found;
}

/** Text Discord shows as it is (labels, footers, choices): no @everyone or @here, one line. */
function livePlain(text: string): string[] {
	const found: string[] = [];
	if (/@(everyone|here)/i.test(text)) found.push('@everyone or @here');
	return found;
}

/**
 * A field value a server put behind a spoiler bar: one live spoiler over the whole value, every bar inside it
 * escaped; its inside must show no live markup either. The problems, in words.
 */
function spoilerProblems(value: string): string[] {
	if (!/^\|\|[^|]*\|\|$/.test(unescaped(value))) return [`not one closed spoiler: ${value}`];
	return liveMarkup(value.slice(2, -2)).map((p) => `${p} inside the spoiler ${value}`);
}

/**
 * Every problem of a rendered message: limits, and live markup on any surface. Fields named in `spoilered`
 * must each be one spoiler (`spoilerProblems`).
 */
function problems(body: MessagePayload, spoilered: readonly string[] = []): string[] {
	const out = limitProblems(body);
	const markdown: [string, string | undefined][] = [['content', body.content]];
	for (const e of body.embeds) {
		markdown.push(['embed title', e.title], ['embed description', e.description]);
		for (const f of e.fields ?? []) {
			markdown.push(['field name', f.name]);
			if (spoilered.includes(f.name)) for (const p of spoilerProblems(f.value)) out.push(`field value: ${p}`);
			else markdown.push(['field value', f.value]);
		}
		for (const p of livePlain(e.footer?.text ?? '')) out.push(`footer: ${p}`);
	}
	for (const [where, text] of markdown) for (const p of liveMarkup(text ?? '')) out.push(`${where}: ${p} in ${text}`);
	for (const row of body.components) {
		for (const c of row.components) {
			const plain = [
				'label' in c ? c.label : undefined,
				'placeholder' in c ? c.placeholder : undefined,
				...('options' in c ? c.options.flatMap((o) => [o.label, o.description]) : []),
			];
			for (const text of plain) for (const p of livePlain(text ?? '')) out.push(`component: ${p} in ${text}`);
		}
	}
	return out;
}

const meta = (s: Strings, rating: Rating): StoryMeta => ({
	title: s.title ?? '',
	author: s.author ?? null,
	rating,
	ratingText: s.ratingText ?? null,
	date: null,
	declaredWords: null,
	summary: s.summary ?? '',
	disclaimer: s.disclaimer ?? '',
	pairing: s.pairing ?? '',
	fandom: s.fandom ?? '',
	category: s.category ?? '',
	warnings: s.warnings ?? '',
	season: s.season ?? '',
	language: s.language ?? '',
	relationships: [s.relationship ?? ''],
	characterTags: [s.character ?? '', s.title ?? ''],
	additionalTags: [s.tag ?? ''],
	series: { name: s.series ?? '', part: 2 },
	published: '2020-01-01',
	updated: '2021-01-01',
	notes: [s.notes ?? ''],
	extra: {},
});

const strings = fc.record({
	title: nonEmpty(300),
	author: nonEmpty(200),
	ratingText: hostile(50),
	summary: hostile(2000),
	disclaimer: hostile(500),
	pairing: hostile(200),
	fandom: hostile(200),
	category: hostile(100),
	warnings: hostile(200),
	season: hostile(50),
	language: hostile(30),
	relationship: hostile(200),
	character: nonEmpty(100),
	tag: hostile(200),
	series: nonEmpty(200),
	notes: hostile(500),
	text: nonEmpty(3500),
	chapter: hostile(200),
	/** A /search query: typed by a user, shown back in the results' title. */
	query: hostile(500),
});

type Strings = typeof strings extends fc.Arbitrary<infer T> ? T : never;

interface World {
	s: Strings;
	story: StoryRecord;
	gate: Gate;
}

const world: fc.Arbitrary<World> = fc
	.record({
		s: strings,
		rating: fc.constantFrom(...RATINGS),
		markup: fc.constantFrom<Markup>('plain', 'markdown'),
		nsfw: fc.boolean(),
	})
	.map(({ s, rating, markup, nsfw }) => ({
		s,
		gate: { nsfw, maxRating: 'Teen' as const },
		story: {
			id: 7,
			path: 'x.md',
			title: s.title,
			author: s.author,
			rating,
			ratingText: s.ratingText || null,
			date: '2020-01-01',
			words: 1000,
			declaredWords: null,
			pageCount: 30,
			quoteCount: 3,
			chapterCount: 3,
			format: 'markdown' as const,
			markup,
			meta: meta(s, rating),
		},
	}));

const OWNER = '123456789012345678';

/** Card settings that put warnings and tags behind spoiler bars: the fields named must each be one spoiler. */
const SPOILERS = { ...DEFAULT_CARD, warnings: 'spoiler', tags: 'spoiler', summary: 'short' } as const;
const SPOILERED = ['Warnings', 'Tags'];

/** Every render function in src/discord/render/ that shows story-supplied strings, fed one world. */
function renders({ s, story, gate }: World): [string, MessagePayload, string[]?][] {
	const page: StoredPage = { storyId: story.id, number: 2, chapter: 1, text: s.text };
	const quote: StoredQuote = {
		id: 3,
		storyId: story.id,
		text: s.text.slice(0, 500) || 'x',
		speaker: s.character,
		kind: 'dialogue',
		page: 2,
		chapter: 1,
		offset: 0,
	};
	const chapters = [1, 2, 3].map((n) => ({
		number: n,
		title: s.chapter || null,
		firstPage: n * 10 - 9,
		pageCount: 10,
	}));
	const hit: SearchHit = {
		storyId: story.id,
		title: s.title,
		author: s.author,
		rating: story.rating,
		page: 2,
		score: 1,
		// As the archive makes snippets: the page's text, the matched word a part of its own.
		snippet: [
			{ text: `…${s.text.slice(0, 150)} `, match: false },
			{ text: s.character, match: true },
			{ text: '…', match: false },
		],
		markup: 'plain',
	};
	const entry: BoardEntry = {
		id: 'abc123',
		storyId: story.id,
		page: 2,
		text: quote.text,
		markup: story.markup,
		rating: story.rating,
		speaker: s.character,
		title: s.title,
		author: s.author,
		savedBy: [OWNER],
		savedAt: 1,
	};
	const characters = [{ name: s.character, count: 3 }];
	const modal = jumpModal(story, OWNER, 2);
	return [
		['storyCard', storyCard(story, characters, { ephemeral: true })],
		['storyCard (gated)', storyCard(story, characters, { gated: true, notice: 'hidden' })],
		['storyCard (spoilers)', storyCard(story, characters, { card: SPOILERS }), SPOILERED],
		['storyCard (gated, spoilers)', storyCard(story, characters, { gated: true, card: SPOILERS }), SPOILERED],
		['readerPage', readerPage(story, page, OWNER, { quotable: true, chapters })],
		[
			'quoteCard',
			quoteCard(
				quote,
				story,
				OWNER,
				{ storyId: story.id, character: s.character },
				{ sharedBy: s.author, saveable: true },
			),
		],
		[
			'boardPage',
			boardPage({ entries: [entry], sort: 'new', index: 0, owner: OWNER, gate, ratingOf: () => story.rating }),
		],
		[
			'searchResults',
			searchResults({
				query: s.query,
				results: {
					hits: [hit, { ...hit, page: 3 }],
					more: true,
					corrected: s.character,
					notes: [s.tag],
					instead: { query: 'q', without: s.character },
				},
				offset: 0,
				owner: OWNER,
				key: 'q',
				gate,
				chapters: [2, 3],
				insteadKey: 'q2',
			}),
		],
		['storyPages', storyPages({ query: s.query, story, hits: [hit], more: false, gate, chapters: [2] })],
		['storyPages (none)', storyPages({ query: s.query, story, hits: [], more: false, gate })],
		['libraryView', libraryView([{ entry: { storyId: story.id, page: 2, pages: 30, bookmark: 2, at: 1 }, story }])],
		// The modal is not a message: its title is plain text, checked as such.
		[
			'jumpModal',
			{
				embeds: [{ footer: { text: modal.title } }],
				components: [],
				allowedMentions: { parse: [] },
			},
		],
	];
}

describe('story-supplied strings through every render function', () => {
	it('come out with no live link, mention, fence, spoiler or heading, within every limit', () => {
		fc.assert(
			fc.property(world, (w) => {
				for (const [name, body, spoilered] of renders(w)) expect(problems(body, spoilered), name).toEqual([]);
			}),
			{ numRuns: 300 },
		);
	});

	it('the checks find each kind of live markup they look for', () => {
		// The property is only as good as its checks: each of these must be caught when left raw.
		for (const raw of [
			'[Free Nitro](https://evil.invalid/title)',
			'```',
			'||spoiler||',
			'@everyone',
			`<@${INJECTED_USER}>`,
			'# Heading',
			'> quote',
		]) {
			expect(liveMarkup(raw), raw).not.toEqual([]);
			expect(liveMarkup(escapeText(raw)), raw).toEqual([]);
			expect(liveMarkup(storyText(raw, 'markdown')), raw).toEqual([]);
		}
		// And a spoilered field that story text could break or reach past.
		expect(spoilerProblems(spoilerText('a || b'))).toEqual([]);
		for (const broken of ['||a || b||', '||a\\||', '||a||b', 'a', `||${escapeText('x')} [y](https://evil.invalid)||`]) {
			expect(spoilerProblems(broken), broken).not.toEqual([]);
		}
	});
});

describe('escaping', () => {
	it('shows a string exactly as written once Discord undoes the escapes', () => {
		// Discord drops a backslash before punctuation and shows the character; the zero-width space stays unseen.
		const shown = (markdown: string) => markdown.replace(/\\([^\sA-Za-z0-9])/g, '$1').replace(/\u200b/g, '');
		fc.assert(
			fc.property(hostile(500), (text) => {
				expect(shown(escapeText(text))).toBe(text);
			}),
			{ numRuns: 500 },
		);
	});

	it('keeps a Markdown story’s emphasis, but not its fences, spoilers, links or mentions', () => {
		const text =
			'She was *so* tired, **very** _tired_.\n```\ncode\n```\n||twist|| [link](https://evil.invalid) @everyone';
		const out = storyText(text, 'markdown');
		expect(out).toContain('She was *so* tired, **very** _tired_.');
		expect(liveMarkup(out)).toEqual([]);
		// A backslash the story wrote before a fence's backtick still escapes only that one.
		expect(liveMarkup(storyText('\\````', 'markdown'))).toEqual([]);
	});

	it('keeps a spoilered string inside its bar, shown exactly as written once it is opened', () => {
		const shown = (markdown: string) => markdown.replace(/\\([^\sA-Za-z0-9])/g, '$1').replace(/\u200b/g, '');
		fc.assert(
			fc.property(nonEmpty(500), (text) => {
				const spoiler = spoilerText(text);
				expect(spoilerProblems(spoiler)).toEqual([]);
				expect(shown(spoiler.slice(2, -2))).toBe(text.trim() ? text : '—');
			}),
			{ numRuns: 500 },
		);
	});

	it('shows a search query in the results’ title as typed, within the title’s limit', () => {
		const shown = (markdown: string) => markdown.replace(/\\([^\sA-Za-z0-9])/g, '$1').replace(/\u200b/g, '');
		const results = { hits: [], more: false, notes: [] };
		const titleOf = (query: string) =>
			searchResults({ query, results, offset: 0, owner: OWNER, key: null, gate: { nsfw: false, maxRating: 'Teen' } })
				.embeds[0]?.title ?? '';
		const hostileQuery = '**bold** ||spoiler|| @everyone [Free Nitro](https://evil.invalid) <https://evil.invalid>';
		expect(liveMarkup(titleOf(hostileQuery))).toEqual([]);
		expect(shown(titleOf(hostileQuery))).toBe(`Search: ${hostileQuery}`);
		expect(titleOf(hostileQuery)).toContain('\\*\\*bold\\*\\*');
		fc.assert(
			fc.property(hostile(500), (query) => {
				const title = titleOf(query);
				expect(title.length).toBeLessThanOrEqual(256);
				expect(liveMarkup(title)).toEqual([]);
				if (title.length < 256 && query.trim()) expect(shown(title)).toBe(`Search: ${query}`);
			}),
			{ numRuns: 300 },
		);
	});

	it('gives plain surfaces one line and no @everyone, without backslashes', () => {
		expect(plainText('A *title*\nwith @everyone')).toBe('A *title* with @\u200beveryone');
	});
});

// Moved from test/archive/markdown.test.ts with archive/markdown.ts's escaping: what it checked of escapeMarkdown
// and the archive's storyText holds for the one escaping helper.
describe('escapeText', () => {
	it.each([
		['*italic* and **bold**', '\\*italic\\* and \\*\\*bold\\*\\*'],
		['_under_ ~~strike~~ ||spoiler|| `code`', '\\_under\\_ \\~\\~strike\\~\\~ \\|\\|spoiler\\|\\| \\`code\\`'],
		['[masked](https://x.example)', '\\[masked\\](https://x.example)'],
		['> quote\n# heading\n- list\n1. item', '\\> quote\n\\# heading\n\\- list\n1\\. item'],
		['a > b - c # d', 'a > b - c # d'],
		['back\\slash', 'back\\\\slash'],
	])('%s', (input, output) => {
		expect(escapeText(input)).toBe(output);
	});
});

describe('storyText', () => {
	it('escapes plain stories and shows markdown stories as written, but for the scene break', () => {
		expect(storyText('*sigh*\n\n* * *\n\nGo.', 'plain')).toBe('\\*sigh\\*\n\n\\* \\* \\*\n\nGo.');
		expect(storyText('*sigh* \\*not\\*\n\n* * *\n\nGo.', 'markdown')).toBe('*sigh* \\*not\\*\n\n\\* \\* \\*\n\nGo.');
	});
});
