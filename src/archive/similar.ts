/**
 * "More like this": each story's nearest stories by shared series, fandoms, relationships, characters, tags and
 * distinctive words. A story's features are taken when it is parsed and stored with it; every import that adds,
 * changes or removes a story recomputes every story's list from all features through an inverted index (IDF
 * weights, very common features dropped, postings capped), so lists never go stale. Design: docs/similar.md.
 */
import type Database from 'better-sqlite3';
import type { ParsedStory, Rating } from './types.js';

// ------------------------------------------------------------------------------------------- features

/** The feature groups, in the order the "why" line names them. */
export const GROUPS = ['series', 'fandoms', 'relationships', 'characters', 'tags', 'words'] as const;
export type Group = (typeof GROUPS)[number];

/**
 * How much a group counts: a story's score against another is the sum over groups of this weight times the
 * cosine of the two stories' IDF-weighted features in that group (so at most the sum of the weights, 11).
 */
export const GROUP_WEIGHT: Readonly<Record<Group, number>> = {
	series: 3,
	fandoms: 1,
	relationships: 1,
	characters: 2,
	tags: 1,
	words: 3,
};

/** A story's features as stored (JSON): each a display name and a count (how often or how strongly). */
export type StoryFeatures = Partial<Record<Group, [string, number][]>>;

/** Distinctive words kept per story when it is parsed (the most frequent, function words left out). */
export const STORED_WORDS = 32;
/** Of those, the ones with the highest TF-IDF take part: a story's distinctive words. */
export const WORD_FEATURES = 24;
/** Characters found in the text, most mentioned first, at most this many (and mentioned twice or more). */
const TEXT_CHARACTERS = 12;
/** Long stories are sampled: this many characters of text, in eight evenly spaced slices. */
const WORD_SAMPLE = 256 * 1024;

/** English function words and the commonest verbs and adverbs: never distinctive. */
const STOPWORDS = new Set(
	`the and that was for with his her she him you had not but are this have they from what one all were there
	said would out their been when could who them then into like its just about some back than know only over
	did your can more down now see way how get got going even much which here where very well still too our
	will before after again what off because never any why let don didn isn wasn couldn wouldn won aren doesn
	hadn haven shouldn weren can't ll ve re other through around those these such own same also being each
	something nothing anything everything someone anyone everyone thing things yes yeah okay want look looked
	think thought make made time take took come came went say says tell told asked away up upon while might must
	should shall may little long good first last right left just enough really always ever though although
	once until since both most many few every another himself herself itself themselves myself yourself
	ourselves whom whose onto into across along behind beside between toward towards under without within
	let's there's that's it's he's she's i'm you're we're they're i've you've we've they've i'd you'd he'd she'd
	we'd they'd i'll you'll he'll she'll we'll they'll isn't wasn't don't didn't doesn't can't couldn't wouldn't
	won't shouldn't aren't weren't hasn't haven't hadn't`.split(/\s+/),
);

/**
 * Words are counted in a hash table of their FNV-1a hashes, read straight from the text's character codes: no
 * string is made for a word until it is among the most frequent (a regular expression's matches and a Map of
 * strings cost the parser thread about as much as the parsing itself). Latin letters and Latin-1's accented ones
 * make words; case is folded.
 */
const TABLE_BITS = 14;
const TABLE_SIZE = 1 << TABLE_BITS;
/** Past this many distinct words (long texts), new words are no longer counted: the frequent ones came early. */
const TABLE_FULL = Math.floor(TABLE_SIZE * 0.7);
const slotHash = new Int32Array(TABLE_SIZE);
const slotCount = new Int32Array(TABLE_SIZE);
const slotAt = new Int32Array(TABLE_SIZE);
const slotLength = new Int32Array(TABLE_SIZE);
const usedSlots = new Int32Array(TABLE_SIZE);

/** A letter's lower-case code, or 0 for anything that is not a letter of a word. */
function letter(c: number): number {
	if (c >= 97 && c <= 122) return c;
	if (c >= 65 && c <= 90) return c | 32;
	if (c >= 0xdf && c <= 0xff) return c === 0xf7 ? 0 : c;
	if (c >= 0xc0 && c <= 0xde) return c === 0xd7 ? 0 : c + 32;
	return 0;
}

/** A word's hash as the scanner computes it (never 0: 0 marks an empty slot). */
function wordHash(word: string): number {
	let hash = 0x811c9dc5 | 0;
	for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ letter(word.charCodeAt(i)), 16777619);
	return hash | 1;
}
const STOP_HASHES = new Set([...STOPWORDS].map(wordHash));

