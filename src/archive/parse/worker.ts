/** A parser thread: parses the files the importer sends it, so parsing runs beside the store's writes. */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { packPages } from '../indexer.js';
import { type ParseOptions, parseOrReason } from './index.js';
import { forStore, type PackedResult, packResult } from './pool.js';

export interface ParserThreadData {
	options: ParseOptions;
	/** A page indexer's port: where the pages of stories given an id go. */
	pages?: MessagePort | undefined;
}

export interface ParseRequest {
	id: number;
	file: string;
	bytes: Uint8Array;
	/** The story's id, for its pages to go to the page indexer under. */
	storyId?: number | undefined;
}

export interface ParseReply {
	id: number;
	result: PackedResult;
	/** Characters of page text sent to the page indexer. */
	indexedChars?: number;
}

const { options, pages } = workerData as ParserThreadData;
// Parsing is asynchronous (EPUBs are unzipped by streams), so files may finish out of order: each answer
// carries its request's id.
parentPort?.on('message', async ({ id, file, bytes, storyId }: ParseRequest) => {
	const parsed = await parseOrReason(file, bytes, options);
	if (!pages || storyId === undefined || 'reason' in parsed) {
		parentPort?.postMessage({ id, result: packResult(forStore(parsed)) } satisfies ParseReply);
		return;
	}
	// The pages go first, so the indexer has them before the importer counts the story as sent.
	const { message, transfer } = packPages(storyId, parsed);
	pages.postMessage(message, transfer);
	const { body, pages: _pages, ...story } = parsed;
	const result = { ...story, pageCount: parsed.pages.length };
	parentPort?.postMessage({ id, result: packResult(result), indexedChars: body.length } satisfies ParseReply);
});
