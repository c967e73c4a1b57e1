/** A parser thread: parses the files the importer sends it, so parsing runs beside the store's writes. */
import { parentPort, workerData } from 'node:worker_threads';
import { type ParseOptions, parseOrReason } from './index.js';
import { forStore, packResult } from './pool.js';

export interface ParseRequest {
	id: number;
	file: string;
	bytes: Uint8Array;
	sidecar?: string | undefined;
}

const options = workerData as ParseOptions;
// Parsing is asynchronous (EPUBs are unzipped by streams), so files may finish out of order: each answer
// carries its request's id.
parentPort?.on('message', async ({ id, file, bytes, sidecar }: ParseRequest) => {
	parentPort?.postMessage({ id, result: packResult(forStore(await parseOrReason(file, bytes, options, sidecar))) });
});
