import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_ID } from '../../src/console/ids.js';
import { InputError, parseLine, toOptions } from '../../src/console/options.js';
import { EPHEMERAL_MARK, markdown, renderEmbed, stripAnsi, visible, wrap } from '../../src/console/render.js';
import { ConsoleSession } from '../../src/console/session.js';
import { openFixture } from './fixture.js';

let fx: Awaited<ReturnType<typeof openFixture>>;
const plain = { width: 80, color: false };

beforeAll(async () => {
	fx = await openFixture();
});
afterAll(() => fx?.close());

/** A session whose modal questions are answered from a list. */
function session(answers: string[] = [], options: { json?: boolean; nsfw?: boolean } = {}) {
	const asked: string[] = [];
	const s = new ConsoleSession({
		ctx: fx.ctx,
		look: plain,
		json: Boolean(options.json),
		place: { nsfw: Boolean(options.nsfw) },
		ask: async (question, intro) => {
			asked.push(`${intro ? `${intro}\n` : ''}${question}`);
			return answers.shift() ?? null;
		},
	});
	return { s, asked };
}

describe('typed options', () => {
	const parse = (line: string) => {
		const parsed = parseLine(line, fx.ctx.commands);
		return Object.fromEntries(toOptions(parsed).map((o) => [o.name, o.value]));
	};

	it('reads options by position, in the command’s order, or by name', () => {
		expect(parse('/read leaving 3')).toEqual({ story: 'leaving', page: 3 });
		expect(parse('/read the long night 3 true')).toEqual({ story: 'the long night', page: 3, private: true });
		expect(parse('/read story:The Long Night page:3')).toEqual({ story: 'The Long Night', page: 3 });
		expect(parse('/read leaving page:2')).toEqual({ story: 'leaving', page: 2 });
		expect(parse('/quote "moving day" Dawn')).toEqual({ story: 'moving day', character: 'Dawn' });
		expect(parse('/quote character:Spike')).toEqual({ character: 'Spike' });
		expect(parse('/archive')).toEqual({});
	});

	it('reads a subcommand, choices by value or name, and the console’s channel', () => {
		const sub = (line: string) => toOptions(parseLine(line, fx.ctx.commands));
		expect(sub('/library list')).toEqual([{ name: 'list', type: 1, options: [] }]);
		expect(sub('/settings replies read:for the reader alone')).toEqual([
			{ name: 'replies', type: 1, options: [{ name: 'read', type: 3, value: 'private' }] },
		]);
		expect(sub('/settings qotd #console 9 Europe/London')[0]?.options).toEqual([
			{ name: 'channel', type: 7, value: CHANNEL_ID },
			{ name: 'hour', type: 4, value: 9 },
			{ name: 'timezone', type: 3, value: 'Europe/London' },
		]);
		expect(() => sub('/library')).toThrow('Say which: /library list, /library clear.');
		expect(() => sub('/settings rating Explicit')).toThrow('/settings rating max is one of General, Teen, Mature.');
		expect(() => sub('/settings qotd #general 9')).toThrow('the console has one channel, #console');
	});

	it('keeps a search query as typed: quotes, colons and all', () => {
		expect(parse('/search "ten miles"')).toEqual({ query: '"ten miles"' });
		expect(parse('/search author:klyt rating:<=teen')).toEqual({ query: 'author:klyt rating:<=teen' });
		expect(parse('/search query:crypt -desoto private:true')).toEqual({ query: 'crypt -desoto', private: true });
	});

	it('checks what Discord’s client checks before sending', () => {
		const bad = (line: string) => () => parse(line);
		expect(bad('/read')).toThrow(new InputError('/read needs story: Title or author.'));
		expect(bad('/read leaving 0')).toThrow('/read page must be at least 1.');
		expect(bad('/read leaving private:maybe')).toThrow('/read private is true or false.');
		expect(bad('/archive now')).toThrow('/archive takes no options.');
		expect(bad('/nope')).toThrow(/There is no \/nope\. The commands are \/story, \/read/);
		expect(bad(`/search ${'x'.repeat(501)}`)).toThrow(/takes at most \d+ characters/);
	});
});

describe('drawing messages', () => {
	const ansi = { width: 80, color: true };

	it('turns Discord markdown into terminal styles, or plain text without colour', () => {
		expect(markdown('a **bold** and *it* and _it_ \\*not\\*', plain)).toBe('a bold and it and it *not*');
		expect(markdown('**bold**', ansi)).toBe('\x1b[1mbold\x1b[22m');
		expect(markdown('*it*', ansi)).toBe('\x1b[3mit\x1b[23m');
		expect(markdown('a * lone star', plain)).toBe('a * lone star');
		expect(markdown('Shared by <@123>', plain)).toBe('Shared by @123');
		expect(markdown('snake_case_name', plain)).toBe('snake_case_name');
		expect(wrap(markdown('**one\ntwo**', ansi), 40)).toEqual(['\x1b[1mone\x1b[0m', '\x1b[1mtwo\x1b[22m']);
	});

	it('wraps to the width, carrying a style over the line end', () => {
		const lines = wrap(markdown(`**${'word '.repeat(30).trim()}**`, ansi), 40);
		expect(lines.length).toBeGreaterThan(1);
		for (const line of lines) expect(visible(line)).toBeLessThanOrEqual(40);
		expect(lines[1]?.startsWith('\x1b[1m')).toBe(true);
		expect(wrap('x'.repeat(100), 30).map((l) => l.length)).toEqual([30, 30, 30, 10]);
	});

	it('boxes an embed with its title, fields and footer, the edge in its colour', () => {
		const embed = {
			title: 'Leaving',
			color: 0xe6c300,
			description: 'A *page*',
			fields: [{ name: 'Author', value: 'Slaymesoftly', inline: true }],
			footer: { text: 'Page 1 of 9' },
		};
		const box = renderEmbed(embed, plain);
		expect(box[0]).toMatch(/^┌ Leaving ─+┐$/);
		expect(box).toContain(`│ A page${' '.repeat(70)} │`);
		expect(box.some((l) => l.includes('Author: Slaymesoftly'))).toBe(true);
		expect(box.at(-2)).toContain('Page 1 of 9');
		for (const line of box) expect(visible(line)).toBe(80);
		expect(renderEmbed(embed, ansi)[1]?.startsWith('\x1b[38;2;230;195;0m│')).toBe(true);
	});
});

