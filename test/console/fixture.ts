import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Keyv from 'keyv';
import { commands } from '../../commands/index.js';
import { ArchiveSearch } from '../../src/archive/search/index.js';
import type { Command, Context } from '../../src/discord/context.js';
import { memoryLogger } from '../../src/log.js';
import { State } from '../../src/state.js';
import { importInMemory, writeFixtureStories } from '../e2e/harness.js';

export const FRIEND = '100000000000000222';

/** The samples, an Explicit story and seven short lighthouse stories in an in-memory archive (as the e2e harness). */
export async function openFixture(extra: Command[] = []) {
	const dir = mkdtempSync(join(tmpdir(), 'fic-archive-console-'));
	writeFixtureStories(dir);
	const store = await importInMemory(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
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