/** The story's most frequent words (lower case, three letters or more, no function words), most frequent first. */
export function distinctiveTerms(body: string, limit = STORED_WORDS): [string, number][] {
	let text = body;
	if (text.length > WORD_SAMPLE) {
		const slice = WORD_SAMPLE / 8;
		const step = (text.length - slice) / 7;
		// Each slice from a space to a space: no word cut in two.
		text = Array.from({ length: 8 }, (_, i) => {
			const from = Math.round(i * step);
			const start = i === 0 ? 0 : body.indexOf(' ', from) + 1;
			const end = body.lastIndexOf(' ', from + slice);
			return end > start ? body.slice(start, end) : '';
		}).join('\n');
	}
	let used = 0;
	let hash = 0x811c9dc5 | 0;
	let start = 0;
	const length = text.length;
	for (let i = 0; i <= length; i++) {
		const c = i < length ? letter(text.charCodeAt(i)) : 0;
		if (c) {
			hash = Math.imul(hash ^ c, 16777619);
			continue;
		}
		const size = i - start;
		if (size >= 3) {
			const h = hash | 1;
			if (!STOP_HASHES.has(h)) {
				let slot = h & (TABLE_SIZE - 1);
				while (slotHash[slot] !== 0 && slotHash[slot] !== h) slot = (slot + 1) & (TABLE_SIZE - 1);
				if (slotHash[slot] === h) slotCount[slot] = (slotCount[slot] as number) + 1;
				else if (used < TABLE_FULL) {
					slotHash[slot] = h;
					slotCount[slot] = 1;
					slotAt[slot] = start;
					slotLength[slot] = size;
					usedSlots[used++] = slot;
				}
			}
		}
		hash = 0x811c9dc5 | 0;
		start = i + 1;
	}
	// The `limit` most frequent, ties by the word: the count the limit falls at from a histogram of the counts, then
	// strings only for the words counted that often or more.
	const histogram = new Int32Array(257);
	for (let k = 0; k < used; k++) {
		const count = slotCount[usedSlots[k] as number] as number;
		const bin = Math.min(count, 256);
		histogram[bin] = (histogram[bin] as number) + 1;
	}
	let floor = 256;
	for (let above = histogram[256] as number; floor > 1 && above < limit; ) above += histogram[--floor] as number;
	const terms: [string, number][] = [];
	for (let k = 0; k < used; k++) {
		const slot = usedSlots[k] as number;
		const count = slotCount[slot] as number;
		if (count < floor) continue;
		const at = slotAt[slot] as number;
		terms.push([text.slice(at, at + (slotLength[slot] as number)).toLowerCase(), count]);
	}
	for (let k = 0; k < used; k++) slotHash[usedSlots[k] as number] = 0;
	return terms.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, limit);
}

/** A parsed story as the store takes it, with the distinctive words its parser thread found (absent: found here). */
export type StoryForFeatures = Pick<ParsedStory, 'meta' | 'characters' | 'pages'> & { terms?: [string, number][] };

const splitList = (text: string | undefined) =>
	(text ?? '')
		.split(/[,;]/)
		.map((s) => s.trim())
		.filter(Boolean);
const tagged = (names: readonly string[]): [string, number][] => {
	const seen = new Set<string>();
	const out: [string, number][] = [];
	for (const name of names) {
		const key = name.toLowerCase();
		if (name && !seen.has(key)) {
			seen.add(key);
			out.push([name, 1]);
		}
	}
	return out;
};

/** The features a story is compared by, as stored with it. */
export function featuresOf(story: StoryForFeatures): StoryFeatures {
	const { meta } = story;
	const features: StoryFeatures = {};
	if (meta.series?.name) features.series = [[meta.series.name, 1]];
	const fandoms = tagged(meta.fandoms?.length ? meta.fandoms : splitList(meta.fandom));
	if (fandoms.length) features.fandoms = fandoms;
	const relationships = tagged(meta.relationships?.length ? meta.relationships : splitList(meta.pairing));
	if (relationships.length) features.relationships = relationships;
	// Tagged characters count as strongly as a character mentioned a few times; the text's add to them.
	const characters = new Map<string, [string, number]>();
	for (const name of meta.characterTags ?? []) characters.set(name.toLowerCase(), [name, 3]);
	for (const c of story.characters.filter((c) => c.count >= 2).slice(0, TEXT_CHARACTERS)) {
		const key = c.name.toLowerCase();
		const known = characters.get(key);
		characters.set(key, [known?.[0] ?? c.name, Math.max(known?.[1] ?? 0, c.count)]);
	}
	if (characters.size) features.characters = [...characters.values()];
	const tags = tagged(meta.additionalTags ?? []);
	if (tags.length) features.tags = tags;
	// Characters' names are features of their own, not words.
	const names = new Set(story.characters.flatMap((c) => c.name.toLowerCase().split(/\s+/)));
	const terms = story.terms ?? distinctiveTerms(story.pages.map((p) => p.text).join('\n'));
	const words = terms.filter(([word]) => !names.has(word));
	if (words.length) features.words = words;
	return features;
}

