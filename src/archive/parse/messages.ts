/** What crosses between the importer and a parser thread: the request, the answer, and the packing on the way. */
import { distinctiveTerms } from '../similar.js';
import type { ParsedStory, Quote } from '../types.js';

/**
 * A parsed story as the store takes it: without the whole body, which the pages already hold, and with its most
 * frequent words for "More like this" (found from the body here, in the parser's thread).
 */
export type StoryForStore = Omit<ParsedStory, 'body'> & { terms?: [string, number][] };
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
	const { body, ...story } = result;
	return { ...story, terms: distinctiveTerms(body) };
}

/** What the importer sends a parser thread: one file to parse. */
export interface ParseRequest {
	id: number;
	file: string;
	bytes: Uint8Array;
	sidecar?: string | undefined;
}

/** What a parser thread sends back: the request's id (files may finish out of order) and its packed result. */
export interface ParseResponse {
	id: number;
	result: PackedResult;
}
