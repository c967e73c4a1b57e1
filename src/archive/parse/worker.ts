/** A parser thread: parses the files the importer sends it, so parsing runs beside the store's writes. */
import { parentPort, workerData } from 'node:worker_threads';
import { type ParseOptions, parseOrReason } from './index.js';
import { forStore, type ParseRequest, type ParseResponse, packResult } from './messages.js';

const options = workerData as ParseOptions;
// Parsing is asynchronous (EPUBs are unzipped by streams), so files may finish out of order: each answer
// carries its request's id.
parentPort?.on('message', async ({ id, file, bytes, sidecar }: ParseRequest) => {
	const result = packResult(forStore(await parseOrReason(file, bytes, options, sidecar)));
	parentPort?.postMessage({ id, result } satisfies ParseResponse);
});
