import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import KeyvPostgres from '@keyv/postgres';
import KeyvRedis from '@keyv/redis';
import Keyv from 'keyv';
import type { Markup, Rating } from './archive/types.js';
import type { Logger } from './log.js';
import { SqliteStore } from './state/sqlite-store.js';

/** The state store could not be reached or answered wrongly: the caller tells the user politely. */
export class StateError extends Error {
	override name = 'StateError';
}

/** Ratings a server may allow in channels that are not age-restricted. Explicit never is. */
export const GATE_RATINGS = ['General', 'Teen', 'Mature'] as const satisfies readonly Rating[];
export type GateRating = (typeof GATE_RATINGS)[number];

export interface QotdSettings {
	channelId: string;
	/** 0–23, in `timeZone`. */
	hour: number;
	/** An IANA time zone ("Europe/London"); UTC by default. */
	timeZone: string;
}

export interface GuildSettings {
	/** The highest rating whose text is shown outside age-restricted channels. */
	maxRating: GateRating;
	/** Whether /read and /search answer for the channel (true) or for the asker alone, when not told. */
	publicRead: boolean;
	publicSearch: boolean;
	qotd: QotdSettings | null;
	/** What story cards show (absent in settings saved before: the card as by default). */
	card?: CardSettings;
}

/** Whether a card field is shown; warnings and additional tags may also go behind a spoiler bar. */
export type FieldShown = 'shown' | 'hidden';
export type SpoilerableShown = FieldShown | 'spoiler';
/** How much of a story's summary the card shows: up to 1,500 characters, about 300, or none. */
export const SUMMARY_LENGTHS = ['full', 'short', 'none'] as const;
export type SummaryLength = (typeof SUMMARY_LENGTHS)[number];

/** What a server's story cards show. */
export interface CardSettings {
	fandom: FieldShown;
	/** Relationships (or a plain-text story's pairing). */
	relationships: FieldShown;
	characters: FieldShown;
	warnings: SpoilerableShown;
	/** Additional (freeform) tags. */
	tags: SpoilerableShown;
	summary: SummaryLength;
}

/** The card as it was before servers could choose: everything shown, the full summary. */
export const DEFAULT_CARD: Readonly<CardSettings> = Object.freeze({
	fandom: 'shown',
	relationships: 'shown',
	characters: 'shown',
	warnings: 'shown',
	tags: 'shown',
	summary: 'full',
});

const CARD_CHOICES: { [K in keyof CardSettings]: readonly CardSettings[K][] } = {
	fandom: ['shown', 'hidden'],
	relationships: ['shown', 'hidden'],
	characters: ['shown', 'hidden'],
	warnings: ['shown', 'spoiler', 'hidden'],
	tags: ['shown', 'spoiler', 'hidden'],
	summary: SUMMARY_LENGTHS,
};

/**
 * Card settings as stored (any shape: written by this or another version, or partly): each known field with
 * a value it may take is kept, anything else is the default.
 */
export function cardSettings(stored: unknown): CardSettings {
	const card: Record<string, unknown> = { ...DEFAULT_CARD };
	if (!stored || typeof stored !== 'object') return card as unknown as CardSettings;
	for (const [key, choices] of Object.entries(CARD_CHOICES)) {
		const value: unknown = (stored as Record<string, unknown>)[key];
		if ((choices as readonly unknown[]).includes(value)) card[key] = value;
	}
	return card as unknown as CardSettings;
}

/** A change to a server's settings: the card's fields are changed one by one, the others kept. */
export type SettingsPatch = Partial<Omit<GuildSettings, 'card'>> & { card?: Partial<CardSettings> };

export const DEFAULT_SETTINGS: Readonly<GuildSettings> = Object.freeze({
	maxRating: 'Teen',
	publicRead: true,
	publicSearch: true,
	qotd: null,
});

export interface LibraryEntry {
	storyId: number;
	/** The last page read. */
	page: number;
	/** The story's page count when it was read, for progress. */
	pages: number;
	/** A page saved with the Bookmark button, if any. */
	bookmark: number | null;
	/** When it was last read (ms since the epoch). */
	at: number;
}

