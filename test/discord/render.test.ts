import { ButtonStyle } from 'discord.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SearchHit, SearchResults } from '../../src/archive/search/index.js';
import type { StoredPage, StoredQuote, StoryRecord } from '../../src/archive/store.js';
import { RATINGS, type StoryMeta } from '../../src/archive/types.js';
import { decodeSearch } from '../../src/discord/custom-id.js';
import { DEFAULT_GATE } from '../../src/discord/gate.js';
import { archiveInfo } from '../../src/discord/render/archive.js';
import { boardPage, sortBoard } from '../../src/discord/render/board.js';
import { clubStatus, partEnd } from '../../src/discord/render/club.js';
import { searchResults, storyPages } from '../../src/discord/render/hits.js';
import { libraryView, progressBar } from '../../src/discord/render/library.js';
import { embedLength, fitEmbed, truncate } from '../../src/discord/render/limits.js';
import { readingTime } from '../../src/discord/render/message.js';
import { readerPage } from '../../src/discord/render/page.js';
import { quoteCard } from '../../src/discord/render/quote.js';
import { settingsCard } from '../../src/discord/render/settings.js';
import { ratingLabel, sourceLink, storyCard } from '../../src/discord/render/story.js';
import { GATE_RATINGS, type GuildSettings } from '../../src/state.js';
import { limitProblems } from './limits.js';

// Text that stresses the limits: markdown characters (escaping doubles them), astral characters, mentions.
const nasty = (maxLength: number) =>
	fc.string({
		unit: fc.oneof(
			{ weight: 4, arbitrary: fc.constantFrom('*', '_', '~', '`', '|', '\\', '>', '#', ' ', '\n', '@everyone', '😀') },
			{ weight: 6, arbitrary: fc.string({ minLength: 1, maxLength: 1, unit: 'grapheme' }) },
		),
		maxLength,
	});
const text = (maxLength: number) => fc.oneof(nasty(maxLength), fc.constant('x'.repeat(maxLength)));
const snowflake = fc.bigInt({ min: 10n ** 16n, max: 2n ** 64n - 1n }).map(String);
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const meta: fc.Arbitrary<StoryMeta> = fc.record({
	title: text(1000),
	author: fc.option(text(500), { nil: null }),
	rating: fc.constantFrom(...RATINGS),
	ratingText: fc.option(text(100), { nil: null }),
	date: fc.option(fc.constant('2003-09-24'), { nil: null }),
	declaredWords: fc.option(fc.nat(), { nil: null }),
	summary: optional(text(5000)),
	disclaimer: optional(text(3000)),
	pairing: optional(text(2000)),
	fandom: optional(text(2000)),
	category: optional(text(2000)),
	warnings: optional(text(2000)),
	season: optional(text(2000)),
	notes: fc.array(text(2000), { maxLength: 4 }),
	extra: fc.constant({}),
	url: optional(
		fc.oneof(
			fc.webUrl({ withQueryParameters: true, withFragments: true }),
			fc.constant(`https://archiveofourown.org/works/1?q=${'x'.repeat(600)}`),
			fc.constantFrom('javascript:alert(1)', 'mailto:a@b.c', 'ftp://example.org/x', 'not a url'),
			text(600),
		),
	),
});

const story: fc.Arbitrary<StoryRecord> = fc
	.record({
		meta,
		id: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
		words: fc.nat(),
		pageCount: fc.integer({ min: 1, max: 65_535 }),
		quoteCount: fc.nat(),
	})
	.map(({ meta, ...rest }) => ({
		...rest,
		path: 'x.txt',
		title: meta.title || 'Untitled',
		author: meta.author,
		rating: meta.rating,
		ratingText: meta.ratingText,
		date: meta.date,
		declaredWords: meta.declaredWords,
		chapterCount: 1,
		format: 'plain-text' as const,
		markup: 'plain' as const,
		meta,
	}));

const characters = fc.array(fc.record({ name: text(200), count: fc.nat() }), { maxLength: 40 });

