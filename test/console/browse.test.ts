import { ApplicationCommandOptionType as T } from 'discord.js';
import Keyv from 'keyv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { type FacetKind, facetKey } from '../../src/archive/facets.js';
import { ArchiveSearch } from '../../src/archive/search/index.js';
import type { Rating } from '../../src/archive/types.js';
import { LocalChannel } from '../../src/console/channel.js';
import type { LocalOption } from '../../src/console/interactions.js';
import { parseLine, toOptions } from '../../src/console/options.js';
import { ConsoleSession } from '../../src/console/session.js';
import { componentsOf, type LocalMessage } from '../../src/console/wire.js';
import type { Context } from '../../src/discord/context.js';
import { memoryLogger } from '../../src/log.js';
import { State } from '../../src/state.js';
import { closeTagged, openTagged, type TaggedArchive, type TaggedStory } from '../archive/tagged-archive.js';
import { FRIEND } from './fixture.js';

let archive: TaggedArchive;
let search: ArchiveSearch;
let ctx: Context;
beforeAll(async () => {
	archive = await openTagged(48, 5);
	search = new ArchiveSearch(archive.store);
	const log = memoryLogger();
	ctx = { store: archive.store, search, state: new State(new Keyv(), log), log, commands };
});
afterAll(() => {
	search?.close();
	closeTagged(archive);
});

const RATING_OF: Record<TaggedStory['rating'], Rating> = {
	'General Audiences': 'General',
	'Teen And Up Audiences': 'Teen',
	Mature: 'Mature',
	Explicit: 'Explicit',
};
/** What a server channel that is not age-restricted shows by default: up to Teen. */
const SFW: Rating[] = ['General', 'Teen', 'Not Rated'];
const ALL: Rating[] = ['General', 'Teen', 'Mature', 'Explicit', 'Not Rated'];

const listOf = (story: TaggedStory, kind: FacetKind) =>
	({
		fandom: story.fandoms,
		relationship: story.relationships,
		character: story.characters,
		tag: story.tags,
		warning: story.warnings,
	})[kind];
/** The generated stories carrying a tag, of the given ratings. */
const storiesWith = (kind: FacetKind, value: string, ratings: Rating[]) =>
	archive.stories.filter(
		(s) =>
			ratings.includes(RATING_OF[s.rating]) && listOf(s, kind).some((v) => facetKey(kind, v) === facetKey(kind, value)),
	);
const titleOrder = (stories: TaggedStory[]) =>
	stories.map((s) => s.title).sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));

const sub = (name: string, options: LocalOption[] = []): LocalOption => ({ name, type: T.Subcommand, options });
const s = (name: string, value: string | boolean, type = T.String): LocalOption => ({ name, type, value });

function posted(outcome: Awaited<ReturnType<LocalChannel['command']>>): LocalMessage {
	expect(outcome.error).toBeUndefined();
	const r = outcome.responses.at(-1);
	if (!r || !('message' in r)) throw new Error(`no message: ${JSON.stringify(outcome.responses)}`);
	return r.message;
}
const menu = (message: LocalMessage) => {
	const found = componentsOf(message).find((c) => c.type === 3);
	if (found?.type !== 3) throw new Error('no menu');
	return found;
};
const button = (message: LocalMessage, label: string) => {
	const found = componentsOf(message).find((c) => c.type === 2 && 'label' in c && c.label === label);
	if (!found || !('custom_id' in found)) throw new Error(`no ${label} button`);
	return found;
};

/** Every story title a tag's list shows, Next after Next. */
async function allTitles(channel: LocalChannel, first: LocalMessage): Promise<string[]> {
	const titles: string[] = [];
	let message = first;
	for (;;) {
		for (const f of message.embeds[0]?.fields ?? []) titles.push(f.name.replace(/^\d+\. /, '').replace(/ — .*$/, ''));
		const next = componentsOf(message).find((c) => c.type === 2 && 'label' in c && c.label === 'Next ›');
		if (!next || !('custom_id' in next) || next.disabled) return titles;
		message = posted(await channel.click(message, next.custom_id));
	}
}