export interface BoardEntry {
	/** A short id for buttons. */
	id: string;
	storyId: number;
	page: number;
	/** The line as it was saved: it stays on the board even if the story is re-imported. */
	text: string;
	/** How the line is written: 'markdown' keeps its italics (absent in entries saved before: plain). */
	markup?: Markup;
	/** The story's rating when the line was saved (absent in entries saved before: gated as Explicit). */
	rating?: Rating;
	speaker: string | null;
	title: string;
	author: string | null;
	/** Who saved it, first saver first. */
	savedBy: string[];
	savedAt: number;
}

/**
 * When a reading club posts: every day or week at a wall-clock time in a time zone (see
 * discord/club-schedule.ts).
 */
export interface ClubSchedule {
	every: 'day' | 'week';
	/** "HH:MM", 24-hour, in `timeZone`. */
	at: string;
	/** An IANA time zone ("Europe/London"); UTC unless the club was started with another. */
	timeZone: string;
	/** A weekly club's weekday, 0 (Sunday) to 6, in `timeZone`: the day it was started. */
	weekday: number;
}

/** One installment a club posted: its number, its pages, and the thread it is in. */
export interface ClubPart {
	n: number;
	first: number;
	last: number;
	threadId: string;
}

/**
 * The installment a club is posting: written before its thread is opened, with the thread's id once it is,
 * and replaced by its `ClubPart` once it is posted. Still there at a later slot, it says a post was left
 * unrecorded (the process died, or the store failed), and where to finish it.
 */
export interface ClubPosting {
	n: number;
	first: number;
	last: number;
	/** The slot it was posted for. */
	slot: string;
	/** When it was begun (ms since the epoch): its thread was opened after. */
	at: number;
	threadId?: string;
}

/** A serial reading club: a story posted an installment at a time in a channel (see discord/club.ts). */
export interface Club {
	guildId: string;
	channelId: string;
	storyId: number;
	/** The story's title when the club started, for when it has left the archive. */
	title: string;
	schedule: ClubSchedule;
	/** An installment: a chapter, or this many pages. */
	per: 'chapter' | number;
	startedBy: string;
	/** When it started (ms since the epoch); also tells this club from an earlier one in the channel. */
	startedAt: number;
	status: 'active' | 'paused' | 'done';
	/** Why the bot paused it (a channel it cannot post in, a story the channel may not show); absent otherwise. */
	pausedBecause?: string;
	/** The first page of the next installment. */
	nextPage: number;
	/** The slot (YYYY-MM-DD) last posted, or current when the club started or resumed: the next one is due after it. */
	lastSlot: string;
	parts: ClubPart[];
	/** The installment being posted, or left unrecorded by a post that stopped halfway; absent otherwise. */
	posting?: ClubPosting;
}

/** Versioned records: a value written by another version of the bot is logged and read as absent. */
interface Versioned<T> {
	v: number;
	data: T;
}
const VERSION = 1;
/** The most quotes one server's board keeps: past it, the oldest of the least saved go. */
export const BOARD_LIMIT = 1000;
/**
 * How long one state operation may take before the user is told the store is unavailable: short enough
 * that two in a row still answer within Discord's 3 seconds.
 */
const TIMEOUT_MS = 1000;
/** After a failure, operations fail at once for this long instead of each waiting out the deadline. */
const BACKOFF_MS = 5000;
/**
 * How long a server's last settings read stand in for settings that cannot be read now: long enough that
 * one slow call (or the backoff after it) does not flip a server to the strictest gate, short enough that a
 * store that stays down does not serve old settings for long.
 */
export const SETTINGS_FALLBACK_MS = 60_000;
/** The most servers whose last settings are kept for that (stale ones are dropped past it). */
const SETTINGS_KEPT = 10_000;

/**
 * The bot's mutable state behind one keyv, chosen by URL: an embedded SQLite file (default), Redis or
 * PostgreSQL. Records are grouped by kind (settings, library, board, qotd, search), each key prefixed with
 * its kind and each value versioned. Every operation has a deadline and throws StateError when the store
 * fails, so a command can answer politely; a failed read is never followed by a write that would replace
 * what could not be read.
 */