// ------------------------------------------------------------------------------------------- neighbours

/** What two stories share, by group, as the first story names it; the most telling first. */
export type Shared = Partial<Record<Group, string[]>>;

export interface Neighbour {
	id: number;
	/** The sum over groups of the group's weight times the cosine of the two stories' features in it. */
	score: number;
	shared: Shared;
}

/** A story's nearest stories, as the bot shows them. */
export interface SimilarStory extends Neighbour {
	title: string;
	author: string | null;
	rating: Rating;
}

export interface NeighbourOptions {
	/** Stories listed per story. */
	count?: number;
	/** A feature in more than this share of the stories is too common to tell them apart, and left out… */
	commonShare?: number;
	/** …unless it is in this many stories or fewer (small archives). */
	commonFloor?: number;
	/** Each feature's postings keep only the stories it weighs most in, at most this many. */
	postings?: number;
	/** Below this score a story is not listed. */
	minScore?: number;
}

export const NEIGHBOURS = 5;
const DEFAULTS: Required<NeighbourOptions> = {
	count: NEIGHBOURS,
	commonShare: 0.02,
	commonFloor: 50,
	postings: 100,
	minScore: 0.3,
};
/** Shared names listed per group in the "why" line. */
const SHARED_NAMES = 4;

/**
 * Every story's nearest stories. Each story's features are weighted (1 + ln count) × ln(1 + N / df), its words
 * cut to its WORD_FEATURES best, and normalised per group; scores accumulate along an inverted index from each
 * story's features, skipping features in one story only or in too many, and reading at most `postings` stories
 * of each feature (those it weighs most in).
 */
export function computeNeighbours(
	stories: Iterable<{ id: number; features: StoryFeatures }>,
	options: NeighbourOptions = {},
): Map<number, Neighbour[]> {
	const lists = new Map<number, Neighbour[]>();
	forEachNeighbours(stories, (id, list) => lists.set(id, list), options);
	return lists;
}

/**
 * computeNeighbours, one story's list at a time (`emit`, for stories with any), in the stories' order. The stories
 * are read once and need not be held: a story's features take about 50 bytes here, against several hundred as
 * objects.
 */