describe('a console session', () => {
	it('prints a page, turns it by number, jumps through the modal on the prompt', async () => {
		const { s, asked } = session(['5']);
		const first = await s.run('/read leaving');
		expect(first.ok).toBe(true);
		expect(first.output).toMatch(/^┌ Leaving ─+┐$/m);
		expect(first.output).toContain('Page 1 of 9 · Leaving · Slaymesoftly');
		expect(first.output).toContain('[1 « First (off)] [2 ‹ Previous (off)] [3 1 / 9] [4 Next ›] [5 Last »]');
		expect(first.output).toContain('[6 Bookmark]');
		const next = await s.run('4');
		expect(next.output).toMatch(/^↻ updated:/);
		expect(next.output).toContain('Page 2 of 9 ·');
		const jumped = await s.run('3');
		expect(asked).toEqual(['▣ Go to page · Leaving\n  Page (1 to 9) [2]\nPage (1 to 9): ']);
		expect(jumped.output).toContain('Page 5 of 9 ·');
		expect((await s.run('9')).output).toBe('Pick 1 to 8.');
		expect(s.channel.messages.size).toBe(1);
	});

	it('numbers a menu’s options after the buttons, and a number picks one', async () => {
		const { s } = session();
		const results = await s.run('/search lighthouse');
		expect(results.output).toContain('[1 ‹ Previous (off)] [2 Next ›]');
		expect(results.output).toMatch(/Open a result at its page:\n {2}3\. Lighthouse \d · page 1 — by Keeper \d/);
		const opened = await s.run('3');
		expect(opened.output).toMatch(/Page 1 of 1 · Lighthouse \d · Keeper \d/);
	});

	it('marks ephemeral answers and shows the bot’s own errors', async () => {
		const { s } = session();
		const archive = await s.run('/archive');
		expect(archive.output.split('\n')[0]).toBe(EPHEMERAL_MARK);
		const none = await s.run('/story nothing like it');
		expect(none.output).toContain(EPHEMERAL_MARK);
		expect(none.output).toContain('No story matches “nothing like it”');
		expect((await s.run('/read')).output).toBe('/read needs story: Title or author.');
		expect((await s.run('7')).output).toBe('Nothing to click yet: run a command first.');
		expect((await s.run('hello')).ok).toBe(false);
	});

	it('prints the raw payloads with --json', async () => {
		const { s } = session([], { json: true });
		const out = JSON.parse((await s.run('/search spike')).output) as { kind: string; data: { embeds?: unknown[] } }[];
		expect(out.map((r) => r.kind)).toEqual(['reply']);
		expect(out[0]?.data.embeds).toHaveLength(1);
		expect(stripAnsi(JSON.stringify(out))).toBe(JSON.stringify(out));
		// Numbers click in JSON mode too.
		const opened = JSON.parse((await s.run('1')).output) as { kind: string; type: number }[];
		expect(opened.map((r) => [r.kind, r.type])).toEqual([['reply', 4]]);
	});

	it('completes commands, then stories and characters through the bot’s autocomplete', async () => {
		const { s } = session();
		expect(await s.complete('/re')).toEqual([['/read '], '/re']);
		expect(await s.complete('/read lea')).toEqual([['Leaving — Slaymesoftly '], 'lea']);
		// What was picked by name is sent as the choice's value, as Discord does.
		const read = await s.run('/read Leaving — Slaymesoftly 2');
		expect(read.output).toContain('Page 2 of 9 · Leaving');
		// A title before another option is quoted, so the next one can follow it.
		const [stories] = await s.complete('/quote lea');
		expect(stories).toEqual(['"Leaving — Slaymesoftly" ']);
		expect(await s.complete('/quote "Leaving — Slaymesoftly" sp')).toEqual([['Spike '], 'sp']);
		expect(await s.complete('/quote story:Leaving — Slaymesoftly character:')).toEqual([
			expect.arrayContaining(['Spike ', 'Buffy ']),
			'',
		]);
		const quote = await s.run('/quote "Leaving — Slaymesoftly" Spike');
		expect(quote.output).toContain('— Spike, in Leaving by Slaymesoftly');
		expect(await s.complete('/read leaving private:tr')).toEqual([['true '], 'tr']);
		expect(await s.complete('/search spi')).toEqual([[], 'spi']);
		expect(await s.complete('/library c')).toEqual([['clear '], 'c']);
		expect(await s.complete('/settings rating m')).toEqual([['Mature '], 'm']);
	});

	it('shows the text of a gated story only in an age-restricted session', async () => {
		const sfw = await session().s.run('/read after dark');
		expect(sfw.output).toContain('rated Explicit');
		expect(sfw.output).not.toContain('I never sleep');
		const nsfw = await session([], { nsfw: true }).s.run('/read after dark');
		expect(nsfw.output).toContain('I never sleep');
	});
});