export class State {
	private readonly locks = new Map<string, Promise<unknown>>();
	/** Each server's settings as last read or written, and when (ms since the epoch). */
	private readonly lastSettings = new Map<string, { settings: GuildSettings; at: number }>();
	/** Until when the store counts as down (ms since the epoch): operations fail fast until then. */
	private downUntil = 0;

	constructor(
		readonly keyv: Keyv,
		private readonly log: Logger,
		private readonly timeoutMs = TIMEOUT_MS,
	) {
		keyv.throwOnErrors = true;
		// Errors are thrown to the caller too; the event is logged once here so a dead backend is visible.
		keyv.on('error', (error: unknown) => log.warn('state store error', { error }));
	}

	// ------------------------------------------------------------------------------------ settings
	async settings(guildId: string | null): Promise<GuildSettings> {
		if (!guildId) return { ...DEFAULT_SETTINGS };
		const stored = await this.read<Partial<GuildSettings>>(`settings:${guildId}`);
		const settings: GuildSettings = { ...DEFAULT_SETTINGS, ...stored };
		if (stored?.card !== undefined) settings.card = cardSettings(stored.card);
		this.keepSettings(guildId, settings);
		return settings;
	}

	/**
	 * The settings to serve an interaction with: read from the store; when it cannot be read, the server's
	 * settings as read in the last minute (SETTINGS_FALLBACK_MS), else `known: false` with the defaults, and
	 * the caller fails closed (see discord/gate.ts). Never throws for the store.
	 */
	async settingsToServe(guildId: string | null): Promise<{ settings: GuildSettings; known: boolean }> {
		try {
			return { settings: await this.settings(guildId), known: true };
		} catch (error) {
			if (!(error instanceof StateError)) throw error;
			const last = guildId ? this.lastSettings.get(guildId) : undefined;
			if (last && Date.now() - last.at <= SETTINGS_FALLBACK_MS) {
				this.log.warn('settings unavailable, using those read moments ago', { guild: guildId ?? 'dm', error });
				return { settings: { ...last.settings }, known: true };
			}
			this.log.warn('settings unavailable: failing closed', { guild: guildId ?? 'dm', error });
			return { settings: { ...DEFAULT_SETTINGS }, known: false };
		}
	}

	private keepSettings(guildId: string, settings: GuildSettings): void {
		const now = Date.now();
		if (this.lastSettings.size >= SETTINGS_KEPT && !this.lastSettings.has(guildId)) {
			for (const [id, kept] of this.lastSettings)
				if (now - kept.at > SETTINGS_FALLBACK_MS) this.lastSettings.delete(id);
			if (this.lastSettings.size >= SETTINGS_KEPT) return;
		}
		this.lastSettings.set(guildId, { settings: { ...settings }, at: now });
	}

	async updateSettings(guildId: string, patch: SettingsPatch): Promise<GuildSettings> {
		return this.exclusive(`settings:${guildId}`, async () => {
			const current = await this.settings(guildId);
			const { card, ...rest } = patch;
			const next: GuildSettings = { ...current, ...rest };
			if (card) next.card = cardSettings({ ...current.card, ...card });
			await this.write(`settings:${guildId}`, next);
			this.keepSettings(guildId, next);
			return next;
		});
	}

	// ------------------------------------------------------------------------------------ library
	async library(userId: string): Promise<LibraryEntry[]> {
		const entries = (await this.read<LibraryEntry[]>(`library:${userId}`)) ?? [];
		return entries.sort((a, b) => b.at - a.at);
	}

	async libraryEntry(userId: string, storyId: number): Promise<LibraryEntry | undefined> {
		return (await this.library(userId)).find((e) => e.storyId === storyId);
	}

	/** Remembers the page a person is on (and, with `bookmark`, saves it explicitly). */
	async recordRead(
		userId: string,
		storyId: number,
		page: number,
		pages: number,
		bookmark = false,
	): Promise<LibraryEntry> {
		return this.exclusive(`library:${userId}`, async () => {
			const entries = (await this.read<LibraryEntry[]>(`library:${userId}`)) ?? [];
			const old = entries.find((e) => e.storyId === storyId);
			const entry: LibraryEntry = {
				storyId,
				page,
				pages,
				bookmark: bookmark ? page : (old?.bookmark ?? null),
				at: Date.now(),
			};
			await this.write(`library:${userId}`, [entry, ...entries.filter((e) => e.storyId !== storyId)].slice(0, 500));
			return entry;
		});
	}