describe('render functions stay within every Discord limit', () => {
	it('story cards', () => {
		fc.assert(
			fc.property(story, characters, fc.boolean(), fc.boolean(), (s, chars, ephemeral, gated) => {
				expect(limitProblems(storyCard(s, chars, { ephemeral, gated, notice: 'x'.repeat(3000) }))).toEqual([]);
			}),
			{ numRuns: 300 },
		);
	});

	it('reader pages', () => {
		fc.assert(
			fc.property(story, text(3500), snowflake, (s, pageText, owner) => {
				const number = Math.min(s.pageCount, 1 + (pageText.length % s.pageCount));
				const page: StoredPage = { storyId: s.id, number, chapter: 1, text: pageText };
				expect(limitProblems(readerPage(s, page, owner))).toEqual([]);
			}),
			{ numRuns: 300 },
		);
	});

	it('quote cards', () => {
		fc.assert(
			fc.property(story, text(4000), fc.option(text(300), { nil: null }), snowflake, (s, line, speaker, owner) => {
				const quote: StoredQuote = {
					id: 1,
					storyId: s.id,
					text: line || 'x',
					speaker,
					kind: 'dialogue',
					page: 1,
					chapter: 1,
					offset: 0,
				};
				const filters = { storyId: s.id, character: speaker };
				expect(
					limitProblems(quoteCard(quote, s, owner, filters, { sharedBy: 'a'.repeat(300), saveable: true })),
				).toEqual([]);
			}),
			{ numRuns: 300 },
		);
	});

	it('search results', () => {
		const hit: fc.Arbitrary<SearchHit> = fc.record({
			storyId: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
			title: text(1000),
			author: fc.option(text(500), { nil: null }),
			rating: fc.constantFrom(...RATINGS),
			page: fc.integer({ min: 1, max: 65_535 }),
			score: fc.double(),
			snippet: fc.array(fc.record({ text: text(300), match: fc.boolean() }), { maxLength: 10 }),
			markup: fc.constantFrom('plain' as const, 'markdown' as const),
		});
		const results: fc.Arbitrary<SearchResults> = fc.record({
			hits: fc.array(hit, { maxLength: 25 }),
			more: fc.boolean(),
			corrected: optional(text(1000)),
			notes: fc.array(text(1000), { maxLength: 5 }),
			instead: optional(fc.record({ query: text(1000), without: text(1000) })),
		});
		fc.assert(
			fc.property(
				results,
				text(1000),
				fc.nat({ max: 10_000 }),
				snowflake,
				fc.boolean(),
				(r, query, offset, owner, nsfw) => {
					const body = searchResults({
						query,
						results: r,
						offset,
						owner,
						key: 'k',
						insteadKey: 'k2',
						gate: { nsfw, maxRating: 'Teen' },
					});
					expect(limitProblems(body)).toEqual([]);
				},
			),
			{ numRuns: 300 },
		);
		// One story's matching pages, in chapters or not.
		fc.assert(
			fc.property(
				fc.array(hit, { maxLength: 11 }),
				text(1000),
				fc.boolean(),
				fc.boolean(),
				fc.array(fc.option(fc.integer({ min: 1, max: 9999 }), { nil: undefined }), { maxLength: 11 }),
				(hits, query, more, nsfw, chapters) => {
					const story = { title: hits[0]?.title ?? query, author: hits[0]?.author ?? null };
					const body = storyPages({ query, story, hits, more, gate: { nsfw, maxRating: 'Teen' }, chapters });
					expect(limitProblems(body)).toEqual([]);
				},
			),
			{ numRuns: 300 },
		);
	});

	it('libraries', () => {
		const entry = fc.record({
			storyId: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
			page: fc.integer({ min: 1, max: 70_000 }),
			pages: fc.integer({ min: 1, max: 65_535 }),
			bookmark: fc.option(fc.integer({ min: 1, max: 70_000 }), { nil: null }),
			at: fc.nat(),
		});
		fc.assert(
			fc.property(fc.array(fc.tuple(entry, story), { maxLength: 40 }), (pairs) => {
				const body = libraryView(pairs.map(([e, st]) => ({ entry: e, story: st })));
				expect(limitProblems(body)).toEqual([]);
			}),
			{ numRuns: 200 },
		);
	});

	it('quote board pages', () => {
		const entry = fc.record({
			id: fc.stringMatching(/^[0-9a-z]{6}$/),
			storyId: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
			page: fc.integer({ min: 1, max: 65_535 }),
			text: text(4000),
			markup: fc.constantFrom('plain' as const, 'markdown' as const),
			speaker: fc.option(text(300), { nil: null }),
			title: text(1000),
			author: fc.option(text(500), { nil: null }),
			savedBy: fc.array(snowflake, { minLength: 1, maxLength: 60 }),
			savedAt: fc.nat(),
		});
		fc.assert(
			fc.property(
				fc.array(entry, { maxLength: 5 }),
				fc.nat({ max: 10 }),
				snowflake,
				fc.constantFrom('new' as const, 'top' as const),
				fc.constantFrom(...RATINGS),
				fc.boolean(),
				(entries, index, owner, sort, rating, nsfw) => {
					const view = { entries: sortBoard(entries, sort), sort, index, owner, ratingOf: () => rating };
					const gate = { nsfw, maxRating: 'Teen' as const };
					expect(limitProblems(boardPage({ ...view, gate }))).toEqual([]);
				},
			),
			{ numRuns: 200 },
		);
	});

	it('the settings card', () => {
		const settings: fc.Arbitrary<GuildSettings> = fc.record({
			maxRating: fc.constantFrom(...GATE_RATINGS),
			publicRead: fc.boolean(),
			publicSearch: fc.boolean(),
			qotd: fc.option(fc.record({ channelId: snowflake, hour: fc.integer({ min: 0, max: 23 }), timeZone: text(64) }), {
				nil: null,
			}),
		});
		fc.assert(
			fc.property(settings, optional(text(300)), (s, said) => {
				expect(limitProblems(settingsCard(s, said))).toEqual([]);
			}),
			{ numRuns: 200 },
		);
	});

	it('a reading club’s status and the line that ends a part', () => {
		const club = fc.record({
			guildId: snowflake,
			channelId: snowflake,
			storyId: fc.integer({ min: 1, max: 1000 }),
			title: text(300),
			schedule: fc.record({
				every: fc.constantFrom('day' as const, 'week' as const),
				at: fc.constantFrom('00:00', '09:30', '23:59'),
				timeZone: text(64),
				weekday: fc.integer({ min: 0, max: 6 }),
			}),
			per: fc.oneof(fc.constant('chapter' as const), fc.integer({ min: 1, max: 10 })),
			startedBy: snowflake,
			startedAt: fc.nat(),
			status: fc.constantFrom('active' as const, 'paused' as const, 'done' as const),
			pausedBecause: optional(text(2000)),
			nextPage: fc.integer({ min: 1, max: 65_535 }),
			lastSlot: fc.constant('2026-12-06'),
			parts: fc.array(
				fc.record({ n: fc.integer({ min: 1, max: 9999 }), first: fc.nat(), last: fc.nat(), threadId: snowflake }),
				{ maxLength: 50 },
			),
		});
		const readers = fc.dictionary(snowflake, fc.integer({ min: 1, max: 9999 }), { maxKeys: 300 });
		fc.assert(
			fc.property(club, optional(story), readers, fc.boolean(), fc.nat({ max: 60 }), (c, s, r, finished, cut) => {
				const next = finished ? null : new Date(8.64e15);
				expect(limitProblems(clubStatus(c, s, r, next))).toEqual([]);
				if (s) {
					const part = { n: 9999, first: 1, last: 65_535, threadId: c.channelId };
					expect(limitProblems(partEnd(c, s, part, next, cut))).toEqual([]);
				}
			}),
			{ numRuns: 150 },
		);
	});

	it('the archive card', () => {
		const body = archiveInfo({ stories: 1, authors: 1, words: 10, pages: 1, quotes: 0, bytesOnDisk: 0 }, [
			'a'.repeat(2000),
		]);
		expect(limitProblems(body)).toEqual([]);
	});
});

