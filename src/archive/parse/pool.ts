import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type ParseOptions, parseOrReason } from './index.js';
import { forStore, type ParseRequest, type ParseResponse, type ParseResult, unpackResult } from './messages.js';

/** Parses story files, in this thread or in worker threads. */
export interface Parser {
	/** `sidecar`: the text of the story's `.meta.yaml`, when it has one. */
	parse(file: string, bytes: Uint8Array, sidecar?: string): Promise<ParseResult>;
	close(): Promise<void>;
}

/** Parses in the calling thread: no start-up cost, for small imports and tests. */
export function inlineParser(options: ParseOptions): Parser {
	return {
		parse: async (file, bytes, sidecar) => forStore(await parseOrReason(file, bytes, options, sidecar)),
		close: async () => {},
	};
}

/** Worker threads to leave the main thread (the store's writer) a core of its own. */
export const defaultWorkerCount = () => Math.max(1, availableParallelism() - 1);

// Run from TypeScript sources (tests, tsx) the worker is the .ts file beside this one, loaded through tsx (a dev
// dependency, there whenever the sources are run); built, the .js file.
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(FROM_SOURCE ? './worker.ts' : './worker.js', import.meta.url);
const startWorker = (options: ParseOptions) =>
	FROM_SOURCE
		? new Worker(
				`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(WORKER_URL.href)}); })`,
				{ eval: true, workerData: options },
			)
		: new Worker(WORKER_URL, { workerData: options });

/**
 * Parses in `count` worker threads, each file going to the worker with the least work queued. A worker that
 * dies takes its pending files down with it as rejected promises, and the import that asked rolls back.
 */
export function workerParser(allOptions: ParseOptions, count = defaultWorkerCount()): Parser {
	// Only data crosses to a thread: callers may pass a bigger options object with callbacks in it.
	const options: ParseOptions = { pageSize: allOptions.pageSize, maxFileBytes: allOptions.maxFileBytes };
	type Pending = { resolve: (r: ParseResult) => void; reject: (e: Error) => void; bytes: number };
	const workers = Array.from({ length: count }, () => {
		const worker = startWorker(options);
		const pending = new Map<number, Pending>();
		const state = { worker, pending, queuedBytes: 0 };
		worker.on('message', ({ id, result }: ParseResponse) => {
			const p = pending.get(id);
			if (!p) return;
			pending.delete(id);
			state.queuedBytes -= p.bytes;
			p.resolve(unpackResult(result));
		});
		const fail = (error: Error) => {
			for (const p of pending.values()) p.reject(error);
			pending.clear();
		};
		worker.on('error', fail);
		worker.on('exit', (code) => {
			if (pending.size) fail(new Error(`a parser thread exited (code ${code}) with files still to parse`));
		});
		return state;
	});
	let nextId = 0;
	return {
		parse(file, bytes, sidecar) {
			const target = workers.reduce((a, b) => (b.queuedBytes < a.queuedBytes ? b : a));
			const id = nextId++;
			const result = new Promise<ParseResult>((resolve, reject) => {
				target.pending.set(id, { resolve, reject, bytes: bytes.length });
				target.queuedBytes += bytes.length;
				target.worker.postMessage({ id, file, bytes, sidecar } satisfies ParseRequest);
			});
			// An import that stops early (its transaction failed) never awaits the files still queued: their
			// failure must not surface as an unhandled rejection. Whoever awaits the promise still sees it.
			result.catch(() => {});
			return result;
		},
		async close() {
			for (const w of workers) {
				for (const p of w.pending.values()) p.resolve({ reason: 'the import stopped before this file was parsed' });
				w.pending.clear();
			}
			await Promise.all(workers.map((w) => w.worker.terminate()));
		},
	};
}