	async clearLibrary(userId: string): Promise<number> {
		return this.exclusive(`library:${userId}`, async () => {
			const count = (await this.read<LibraryEntry[]>(`library:${userId}`))?.length ?? 0;
			await this.guard(() => this.keyv.delete(`library:${userId}`));
			return count;
		});
	}

	// ------------------------------------------------------------------------------------ quote board
	async board(guildId: string): Promise<BoardEntry[]> {
		return (await this.read<BoardEntry[]>(`board:${guildId}`)) ?? [];
	}

	/**
	 * Saves a line to the server's board, or adds the user's save to it when it is there already (same story,
	 * page and text). `added` is false when this user had saved it before.
	 */
	async saveToBoard(
		guildId: string,
		line: Omit<BoardEntry, 'id' | 'savedBy' | 'savedAt'>,
		userId: string,
	): Promise<{ entry: BoardEntry; added: boolean }> {
		return this.exclusive(`board:${guildId}`, async () => {
			const entries = await this.board(guildId);
			let entry = entries.find((e) => e.storyId === line.storyId && e.page === line.page && e.text === line.text);
			let added = true;
			if (entry) {
				added = !entry.savedBy.includes(userId);
				if (added) entry.savedBy.push(userId);
			} else {
				entry = { ...line, id: newId(entries), savedBy: [userId], savedAt: Date.now() };
				entries.push(entry);
				if (entries.length > BOARD_LIMIT) {
					const drop = [...entries].sort((a, b) => a.savedBy.length - b.savedBy.length || a.savedAt - b.savedAt)[0];
					entries.splice(entries.indexOf(drop as BoardEntry), 1);
				}
			}
			await this.write(`board:${guildId}`, entries);
			return { entry, added };
		});
	}

	/** Removes a board entry; undefined when it is no longer there. */
	async removeFromBoard(guildId: string, entryId: string): Promise<BoardEntry | undefined> {
		return this.exclusive(`board:${guildId}`, async () => {
			const entries = await this.board(guildId);
			const index = entries.findIndex((e) => e.id === entryId);
			if (index < 0) return undefined;
			const [removed] = entries.splice(index, 1);
			await this.write(`board:${guildId}`, entries);
			return removed;
		});
	}

	// ------------------------------------------------------------------------------------ quote of the day
	/** The day (YYYY-MM-DD, in the server's time zone) quote of the day was last posted, if ever. */
	async lastQotd(guildId: string): Promise<string | undefined> {
		return this.read<string>(`qotd:${guildId}`);
	}

	async setLastQotd(guildId: string, day: string): Promise<void> {
		await this.write(`qotd:${guildId}`, day);
	}

	/**
	 * Claims a server's quote of the day for `day`: true for exactly one caller, however many processes or
	 * machines ask at once. The claim is one atomic operation in the store itself (Redis SET … GET, an SQL
	 * conditional upsert), so two processes holding the same server never both post.
	 */
	async claimQotd(guildId: string, day: string): Promise<boolean> {
		const claimed = await this.guard(() => this.claim(`qotd-claim:${guildId}`, day));
		if (claimed) await this.setLastQotd(guildId, day);
		return claimed;
	}

	// ------------------------------------------------------------------------------------ reading clubs
	/** A server's reading clubs, one a channel (see discord/club.ts). */
	async clubs(guildId: string): Promise<Club[]> {
		const channels = (await this.read<string[]>(`clubs:${guildId}`)) ?? [];
		const clubs = await Promise.all(channels.map((channel) => this.club(guildId, channel)));
		return clubs.filter((club): club is Club => club !== undefined);
	}

	async club(guildId: string, channelId: string): Promise<Club | undefined> {
		return this.read<Club>(`club:${guildId}:${channelId}`);
	}

	/** Starts a club; false (and nothing written) when the channel has one already. */
	async startClub(club: Club): Promise<boolean> {
		return this.exclusive(`clubs:${club.guildId}`, async () => {
			if (await this.club(club.guildId, club.channelId)) return false;
			const channels = (await this.read<string[]>(`clubs:${club.guildId}`)) ?? [];
			await this.write(`club:${club.guildId}:${club.channelId}`, club);
			await this.write(`clubs:${club.guildId}`, [...channels.filter((c) => c !== club.channelId), club.channelId]);
			await this.guard(() => this.keyv.delete(`club-readers:${club.guildId}:${club.channelId}`));
			return true;
		});
	}

