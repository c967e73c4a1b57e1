import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';
import type { Logger } from './log.js';

export class StateError extends Error {
	override name = 'StateError';
}

/**
 * The mutable state (settings, bookmarks, saved quotes, long search queries) behind one keyv, chosen by URL.
 * The default is an embedded SQLite file next to the archive: nothing to run.
 */
export function openState(url: string, log: Logger): Keyv {
	let keyv: Keyv;
	if (url.startsWith('sqlite://')) {
		const file = url.slice('sqlite://'.length);
		if (file && file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
		keyv = new Keyv({ store: new KeyvSqlite({ uri: url, busyTimeout: 5000 }), namespace: 'fic' });
	} else {
		throw new StateError(`STATE_URL ${url.split(':')[0]}:// is not supported yet; use sqlite://path/to/state.sqlite`);
	}
	// A failing backend is logged, never fatal: the command that needed it answers politely.
	keyv.on('error', (error: unknown) => log.error('state store error', { error }));
	return keyv;
}
