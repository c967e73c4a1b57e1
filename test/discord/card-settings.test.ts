import fc from 'fast-check';
import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import type { StoryRecord } from '../../src/archive/store.js';
import { escapeText } from '../../src/discord/render/escape.js';
import { LIMITS, truncateMarkdown } from '../../src/discord/render/limits.js';
import { settingsCard } from '../../src/discord/render/settings.js';
import { SHORT_SUMMARY, shortSummary, storyCard } from '../../src/discord/render/story.js';
import { memoryLogger } from '../../src/log.js';
import { type CardSettings, cardSettings, DEFAULT_CARD, DEFAULT_SETTINGS, State } from '../../src/state.js';
import { limitProblems } from './limits.js';

const SUMMARY =
	'Buffy has one night to find Dawn before the snow closes the roads out of Sunnydale. Spike knows where she went, ' +
	'and he is not telling, not for free. A long walk through the cemeteries, an argument in a crypt, and a choice ' +
	'that neither of them wants to make before the sun comes up over the town that never stays quiet for long.';

/** An AO3 story with every field the card settings choose about. */
const story: StoryRecord = {
	id: 9,
	path: 'the-long-night.html',
	title: 'The Long Night',
	author: 'nightbird',
	rating: 'Teen',
	ratingText: 'Teen And Up Audiences',
	date: '2019-12-01',
	words: 1204,
	declaredWords: 1204,
	pageCount: 3,
	quoteCount: 4,
	chapterCount: 3,
	format: 'ao3-html',
	markup: 'markdown',
	meta: {
		title: 'The Long Night',
		author: 'nightbird',
		rating: 'Teen',
		ratingText: 'Teen And Up Audiences',
		date: '2019-12-01',
		declaredWords: 1204,
		summary: SUMMARY,
		fandom: 'Buffy the Vampire Slayer (TV)',
		category: 'F/M, Gen',
		warnings: 'No Archive Warnings Apply',
		relationships: ['Buffy Summers/Spike'],
		characterTags: ['Buffy Summers', 'Spike (Buffyverse)', 'Dawn Summers'],
		additionalTags: ['Post-Season/Series 06', 'Hurt/Comfort', 'Snow'],
		notes: [],
		extra: {},
	},
};
const characters = [{ name: 'Buffy', count: 40 }];

const card = (settings: Partial<CardSettings>, s: StoryRecord = story) =>
	storyCard(s, characters, { card: { ...DEFAULT_CARD, ...settings } });
const fields = (body: ReturnType<typeof storyCard>) =>
	Object.fromEntries((body.embeds[0]?.fields ?? []).map((f) => [f.name, f.value]));
const names = (body: ReturnType<typeof storyCard>) => Object.keys(fields(body));

