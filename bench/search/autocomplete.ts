/**
 * Autocomplete timed as the bot asks for it while someone types a story or a character: inputs drawn from the
 * archive with their own seeded PRNG.
 */
import type { ArchiveSearch } from '../../src/archive/search/index.js';
import type { ArchiveStore } from '../../src/archive/store.js';
import { Rng } from '../synth.js';
import { PER_CLASS } from './classes.js';
import { SEED } from './queries.js';
import { WARM_UP } from './timing.js';

/** One kind of autocomplete input, timed: what the bot asks for as someone types a story or a character. */
export interface AutocompleteTiming {
	kind: string;
	examples: string[];
	times: number[];
	/** Inputs answered with no choices (none, but for prefixes that match nothing: each is drawn from the archive). */
	empty: number;
}

/**
 * Autocomplete as the bot asks for it (at most 25 choices): stories by the start of a title or an author's name and
 * by a word inside a title, prefixes that match nothing, and characters by the start of a name, the archive's
 * (as /quote asks before a story is chosen) or one story's. Inputs are drawn from the archive; each is timed once
 * after a warm-up of the same kind.
 */
export function timeAutocomplete(store: ArchiveStore, search: ArchiveSearch): AutocompleteTiming[] {
	const rng = new Rng(SEED * 104729 + 3);
	const stories = store.db.prepare('SELECT id, title, author FROM stories ORDER BY id').all() as {
		id: number;
		title: string;
		author: string | null;
	}[];
	const cast = store.db
		.prepare('SELECT name FROM character_names ORDER BY weight DESC LIMIT 200')
		.pluck()
		.all() as string[];
	const storyCast = store.db.prepare('SELECT name FROM characters WHERE story_id = ? ORDER BY count DESC').pluck();
	const start = (text: string, lo: number, hi: number) => text.slice(0, rng.range(lo, hi)).toLowerCase();
	type Draw = { input: string; storyId?: number };
	const story = () => rng.pick(stories) as (typeof stories)[number];
	const kinds: { kind: string; draw: () => Draw | undefined; run: (d: Draw) => number }[] = [
		{
			kind: 'story: title start',
			draw: () => {
				const { title } = story();
				return { input: start(title, 1, 8) };
			},
			run: (d) => search.suggest(d.input).length,
		},
		{
			kind: 'story: author start',
			draw: () => {
				const { author } = story();
				return author ? { input: start(author, 1, 5) } : undefined;
			},
			run: (d) => search.suggest(d.input).length,
		},
		{
			kind: 'story: word in title',
			draw: () => {
				const { title } = story();
				const words = title
					.split(/\s+/)
					.slice(1)
					.filter((w) => /^\p{L}{4,}$/u.test(w));
				const word = rng.pick(words);
				return word ? { input: start(word, 3, word.length) } : undefined;
			},
			run: (d) => search.suggest(d.input).length,
		},
		{
			kind: 'story: no match',
			draw: () => ({ input: `${rng.pick(['zq', 'qx', 'xj', 'vq'])}${String.fromCharCode(97 + rng.int(26))}` }),
			run: (d) => search.suggest(d.input).length,
		},
		{
			kind: 'character: archive',
			draw: () => {
				const name = rng.pick(cast);
				return name ? { input: start(name, 0, 3) } : undefined;
			},
			run: (d) => store.characterNames(d.input).length,
		},
		{
			kind: 'character: one story',
			draw: () => {
				const { id } = story();
				const name = rng.pick(storyCast.all(id) as string[]);
				return name ? { input: start(name, 0, 3), storyId: id } : undefined;
			},
			run: (d) => store.characterNames(d.input, d.storyId).length,
		},
	];
	return kinds.map(({ kind, draw, run }) => {
		const draws: Draw[] = [];
		for (let i = 0; i < PER_CLASS * 20 && draws.length < PER_CLASS; i++) {
			const d = draw();
			if (d) draws.push(d);
		}
		for (const d of draws.slice(0, WARM_UP)) run(d);
		const timing: AutocompleteTiming = { kind, examples: [], times: [], empty: 0 };
		for (const d of draws) {
			const t0 = performance.now();
			const choices = run(d);
			timing.times.push(performance.now() - t0);
			if (timing.examples.length < 3) timing.examples.push(JSON.stringify(d.input));
			if (choices === 0) timing.empty++;
		}
		timing.times.sort((a, b) => a - b);
		return timing;
	});
}
