/**
 * The search benchmark's queries, drawn from a store of the synthetic archive with a seeded PRNG: a list per query
 * class (classes.ts), the typo class with the words it misspells, and known-item lines drawn as readers copy them
 * (each with the story it came from) and the same lines with one typo each (lines.ts). Kept apart from the timing
 * so that other scripts (old and new code side by side, interleaved) can time the same queries.
 */
import type Database from 'better-sqlite3';
import { Rng } from '../synth.js';
import {
	type Draw,
	filterOnly,
	frequentName,
	mostMentioned,
	phrase,
	prefix,
	type QueryClass,
	rare,
	type TypoQuery,
	tagFilter,
	tagFilterWords,
	twoCommon,
	typo,
} from './classes.js';
import { Corpus } from './corpus.js';
import { knownItemLines, longParagraph, typoLine, worstInputs } from './lines.js';

export const SEED = 1;

export interface Queries {
	byClass: Map<QueryClass, string[]>;
	/** The typo class with the words they misspell. */
	typos: TypoQuery[];
	/** Known-item lines (the known-item class), the story each was drawn from, and the same lines with one typo each. */
	lines: string[];
	lineStories: number[];
	/** Inputs made to cost as much as a query can (issue 19): each should answer as fast as any other. */
	worst: { name: string; query: string }[];
	typoLines: string[];
}

/** Every class's queries, drawn in one order through one PRNG: the same store and seed give the same queries. */
export function generateQueries(db: Database.Database): Queries {
	const rng = new Rng(SEED * 7919 + 17);
	const draw: Draw = { db, corpus: new Corpus(db, rng), rng, cast: mostMentioned(db) };
	const byClass = new Map<QueryClass, string[]>();
	byClass.set('rare', rare(draw));
	byClass.set('frequent-name', frequentName(draw));
	byClass.set('two-common', twoCommon(draw));
	byClass.set('phrase', phrase(draw));
	byClass.set('prefix', prefix(draw));
	const typos = typo(draw);
	byClass.set(
		'typo',
		typos.map((t) => t.query),
	);
	byClass.set('filter-only', filterOnly(draw));
	const { lines, lineStories } = knownItemLines(draw);
	byClass.set('known-item', lines);
	const typoLines = lines.map((line) => typoLine(line, rng));
	const worst = worstInputs(lines.length ? longParagraph(draw.corpus) : '', rng);
	// New classes are drawn here, after all of the above (see classes.ts).
	byClass.set('tag-filter', tagFilter(draw));
	byClass.set(
		'tag-filter-words',
		tagFilterWords(draw, {
			rare: byClass.get('rare') ?? [],
			names: draw.cast.slice(0, 5).map((n) => n.toLowerCase()),
			common: (byClass.get('two-common') ?? []).map((pair) => pair.split(' ')[0] ?? pair),
		}),
	);
	draw.corpus.close();
	return { byClass, typos, lines, lineStories, typoLines, worst };
}
