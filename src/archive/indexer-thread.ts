/** The page indexer's thread (see indexer.ts): writes the pages parser threads send it into a new store file. */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import type { IndexerReply, IndexerRequest, PagesMessage } from './indexer.js';
import { unpackPages } from './indexer.js';
import { ArchiveStore } from './store.js';

const store = ArchiveStore.open((workerData as { path: string }).path, { build: true });
// The pages' stories are written to the importer's file and copied in at the end: until then the pages' story
// ids point at rows this file does not have yet.
store.db.pragma('foreign_keys = OFF');
store.db.exec('BEGIN');

let stories = 0;
let indexedChars = 0;
let expected = -1;

const reply = (message: IndexerReply) => parentPort?.postMessage(message);

/** Commits and closes once every story the importer counted has arrived (ports and the importer race). */
function finishIfDone(): void {
	if (stories !== expected) return;
	store.db.exec('COMMIT');
	store.close();
	reply({ done: true });
}

function index(message: PagesMessage): void {
	store.putPages(message.storyId, unpackPages(message));
	stories++;
	indexedChars += message.body.length;
	reply({ indexedChars });
	finishIfDone();
}

parentPort?.on('message', (request: IndexerRequest) => {
	if ('port' in request) {
		(request.port as MessagePort).on('message', index);
	} else {
		expected = request.finish;
		finishIfDone();
	}
});