	/** Changes a club (read and written one at a time in this process); undefined when there is none. */
	async updateClub(guildId: string, channelId: string, change: (club: Club) => Club): Promise<Club | undefined> {
		return this.exclusive(`club:${guildId}:${channelId}`, async () => {
			const club = await this.club(guildId, channelId);
			if (!club) return undefined;
			const next = change({ ...club });
			await this.write(`club:${guildId}:${channelId}`, next);
			return next;
		});
	}

	/** Ends a channel's club; false when it had none. */
	async stopClub(guildId: string, channelId: string): Promise<boolean> {
		return this.exclusive(`clubs:${guildId}`, async () => {
			const had = (await this.club(guildId, channelId)) !== undefined;
			const channels = (await this.read<string[]>(`clubs:${guildId}`)) ?? [];
			await this.write(
				`clubs:${guildId}`,
				channels.filter((c) => c !== channelId),
			);
			await this.guard(() => this.keyv.delete(`club:${guildId}:${channelId}`));
			await this.guard(() => this.keyv.delete(`club-readers:${guildId}:${channelId}`));
			return had;
		});
	}

	/**
	 * Claims one slot of one club (the club as started at `startedAt`) for posting: true for exactly one caller
	 * across restarts and processes, atomically in the store (as `claimQotd`).
	 */
	async claimClubSlot(guildId: string, channelId: string, startedAt: number, slot: string): Promise<boolean> {
		return this.guard(() => this.claim(`club-claim:${guildId}:${channelId}`, `${startedAt}:${slot}`));
	}

	/** Who has caught up in a club, and with which installment (user id → installment number). */
	async clubReaders(guildId: string, channelId: string): Promise<Record<string, number>> {
		return (await this.read<Record<string, number>>(`club-readers:${guildId}:${channelId}`)) ?? {};
	}

	/** Marks a member caught up with installment `part` (never moving them back). */
	async catchUp(guildId: string, channelId: string, userId: string, part: number): Promise<void> {
		await this.exclusive(`club-readers:${guildId}:${channelId}`, async () => {
			const readers = await this.clubReaders(guildId, channelId);
			readers[userId] = Math.max(readers[userId] ?? 0, part);
			await this.write(`club-readers:${guildId}:${channelId}`, readers);
		});
	}

	// ------------------------------------------------------------------------------------ long search queries
	async saveQuery(hash: string, query: string, ttlMs: number): Promise<void> {
		await this.write(`search:${hash}`, query, ttlMs);
	}

	async query(hash: string): Promise<string | undefined> {
		return this.read<string>(`search:${hash}`);
	}

	async close(): Promise<void> {
		await this.keyv.disconnect();
	}

	// ------------------------------------------------------------------------------------ plumbing
	private async read<T>(key: string): Promise<T | undefined> {
		const raw = await this.guard(() => this.keyv.get<Versioned<T>>(key));
		if (raw === undefined || raw === null) return undefined;
		if (typeof raw !== 'object' || raw.v !== VERSION) {
			this.log.warn('state record from another version ignored', { key, version: (raw as { v?: unknown })?.v });
			return undefined;
		}
		return raw.data;
	}

	private async write<T>(key: string, data: T, ttlMs?: number): Promise<void> {
		const value: Versioned<T> = { v: VERSION, data };
		await this.guard(() => this.keyv.set(key, value, ttlMs));
	}

