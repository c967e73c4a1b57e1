import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Keyv from 'keyv';
import { commands } from '../../commands/index.js';
import { importArchive } from '../../src/archive/import.js';
import { ArchiveSearch } from '../../src/archive/search.js';
import { ArchiveStore } from '../../src/archive/store.js';
import type { Command, Context } from '../../src/discord/context.js';
import { memoryLogger } from '../../src/log.js';
import { State } from '../../src/state.js';
import { AFTER_DARK } from '../e2e/harness.js';

export const FRIEND = '100000000000000222';

/** The samples, an Explicit story and seven short lighthouse stories in an in-memory archive (as the e2e harness). */
export async function openFixture(extra: Command[] = []) {
	const dir = mkdtempSync(join(tmpdir(), 'fic-archive-console-'));
	for (const name of ['leaving.txt', 'moving-day.txt']) {
		copyFileSync(new URL(`../../data/${name}`, import.meta.url), join(dir, name));
	}
	writeFileSync(join(dir, 'after-dark.txt'), AFTER_DARK);
	for (let i = 1; i <= 7; i++) {
		writeFileSync(
			join(dir, `lighthouse-${i}.txt`),
			`Title: Lighthouse ${i}\nAuthor: Keeper ${i}\nRating: G\n\nThe lighthouse keeper counted ${i} ships tonight.\n\n"Another storm," Dawn said, watching the lighthouse beam.\n`,
		);
	}
	const store = ArchiveStore.open(':memory:');
	const summary = await importArchive(store, dir);
	rmSync(dir, { recursive: true, force: true });
	if (summary.failed.length) throw new Error(`fixture import failed: ${JSON.stringify(summary.failed)}`);
	const search = new ArchiveSearch(store);
	const log = memoryLogger();
	const ctx: Context = { store, search, state: new State(new Keyv(), log), log, commands: [...commands, ...extra] };
	const storyId = (path: string) => store.fileHashes().get(path)?.id as number;
	return {
		ctx,
		log,
		store,
		storyId,
		close() {
			search.close();
			store.close();
		},
	};
}
