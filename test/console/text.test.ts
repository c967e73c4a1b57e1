import Keyv from 'keyv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { importArchive } from '../../src/archive/import.js';
import { ArchiveSearch } from '../../src/archive/search/index.js';
import { ArchiveStore } from '../../src/archive/store.js';
import { formatStats } from '../../src/cli/archive.js';
import { renderActions, renderEmbed, stripAnsi, visible, wrap } from '../../src/console/render.js';
import { ConsoleSession, HELP_PARAGRAPHS, helpText } from '../../src/console/session.js';
import { displayWidth } from '../../src/console/width.js';
import { storyCard } from '../../src/discord/render/story.js';
import { memoryLogger } from '../../src/log.js';
import { State } from '../../src/state.js';

describe('display width', () => {
	it.each([
		['plain ASCII', 'Spike', 5],
		['CJK, two columns each', '日本語', 6],
		['Hangul', '한국어', 6],
		['fullwidth letters', 'ＡＢ', 4],
		['an emoji', '🦇', 2],
		['a ZWJ family, one emoji', '👩‍👩‍👧', 2],
		['a flag, two regional indicators', '🇬🇧', 2],
		['a heart made emoji by VS16', '❤️', 2],
		['combining accents', 'e\u0301te\u0301', 3],
		['accented letters', 'Zoë Müller', 10],
	])('%s', (_, text, columns) => {
		expect(displayWidth(text)).toBe(columns);
	});
});

describe('wrapping with real widths', () => {
	it('wraps CJK and emoji text within the width, never cutting a character or an emoji apart', () => {
		const text = '吸血鬼は夜に来る。🦇👩‍👩‍👧 バフィーは待っている。'.repeat(6);
		for (const width of [10, 21, 40]) {
			const lines = wrap(text, width);
			for (const line of lines) expect(visible(line), line).toBeLessThanOrEqual(width);
			expect(lines.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
			expect(lines.some((l) => l.includes('\u200d') && !l.includes('👩‍👩‍👧'))).toBe(false);
		}
	});

	it('keeps the embed box aligned around CJK and emoji', () => {
		const box = renderEmbed(
			{
				title: '夜 🦇',
				description: `Buffy said ${'こんにちは、スパイク。'.repeat(5)} 🇬🇧 ❤️ end`,
				footer: { text: '👩‍👩‍👧' },
			},
			{ width: 80, color: false },
		);
		for (const line of box) expect(displayWidth(line), line).toBe(80);
	});
});

describe('the console banner', () => {
	it.each([80, 100])('wraps at word boundaries at %i columns', (width) => {
		const lines = helpText(width).split('\n');
		for (const line of lines) expect(visible(line)).toBeLessThanOrEqual(width);
		// Put back together with single spaces, the lines are the paragraphs: no word was split.
		const words = HELP_PARAGRAPHS.join(' ').split(/\s+/);
		expect(lines.join(' ').split(/\s+/)).toEqual(words);
	});
});

describe('on the stories shipped in data/', () => {
	let store: ArchiveStore;
	let search: ArchiveSearch;
	let session: ConsoleSession;
	beforeAll(async () => {
		store = ArchiveStore.open(':memory:');
		const summary = await importArchive(store, new URL('../../data/', import.meta.url).pathname);
		expect(summary.failed).toEqual([]);
		search = new ArchiveSearch(store);
		const log = memoryLogger();
		session = new ConsoleSession({
			ctx: { store, search, state: new State(new Keyv(), log), log, commands: [...commands] },
			look: { width: 80, color: false },
		});
	});
	afterAll(() => {
		search?.close();
		store?.close();
	});

	it("the banner's examples find what they name", async () => {
		const examples = [
			'/story leaving',
			'/read leaving 3',
			'/quote',
			'/search "ten miles"',
			'/archive',
			'/read story:Moving Day page:3',
			'/quote "moving day" Dawn',
		];
		for (const example of examples) {
			expect(HELP_PARAGRAPHS.join(' ')).toContain(example);
			const result = await session.run(example);
			expect(result.ok, `${example}: ${result.output}`).toBe(true);
			expect(result.output).not.toMatch(/No story matches|no quotable|No page has/i);
		}
		expect((await session.run('/read story:Moving Day page:3')).output).toContain('Page 3 of');
	});

	it('a story of one chapter says so, not "pick one from 1 to 1"', async () => {
		const result = await session.run('/read story:Moving Day chapter:2');
		expect(result.output).toContain('“Moving Day” has only one chapter.');
		expect(result.output).not.toContain('from 1 to 1');
	});
});

describe('text faults', () => {
	it('a menu option whose description has its own dash gets no second one', () => {
		const message = {
			components: [
				{
					type: 1,
					components: [
						{
							type: 3,
							custom_id: 'quote:pick',
							placeholder: 'Pick a line',
							options: [
								{ label: 'Not the bronze…', value: '1', description: '— Spike' },
								{ label: 'The sun came up.', value: '2', description: 'narration' },
							],
						},
					],
				},
			],
		};
		const lines = renderActions(
			[
				{
					kind: 'option',
					customId: 'quote:pick',
					value: '1',
					label: 'Not the bronze…',
					description: '— Spike',
					disabled: false,
				},
				{
					kind: 'option',
					customId: 'quote:pick',
					value: '2',
					label: 'The sun came up.',
					description: 'narration',
					disabled: false,
				},
			],
			message as never,
			{ width: 80, color: false },
		).map(stripAnsi);
		expect(lines).toContain('  1. Not the bronze… — Spike');
		expect(lines).toContain('  2. The sun came up. — narration');
	});

	it('the story card footer says how to open the story again, not "Story N"', () => {
		const card = storyCard(
			{
				id: 42,
				title: 'Leaving',
				author: 'Slaymesoftly',
				rating: 'Teen',
				words: 2782,
				pageCount: 9,
				chapterCount: 1,
				quoteCount: 3,
				meta: { notes: [], language: 'English' },
			} as never,
			[],
		);
		const footer = card.embeds?.[0]?.footer?.text ?? '';
		expect(footer).not.toMatch(/Story 42/);
		expect(footer).toBe('Open it again: /read story:Leaving · English');
	});

	it('stats prints every count with thousands separators', () => {
		const line = formatStats(
			{
				stories: 1200,
				authors: 1001,
				words: 1_359_900,
				pages: 4500,
				quotes: 20_100,
				bytesOnDisk: 5 * 1024 * 1024,
			} as never,
			'data/archive.sqlite',
		);
		expect(line).toBe(
			'1,200 stories by 1,001 authors · 1,359,900 words · 4,500 pages · 20,100 quotes · 5.0 MB on disk (data/archive.sqlite)',
		);
	});
});
