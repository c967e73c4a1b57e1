import { type Stats, statSync } from 'node:fs';
import type { Logger } from '../log.js';
import { ArchiveSearch } from './search/index.js';
import { ArchiveStore } from './store.js';

/** The archive the bot serves right now: a store and its search, replaced together. */
export interface ArchiveHandle {
	readonly store: ArchiveStore;
	readonly search: ArchiveSearch;
}

export interface LiveArchiveOptions {
	/** How often the file is looked at (ms). */
	pollMs?: number;
	/** A new file must look the same this long before it is opened (ms): a copy still arriving is not read. */
	settleMs?: number;
	/** How long a replaced archive stays open for the requests that hold it (ms). */
	graceMs?: number;
}

/**
 * The archive file at a path, served without restarts: when a new file appears there (a published copy
 * renamed into place: another inode, size or time), it is opened and becomes `current`; the archive it
 * replaced stays open for `graceMs`, so requests that took it finish on it, then is closed. Story ids are
 * the store's own, so buttons made before a switch work after it. A new file that cannot be opened is
 * logged and the current archive kept.
 */
export class LiveArchive {
	private handle: ArchiveHandle;
	private seen: string;
	private candidate: { sig: string; since: number } | undefined;
	private timer: NodeJS.Timeout | undefined;
	/** Replaced archives in their grace period, by the timer that closes each. */
	private readonly retiring = new Map<NodeJS.Timeout, ArchiveHandle>();
	private readonly pollMs: number;
	private readonly settleMs: number;
	private readonly graceMs: number;

	constructor(
		readonly path: string,
		private readonly log: Logger,
		options: LiveArchiveOptions = {},
	) {
		this.pollMs = options.pollMs ?? 2000;
		this.settleMs = options.settleMs ?? 1000;
		this.graceMs = options.graceMs ?? 60_000;
		// Looked at before opening: a file replaced in between is then seen as new at the next look.
		this.seen = signature(statSync(path, { throwIfNoEntry: false }));
		const store = ArchiveStore.open(path, { readonly: true });
		this.handle = { store, search: new ArchiveSearch(store) };
	}

	/** The archive to use for one request: take it once and keep it to the request's end. */
	get current(): ArchiveHandle {
		return this.handle;
	}

	/** Starts looking at the file every `pollMs`. */
	watch(): this {
		this.timer = setInterval(() => this.check(), this.pollMs);
		this.timer.unref();
		return this;
	}

	/**
	 * One look at the file: switches when a changed file has looked the same for `settleMs`. Returns whether
	 * it switched. Called by the timer; tests call it with their own clock.
	 */
	check(now = Date.now()): boolean {
		let sig: string;
		try {
			sig = signature(statSync(this.path));
		} catch {
			return false; // between an unlink and a rename, or moved away: keep serving what is open
		}
		if (sig === this.seen) {
			this.candidate = undefined;
			return false;
		}
		if (this.candidate?.sig !== sig) {
			this.candidate = { sig, since: now };
			if (this.settleMs > 0) return false;
		}
		if (now - this.candidate.since < this.settleMs) return false;
		this.candidate = undefined;
		this.seen = sig;
		return this.reload();
	}

	/** Opens the file at the path now and makes it current; false (logged) when it cannot be opened. */
	reload(): boolean {
		let next: ArchiveHandle;
		try {
			const store = ArchiveStore.open(this.path, { readonly: true });
			try {
				next = { store, search: new ArchiveSearch(store) };
			} catch (error) {
				store.close();
				throw error;
			}
		} catch (error) {
			this.log.error('a new archive could not be opened; still serving the old one', { path: this.path, error });
			return false;
		}
		const old = this.handle;
		this.handle = next;
		const stats = next.store.stats();
		this.log.info('archive switched', { path: this.path, stories: stats.stories, pages: stats.pages });
		const timer = setTimeout(() => {
			this.retiring.delete(timer);
			closeHandle(old);
		}, this.graceMs);
		timer.unref();
		this.retiring.set(timer, old);
		return true;
	}

	/** Stops watching and closes the current archive (and any still in their grace period). */
	close(): void {
		clearInterval(this.timer);
		for (const [timer, old] of this.retiring) {
			clearTimeout(timer);
			closeHandle(old);
		}
		this.retiring.clear();
		closeHandle(this.handle);
	}
}

function closeHandle(handle: ArchiveHandle): void {
	handle.search.close();
	handle.store.close();
}

/** What tells one file at a path from another: inode, size, modification time. */
function signature(stats: Stats | undefined): string {
	if (!stats) return 'none';
	return `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
}