describe('/browse', () => {
	it('lists a kind’s tags with their stories here, most first, and pages through a tag’s stories in title order', async () => {
		const channel = new LocalChannel(ctx);
		const list = posted(await channel.command('browse', [sub('fandom')]));
		const lines = (list.embeds[0]?.description ?? '').split('\n').filter((l) => /^\*\*\d+\.\*\*/.test(l));
		const counts = lines.map((l) => Number(/ · (\d+) stor/.exec(l)?.[1]));
		expect(counts.length).toBeGreaterThan(1);
		expect(counts).toEqual([...counts].sort((a, b) => b - a));
		for (const line of lines) {
			const value = /^\*\*\d+\.\*\* (.*) · \d+ stor/.exec(line)?.[1]?.replace(/\\/g, '') as string;
			expect(Number(/ · (\d+) stor/.exec(line)?.[1]), value).toBe(storiesWith('fandom', value, SFW).length);
		}
		expect(list.embeds[0]?.description).toMatch(/age-restricted/);
		// Choosing a fandom: its stories the gate allows, page after page, in title order.
		const pick = menu(list);
		const chosen = pick.options[0] as { label: string; value: string };
		const stories = posted(await channel.select(list, pick.custom_id, [chosen.value]));
		expect(stories.id).toBe(list.id);
		expect(stories.embeds[0]?.title).toBe(`Fandom: ${chosen.label}`);
		const expected = titleOrder(storiesWith('fandom', chosen.label, SFW));
		expect(expected.length).toBeGreaterThan(5);
		expect(await allTitles(channel, stories)).toEqual(expected);
	});

	it('names a tag as autocomplete gives it, most used first, and opens a story’s card', async () => {
		const channel = new LocalChannel(ctx, { nsfw: true });
		const choices = await channel.autocomplete('browse', [
			sub('ship', [{ name: 'name', type: T.String, value: 'spi', focused: true }]),
		]);
		expect(choices.length).toBeGreaterThan(0);
		expect(choices.length).toBeLessThanOrEqual(25);
		const counts = choices.map((c) => Number(/\((\d+)\)$/.exec(c.name)?.[1]));
		expect(counts).toEqual([...counts].sort((a, b) => b - a));
		for (const c of choices) expect(String(c.value).toLowerCase()).toContain('spike');
		const top = choices[0] as { value: string };
		const list = posted(await channel.command('browse', [sub('ship', [s('name', top.value)])]));
		// Spike/Buffy and Buffy/Spike are one ship.
		expect(await allTitles(channel, list)).toEqual(titleOrder(storiesWith('relationship', top.value, ALL)));
		const open = menu(list);
		const card = posted(await channel.select(list, open.custom_id, [open.options[0]?.value as string]));
		expect(card.flags & 64).toBe(64);
		expect(card.embeds[0]?.title).toBe(open.options[0]?.label);
	});

	it('narrows the list to tags matching what was typed', async () => {
		const channel = new LocalChannel(ctx, { nsfw: true });
		const list = posted(await channel.command('browse', [sub('character', [s('name', 'summers')])]));
		const named = menu(list).options.map((o) => o.label);
		expect(named.sort()).toEqual(['Buffy Summers', 'Dawn Summers']);
		const none = posted(await channel.command('browse', [sub('tag', [s('name', 'zzzq')])]));
		expect(none.embeds[0]?.description).toMatch(/No tags matching “zzzq” here/);
		expect(componentsOf(none)).toEqual([]);
	});

	it('lists nothing an Explicit story alone carries outside age-restricted channels', async () => {
		const explicit = archive.stories.filter((st) => st.rating === 'Explicit');
		expect(explicit.length).toBeGreaterThan(0);
		for (const place of [{}, { dm: true }, { nsfw: true }]) {
			const channel = new LocalChannel(ctx, place);
			const shown = new Set<string>();
			let message = posted(await channel.command('browse', [sub('tag')]));
			for (;;) {
				for (const o of menu(message).options) {
					const stories = posted(await channel.command('browse', [sub('tag', [s('name', o.label)])]));
					for (const title of await allTitles(channel, stories)) shown.add(title);
				}
				const next = button(message, 'Next ›');
				if (next.disabled) break;
				message = posted(await channel.click(message, next.custom_id));
			}
			const nsfw = 'nsfw' in place;
			const expected = archive.stories.filter((st) => st.tags.length && (nsfw || SFW.includes(RATING_OF[st.rating])));
			expect([...shown].sort(), JSON.stringify(place)).toEqual(expected.map((st) => st.title).sort());
			for (const st of explicit) expect(shown.has(st.title), st.title).toBe(nsfw && st.tags.length > 0);
		}
	});

	it('turns the asker’s list; anyone else gets a copy of their own', async () => {
		const channel = new LocalChannel(ctx, { nsfw: true });
		const list = posted(await channel.command('browse', [sub('tag')]));
		const next = button(list, 'Next ›');
		const theirs = await channel.click(list, next.custom_id, FRIEND);
		const copy = theirs.responses[0];
		expect(copy?.kind).toBe('reply');
		expect(copy && 'message' in copy && copy.message.flags & 64).toBe(64);
		const mine = await channel.click(list, next.custom_id);
		expect(mine.responses[0]?.kind).toBe('update');
		expect(copy && 'message' in copy && copy.message.embeds).toEqual(list.embeds);
	});

	it('works typed in the console', async () => {
		const session = new ConsoleSession({
			ctx,
			look: { width: 100, color: false },
			json: false,
			place: { nsfw: true },
			ask: async () => null,
		});
		const result = await session.run('/browse fandom firefly');
		const text = JSON.stringify(result);
		expect(text).toContain('Fandom: Firefly');
		const firefly = titleOrder(storiesWith('fandom', 'Firefly', ALL));
		expect(text).toContain(firefly[0]);
	});
});