export function forEachNeighbours(
	stories: Iterable<{ id: number; features: StoryFeatures }>,
	emit: (id: number, list: Neighbour[]) => void,
	options: NeighbourOptions = {},
): void {
	const o = { ...DEFAULTS, ...options };
	const WORDS = GROUPS.indexOf('words');

	// Feature ids; each story's features as one run of (feature id, count), sorted by id, one entry per feature.
	const ids = GROUPS.map(() => new Map<string, number>());
	const display: string[] = [];
	const groupOf: number[] = [];
	const storyIds: number[] = [];
	const runStarts: number[] = [0];
	let fids = new Int32Array(1 << 16);
	let counts = new Int32Array(1 << 16);
	let size = 0;
	const run: [number, number][] = [];
	for (const { id: storyId, features } of stories) {
		storyIds.push(storyId);
		run.length = 0;
		for (let g = 0; g < GROUPS.length; g++) {
			const group = GROUPS[g] as Group;
			for (const [name, count] of features[group] ?? []) {
				const key = g === WORDS ? name : normalise(group, name);
				let id = (ids[g] as Map<string, number>).get(key);
				if (id === undefined) {
					id = display.length;
					(ids[g] as Map<string, number>).set(key, id);
					display.push(name);
					groupOf.push(g);
				}
				run.push([id, count]);
			}
		}
		run.sort((a, b) => a[0] - b[0]);
		if (size + run.length > fids.length) {
			const grow = Math.max(Math.ceil(fids.length * 1.5), size + run.length);
			const moreIds = new Int32Array(grow);
			moreIds.set(fids);
			fids = moreIds;
			const moreCounts = new Int32Array(grow);
			moreCounts.set(counts);
			counts = moreCounts;
		}
		const from = size;
		for (const [id, count] of run) {
			// Names that are one feature once normalised ("Spike/Buffy", "Buffy/Spike"): the higher count.
			if (size > from && fids[size - 1] === id) {
				counts[size - 1] = Math.max(counts[size - 1] as number, count);
				continue;
			}
			fids[size] = id;
			counts[size] = Math.max(1, Math.round(count));
			size++;
		}
		runStarts.push(size);
	}
	const n = storyIds.length;
	const starts = Int32Array.from(runStarts);
	runStarts.length = 0;
	const featureCount = display.length;
	const df = new Int32Array(featureCount);
	for (let k = 0; k < size; k++) df[fids[k] as number] = (df[fids[k] as number] as number) + 1;
	const common = Math.max(o.commonFloor, Math.ceil(n * o.commonShare));
	const idf = new Float64Array(featureCount);
	for (let f = 0; f < featureCount; f++) idf[f] = (df[f] as number) > common ? 0 : Math.log(1 + n / (df[f] as number));

	// Weighted, cut to the best words, normalised per group: same layout, weights in place of counts.
	const vStarts = new Int32Array(n + 1);
	const vFids = new Int32Array(size);
	const vWeights = new Float32Array(size);
	let vSize = 0;
	const words: number[] = [];
	const norms = new Float64Array(GROUPS.length);
	for (let s = 0; s < n; s++) {
		const from = starts[s] as number;
		const to = starts[s + 1] as number;
		words.length = 0;
		for (let k = from; k < to; k++) {
			const f = fids[k] as number;
			if (groupOf[f] === WORDS && (idf[f] as number) > 0) words.push(k);
		}
		// Words below the story's best WORD_FEATURES are left out (all of those equal to the last kept stay in).
		let wordFloor = 0;
		const weightAt = (k: number) =>
			(1 + Math.log(Math.max(1, counts[k] as number))) * (idf[fids[k] as number] as number);
		if (words.length > WORD_FEATURES) {
			const sorted = words.map(weightAt).sort((a, b) => b - a);
			wordFloor = sorted[WORD_FEATURES - 1] as number;
		}
		norms.fill(0);
		const begin = vSize;
		for (let k = from; k < to; k++) {
			const f = fids[k] as number;
			if ((idf[f] as number) === 0) continue;
			const w = weightAt(k);
			if (groupOf[f] === WORDS && w < wordFloor) continue;
			vFids[vSize] = f;
			vWeights[vSize] = w;
			vSize++;
			norms[groupOf[f] as number] = (norms[groupOf[f] as number] as number) + w * w;
		}
		for (let k = begin; k < vSize; k++) {
			vWeights[k] = (vWeights[k] as number) / Math.sqrt(norms[groupOf[vFids[k] as number] as number] as number);
		}
		vStarts[s + 1] = vSize;
	}

	// The counts are weights now: let the memory go.
	fids = new Int32Array(0);
	counts = new Int32Array(0);
	for (const map of ids) map.clear();

	// The inverted index: per feature, its stories, heaviest first, at most `postings` (none for a feature of one story).
	const pStarts = new Int32Array(featureCount + 1);
	for (let k = 0; k < vSize; k++) {
		const f = (vFids[k] as number) + 1;
		pStarts[f] = (pStarts[f] as number) + 1;
	}
	for (let f = 0; f < featureCount; f++) pStarts[f + 1] = (pStarts[f + 1] as number) + (pStarts[f] as number);
	const pStory = new Int32Array(vSize);
	const pWeight = new Float32Array(vSize);
	{
		const fill = pStarts.slice(0, featureCount);
		for (let s = 0; s < n; s++) {
			for (let k = vStarts[s] as number; k < (vStarts[s + 1] as number); k++) {
				const f = vFids[k] as number;
				const at = fill[f] as number;
				fill[f] = at + 1;
				pStory[at] = s;
				pWeight[at] = vWeights[k] as number;
			}
		}
	}
	const pEnds = new Int32Array(featureCount);
	for (let f = 0; f < featureCount; f++) {
		const from = pStarts[f] as number;
		const length = (pStarts[f + 1] as number) - from;
		if (length < 2) {
			pEnds[f] = from;
			continue;
		}
		if (length > o.postings) {
			const order = Array.from({ length }, (_, i) => from + i).sort(
				(a, b) => (pWeight[b] as number) - (pWeight[a] as number) || (pStory[a] as number) - (pStory[b] as number),
			);
			const story = order.map((i) => pStory[i] as number);
			const weight = order.map((i) => pWeight[i] as number);
			pStory.set(story.slice(0, o.postings), from);
			pWeight.set(weight.slice(0, o.postings), from);
		}
		pEnds[f] = from + Math.min(length, o.postings);
	}
	const queryWeight = new Float64Array(featureCount);
	for (let f = 0; f < featureCount; f++) queryWeight[f] = GROUP_WEIGHT[GROUPS[groupOf[f] as number] as Group];

	const scores = new Float64Array(n);
	const touched = new Int32Array(n);
	const best: number[] = [];
	for (let s = 0; s < n; s++) {
		let touches = 0;
		for (let k = vStarts[s] as number; k < (vStarts[s + 1] as number); k++) {
			const f = vFids[k] as number;
			const q = (queryWeight[f] as number) * (vWeights[k] as number);
			const end = pEnds[f] as number;
			for (let p = pStarts[f] as number; p < end; p++) {
				const t = pStory[p] as number;
				if (t === s) continue;
				if (scores[t] === 0) touched[touches++] = t;
				scores[t] = (scores[t] as number) + q * (pWeight[p] as number);
			}
		}
		// The best `count`, by score then id (stories are in id order).
		best.length = 0;
		for (let i = 0; i < touches; i++) {
			const t = touched[i] as number;
			const score = scores[t] as number;
			if (score < o.minScore) continue;
			if (best.length === o.count) {
				const last = best[best.length - 1] as number;
				if (score < (scores[last] as number) || (score === scores[last] && t > last)) continue;
				best.pop();
			}
			let at = best.length;
			while (at > 0) {
				const b = best[at - 1] as number;
				if (score < (scores[b] as number) || (score === scores[b] && t > b)) break;
				at--;
			}
			best.splice(at, 0, t);
		}
		if (best.length) {
			emit(
				storyIds[s] as number,
				best.map((t) => ({
					id: storyIds[t] as number,
					score: Math.round((scores[t] as number) * 1000) / 1000,
					shared: sharedBetween(s, t),
				})),
			);
		}
		for (let i = 0; i < touches; i++) scores[touched[i] as number] = 0;
	}

	/** The features two stories share, by group, the ones adding most to their score first. */
	function sharedBetween(a: number, b: number): Shared {
		const both: [number, number][] = [];
		let i = vStarts[a] as number;
		let j = vStarts[b] as number;
		while (i < (vStarts[a + 1] as number) && j < (vStarts[b + 1] as number)) {
			const fa = vFids[i] as number;
			const fb = vFids[j] as number;
			if (fa === fb) {
				both.push([fa, (vWeights[i] as number) * (vWeights[j] as number)]);
				i++;
				j++;
			} else if (fa < fb) i++;
			else j++;
		}
		both.sort((x, y) => y[1] - x[1] || ((display[x[0]] as string) < (display[y[0]] as string) ? -1 : 1));
		const shared: Shared = {};
		for (const [f] of both) {
			const group = GROUPS[groupOf[f] as number] as Group;
			const names = shared[group] ?? [];
			shared[group] = names;
			if (names.length < SHARED_NAMES) names.push(display[f] as string);
		}
		return shared;
	}
}