describe('story cards by the server’s card settings', () => {
	it('are today’s card by default, with or without card settings', () => {
		expect(card({})).toEqual(storyCard(story, characters));
		expect(names(card({}))).toEqual([
			'Author',
			'Rating',
			'Words',
			'Date',
			'Length',
			'Characters',
			'Relationships',
			'Fandom',
			'Category',
			'Warnings',
			'Tags',
		]);
		expect(card({}).embeds[0]?.description).toBe(SUMMARY);
	});

	it('leave out the fandom, relationships (or pairing) and characters when hidden, and nothing else', () => {
		const all = names(card({}));
		expect(names(card({ fandom: 'hidden' }))).toEqual(all.filter((n) => n !== 'Fandom'));
		expect(names(card({ relationships: 'hidden' }))).toEqual(all.filter((n) => n !== 'Relationships'));
		expect(names(card({ characters: 'hidden' }))).toEqual(all.filter((n) => n !== 'Characters'));
		// A plain-text story's pairing is its relationships; characters found in the text are its characters.
		const plain: StoryRecord = {
			...story,
			meta: { ...story.meta, relationships: undefined, characterTags: undefined, pairing: 'Buffy/Spike' },
		};
		expect(fields(card({}, plain))).toMatchObject({ Pairing: 'Buffy/Spike', Characters: 'Buffy' });
		expect(names(card({ relationships: 'hidden', characters: 'hidden' }, plain))).not.toContain('Pairing');
		expect(names(card({ characters: 'hidden' }, plain))).not.toContain('Characters');
	});

	it('put warnings and tags behind spoiler bars, or leave them out', () => {
		const spoilered = fields(card({ warnings: 'spoiler', tags: 'spoiler' }));
		expect(spoilered.Warnings).toBe('||No Archive Warnings Apply||');
		expect(spoilered.Tags).toBe('||Post-Season/Series 06, Hurt/Comfort, Snow||');
		// Only those two: the others stay as they were.
		expect({ ...spoilered, Warnings: '', Tags: '' }).toEqual({ ...fields(card({})), Warnings: '', Tags: '' });
		expect(fields(card({ warnings: 'spoiler' })).Tags).toBe('Post-Season/Series 06, Hurt/Comfort, Snow');
		expect(names(card({ warnings: 'hidden' }))).not.toContain('Warnings');
		expect(names(card({ tags: 'hidden' }))).not.toContain('Tags');
		expect(names(card({ tags: 'hidden' }))).toContain('Warnings');
	});

	it('keep a spoiler’s bars around tags that hold bars, markdown or mentions of their own', () => {
		const hostile: StoryRecord = {
			...story,
			meta: {
				...story.meta,
				warnings: 'x||shown||',
				additionalTags: ['||twist||', '*bold* `code`', '@everyone', '\\'],
			},
		};
		const f = fields(card({ warnings: 'spoiler', tags: 'spoiler' }, hostile));
		expect(f.Warnings).toBe('||x\\|\\|shown\\|\\|||');
		expect(f.Tags).toBe('||\\|\\|twist\\|\\|, \\*bold\\* \\`code\\`, @\u200beveryone, \\\\||');
	});

	it('show the full summary, about 300 characters of it cut at a word, or none', () => {
		expect(card({ summary: 'full' }).embeds[0]?.description).toBe(SUMMARY);
		const short = card({ summary: 'short' }).embeds[0]?.description ?? '';
		expect(short.length).toBeLessThanOrEqual(SHORT_SUMMARY + 1);
		expect(short.length).toBeGreaterThan(SHORT_SUMMARY / 2);
		expect(short.endsWith('…')).toBe(true);
		expect(SUMMARY.startsWith(short.slice(0, -1))).toBe(true);
		// Cut at a word: what comes next in the summary is a space.
		expect(SUMMARY[short.length - 1]).toBe(' ');
		expect(card({ summary: 'none' }).embeds[0]?.description).toBeUndefined();
		// No summary: the notes stand in for it, and go with it.
		const notes: StoryRecord = { ...story, meta: { ...story.meta, summary: undefined, notes: ['For K.'] } };
		expect(card({}, notes).embeds[0]?.description).toBe('For K.');
		expect(card({ summary: 'none' }, notes).embeds[0]?.description).toBeUndefined();
	});

	it('cut a short summary at a word, or inside a word longer than half of it', () => {
		expect(shortSummary('  A short one.  ')).toBe('A short one.');
		expect(shortSummary('one two three four', 10)).toBe('one two…');
		expect(shortSummary(`a ${'x'.repeat(50)}`, 10)).toBe('a xxxxxxx…');
		expect(shortSummary('x'.repeat(400))).toHaveLength(SHORT_SUMMARY);
	});

	it('stay within every limit with spoilers, each spoiler closing over what is left when cut', () => {
		const tag = fc.string({
			unit: fc.oneof(fc.constantFrom('|', '||', '\\', '*', '`', ' ', '😀'), fc.string({ maxLength: 1 })),
			maxLength: 300,
		});
		const settings = fc.record({
			fandom: fc.constantFrom('shown', 'hidden'),
			relationships: fc.constantFrom('shown', 'hidden'),
			characters: fc.constantFrom('shown', 'hidden'),
			warnings: fc.constantFrom('shown', 'spoiler', 'hidden'),
			tags: fc.constantFrom('shown', 'spoiler', 'hidden'),
			summary: fc.constantFrom('full', 'short', 'none'),
		}) as fc.Arbitrary<CardSettings>;
		const cut = { toField: 0, toMessage: 0 };
		fc.assert(
			fc.property(
				settings,
				fc.array(tag, { maxLength: 60 }),
				tag,
				fc.string({ maxLength: 3000 }),
				fc.boolean(),
				(s, tags, warning, summary, crowded) => {
					// Crowded: the other fields near the field limit and the spoilered ones past it, so both a field's
					// 1,024 characters and the message's 6,000 cut the spoilers (the longest texts are cut first).
					const other = crowded ? 'x'.repeat(1000) : summary.slice(0, 200);
					const big: StoryRecord = {
						...story,
						meta: {
							...story.meta,
							summary: `${crowded ? 'x'.repeat(1500) : ''}${summary}`,
							disclaimer: other,
							fandom: other,
							category: other,
							season: other,
							relationships: [other],
							characterTags: [other],
							warnings: `${warning}${crowded ? '|'.repeat(600) : ''}`,
							additionalTags: crowded ? [...tags, 'y'.repeat(1100)] : tags,
						},
					};
					const body = storyCard(big, characters, { card: s });
					expect(limitProblems(body)).toEqual([]);
					for (const f of body.embeds[0]?.fields ?? []) {
						if ((f.name === 'Warnings' && s.warnings === 'spoiler') || (f.name === 'Tags' && s.tags === 'spoiler')) {
							// One spoiler: live bars at both ends, every bar between them escaped.
							expect(f.value.replace(/\\[\s\S]/g, 'x')).toMatch(/^\|\|[^|]+\|\|$/);
							if (f.value.length >= LIMITS.fieldValue - 4) cut.toField++;
							else if (crowded && f.value.length < 200) cut.toMessage++;
						}
					}
				},
			),
			{ numRuns: 200 },
		);
		// The property is only as good as its cases: spoilers were cut, to a field's limit and to the message's.
		expect(cut.toField).toBeGreaterThan(0);
		expect(cut.toMessage).toBeGreaterThan(0);
	});

	it('cut a spoiler inside its bars, and anything else as before', () => {
		const spoiler = `||${escapeText('a || b '.repeat(200))}||`;
		const cut = truncateMarkdown(spoiler, LIMITS.fieldValue);
		expect(cut).toHaveLength(LIMITS.fieldValue);
		expect(cut.startsWith('||a \\|\\| b')).toBe(true);
		expect(cut.endsWith('…||')).toBe(true);
		// Two spoilers side by side are not one: cut as any text.
		expect(truncateMarkdown('||a|| b ||c||', 8)).toBe('||a|| b…');
		expect(truncateMarkdown('short', 10)).toBe('short');
	});
});

