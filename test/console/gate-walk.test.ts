import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIModalInteractionResponseCallbackData } from 'discord.js';
import { ApplicationCommandOptionType as T } from 'discord.js';
import Keyv from 'keyv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { ArchiveSearch } from '../../src/archive/search/index.js';
import type { ArchiveStore } from '../../src/archive/store.js';
import { LocalChannel, type Outcome } from '../../src/console/channel.js';
import { CHANNEL_ID, DEFAULT_USER, GUILD_ID } from '../../src/console/ids.js';
import type { LocalOption, Response } from '../../src/console/interactions.js';
import { componentsOf, LocalApiError, type LocalMessage } from '../../src/console/wire.js';
import type { Context } from '../../src/discord/context.js';
import { sortBoard } from '../../src/discord/render/board.js';
import { memoryLogger } from '../../src/log.js';
import { State } from '../../src/state.js';
import { importInMemory, writeFixtureStories } from '../e2e/harness.js';
import { FRIEND } from './fixture.js';

/**
 * The rating gate, walked: every command and every component the bot offers (and forged custom_ids for every
 * route), in a server channel that is not age-restricted and in a DM, over an archive holding an Explicit
 * story whose text has a word no other story has. Nothing the bot sends there (content, embeds, button and
 * menu labels, menu options, modal titles, autocomplete choices) may carry any of that story's text. The
 * same walk in an age-restricted channel must find the text, so the walk is known to reach it.
 */

const MARKER = 'quixotrel';
const PARAGRAPHS = [
	`The ${MARKER} lamp burned low over the velvet ledger while Marguerite counted the copper coins twice.`,
	`"Nobody reads a ${MARKER} ledger by candlelight," Marguerite said, and shut the heavy book.`,
	`Tobias leaned against the crooked doorframe. "Then we read it in the dark, ${MARKER} and all," he said.`,
	`Rain hammered the slate roof of the counting house; somewhere below a cart wheel squealed on cobbles.`,
	`"Your ${MARKER} numbers never add up before midnight," Tobias said, and pulled the curtain closed.`,
	`Marguerite laughed at him across the table. "They add up when the ${MARKER} candle is out," she said.`,
];
/** Long enough for three pages, so that page buttons, jumps and "Quote a line" all have somewhere to go. */
const BODY = Array.from({ length: 6 }, (_, i) =>
	PARAGRAPHS.map((p) => p.replace('copper coins', `copper coins of drawer ${i + 1}`)).join('\n\n'),
).join('\n\n');
const EXPLICIT = `Title: Midnight Ledger\nAuthor: Velvet Nib\nRating: Explicit\nFandom: Ledger Tales\n\n${BODY}\n`;

const words = (text: string) => text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
/** Every run of four words of the story's text: a reply carrying any of them carries its text. */
const SHINGLES = new Set(
	words(BODY)
		.map((_, i, all) => all.slice(i, i + 4).join(' '))
		.filter((s) => s.split(' ').length === 4),
);

/** Every string of a response that a person can see. */
function visibleStrings(r: Response): string[] {
	const out: string[] = [];
	const message = (m: {
		content?: string;
		embeds?: LocalMessage['embeds'];
		components?: LocalMessage['components'];
	}) => {
		if (m.content) out.push(m.content);
		for (const e of m.embeds ?? []) {
			out.push(e.title ?? '', e.description ?? '', e.footer?.text ?? '', e.author?.name ?? '');
			for (const f of e.fields ?? []) out.push(f.name, f.value);
		}
		for (const c of componentsOf({ components: m.components ?? [] })) {
			if ('label' in c && c.label) out.push(c.label);
			if ('placeholder' in c && c.placeholder) out.push(c.placeholder);
			if ('options' in c) for (const o of c.options) out.push(o.label, o.description ?? '');
		}
	};
	if (r.kind === 'choices') for (const c of r.data.choices) out.push(c.name, String(c.value));
	else if (r.kind === 'modal') out.push(JSON.stringify(r.data));
	else if ('data' in r && r.kind !== 'deferReply') message(r.data);
	else if ('message' in r) message(r.message);
	return out.filter(Boolean);
}

/** Where a string carries the story's text: the marker word, or four of its words in a row. */
function leak(text: string): string | null {
	if (text.toLowerCase().includes(MARKER)) return MARKER;
	const w = words(text);
	for (let i = 0; i + 4 <= w.length; i++) {
		const shingle = w.slice(i, i + 4).join(' ');
		if (SHINGLES.has(shingle)) return shingle;
	}
	return null;
}

let store: ArchiveStore;
let search: ArchiveSearch;
let ctx: Context;
let explicitId: number;
let quoteIds: number[];