/** One key for names that differ in case and spacing; a relationship's names in any order ("Spike/Buffy"). */
function normalise(group: Group, name: string): string {
	const key = name.toLowerCase().replace(/\s+/g, ' ').trim();
	if (group !== 'relationships') return key;
	const [separator] = key.match(/\s*[/&]\s*/) ?? [];
	return separator
		? key
				.split(separator)
				.map((s) => s.trim())
				.sort()
				.join(separator.trim())
		: key;
}

// ------------------------------------------------------------------------------------------- store

/**
 * Recomputes every story's list from every story's stored features and replaces the lists. An import runs it
 * once, after its last write, when it added, changed or removed a story.
 */
export function refreshSimilar(db: Database.Database, options: NeighbourOptions = {}): void {
	const rows = db.prepare('SELECT story_id, features FROM story_features ORDER BY story_id').raw();
	function* stories() {
		for (const [id, features] of rows.iterate() as IterableIterator<[number, string]>) {
			yield { id, features: JSON.parse(features) as StoryFeatures };
		}
	}
	// The lists are written as they are found (the stories have all been read by then).
	db.exec('DELETE FROM similar');
	const insert = db.prepare('INSERT INTO similar (story_id, list) VALUES (?, ?)');
	forEachNeighbours(stories(), (id, list) => insert.run(id, JSON.stringify(list)), options);
}