describe('/search’s filter options', () => {
	it('autocompletes each from the archive, most used first, counting what the gate allows here', async () => {
		for (const [option, kind] of [
			['fandom', 'fandom'],
			['ship', 'relationship'],
			['character', 'character'],
			['tag', 'tag'],
			['warning', 'warning'],
			['hide-warning', 'warning'],
		] as const) {
			for (const [place, ratings] of [
				[{}, SFW],
				[{ nsfw: true }, ALL],
			] as const) {
				const channel = new LocalChannel(ctx, place);
				const choices = await channel.autocomplete('search', [
					{ name: option, type: T.String, value: '', focused: true },
				]);
				expect(choices.length, option).toBeGreaterThan(0);
				expect(choices.length).toBeLessThanOrEqual(25);
				for (const c of choices) {
					const count = Number(/\((\d+)\)$/.exec(c.name)?.[1]);
					expect(count, `${option} ${c.value}`).toBe(storiesWith(kind, String(c.value), [...ratings]).length);
				}
				const counts = choices.map((c) => Number(/\((\d+)\)$/.exec(c.name)?.[1]));
				expect(counts).toEqual([...counts].sort((a, b) => b - a));
			}
		}
	});

	it('list a tag’s stories from the console, as typed there', async () => {
		const session = new ConsoleSession({
			ctx,
			look: { width: 100, color: false },
			json: false,
			place: { nsfw: true },
			ask: async () => null,
		});
		const result = JSON.stringify(await session.run('/search fandom:Firefly tag:angst'));
		const want = titleOrder(storiesWith('fandom', 'Firefly', ALL).filter((st) => st.tags.includes('Angst')));
		expect(want.length).toBeGreaterThan(0);
		for (const title of want.slice(0, 5)) expect(result).toContain(title);
		const others = archive.stories.filter((st) => !want.includes(st.title)).map((st) => st.title);
		for (const title of others) expect(result).not.toContain(`${title} —`);
	});

	it('are named in the console; words typed without a name stay the query', () => {
		const parse = (line: string) =>
			Object.fromEntries(toOptions(parseLine(line, ctx.commands)).map((o) => [o.name, o.value]));
		expect(parse('/search crypt -desoto')).toEqual({ query: 'crypt -desoto' });
		expect(parse('/search spike fandom:Buffy the Vampire Slayer tag:Angst')).toEqual({
			query: 'spike',
			fandom: 'Buffy the Vampire Slayer',
			tag: 'Angst',
		});
		expect(toOptions(parseLine('/browse ship Spike/Buffy Summers', ctx.commands))).toEqual([
			{ name: 'ship', type: T.Subcommand, options: [{ name: 'name', type: T.String, value: 'Spike/Buffy Summers' }] },
		]);
	});
});