describe('render details', () => {
	it('offers to search without the word that no page has with the others, as the searcher’s page button', () => {
		const owner = '123456789012345678';
		const results: SearchResults = {
			hits: [],
			more: false,
			notes: ['No page has all of these words; without “sunnydale”, some do.'],
			instead: { query: 'spike leaving', without: 'sunnydale' },
		};
		const view = { query: 'spike leaving sunnydale', results, offset: 0, owner, key: 'spike leaving sunnydale' };
		const body = searchResults({ ...view, insteadKey: 'spike leaving', gate: { nsfw: false, maxRating: 'Teen' } });
		const button = body.components?.[0]?.components?.[0] as { label?: string; custom_id?: string } | undefined;
		expect(button?.label).toBe('Search without “sunnydale”');
		expect(decodeSearch(button?.custom_id ?? '')).toEqual({ kind: 'page', offset: 0, owner, key: 'spike leaving' });
		// Without a key for it (the store could not keep a long query), no button.
		const none = searchResults({ ...view, insteadKey: null, gate: { nsfw: false, maxRating: 'Teen' } });
		expect(none.components ?? []).toEqual([]);
	});

	const base: StoryRecord = {
		id: 7,
		path: 'leaving.txt',
		title: 'Leaving',
		author: 'Slaymesoftly',
		rating: 'Mature',
		ratingText: 'R',
		date: '2003-09-24',
		words: 2782,
		declaredWords: 2782,
		pageCount: 12,
		quoteCount: 3,
		chapterCount: 1,
		format: 'plain-text',
		markup: 'plain',
		meta: {
			title: 'Leaving',
			author: 'Slaymesoftly',
			rating: 'Mature',
			ratingText: 'R',
			date: null,
			declaredWords: null,
			notes: [],
			extra: {},
		},
	};

	it('shows the rating as normalised and as written', () => {
		expect(ratingLabel(base)).toBe('Mature (R)');
		expect(ratingLabel({ rating: 'Teen', ratingText: 'teen' })).toBe('Teen');
		expect(ratingLabel({ rating: 'Not Rated', ratingText: null })).toBe('Not Rated');
	});

	it('puts page, title and author in the footer and disables the buttons that go nowhere', () => {
		const first = readerPage(base, { storyId: 7, number: 1, chapter: 1, text: 'Some *text*.' }, '123456789012345678');
		expect(first.embeds[0]?.footer?.text).toBe('Page 1 of 12 · Leaving · Slaymesoftly');
		expect(first.embeds[0]?.description).toBe('Some \\*text\\*.');
		const buttons = first.components[0]?.components as { label: string; disabled?: boolean }[];
		expect(buttons.map((b) => [b.label, Boolean(b.disabled)])).toEqual([
			['« First', true],
			['‹ Previous', true],
			['1 / 12', false],
			['Next ›', false],
			['Last »', false],
		]);
		const last = readerPage(base, { storyId: 7, number: 12, chapter: 1, text: 'End.' }, '123456789012345678');
		const lastButtons = last.components[0]?.components as { disabled?: boolean }[];
		expect(lastButtons.map((b) => Boolean(b.disabled))).toEqual([false, false, false, true, true]);
	});

	it('gives an ephemeral card a Share button and a gated card no Read', () => {
		const labels = (body: ReturnType<typeof storyCard>) =>
			(body.components[0]?.components ?? []).map((c) => (c as { label?: string }).label);
		expect(labels(storyCard(base, []))).toEqual(['Read', 'Read in a thread', 'Random quote']);
		expect(labels(storyCard(base, [], { ephemeral: true }))).toEqual(['Read', 'Random quote', 'Share']);
		expect(storyCard(base, [], { gated: true }).components).toEqual([]);
	});

	it('links the card to where the story was posted, named by its site, gated or not', () => {
		const withUrl = (url: string) => ({ ...base, meta: { ...base.meta, url } });
		const links = (body: ReturnType<typeof storyCard>) =>
			(body.components[0]?.components ?? []).filter((c) => (c as { style?: number }).style === ButtonStyle.Link);
		expect(links(storyCard(withUrl('https://archiveofourown.org/works/218676'), []))).toEqual([
			{ type: 2, style: ButtonStyle.Link, label: 'Open on AO3', url: 'https://archiveofourown.org/works/218676' },
		]);
		const gated = storyCard(withUrl('http://archiveofourown.org/works/5'), [], { gated: true });
		expect(gated.components[0]?.components.map((c) => (c as { label?: string }).label)).toEqual(['Open on AO3']);
		expect(links(storyCard(base, []))).toEqual([]);
		expect(sourceLink('https://www.wattpad.com/story/173080052')?.label).toBe('Open on Wattpad');
		expect(sourceLink('https://m.fanfiction.net/s/1/1/')?.label).toBe('Open on FanFiction.Net');
		expect(sourceLink('https://www.fanfictions.fr/fanfictions/x/4798')?.label).toBe('Open on fanfictions.fr');
		for (const bad of ['javascript:alert(1)', 'mailto:a@b.c', 'ftp://example.org/x', '/works/5', 'not a url']) {
			expect(sourceLink(bad)).toBeNull();
		}
		expect(sourceLink(`https://archiveofourown.org/works/1?${'x'.repeat(500)}`)).toBeNull();
		expect(sourceLink(undefined)).toBeNull();
	});

	it('hides snippets of gated stories outside age-restricted channels', () => {
		const results: SearchResults = {
			hits: [
				{
					storyId: 7,
					title: 'Leaving',
					author: 'S',
					rating: 'Mature',
					page: 2,
					score: 1,
					snippet: [
						{ text: 'the ', match: false },
						{ text: 'secret', match: true },
						{ text: ' text', match: false },
					],
					markup: 'plain',
				},
			],
			more: false,
			notes: [],
		};
		const sfw = searchResults({
			query: 'secret',
			results,
			offset: 0,
			owner: '123456789012345678',
			key: 'secret',
			gate: { nsfw: false, maxRating: 'Teen' },
		});
		expect(JSON.stringify(sfw)).not.toContain('secret** text');
		const nsfw = searchResults({
			query: 'secret',
			results,
			offset: 0,
			owner: '123456789012345678',
			key: 'secret',
			gate: { nsfw: true, maxRating: 'Teen' },
		});
		expect(nsfw.embeds[0]?.fields?.[0]?.value).toBe('the **secret** text');
		// And in the list of a story's matching pages.
		const pages = (nsfw: boolean) =>
			storyPages({
				query: 'secret',
				story: { title: 'Leaving', author: 'S' },
				hits: results.hits,
				more: false,
				gate: { nsfw, maxRating: 'Teen' },
			});
		expect(JSON.stringify(pages(false))).not.toContain('secret** text');
		expect(pages(false).embeds[0]?.fields?.[0]?.value).toBe(
			'*Rated Mature: text shown only in age-restricted channels.*',
		);
		expect(pages(true).embeds[0]?.fields?.[0]).toEqual({ name: 'Page 2', value: 'the **secret** text' });
		// A story found by its title alone has no page to list, and says so.
		const none = storyPages({
			query: 'secret',
			story: { title: 'Leaving', author: 'S' },
			hits: [],
			more: false,
			gate: { nsfw: true, maxRating: 'Teen' },
		});
		expect(none.embeds[0]?.description).toBe('No page of *Leaving* by S matches.');
		expect(none.components ?? []).toEqual([]);
	});

	it('truncates without splitting a surrogate pair or leaving a dangling escape', () => {
		expect(truncate('ab😀cd', 4)).toBe('ab…');
		expect(truncate('abc\\*def', 5)).toBe('abc…');
		expect(truncate('short', 10)).toBe('short');
	});

	it('fits an embed to 6,000 characters by shortening the longest texts', () => {
		const embed = {
			description: 'd'.repeat(4096),
			fields: [
				{ name: 'n', value: 'v'.repeat(1024) },
				{ name: 'm', value: 'w'.repeat(1024) },
			],
		};
		const fitted = fitEmbed(embed);
		expect(embedLength(fitted)).toBeLessThanOrEqual(6000);
		expect(fitted.fields?.[0]?.value).toBe('v'.repeat(1024));
		expect(embedLength(fitEmbed({ description: 'short' }))).toBe(5);
	});

	it('shows a saved line of a markdown story on the board with its italics, and escapes a plain one', () => {
		const entry = {
			id: 'abc123',
			storyId: 1,
			page: 2,
			speaker: null,
			title: 'The Long Night',
			author: 'nightbird',
			savedBy: ['111111111111111111'],
			savedAt: 1,
		};
		const italic = 'She was *so* tired of the snow.';
		const shown = (e: typeof entry & { text: string; markup?: 'plain' | 'markdown' }) =>
			(
				boardPage({
					entries: [e],
					sort: 'new',
					index: 0,
					owner: '111111111111111111',
					gate: DEFAULT_GATE,
					ratingOf: () => 'General',
				}).embeds?.[0] as { description?: string } | undefined
			)?.description;
		expect(shown({ ...entry, text: italic, markup: 'markdown' })).toContain('“She was *so* tired of the snow.”');
		expect(shown({ ...entry, text: italic, markup: 'plain' })).toContain('“She was \\*so\\* tired of the snow.”');
		// Saved before lines knew their markup: as plain text.
		expect(shown({ ...entry, text: italic })).toContain('\\*so\\*');
	});

	it('draws progress as a bar', () => {
		expect(progressBar(3, 9)).toBe('▓▓▓░░░░░░░ 33%');
		expect(progressBar(9, 9)).toBe('▓▓▓▓▓▓▓▓▓▓ 100%');
		expect(progressBar(12, 9)).toBe('▓▓▓▓▓▓▓▓▓▓ 100%');
	});

	it('reads reading time like a person', () => {
		expect(readingTime(2782)).toBe('about 12 min');
		expect(readingTime(50)).toBe('about 1 min');
		expect(readingTime(230 * 125)).toBe('about 2 h 5 min');
	});
});
