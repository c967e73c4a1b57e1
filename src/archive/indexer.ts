import { MessageChannel, type MessagePort, type Transferable, type Worker } from 'node:worker_threads';
import { startThread } from './parse/pool.js';
import type { Page, ParsedStory } from './types.js';

/**
 * The page indexer: a thread that writes stories' pages and their full-text index into a new store file, while
 * the importer's thread writes everything else to a file of its own (the two are joined when both are done, see
 * importToPath). Indexing the pages is the biggest single cost of an import, and SQLite takes one writer per
 * file: on its own thread and file it runs beside the importer's writes instead of after them.
 *
 * Parser threads send it the pages directly (through a port each), so page text never crosses the importer's
 * thread. The importer keeps it from falling too far behind with `room`.
 */
export class PageIndexer {
	private sentChars = 0;
	private indexedChars = 0;
	private stories = 0;
	private failure: Error | undefined;
	private finished = false;
	/** Called on every message or failure from the thread: whoever waits looks again. */
	private wake: (() => void)[] = [];

	private constructor(private readonly worker: Worker) {
		worker.on('message', (message: IndexerReply) => {
			if ('indexedChars' in message) this.indexedChars = message.indexedChars;
			else this.finished = true;
			this.notify();
		});
		worker.on('error', (error) => this.fail(error));
		worker.on('exit', (code) => {
			if (!this.finished) this.fail(new Error(`the page indexer thread exited (code ${code}) before it was done`));
		});
	}

	/** Starts the indexer on a new store file (created, with its schema, by the caller). */
	static start(path: string): PageIndexer {
		return new PageIndexer(startThread(import.meta.url, 'indexer-thread', { workerData: { path } }));
	}

	/** A new port for a parser thread to send pages on: transfer it to that thread. */
	channel(): MessagePort {
		const { port1, port2 } = new MessageChannel();
		this.worker.postMessage({ port: port1 } satisfies IndexerRequest, [port1]);
		return port2;
	}

	/** Counts a story whose pages a parser has sent: `chars` characters of text. */
	sent(chars: number): void {
		this.sentChars += chars;
		this.stories++;
	}

	/** Resolves once no more than `limit` characters of text sent are still waiting to be indexed. */
	async room(limit = WAITING_CHARS): Promise<void> {
		await this.until(() => this.sentChars - this.indexedChars <= limit);
	}

	/** Waits for every story sent to be indexed and the file to be committed and closed. */
	async finish(): Promise<void> {
		this.worker.postMessage({ finish: this.stories } satisfies IndexerRequest);
		await this.until(() => this.finished);
	}

	async close(): Promise<void> {
		await this.worker.terminate();
	}

	private async until(done: () => boolean): Promise<void> {
		while (!done()) {
			if (this.failure) throw this.failure;
			await new Promise<void>((resolve) => this.wake.push(resolve));
		}
		if (this.failure) throw this.failure;
	}

	private fail(error: Error): void {
		this.failure ??= error;
		this.notify();
	}

	private notify(): void {
		const waiting = this.wake;
		this.wake = [];
		for (const resolve of waiting) resolve();
	}
}

/** Text waiting in the indexer's queue, at most (32 M characters: 64 MB as UTF-16, at worst). */
const WAITING_CHARS = 32 * 1024 * 1024;

export type IndexerRequest = { port: MessagePort } | { finish: number };
export type IndexerReply = { indexedChars: number } | { done: true };

/** A story's pages as a parser sends them: the body once, and each page's number, chapter, offset and length. */
export interface PagesMessage {
	storyId: number;
	body: string;
	/** Four numbers a page: number, chapter, offset in the body, length. */
	pages: Int32Array;
}

/** Packs a parsed story's pages for the indexer (the body once, not every page's text as a string of its own). */
export function packPages(storyId: number, story: Pick<ParsedStory, 'body' | 'pages'>) {
	const pages = new Int32Array(story.pages.length * 4);
	for (const [i, page] of story.pages.entries()) {
		pages.set([page.number, page.chapter, page.offset, page.text.length], i * 4);
	}
	const message: PagesMessage = { storyId, body: story.body, pages };
	return { message, transfer: [pages.buffer] as Transferable[] };
}

/** The pages a PagesMessage packs. */
export function unpackPages({ body, pages }: PagesMessage): Page[] {
	const out: Page[] = [];
	for (let i = 0; i < pages.length; i += 4) {
		const offset = pages[i + 2] as number;
		out.push({
			number: pages[i] as number,
			chapter: pages[i + 1] as number,
			offset,
			text: body.slice(offset, offset + (pages[i + 3] as number)),
		});
	}
	return out;
}