describe('card settings as stored', () => {
	it('read settings saved before card settings, or with values this version does not know, as the default card', () => {
		expect(cardSettings(undefined)).toEqual(DEFAULT_CARD);
		expect(cardSettings('everything')).toEqual(DEFAULT_CARD);
		expect(cardSettings({ tags: 'spoiler', warnings: 'blurred', summary: 120, colour: 'red' })).toEqual({
			...DEFAULT_CARD,
			tags: 'spoiler',
		});
	});

	it('change field by field, keeping the rest, and read back an older record unchanged', async () => {
		const keyv = new Keyv();
		const state = new State(keyv, memoryLogger());
		// A record written before card settings existed.
		await keyv.set('settings:g1', {
			v: 1,
			data: { maxRating: 'Mature', publicRead: false, publicSearch: true, qotd: null },
		});
		const old = await state.settings('g1');
		expect(old).toEqual({ ...DEFAULT_SETTINGS, maxRating: 'Mature', publicRead: false });
		expect(old.card).toBeUndefined();
		await state.updateSettings('g1', { card: { tags: 'spoiler' } });
		await state.updateSettings('g1', { card: { summary: 'short', fandom: 'hidden' } });
		expect(await state.settings('g1')).toEqual({
			...DEFAULT_SETTINGS,
			maxRating: 'Mature',
			publicRead: false,
			card: { ...DEFAULT_CARD, tags: 'spoiler', summary: 'short', fandom: 'hidden' },
		});
		// A stored card with a value from elsewhere: that field is the default, the others kept.
		await keyv.set('settings:g2', { v: 1, data: { ...DEFAULT_SETTINGS, card: { tags: 'spoiler', warnings: 42 } } });
		expect((await state.settings('g2')).card).toEqual({ ...DEFAULT_CARD, tags: 'spoiler' });
	});
});

describe('the settings card', () => {
	it('says what story cards show: one line for the default, field by field otherwise', () => {
		const value = (s: typeof DEFAULT_SETTINGS) =>
			settingsCard(s).embeds[0]?.fields?.find((f) => f.name === 'Story cards')?.value;
		expect(value(DEFAULT_SETTINGS)).toMatch(/^Every field and the full summary \(the default\)/);
		expect(value({ ...DEFAULT_SETTINGS, card: { ...DEFAULT_CARD } })).toMatch(/\(the default\)/);
		expect(
			value({
				...DEFAULT_SETTINGS,
				card: { ...DEFAULT_CARD, warnings: 'spoiler', characters: 'hidden', summary: 'none' },
			}),
		).toBe(
			'Fandom: shown · Relationships: shown · Characters: hidden\nWarnings: behind spoiler bars · Tags: shown\nSummary: none',
		);
	});
});