beforeAll(async () => {
	const dir = mkdtempSync(join(tmpdir(), 'fic-archive-gate-walk-'));
	writeFixtureStories(dir);
	writeFileSync(join(dir, 'midnight-ledger.txt'), EXPLICIT);
	store = await importInMemory(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
	search = new ArchiveSearch(store);
	const log = memoryLogger();
	ctx = { store, search, state: new State(new Keyv(), log), log, commands };
	explicitId = store.fileHashes().get('midnight-ledger.txt')?.id as number;
	const story = store.story(explicitId);
	expect(story?.rating).toBe('Explicit');
	expect(story?.pageCount).toBeGreaterThanOrEqual(2);
	quoteIds = store.quotesOnPage(explicitId, 1).map((q) => q.id);
	expect(quoteIds.length).toBeGreaterThan(0);
});
afterAll(() => {
	search?.close();
	store?.close();
});

const s = (name: string, value: string | number | boolean, type = T.String): LocalOption => ({ name, type, value });
const sub = (name: string, options: LocalOption[] = []): LocalOption => ({
	name,
	type: T.Subcommand,
	options,
});
const focused = (name: string, value: string | number, type = T.String): LocalOption => ({
	name,
	type,
	value,
	focused: true,
});

/** Each command with the invocations the walk makes: every option that can name or show a story. */
function invocations(): Record<string, LocalOption[][]> {
	const id = `id:${explicitId}`;
	return {
		story: [[s('story', id)], [s('story', 'Midnight Ledger')], [s('story', id), s('private', true, T.Boolean)]],
		read: [
			[s('story', id)],
			[s('story', 'midnight ledger'), s('page', 2, T.Integer)],
			[s('story', id), s('chapter', 1, T.Integer)],
			[s('story', id), s('private', true, T.Boolean)],
			[s('story', id), s('thread', true, T.Boolean)],
		],
		club: [
			[sub('start', [s('story', id), s('every', 'day'), s('at', '09:00')])],
			[sub('start', [s('story', id), s('every', 'week'), s('at', '21:00'), s('per', '2 pages')])],
			[sub('status')],
		],
		quote: [[], [s('story', id)], [s('character', 'Marguerite')], [s('story', id), s('character', 'Tobias')]],
		search: [
			[s('query', 'velvet ledger')],
			[s('query', `${MARKER.slice(0, 6)}*`)],
			// One letter off the marker: typo correction must not spell the hidden word out.
			[s('query', `${MARKER.slice(0, 4)}p${MARKER.slice(5)}`)],
			[s('query', '"counting house"'), s('private', true, T.Boolean)],
			[s('query', 'rating:explicit candle')],
			[s('query', 'author:"velvet nib"')],
			[s('query', 'title:midnight')],
			[s('fandom', 'Ledger Tales')],
			[s('query', 'candle'), s('fandom', 'ledger'), s('hide-warning', 'none')],
		],
		browse: [
			[sub('fandom')],
			[sub('fandom', [s('name', 'Ledger Tales')])],
			[sub('fandom', [s('name', 'ledger')])],
			[sub('character')],
		],
		library: [[sub('list')]],
		quotes: [[], [s('sort', 'top')]],
		settings: [[sub('show')]],
		archive: [[]],
	};
}

/** Autocomplete for every option that offers it. */
const autocompletes = (): [string, LocalOption[]][] => [
	['story', [focused('story', 'midn')]],
	['read', [focused('story', 'velvet')]],
	['read', [s('story', `id:${explicitId}`), focused('chapter', '1', T.Integer)]],
	['quote', [focused('story', 'ledger')]],
	['quote', [s('story', `id:${explicitId}`), focused('character', 'm')]],
	['quote', [focused('character', 'to')]],
	['browse', [sub('fandom', [focused('name', 'led')])]],
	['search', [focused('fandom', 'led')]],
];

/** Forged components for every route of every prefix, aimed at the Explicit story. */
function forged(
	user: string,
	boardEntry: string | null,
	at: { new: number; top: number },
): { id: string; values?: string[] }[] {
	const e = explicitId;
	const q = quoteIds[0] as number;
	const list: { id: string; values?: string[] }[] = [
		...['e', 'p', 's', 't'].map((v) => ({ id: `read:1:o:${e}:1:${v}` })),
		{ id: `club:1:u:${CHANNEL_ID}:1:${e}:2` },
		...['f', 'p', 'n', 'l', 'j'].map((k) => ({ id: `read:1:${k}:${e}:2:${user}` })),
		{ id: `read:1:b:${e}:1` },
		{ id: `read:1:c:${e}:${user}`, values: ['1'] },
		{ id: 'read:1:x', values: [`${e}:1`, `${e}:2`] },
		{ id: `story:1:q:${e}` },
		{ id: `story:1:s:${e}` },
		{ id: `quote:1:l:${e}:1` },
		{ id: `quote:1:l:${e}:2` },
		{ id: 'quote:1:p', values: quoteIds.map(String) },
		{ id: `quote:1:a:${e}:${user}:` },
		{ id: `quote:1:a:0:${user}:Marguerite` },
		{ id: `search:1:p:0:${user}:velvet ledger` },
		{ id: `search:1:p:5:${user}:${MARKER.slice(0, 5)}*` },
		{ id: 'search:1:s:velvet ledger', values: [String(e)] },
		{ id: `browse:1:s:f:0:${user}:ledger tales` },
		{ id: `browse:1:v:f:0:${user}:ledger` },
		{ id: `browse:1:p:f:${user}`, values: ['ledger tales'] },
		{ id: 'browse:1:o', values: [String(e)] },
		{ id: `quotes:1:s:${q}` },
		{ id: `quotes:1:p:n:0:${user}` },
		{ id: `quotes:1:p:t:1:${user}` },
		// Straight to the Explicit line, wherever the walk's own saves put it on the board.
		{ id: `quotes:1:p:n:${at.new}:${user}` },
		{ id: `quotes:1:p:t:${at.top}:${user}` },
	];
	if (boardEntry) list.push({ id: `quotes:1:r:${boardEntry}:n:0` });
	return list;
}

/** The jump modal as the bot shows it, for forged modal submits. */
const jumpModal = (customId: string): APIModalInteractionResponseCallbackData => ({
	custom_id: customId,
	title: 'Go to page',
	components: [{ type: 1, components: [{ type: 4, custom_id: 'page', label: 'Page', style: 1 }] }],
});

interface Walk {
	seen: { text: string; where: string }[];
	interactions: number;
}

/**
 * Every command, autocomplete and forged component, then every button, menu option and modal the answers
 * offer, to a depth of three clicks, as the asker and as someone else.
 */
async function walk(channel: LocalChannel, boardEntry: string | null): Promise<Walk> {
	const result: Walk = { seen: [], interactions: 0 };
	const clicked = new Set<string>();
	const queue: { message: LocalMessage; depth: number; where: string }[] = [];
	const record = (outcome: Outcome, where: string, depth: number) => {
		result.interactions++;
		expect(outcome.error, where).toBeUndefined();
		for (const r of outcome.responses) {
			for (const text of visibleStrings(r)) result.seen.push({ text, where });
			if (r.kind === 'modal') modals.push({ modal: r.data, source: r.source, where, depth });
			else if ('message' in r && depth < 3) queue.push({ message: r.message, depth: depth + 1, where });
		}
	};
	const modals: {
		modal: APIModalInteractionResponseCallbackData;
		source: LocalMessage | null;
		where: string;
		depth: number;
	}[] = [];
	const attempt = async (where: string, run: () => Promise<Outcome>, depth: number) => {
		try {
			record(await run(), where, depth);
		} catch (error) {
			// What Discord itself would refuse (a server-only command in a DM) is not the bot's answer.
			if (!(error instanceof LocalApiError)) throw error;
		}
	};

	const table = invocations();
	for (const command of commands) {
		const calls = table[command.data.name];
		expect(calls, `the walk has no invocation of /${command.data.name}`).toBeDefined();
		for (const options of calls ?? []) {
			await attempt(
				`/${command.data.name} ${JSON.stringify(options)}`,
				() => channel.command(command.data.name, options),
				0,
			);
		}
	}
	for (const [name, options] of autocompletes()) {
		result.interactions++;
		const choices = await channel.autocomplete(name, options);
		for (const c of choices) result.seen.push({ text: `${c.name} ${c.value}`, where: `autocomplete /${name}` });
	}
	const prefixes = new Set(commands.flatMap((c) => (c.components ? [c.components.prefix] : [])));
	const board = await ctx.state.board(GUILD_ID);
	const at = {
		new: Math.max(
			0,
			sortBoard(board, 'new').findIndex((e) => e.id === boardEntry),
		),
		top: Math.max(
			0,
			sortBoard(board, 'top').findIndex((e) => e.id === boardEntry),
		),
	};
	for (const user of [DEFAULT_USER, FRIEND]) {
		const routes = forged(user, boardEntry, at);
		expect(new Set(routes.map((r) => r.id.split(':')[0]))).toEqual(prefixes);
		for (const route of routes) {
			const component = route.values
				? { type: 3, custom_id: route.id, options: route.values.map((value) => ({ label: value, value })) }
				: { type: 2, style: 1, label: 'forged', custom_id: route.id };
			// Posted by someone else (FRIEND) or by the clicker: owners are checked against the message.
			const message = channel.post(
				{ components: [{ type: 1, components: [component] }] } as Parameters<LocalChannel['post']>[0],
				{ id: '1', userId: FRIEND },
			);
			for (const values of route.values?.map((v) => [v]) ?? [undefined]) {
				await attempt(
					`forged ${route.id} ${values ?? ''}`,
					() => (values ? channel.select(message, route.id, values, user) : channel.click(message, route.id, user)),
					1,
				);
			}
		}
		await attempt(
			'forged jump modal',
			() => channel.submit(jumpModal(`read:1:m:${explicitId}:${user}`), { page: '2' }, null, user),
			1,
		);
	}

	while (queue.length || modals.length) {
		const modal = modals.shift();
		if (modal) {
			for (const page of ['1', '2', '3']) {
				await attempt(
					`${modal.where} → modal ${page}`,
					() => channel.submit(modal.modal, { page }, modal.source),
					modal.depth,
				);
			}
			continue;
		}
		const { message, depth, where } = queue.shift() as (typeof queue)[0];
		if (!channel.messages.has(message.id)) continue;
		for (const c of componentsOf(message)) {
			if (!('custom_id' in c) || ('disabled' in c && c.disabled)) continue;
			for (const user of [DEFAULT_USER, FRIEND]) {
				if (c.type === 2) {
					const key = `${user} ${c.custom_id}`;
					if (clicked.has(key)) continue;
					clicked.add(key);
					await attempt(`${where} → ${c.label}`, () => channel.click(message, c.custom_id, user), depth);
				} else if (c.type === 3) {
					for (const o of c.options) {
						const key = `${user} ${c.custom_id} ${o.value}`;
						if (clicked.has(key)) continue;
						clicked.add(key);
						await attempt(`${where} → ${o.label}`, () => channel.select(message, c.custom_id, [o.value], user), depth);
					}
				}
			}
		}
	}
	return result;
}

/**
 * Puts one of the Explicit story's lines on the server's board, as someone in an age-restricted channel would
 * (the walks remove board entries, so each walk puts it back first); returns its entry id.
 */
async function saveExplicitLine(): Promise<string> {
	const nsfw = new LocalChannel(ctx, { nsfw: true });
	const card = await nsfw.command('quote', [s('story', `id:${explicitId}`)]);
	const posted = card.responses[0];
	if (posted?.kind !== 'reply') throw new Error('no quote card');
	const save = componentsOf(posted.message).find((c) => 'label' in c && c.label === 'Save');
	if (!save || !('custom_id' in save)) throw new Error('no Save button');
	await nsfw.click(posted.message, save.custom_id);
	const entry = (await ctx.state.board(GUILD_ID)).find((e) => e.storyId === explicitId);
	if (!entry) throw new Error('the line was not saved');
	return entry.id;
}

describe('the rating gate on every path', () => {
	it('finds the Explicit story’s text everywhere in an age-restricted channel (the walk reaches it)', async () => {
		const nsfw = new LocalChannel(ctx, { nsfw: true });
		const boardEntry = await saveExplicitLine();
		const result = await walk(nsfw, boardEntry);
		const leaks = result.seen.filter((x) => leak(x.text));
		// Pages, the board, search snippets and "Quote a line" all show it here.
		expect(leaks.some((x) => x.where.includes('quotes'))).toBe(true);
		expect(leaks.some((x) => x.where.startsWith('/read'))).toBe(true);
		expect(leaks.some((x) => x.where.startsWith('/search'))).toBe(true);
		expect(leaks.some((x) => x.where.includes('quote:1:l:'))).toBe(true);
		expect(result.interactions).toBeGreaterThan(150);
	});

	for (const [name, place] of [
		['a server channel that is not age-restricted', {}],
		['a DM', { dm: true }],
	] as const) {
		it(`shows none of it in ${name}`, async () => {
			const channel = new LocalChannel(ctx, place);
			const result = await walk(channel, await saveExplicitLine());
			const leaks = result.seen.flatMap((x) => {
				const found = leak(x.text);
				return found ? [`${x.where}: “${found}” in ${x.text.slice(0, 200)}`] : [];
			});
			expect(leaks).toEqual([]);
			expect(result.interactions).toBeGreaterThan(100);
			if (!('dm' in place)) {
				// The board shows where the hidden line is from, and why its text is not shown.
				const board = result.seen.filter((x) => x.where.includes('quotes') && x.text.includes('Midnight Ledger'));
				expect(board.length).toBeGreaterThan(0);
				expect(board.some((x) => /Velvet Nib/.test(x.text) && /age-restricted/.test(x.text))).toBe(true);
			}
		});
	}
});