	/**
	 * Sets a raw key to `value` unless it holds `value` already, atomically in the backend: true when this call
	 * changed it. The key lives among keyv's records (same table or key space) but holds a bare string.
	 */
	private async claim(name: string, value: string): Promise<boolean> {
		const store: unknown = this.keyv.store;
		// The key keyv itself would use for `name`, so `keyv.delete(name)` removes it.
		const key = `${this.keyv.namespace ?? 'keyv'}:${name}`;
		if (store instanceof KeyvRedis) {
			const redisKey = store.namespace ? `${store.namespace}${store.keyPrefixSeparator}${name}` : name;
			const client = (await store.getClient()) as unknown as {
				set(key: string, value: string, options: { GET: true }): Promise<string | null>;
			};
			return (await client.set(redisKey, value, { GET: true })) !== value;
		}
		if (store instanceof KeyvPostgres) {
			const table = `${store.opts.schema ?? 'public'}.${store.opts.table ?? 'keyv'}`;
			const rows = await store.query(
				`INSERT INTO ${table} (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value
				 WHERE ${table}.value IS DISTINCT FROM excluded.value RETURNING key`,
				[key, value],
			);
			return rows.length === 1;
		}
		if (store instanceof SqliteStore) return store.setIfChanged(key, value);
		// An in-memory keyv lives in this one process: a check and set with no await between them is atomic.
		if (store instanceof Map) {
			if (store.get(key) === value) return false;
			store.set(key, value);
			return true;
		}
		throw new StateError('this state store cannot claim once-only jobs');
	}

	/** Read-modify-write of one key, one at a time in this process (a server's records live on one shard). */
	private exclusive<T>(key: string, work: () => Promise<T>): Promise<T> {
		const previous = this.locks.get(key) ?? Promise.resolve();
		const next = previous.then(work, work);
		const settled = next.catch(() => undefined);
		this.locks.set(key, settled);
		void settled.then(() => {
			if (this.locks.get(key) === settled) this.locks.delete(key);
		});
		return next;
	}

	/** Runs one store operation under the deadline; a failure marks the store down for a few seconds. */
	private async guard<T>(run: () => Promise<T>): Promise<T> {
		if (Date.now() < this.downUntil) throw new StateError('the state store is unavailable (it failed moments ago)');
		const operation = run();
		let timer: NodeJS.Timeout | undefined;
		const deadline = new Promise<never>((_, reject) => {
			timer = setTimeout(
				() => reject(new StateError(`the state store did not answer within ${this.timeoutMs} ms`)),
				this.timeoutMs,
			);
		});
		try {
			return await Promise.race([operation, deadline]);
		} catch (error) {
			this.downUntil = Date.now() + BACKOFF_MS;
			if (error instanceof StateError) throw error;
			throw new StateError(`the state store failed: ${error instanceof Error ? error.message : String(error)}`);
		} finally {
			clearTimeout(timer);
		}
	}
}

function newId(entries: BoardEntry[]): string {
	const taken = new Set(entries.map((e) => e.id));
	let id: string;
	do
		id = Math.floor(Math.random() * 36 ** 6)
			.toString(36)
			.padStart(6, '0');
	while (taken.has(id));
	return id;
}

/** Whether a string is a rating a server may allow outside age-restricted channels. */
export const isGateRating = (value: string): value is GateRating => (GATE_RATINGS as readonly string[]).includes(value);

/**
 * Opens the state store a URL names: `sqlite://path` (the file is created), `redis://host:port`,
 * `postgresql://user@host/db`. An in-memory keyv when the URL is `memory:` (tests, the console).
 */
export function openState(url: string, log: Logger, timeoutMs = TIMEOUT_MS): State {
	let keyv: Keyv;
	if (url === 'memory:') {
		keyv = new Keyv({ namespace: 'fic-archive' });
	} else if (url.startsWith('sqlite://')) {
		const file = url.slice('sqlite://'.length);
		if (file && file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
		keyv = new Keyv({ store: new SqliteStore({ uri: url, busyTimeout: 5000 }), namespace: 'fic-archive' });
	} else if (url.startsWith('redis://') || url.startsWith('rediss://')) {
		const store = new KeyvRedis(url, { throwOnConnectError: false, throwOnErrors: true, connectionTimeout: timeoutMs });
		keyv = new Keyv({ store, namespace: 'fic-archive', useKeyPrefix: false });
	} else if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
		keyv = new Keyv({
			store: new KeyvPostgres({ uri: url, table: 'fic_archive_state', connectionTimeoutMillis: timeoutMs }),
			namespace: 'fic-archive',
		});
	} else {
		throw new StateError(`STATE_URL must start with sqlite://, redis:// or postgresql://, not "${url}"`);
	}
	return new State(keyv, log, timeoutMs);
}
