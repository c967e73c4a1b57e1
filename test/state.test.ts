import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../src/log.js';
import { BOARD_LIMIT, type Club, DEFAULT_SETTINGS, openState, type State, StateError } from '../src/state.js';
import { POSTGRES_URL, REDIS_URL, skipWithout } from './services.js';

const dir = mkdtempSync(join(tmpdir(), 'fic-archive-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Every backend the bot supports, for real: Redis and PostgreSQL on loopback (.ci/run starts them). Without
 * one, its tests are skipped with the reason, except under CI, where they fail.
 */
const BACKENDS: [string, () => string, string | null][] = [
	['sqlite', () => `sqlite://${join(dir, `state-${randomUUID()}.sqlite`)}`, null],
	['redis', () => REDIS_URL, await skipWithout('Redis', REDIS_URL)],
	['postgres', () => POSTGRES_URL, await skipWithout('PostgreSQL', POSTGRES_URL)],
	['memory', () => 'memory:', null],
];

describe.each(BACKENDS)('state on %s', (_name, url, skipped) => {
	if (skipped) {
		it.skip(skipped, () => undefined);
		return;
	}
	let state: State;
	// Ids unique to this run, so runs against the shared servers never see each other's records.
	const run = randomUUID().slice(0, 8);
	const guild = `g${run}`;
	const user = `u${run}`;

	let opened: string;

	it('opens', () => {
		opened = url();
		state = openState(opened, memoryLogger());
	});
	afterAll(async () => {
		// The Redis and PostgreSQL servers are shared: leave nothing behind.
		const keys = ['settings', 'board', 'qotd', 'qotd-claim', 'clubs'].map((kind) => `${kind}:${guild}`);
		keys.push(`library:${user}`, `library:${user}-c`, `library:${user}-old`, `search:h${run}`);
		await Promise.all(keys.map((key) => state?.keyv.delete(key)));
		await state?.close();
	});

	it('has default settings, and keeps changes', async () => {
		expect(await state.settings(guild)).toEqual(DEFAULT_SETTINGS);
		expect(await state.settings(null)).toEqual(DEFAULT_SETTINGS);
		await state.updateSettings(guild, { maxRating: 'General' });
		await state.updateSettings(guild, { qotd: { channelId: '123', hour: 9, timeZone: 'Europe/London' } });
		expect(await state.settings(guild)).toEqual({
			...DEFAULT_SETTINGS,
			maxRating: 'General',
			qotd: { channelId: '123', hour: 9, timeZone: 'Europe/London' },
		});
	});

	it('remembers pages read per user and story, newest first, and forgets them', async () => {
		await state.recordRead(user, 1, 3, 9);
		await state.recordRead(user, 2, 1, 4);
		await state.recordRead(user, 1, 5, 9, true);
		await state.recordRead(user, 1, 6, 9);
		const library = await state.library(user);
		expect(library.map((e) => [e.storyId, e.page, e.bookmark])).toEqual([
			[1, 6, 5],
			[2, 1, null],
		]);
		expect((await state.libraryEntry(user, 2))?.pages).toBe(4);
		expect(await state.clearLibrary(user)).toBe(2);
		expect(await state.library(user)).toEqual([]);
	});

	it('keeps concurrent writes to one record', async () => {
		await Promise.all(Array.from({ length: 20 }, (_, i) => state.recordRead(`${user}-c`, i + 1, 1, 2)));
		expect(await state.library(`${user}-c`)).toHaveLength(20);
	});

	it('saves quotes to a board once per user, and removes them', async () => {
		const line = { storyId: 1, page: 2, text: 'A line.', speaker: 'Spike', title: 'Leaving', author: 'S' };
		const first = await state.saveToBoard(guild, line, 'a');
		expect(first.added).toBe(true);
		const again = await state.saveToBoard(guild, line, 'a');
		expect(again.added).toBe(false);
		const second = await state.saveToBoard(guild, line, 'b');
		expect(second.entry.savedBy).toEqual(['a', 'b']);
		expect(second.entry.id).toBe(first.entry.id);
		expect(await state.board(guild)).toHaveLength(1);
		expect((await state.removeFromBoard(guild, first.entry.id))?.text).toBe('A line.');
		expect(await state.removeFromBoard(guild, first.entry.id)).toBeUndefined();
		expect(await state.board(guild)).toEqual([]);
	});

	it('remembers the day quote of the day was posted, and long queries', async () => {
		expect(await state.lastQotd(guild)).toBeUndefined();
		await state.setLastQotd(guild, '2026-11-25');
		expect(await state.lastQotd(guild)).toBe('2026-11-25');
		await state.saveQuery(`h${run}`, 'a long query', 60_000);
		expect(await state.query(`h${run}`)).toBe('a long query');
	});

	it('claims quote of the day once per day, however many processes ask at once', async () => {
		// Separate connections to one store stand for processes on separate machines (memory: one process).
		const others = opened === 'memory:' ? [] : [openState(opened, memoryLogger()), openState(opened, memoryLogger())];
		const states = [state, state, ...others, ...others];
		const first = await Promise.all(states.map((s) => s.claimQotd(guild, '2026-12-01')));
		expect(first.filter(Boolean)).toHaveLength(1);
		expect(await state.lastQotd(guild)).toBe('2026-12-01');
		expect(await Promise.all(states.map((s) => s.claimQotd(guild, '2026-12-01')))).not.toContain(true);
		const next = await Promise.all(states.map((s) => s.claimQotd(guild, '2026-12-02')));
		expect(next.filter(Boolean)).toHaveLength(1);
		// @keyv/postgres keeps one pool per URL in a process: closing another would close this suite's too.
		if (_name !== 'postgres') await Promise.all(others.map((s) => s.close()));
	});

	it('keeps a reading club: one a channel, changed, its readers, each slot claimed once, stopped', async () => {
		const club: Club = {
			guildId: guild,
			channelId: 'c1',
			storyId: 7,
			title: 'Leaving',
			schedule: { every: 'day', at: '09:00', timeZone: 'UTC', weekday: 0 },
			per: 'chapter',
			startedBy: user,
			startedAt: 1000,
			status: 'active',
			nextPage: 1,
			lastSlot: '2026-12-06',
			parts: [],
		};
		expect(await state.startClub(club)).toBe(true);
		expect(await state.startClub({ ...club, storyId: 8 })).toBe(false);
		expect(await state.startClub({ ...club, channelId: 'c2' })).toBe(true);
		expect((await state.clubs(guild)).map((c) => [c.channelId, c.storyId])).toEqual([
			['c1', 7],
			['c2', 7],
		]);
		const moved = await state.updateClub(guild, 'c1', (c) => ({ ...c, nextPage: 4, lastSlot: '2026-12-07' }));
		expect(moved).toMatchObject({ nextPage: 4, lastSlot: '2026-12-07' });
		expect(await state.updateClub(guild, 'nowhere', (c) => c)).toBeUndefined();
		await state.catchUp(guild, 'c1', user, 2);
		await state.catchUp(guild, 'c1', user, 1);
		expect(await state.clubReaders(guild, 'c1')).toEqual({ [user]: 2 });
		const others = opened === 'memory:' ? [] : [openState(opened, memoryLogger()), openState(opened, memoryLogger())];
		const states = [state, state, ...others, ...others];
		const claims = await Promise.all(states.map((s) => s.claimClubSlot(guild, 'c1', 1000, '2026-12-08')));
		expect(claims.filter(Boolean)).toHaveLength(1);
		expect(await state.claimClubSlot(guild, 'c1', 1000, '2026-12-08')).toBe(false);
		// A club started again in the channel has slots of its own.
		expect(await state.claimClubSlot(guild, 'c1', 2000, '2026-12-08')).toBe(true);
		expect(await state.stopClub(guild, 'c1')).toBe(true);
		expect(await state.stopClub(guild, 'c1')).toBe(false);
		expect(await state.clubReaders(guild, 'c1')).toEqual({});
		expect((await state.clubs(guild)).map((c) => c.channelId)).toEqual(['c2']);
		await state.stopClub(guild, 'c2');
		await state.keyv.delete(`club-claim:${guild}:c1`);
		if (_name !== 'postgres') await Promise.all(others.map((s) => s.close()));
	});

	it('reads a record written by another version as absent, without failing', async () => {
		await state.keyv.set(`library:${user}-old`, { v: 99, data: 'whatever' });
		expect(await state.library(`${user}-old`)).toEqual([]);
	});
});

describe('state when the store is down', () => {
	it('throws a StateError within the deadline instead of hanging, and says settings are not known', async () => {
		const log = memoryLogger();
		// Nothing listens on port 1.
		const state = openState('redis://127.0.0.1:1', log, 300);
		const started = Date.now();
		await expect(state.library('u')).rejects.toBeInstanceOf(StateError);
		await expect(state.recordRead('u', 1, 1, 1)).rejects.toBeInstanceOf(StateError);
		// Not the defaults as if they were the server's choice: the caller fails closed (see discord/gate.ts).
		expect(await state.settingsToServe('g')).toEqual({ settings: DEFAULT_SETTINGS, known: false });
		expect(Date.now() - started).toBeLessThan(3000);
		expect(log.lines.some((l) => l.includes('settings unavailable'))).toBe(true);
		await state.close().catch(() => undefined);
	});

	it('fails fast for a few seconds after a failure, instead of waiting out every deadline', async () => {
		const state = openState('redis://127.0.0.1:1', memoryLogger(), 400);
		await expect(state.library('u')).rejects.toBeInstanceOf(StateError);
		const started = Date.now();
		await expect(state.library('u')).rejects.toThrow(/failed moments ago/);
		await expect(state.settings('g')).rejects.toBeInstanceOf(StateError);
		expect(Date.now() - started).toBeLessThan(100);
		await state.close().catch(() => undefined);
	});

	it('refuses a URL it does not know', () => {
		expect(() => openState('mongodb://x', memoryLogger())).toThrow(StateError);
	});
});

it('caps a board at its limit, dropping the oldest of the least saved', async () => {
	const state = openState('memory:', memoryLogger());
	for (let i = 0; i < BOARD_LIMIT; i++) {
		await state.saveToBoard(
			'g',
			{ storyId: 1, page: 1, text: `line ${i}`, speaker: null, title: 't', author: null },
			'u',
		);
	}
	await state.saveToBoard('g', { storyId: 1, page: 1, text: 'line 0', speaker: null, title: 't', author: null }, 'v');
	await state.saveToBoard('g', { storyId: 1, page: 1, text: 'one more', speaker: null, title: 't', author: null }, 'u');
	const board = await state.board('g');
	expect(board).toHaveLength(BOARD_LIMIT);
	expect(board.some((e) => e.text === 'line 0')).toBe(true); // saved twice: kept
	expect(board.some((e) => e.text === 'line 1')).toBe(false); // the oldest saved once: dropped
});
