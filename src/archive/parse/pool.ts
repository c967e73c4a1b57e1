import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ParsedStory, Quote } from '../types.js';
import { type ParseOptions, parseOrReason } from './index.js';
import type { ParseRequest } from './worker.js';

/** A parsed story as the store takes it: without the whole body, which the pages already hold. */
export type StoryForStore = Omit<ParsedStory, 'body'>;
export type ParseResult = StoryForStore | { reason: string };

/**
 * Quotes as they cross threads: columns instead of an object each. A story has dozens to thousands of quotes,
 * and copying them as objects cost the two threads about twice as much as copying these columns.
 */
export interface PackedQuotes {
	/** Six numbers a quote: page, chapter, offset, length of its text, 1 for dialogue, speaker index or -1. */
	numbers: Int32Array;
	/** The quotes' texts, one after another. */
	text: string;
	/** The distinct speakers, for the speaker indexes. */
	speakers: string[];
}

const FIELDS = 6;

export function packQuotes(quotes: readonly Quote[]): PackedQuotes {
	const numbers = new Int32Array(quotes.length * FIELDS);
	const speakers = new Map<string, number>();
	for (const [i, q] of quotes.entries()) {
		let speaker = -1;
		if (q.speaker !== null) {
			speaker = speakers.get(q.speaker) ?? speakers.size;
			speakers.set(q.speaker, speaker);
		}
		numbers.set([q.page, q.chapter, q.offset, q.text.length, q.kind === 'dialogue' ? 1 : 0, speaker], i * FIELDS);
	}
	return { numbers, text: quotes.map((q) => q.text).join(''), speakers: [...speakers.keys()] };
}

export function unpackQuotes({ numbers, text, speakers }: PackedQuotes): Quote[] {
	const quotes: Quote[] = [];
	let at = 0;
	for (let i = 0; i < numbers.length; i += FIELDS) {
		const length = numbers[i + 3] as number;
		const speaker = numbers[i + 5] as number;
		quotes.push({
			text: text.slice(at, at + length),
			speaker: speaker < 0 ? null : (speakers[speaker] as string),
			kind: numbers[i + 4] === 1 ? 'dialogue' : 'narration',
			page: numbers[i] as number,
			offset: numbers[i + 2] as number,
			chapter: numbers[i + 1] as number,
		});
		at += length;
	}
	return quotes;
}

/** A parse result as a parser thread sends it: the story with its quotes packed. */
export type PackedResult = (Omit<StoryForStore, 'quotes'> & { quotes: PackedQuotes }) | { reason: string };

export function packResult(result: ParseResult): PackedResult {
	return 'reason' in result ? result : { ...result, quotes: packQuotes(result.quotes) };
}

export function unpackResult(result: PackedResult): ParseResult {
	return 'reason' in result ? result : { ...result, quotes: unpackQuotes(result.quotes) };
}

/** Drops the body before a story crosses threads: half the copying, for text the store does not keep. */
export function forStore(result: ParsedStory | { reason: string }): ParseResult {
	if ('reason' in result) return result;
	const { body: _body, ...story } = result;
	return story;
}

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
		worker.on('message', ({ id, result }: { id: number; result: PackedResult }) => {
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
