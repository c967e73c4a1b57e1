/**
 * Deterministic generator of a synthetic fan-fiction archive for benchmarks.
 *
 * Stories look like the plain-text files of an old Buffy mailing-list archive (see data/*.txt): a header in one of
 * several styles, then paragraphs of narration and attributed dialogue built from the ~100,000 real English sentences
 * of the `nlp-corpus` package, with a recurring, Zipf-weighted cast (Buffy and Spike everywhere).
 *
 * The same seed and size give byte-identical output. Story i depends only on the seed and i, except that the last
 * story is cut to fit the requested size, so a bigger archive starts with the same stories as a smaller one.
 *
 * CLI: node --import tsx bench/synth.ts <dir> <MB> [seed]     (MB = 1024 * 1024 bytes)
 */
import {
	closeSync,
	existsSync,
	openSync,
	readdirSync,
	readFileSync,
	realpathSync,
	rmSync,
	writeFileSync,
	writeSync,
} from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SynthOptions {
	/** Total size to generate, in bytes of UTF-8 text. */
	bytes: number;
	/** PRNG seed; defaults to 1. */
	seed?: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Seeded randomness

/** mulberry32: a tiny, fast 32-bit PRNG. */
export class Rng {
	private state: number;

	constructor(seed: number) {
		this.state = seed >>> 0;
	}

	/** A float in [0, 1). */
	next(): number {
		this.state = (this.state + 0x6d2b79f5) | 0;
		let t = this.state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	/** An integer in [0, n). */
	int(n: number): number {
		return Math.floor(this.next() * n);
	}

	/** An integer in [lo, hi]. */
	range(lo: number, hi: number): number {
		return lo + this.int(hi - lo + 1);
	}

	chance(p: number): boolean {
		return this.next() < p;
	}

	pick<T>(items: readonly T[]): T {
		return items[this.int(items.length)] as T;
	}

	/** Index into a table of cumulative weights (last entry = total). */
	weighted(cumulative: readonly number[]): number {
		const x = this.next() * (cumulative[cumulative.length - 1] as number);
		let lo = 0;
		let hi = cumulative.length - 1;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if ((cumulative[mid] as number) > x) hi = mid;
			else lo = mid + 1;
		}
		return lo;
	}
}

/** Mixes a seed and a stream index into an independent 32-bit seed (murmur3 finaliser). */
function mixSeed(seed: number, index: number): number {
	let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
	h ^= h >>> 16;
	h = Math.imul(h, 0x85ebca6b);
	h ^= h >>> 13;
	h = Math.imul(h, 0xc2b2ae35);
	h ^= h >>> 16;
	return h >>> 0;
}

function cumulate(weights: readonly number[]): number[] {
	let sum = 0;
	return weights.map((w) => {
		sum += w;
		return sum;
	});
}

/** Weighted choice of one entry of a small table of [value, weight] pairs. */
function choose<T>(rng: Rng, table: readonly (readonly [T, number])[]): T {
	let total = 0;
	for (const [, w] of table) total += w;
	let x = rng.next() * total;
	for (const [value, w] of table) {
		x -= w;
		if (x < 0) return value;
	}
	return (table[table.length - 1] as readonly [T, number])[0];
}

// ---------------------------------------------------------------------------------------------------------------
// Corpus: the nlp-corpus sentences, loaded once and sorted into pools

interface Corpus {
	/** Every usable sentence, for narration. */
	narration: string[];
	/** Sentences without double quotes and not too long, for dialogue. */
	dialogue: string[];
	/** Rest of sentences that began "He " / "She " / "I was" ..., to be given a named subject. */
	singular: string[];
	/** Rest of sentences that began "They " / "We ". */
	plural: string[];
	/** Sentences beginning with a function word ("The", "It", ...), first letter lowered, to follow "X knew that". */
	clauses: string[];
	/** Short phrases without final punctuation, for titles. */
	phrases: string[];
}

let corpusCache: Corpus | undefined;

const ASCII_PUNCTUATION: Record<string, string> = {
	'\u2018': "'",
	'\u2019': "'",
	'\u201c': '"',
	'\u201d': '"',
	'\u2013': '-',
	'\u2014': '--',
	'\u2026': '...',
};
/** ASCII punctuation that marks tables, markup, code and ASCII art rather than prose. */
const BAD_ASCII = new Uint8Array(128);
for (const c of '|_<>{}\\@#^=*~[]\x7f') BAD_ASCII[c.charCodeAt(0)] = 1;
const UNWANTED = /https?:|www\.|\.com\b|\bNaN\b|\bundefined\b|\bnigg|\bfaggot|\bretard/i;
const SINGULAR =
	/^(?:He|She|I(?= (?:was|had|could|would|did|felt|knew|thought|wanted|needed|didn't|couldn't|wasn't|hadn't|wouldn't|might|should|must|will|can|[a-z]+ed) )) /;
const PLURAL = /^(?:They|We) /;
/** A clause after "Buffy knew that" needs a verb; headlines and fragments rarely have one of these. */
const FINITE_VERB = / (?:is|was|are|were|has|had|have|will|would|can|could|did|does|do|must|should)\b/;
const CLAUSE =
	/^(?:The|It|It's|This|That|There|These|Those|A|An|Some|Most|Many|Nothing|Everything|Everyone|Nobody|No one|Every|Nothing's|Everything's) /;

/** Path of nlp-corpus's builds/ folder: doc-0.json ... doc-99.json, each a JSON array of 1,000 sentences. */
function corpusDir(): string {
	// The package only exports "." (src/server/index.js, untyped); the data sits in ../../builds from there.
	const main = createRequire(import.meta.url).resolve('nlp-corpus');
	return resolve(dirname(main), '../../builds');
}

/** A corpus line made into one clean prose sentence, or null when it is not one. */
function cleanSentence(raw: string): string | null {
	if (raw.length < 12 || raw.length > 400) return null;
	// One pass over the characters (this runs on 100,000 lines, and regular expressions would each add a pass).
	let letters = 0;
	let quotes = 0;
	let spaces = false;
	let typographic = false;
	for (let i = 0; i < raw.length; i++) {
		const c = raw.charCodeAt(i);
		if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0xc0 && c <= 0xff)) letters++;
		else if (c === 0x20) spaces ||= i === 0 || i === raw.length - 1 || raw.charCodeAt(i + 1) === 0x20;
		else if (c === 0x22) quotes++;
		else if (c < 0x20 || c === 0xa0) spaces = true;
		else if (c < 0x80) {
			if (BAD_ASCII[c] === 1) return null;
		} else if (c === 0x201c || c === 0x201d) {
			quotes++;
			typographic = true;
		} else if (c === 0x2013 || c === 0x2014 || c === 0x2018 || c === 0x2019 || c === 0x2026) typographic = true;
		else return null;
	}
	if (quotes % 2 !== 0) return null;
	let s = raw;
	if (spaces) {
		if (/[^\S \t\n\r\u00a0]/.test(s)) return null;
		s = s.replace(/\s+/g, ' ').trim();
	}
	// Typographic punctuation is made ASCII, so that most stories stay one-byte strings in V8 (much faster to join
	// and encode); curly quotes and dashes come back as per-story styles.
	if (typographic) s = s.replace(/[\u2018\u2019\u201c\u201d\u2013\u2014\u2026]/g, (c) => ASCII_PUNCTUATION[c] ?? c);
	const first = s.charCodeAt(0);
	if (s.length < 12 || s.length > 320 || first < 0x41 || first > 0x5a) return null;
	// Mostly words: drops tables, numbers and legal references.
	if (letters < s.length * 0.72 || UNWANTED.test(s)) return null;
	const last = s.charCodeAt(s.length - 1);
	const before = s.charCodeAt(s.length - 2);
	if (last === 0x2e /* . */) {
		// "word.." is a typo for "word.", but "word..." is a trailing off.
		if (before === 0x2e && s.charCodeAt(s.length - 3) !== 0x2e) s = s.slice(0, -1);
	} else if (last === 0x21 /* ! */ || last === 0x3f /* ? */) {
		// fine as it is
	} else if (last === 0x22 /* " */ || last === 0x27 /* ' */) {
		if (before !== 0x2e && before !== 0x21 && before !== 0x3f) return null;
	} else if (/[A-Za-z0-9)]/.test(s[s.length - 1] ?? '')) {
		// Headlines, lyrics and quiz clues lack a final stop; longer unpunctuated lines are mostly cut off mid-word.
		if (s.length > 110) return null;
		s = `${s}.`;
	} else return null;
	return s;
}

/**
 * A fresh, flat, one-byte copy of a pool string. Slices and concatenations are trees in V8; copying the pool once
 * makes the joins that build stories about 30% faster. Clean sentences only hold Latin-1, so latin1 is lossless.
 */
function flat(s: string): string {
	return Buffer.from(s, 'latin1').toString('latin1');
}

function loadCorpus(): Corpus {
	if (corpusCache) return corpusCache;
	const dir = corpusDir();
	const files = readdirSync(dir)
		.map((f) => /^doc-(\d+)\.json$/.exec(f))
		.filter((m): m is RegExpExecArray => m !== null)
		.sort((a, b) => Number(a[1]) - Number(b[1]))
		.map((m) => m[0]);
	if (files.length === 0) throw new Error(`nlp-corpus: no doc-N.json files in ${dir}`);
	const corpus: Corpus = { narration: [], dialogue: [], singular: [], plural: [], clauses: [], phrases: [] };
	for (const file of files) {
		const docs: unknown = JSON.parse(readFileSync(join(dir, file), 'utf8'));
		if (!Array.isArray(docs)) continue;
		for (const raw of docs) {
			if (typeof raw !== 'string') continue;
			const s = cleanSentence(raw);
			if (s === null) continue;
			const sentence = flat(s);
			corpus.narration.push(sentence);
			const quoted = s.includes('"');
			if (!quoted && s.length <= 200) corpus.dialogue.push(sentence);
			if (quoted) continue;
			const singular = SINGULAR.exec(s);
			if (singular) corpus.singular.push(flat(s.slice(singular[0].length)));
			else if (PLURAL.test(s)) corpus.plural.push(flat(s.slice(s.indexOf(' ') + 1)));
			else if (CLAUSE.test(s) && FINITE_VERB.test(s)) corpus.clauses.push(flat(s[0]?.toLowerCase() + s.slice(1)));
			if (s.length <= 40 && s.length >= 14 && /^[A-Za-z' ]+[.!?]$/.test(s) && !/\b(?:I|you|my)\b/.test(s)) {
				corpus.phrases.push(s.slice(0, -1));
			}
		}
	}
	corpusCache = corpus;
	return corpus;
}

// ---------------------------------------------------------------------------------------------------------------
// Cast, pen names, word lists

interface Person {
	name: string;
	he: string;
	him: string;
	his: string;
	himself: string;
}

const FEMALE = { he: 'she', him: 'her', his: 'her', himself: 'herself' };
const MALE = { he: 'he', him: 'him', his: 'his', himself: 'himself' };

function person(name: string, female: boolean): Person {
	return { name, ...(female ? FEMALE : MALE) };
}

const BUFFY = person('Buffy', true);
const SPIKE = person('Spike', false);
/** The supporting cast in decreasing order of importance; per-story picks follow a Zipf law over this order. */
const SUPPORTING: readonly Person[] = [
	person('Willow', true),
	person('Xander', false),
	person('Dawn', true),
	person('Giles', false),
	person('Anya', true),
	person('Tara', true),
	person('Angel', false),
	person('Faith', true),
	person('Riley', false),
	person('Joyce', true),
	person('Harmony', true),
	person('Clem', false),
	person('Drusilla', true),
	person('Andrew', false),
	person('Cordelia', true),
	person('Oz', false),
	person('Glory', true),
	person('Wesley', false),
	person('Darla', true),
	person('Jonathan', false),
	person('Warren', false),
	person('Kennedy', true),
];
const SUPPORTING_CUMULATIVE = cumulate(SUPPORTING.map((_, i) => 1 / (i + 1) ** 1.25));

/** A word list written as "a | b | c" across lines. */
function list(text: string): readonly string[] {
	return text
		.split(/\s*[|\n]\s*/)
		.map((w) => w.trim())
		.filter((w) => w.length > 0);
}

const PEN_FIRST = list(`
	Slay | Bite | Kiss | Stake | Love | Hold | Save | Dust | Haunt | Take | Bleed | Tease
`);
const PEN_ADVERB = list(`
	softly | slowly | gently | deeply | sweetly | hard | tonight | forever | often | twice
`);
/** No cast names here, so that a pen name never reads as a character ("Willow Witch"). */
const PEN_PARTS = list(`
	moon | blood | night | shadow | star | raven | crypt | slayer | velvet | ember | rose | silver | ivy
	crimson | storm | ash | dusk | lily | fang | thorn | candle | ghost | wicked | bloody | sweet | dark
	lost | blue | wild | kitten | poodle | leather | duster | stake | cemetery | bite
`);
const PEN_CLASSICAL = list(`
	Klytaimnestra | Persephone | Kassandra | Morrigan | Ariadne | Lilith | Calliope | Nyx | Hecate
	Medea | Elektra | Antigone | Penthesilea | Eurydice | Thalia | Circe | Iphigenia | Andromache
	Selene | Io
`);
const PEN_GIVEN = list(`
	Anne | Kate | Mary | Jen | Liz | Sarah | Beth | Claire | Maggie | Rachel | Helen | Nora | Amy
	Laura | Dee | Jo | Sam | Alex | Morgan | Robin
`);
const INITIALS = list(`
	A | B | C | D | E | J | K | L | M | R | S | T
`);
const PEN_FAMILY = list(`
	Marlowe | Ashford | Greene | Winters | Lark | Holloway | Vance | Sinclair | Darrow | Quill | Hale
	Moreau | Fairfax | Blackwood | Rowan | Kestrel
`);

function capitalise(s: string): string {
	return s.length === 0 ? s : (s[0] as string).toUpperCase() + s.slice(1);
}

/** A few hundred recurring pen names, derived from the seed. */
function penNames(seed: number, count: number): string[] {
	const rng = new Rng(mixSeed(seed, 0x7fff_0001));
	const names = new Set<string>();
	while (names.size < count) {
		let name: string;
		switch (rng.int(7)) {
			case 0:
				name = `${rng.pick(PEN_FIRST)}me${rng.pick(PEN_ADVERB)}`;
				break;
			case 1:
				name = capitalise(rng.pick(PEN_PARTS)) + rng.pick(PEN_PARTS);
				break;
			case 2:
				name = `${rng.pick(PEN_PARTS)}${rng.pick(['_', '', '-'])}${rng.pick(PEN_PARTS)}${rng.range(1, 99)}`;
				break;
			case 3:
				name = rng.pick(PEN_CLASSICAL) + (rng.chance(0.5) ? '' : rng.pick(['_x', '7', 'Rising', ' Dreaming']));
				break;
			case 4:
				name = `${rng.pick(PEN_GIVEN)} ${rng.chance(0.3) ? `${rng.pick(INITIALS)}. ` : ''}${rng.pick(PEN_FAMILY)}`;
				break;
			case 5:
				name = `${capitalise(rng.pick(PEN_PARTS))} ${capitalise(rng.pick(['mistress', 'queen', 'girl', 'writer', 'muse', 'kitten', 'witch']))}`;
				break;
			default:
				name = `${rng.pick(['spuffy', 'bloody', 'spikes', 'buffys', 'slayers', 'dusty'])}${rng.pick(['luv', 'girl', 'fan', 'gal', 'chick', 'muse'])}${rng.chance(0.5) ? rng.range(1, 2005) : ''}`;
		}
		names.add(name);
	}
	return [...names];
}

const TITLE_NOUNS = list(`
	Blood | Night | Shadows | Moonlight | Hearts | Crypt | Fire | Ashes | Dust | Promises | Redemption
	Souls | Kisses | Embers | Rain | Winter | Silence | Home | Dreams | Sunrise | Midnight | Grace
	Mercy | Secrets | Bones | Salvation | Chains | Roses | Thorns | Lies | Truth | Forever | Scars
	Glass | Stone | Wings | Storm | Smoke | Whispers | Absolution | Sanctuary | Ghosts | Moments
	Distance | Gravity | Heat | Hunger | Daylight | Penance | Tears | Cinders | Memory | Stars
`);
const TITLE_ADJECTIVES = list(`
	Dark | Broken | Bloody | Silent | Cold | Lost | Sweet | Hollow | Burning | Last | First | Red
	Quiet | Fallen | Wicked | Tender | Bitter | Golden | Endless | Borrowed | Stolen | Little | Secret
	Second | Empty | Unspoken | Shattered | Restless | Hungry
`);
const TITLE_GERUNDS = list(`
	Leaving | Falling | Waiting | Breaking | Burning | Moving | Finding | Coming | Running | Healing
	Remembering | Drowning | Dancing | Letting Go | Holding On | Starting Over | Walking | Bleeding
`);
const SINGLE_GERUNDS = TITLE_GERUNDS.filter((g) => !g.includes(' '));
const EPISODES = list(`
	Smashed | Wrecked | Seeing Red | Once More With Feeling | Dead Things | Fool for Love | Crush
	Intervention | The Gift | Lies My Parents Told Me | Chosen | Touched | Beneath You | Something Blue
	Lovers Walk | School Hard | Becoming | Restless | Hush | Tabula Rasa | Gone | Normal Again
	Bargaining | After Life | Hell's Bells | Entropy | Villains | Grave | Sleeper | Never Leave Me
	End of Days | Pangs | Out of My Mind | Triangle
`);
const SEASONS = list(`
	II | III | IV | V | VI | VII
`);
const MONTHS = list(`
	January | February | March | April | May | June | July | August | September | October | November
	December
`);
const RATINGS: readonly (readonly [string | null, number])[] = [
	['G', 5],
	['PG', 12],
	['PG-13', 18],
	['PG13', 10],
	['R', 20],
	['NC-17', 15],
	['T', 4],
	['M', 4],
	['MA', 3],
	[null, 9],
];
const DISCLAIMERS = list(`
	I thought this up – not Joss, who actually owns the characters.
	Thanks be to the Joss. The Joss is good. Nor expect we thanks or remuneration.
	All characters belong to Joss Whedon, Mutant Enemy, and Fox. No infringement intended.
	They're not mine. If they were, season six would have ended differently.
	Joss owns them, I just borrow them and give them back slightly rumpled.
	Buffy the Vampire Slayer and its characters are the property of Mutant Enemy. No money is being made here.
	Not mine, never were, more's the pity.
	Nothing you recognise belongs to me. Please do not sue, I have nothing but a cat.
	The characters belong to Joss Whedon and co. The plot bunny is all mine.
`);
const DISTRIBUTIONS = list(`
	just let me know where it goes. | Anywhere, just ask first.
	Want it? Take it, just keep my name on it. | My site, and anyone who has archived me before.
	Please ask.
`);
const FEEDBACKS = list(`
	please! | Always welcome, good or bad. | Yes please, it feeds the muse. | Makes my day.
`);
const CATEGORIES = list(`
	Romance | Angst | Romance/Angst | Humor | Drama | Hurt/Comfort | PWP | Vignette
`);
const SEPARATORS: readonly (readonly [string, number])[] = [
	[': ', 70],
	[' – ', 15],
	[' - ', 15],
];

// ---------------------------------------------------------------------------------------------------------------
// Templates for character beats and narration

/** A template split on {tokens}: even entries are literal text, odd entries are token names. */
type Template = string[];

function compile(source: string): Template {
	return source.split(/\{(\w+)\}/);
}

function render(template: Template, a: Person, b: Person): string {
	let out = '';
	for (let i = 0; i < template.length; i++) {
		const part = template[i] as string;
		if (i % 2 === 0) {
			out += part;
			continue;
		}
		switch (part) {
			case 'a':
				out += a.name;
				break;
			case 'b':
				out += b.name;
				break;
			case 'he':
				out += a.he;
				break;
			case 'him':
				out += a.him;
				break;
			case 'his':
				out += a.his;
				break;
			case 'himself':
				out += a.himself;
				break;
			case 'bhim':
				out += b.him;
				break;
			case 'bhis':
				out += b.his;
				break;
			default:
				out += part;
		}
	}
	return out;
}

const BEATS: readonly Template[] = [
	'{a} rolled {his} eyes.',
	'{a} glanced at {b}.',
	'{a} shrugged.',
	'{a} sighed.',
	'{a} looked away.',
	'{a} stared at {b} for a long moment.',
	"{a} didn't answer.",
	'{a} shook {his} head.',
	'{a} crossed {his} arms.',
	'{a} reached for {b}, then stopped {himself}.',
	'{a} laughed, but there was no humour in it.',
	'{a} took a step closer to {b}.',
	'{a} frowned.',
	'{a} bit {his} lip.',
	"{a} couldn't quite meet {b}'s eyes.",
	'{a} closed {his} eyes.',
	'{a} pushed past {b} and out into the night.',
	'{a} felt {b} watching {him}.',
	'{a} swallowed hard.',
	'{a} turned back to {b}.',
	'{a} leaned against the wall of the crypt.',
	"{b}'s voice made {a} look up.",
	'For a moment {a} said nothing at all.',
	'{a} nodded slowly.',
	'{a} lit a cigarette.',
	'{a} paced the length of the room.',
	'{a} pulled {his} jacket tighter.',
	'{a} smiled in spite of {himself}.',
	'{a} raised an eyebrow at {b}.',
	"{a} caught {b}'s hand.",
	'{a} waited.',
	'{a} sat down heavily on the edge of the sarcophagus.',
	"{a} could hear {b}'s heartbeat.",
	'{a} tilted {his} head.',
].map(compile);

/** Openers for sentences that become a character's thought: "{a} knew that " + clause. */
const THOUGHTS: readonly Template[] = [
	'{a} thought that ',
	'{a} knew that ',
	'{a} realized that ',
	'{a} decided that ',
	'{a} suspected that ',
	'{a} remembered that ',
	'{a} told {himself} that ',
	'It occurred to {a} that ',
	'{a} had always figured that ',
	'Somewhere in the back of {his} mind, {a} knew that ',
].map(compile);

const SAY = [
	'said',
	'whispered',
	'murmured',
	'snapped',
	'replied',
	'muttered',
	'growled',
	'sighed',
	'drawled',
] as const;
const ASK = ['asked', 'whispered', 'wondered', 'demanded', 'asked quietly'] as const;
const EXCLAIM = ['snapped', 'shouted', 'yelled', 'growled', 'exclaimed', 'said'] as const;
const ADVERBS = ['softly', 'quietly', 'dryly', 'coldly', 'sharply', 'finally', 'gently', 'flatly'] as const;
const SPIKE_TO_BUFFY = ['Slayer', 'pet', 'love', 'Buffy', 'luv'] as const;

// ---------------------------------------------------------------------------------------------------------------
// One story

interface Style {
	open: string;
	close: string;
	/** Paragraph indentation; null means a random run of spaces per paragraph. */
	indent: string | null;
	gap: string;
	sentenceGap: string;
	/** Hard-wrap width, or 0. */
	wrap: number;
	dialogueRate: number;
}

interface Cast {
	people: Person[];
	cumulative: number[];
}

function storyCast(rng: Rng, bytes: number): Cast {
	const wanted = Math.min(6, 1 + rng.int(3) + Math.floor(Math.log2(1 + bytes / 16_384)));
	const chosen: Person[] = [];
	for (let tries = 0; chosen.length < wanted && tries < 50; tries++) {
		const p = SUPPORTING[rng.weighted(SUPPORTING_CUMULATIVE)] as Person;
		if (!chosen.includes(p)) chosen.push(p);
	}
	const people = [BUFFY, SPIKE, ...chosen];
	const weights = [1, 0.9, ...chosen.map((_, i) => 0.45 / (i + 1))];
	return { people, cumulative: cumulate(weights) };
}

function who(rng: Rng, cast: Cast): Person {
	return cast.people[rng.weighted(cast.cumulative)] as Person;
}

/** Someone other than `a`: usually Buffy or Spike. */
function other(rng: Rng, cast: Cast, a: Person): Person {
	if (a !== BUFFY && a !== SPIKE) return rng.chance(0.5) ? BUFFY : SPIKE;
	if (rng.chance(0.7)) return a === BUFFY ? SPIKE : BUFFY;
	for (let i = 0; i < 8; i++) {
		const b = who(rng, cast);
		if (b !== a) return b;
	}
	return a === BUFFY ? SPIKE : BUFFY;
}

function narrationSentence(rng: Rng, corpus: Corpus, cast: Cast, named: boolean): string {
	if (!named) return rng.pick(corpus.narration);
	const a = who(rng, cast);
	const x = rng.next();
	if (x < 0.4) return `${a.name} ${rng.pick(corpus.singular)}`;
	if (x < 0.55) return `${a.name} and ${other(rng, cast, a).name} ${rng.pick(corpus.plural)}`;
	if (x < 0.8) return render(rng.pick(THOUGHTS), a, a) + rng.pick(corpus.clauses);
	return render(rng.pick(BEATS), a, other(rng, cast, a));
}

/** A corpus line as spoken: the sentence, its final mark, and the verb that fits it. */
function spoken(
	rng: Rng,
	corpus: Corpus,
	speaker: Person,
	listener: Person,
): { body: string; mark: string; verb: string } {
	const s = rng.pick(corpus.dialogue);
	const cut = s.endsWith('...') ? 3 : 1;
	let body = s.slice(0, -cut);
	const mark = s.slice(-cut);
	if (rng.chance(0.15)) {
		const vocative = speaker === SPIKE && listener === BUFFY ? rng.pick(SPIKE_TO_BUFFY) : listener.name;
		body += `, ${vocative}`;
	}
	const verbs = mark === '?' ? ASK : mark === '!' ? EXCLAIM : SAY;
	let verb: string = rng.pick(verbs);
	if (rng.chance(0.1) && !verb.includes(' ')) verb += ` ${rng.pick(ADVERBS)}`;
	return { body, mark, verb };
}

function dialogueParagraph(rng: Rng, corpus: Corpus, cast: Cast, style: Style, sep: string): string {
	const { open, close } = style;
	const speaker = who(rng, cast);
	const listener = other(rng, cast, speaker);
	const line = spoken(rng, corpus, speaker, listener);
	const bareVerb = line.verb.split(' ')[0] ?? line.verb;
	const tagName = rng.chance(0.08) ? speaker.he : speaker.name;
	const x = rng.next();
	let p: string;
	if (x < 0.45) {
		// "Sentence," Name said.
		const inner = line.mark === '.' ? `${line.body},` : line.body + line.mark;
		p = rng.chance(0.12)
			? `${open}${inner}${close} ${bareVerb} ${speaker.name}.`
			: `${open}${inner}${close} ${tagName} ${line.verb}.`;
		if (rng.chance(0.3)) p += `${sep}${open}${rng.pick(corpus.dialogue)}${close}`;
	} else if (x < 0.75) {
		// Name said, "Sentence."
		p = `${capitalise(tagName)} ${line.verb}, ${open}${line.body}${line.mark}${close}`;
	} else if (x < 0.9) {
		// A beat, then the line.
		p = `${render(rng.pick(BEATS), speaker, listener)}${sep}${open}${line.body}${line.mark}${close}`;
	} else {
		// Unattributed.
		p = `${open}${line.body}${line.mark}${close}`;
	}
	return p;
}

function narrationParagraph(rng: Rng, corpus: Corpus, cast: Cast, sep: string): string {
	const n = rng.range(1, rng.chance(0.3) ? 7 : 4);
	let p = narrationSentence(rng, corpus, cast, rng.chance(0.75));
	for (let i = 1; i < n; i++) p += sep + narrationSentence(rng, corpus, cast, rng.chance(0.2));
	return p;
}

export function wrapText(text: string, width: number, indent: string): string {
	let out = '';
	let line = indent;
	// Whether the line holds a word yet (its length cannot tell: a wrapped line has no indent, and its first word
	// may be shorter than the indent).
	let started = false;
	let start = 0;
	while (start < text.length) {
		let end = text.indexOf(' ', start);
		if (end === -1) end = text.length;
		const word = text.slice(start, end);
		if (started && line.length + 1 + word.length > width) {
			out += `${line}\n`;
			line = word;
		} else {
			line += started ? ` ${word}` : word;
		}
		started = true;
		start = end + 1;
	}
	return out + line;
}

function countWords(text: string): number {
	let n = 0;
	let inWord = false;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		const space = c === 32 || c === 10 || c === 9;
		if (!space && !inWord) n++;
		inWord = !space;
	}
	return n;
}

function storyTitle(rng: Rng, corpus: Corpus): string {
	switch (rng.int(11)) {
		case 0:
			return rng.pick(TITLE_NOUNS);
		case 1:
			return `${rng.pick(TITLE_ADJECTIVES)} ${rng.pick(TITLE_NOUNS)}`;
		case 2:
			return rng.pick(TITLE_GERUNDS);
		case 3:
			return `${rng.pick(SINGLE_GERUNDS)} ${rng.pick(['Day', 'Home', 'Sunnydale', 'Again', 'Slowly', 'Apart'])}`;
		case 4:
			return `The ${rng.pick(TITLE_NOUNS)} of ${rng.pick(TITLE_NOUNS)}`;
		case 5:
			return `${rng.pick(TITLE_NOUNS)} and ${rng.pick(TITLE_NOUNS)}`;
		case 6:
			return `${rng.pick(['After', 'Before', 'Into', 'Out of', 'Beneath', 'Beyond', 'Under'])} the ${rng.pick(TITLE_NOUNS)}`;
		case 7:
			return `${rng.pick(['Spike', 'Buffy', 'Slayer', 'Vampire', 'Angel', 'Willow'])}'s ${rng.pick(TITLE_NOUNS)}`;
		case 8:
			return `A ${rng.pick(TITLE_ADJECTIVES)} ${rng.pick(['Thing', 'Kind of Love', 'Night', 'Promise', 'Goodbye', 'Truth'])}`;
		default:
			return capitalise(rng.pick(corpus.phrases));
	}
}

function storyDate(rng: Rng): string {
	const year = rng.range(1998, 2006);
	const month = rng.range(1, 12);
	const day = rng.range(1, 28);
	switch (rng.int(4)) {
		case 0:
			return `${month}/${day}/${String(year % 100).padStart(2, '0')}`;
		case 1:
			return `${MONTHS[month - 1]} ${day}, ${year}`;
		case 2:
			return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
		default:
			return `${day} ${MONTHS[month - 1]?.slice(0, 3)} ${year}`;
	}
}

function summaryLine(rng: Rng, corpus: Corpus): string {
	for (let i = 0; i < 20; i++) {
		const rest = rng.pick(corpus.singular);
		if (rest.length < 140 && !rest.includes('"')) return `${rng.chance(0.6) ? 'Buffy' : 'Spike'} ${rest}`;
	}
	return 'Buffy and Spike try to work it out.';
}

// ---------------------------------------------------------------------------------------------------------------
// Tags: fandoms, additional tags, warnings and a status, drawn from a stream of their own (see storyTags)

/** Fandoms, biggest first: Buffy's in about a third of the stories, a long tail of crossovers and strays. */
const FANDOMS = list(`
	Buffy the Vampire Slayer | Angel (TV) | Supernatural | Harry Potter | Doctor Who | Firefly | The X-Files
	Star Trek | Stargate SG-1 | Highlander | Charmed | Smallville | Xena Warrior Princess | The Lord of the Rings
	Farscape | Babylon 5 | Veronica Mars | Battlestar Galactica | Dark Angel | Roswell | Torchwood | Merlin
	Sherlock | Marvel Cinematic Universe | Batman | True Blood | The Vampire Diaries | Twilight | Forever Knight
	Hercules the Legendary Journeys | Sleepy Hollow | Blake's 7 | Due South | The Sentinel | Quantum Leap
	Kindred the Embraced | Being Human | Moonlight | Dracula | Anne Rice's Vampire Chronicles | Blade | Underworld
	Van Helsing | Dollhouse | Alias | Heroes | Lost | Fringe | Grimm | Teen Wolf | Hellboy | Constantine
	Witchblade | Sanctuary | Warehouse 13 | Lost Girl | Penny Dreadful | Carmilla | Dresden Files | Discworld
`);
/** The biggest fandom's share (34 %) is set apart; the rest share the others by a Zipf law. */
const FANDOM_TAIL = FANDOMS.slice(1).reduce((sum, _, i) => sum + 1 / (i + 1), 0);
const FANDOM_CUMULATIVE = cumulate(FANDOMS.map((_, i) => (i === 0 ? 0.34 : 0.66 / i / FANDOM_TAIL)));
/** Additional tags, most used first: each story carries each with a chance falling as a Zipf law (22 % for the first). */
const TAGS = list(`
	Angst | Romance | Hurt/Comfort | Fluff | Alternate Universe | Established Relationship | Humor | Drama
	Friendship | Canon Compliant | Post-Canon | Smut | First Kiss | Slow Burn | Enemies to Lovers | Missing Scene
	Character Study | Dark | Happy Ending | Family | Vampires | Hospital | Holidays | Christmas | Fix-It
	Time Travel | Soulmates | Road Trip | Undercover | Amnesia | Bodyswap | Secret Identity | Drabble
	Songfic | Crack | Magic | Dreams | Ghosts | Prophecy | Curses
`);
/** AO3's archive warnings, and how many stories carry each (most: none apply). */
const WARNINGS: readonly (readonly [string, number])[] = [
	['No Archive Warnings Apply', 64],
	['Creator Chose Not To Use Archive Warnings', 16],
	['Graphic Depictions Of Violence', 10],
	['Major Character Death', 6],
	['Rape/Non-Con', 2.5],
	['Underage', 1.5],
];

/**
 * A story's tag lines ("Fandom: ...", "Tags: ...", "Warnings: ...", "Status: ...") from a stream of their own, so
 * that adding them left every other draw, and so the stories' text, as it was.
 */
function storyTags(rng: Rng): [string, string][] {
	const fandoms = [FANDOMS[rng.weighted(FANDOM_CUMULATIVE)] as string];
	if (rng.chance(0.12)) {
		const other = FANDOMS[rng.weighted(FANDOM_CUMULATIVE)] as string;
		if (other !== fandoms[0]) fandoms.push(other);
	}
	const tags = TAGS.filter((_, i) => rng.chance(0.22 / (i + 1) ** 1.2));
	const lines: [string, string][] = [['Fandom', fandoms.join(', ')]];
	if (tags.length) lines.push(['Tags', tags.join(', ')]);
	if (rng.chance(0.9)) {
		const warning = choose(rng, WARNINGS);
		const also = warning === 'Graphic Depictions Of Violence' && rng.chance(0.3) ? ', Major Character Death' : '';
		lines.push(['Warnings', warning + also]);
	}
	if (rng.chance(0.85)) lines.push(['Status', rng.chance(0.8) ? 'Complete' : 'Work in Progress']);
	return lines;
}

interface Header {
	/** The header text, without the trailing blank lines; contains WORDS where a word count goes. */
	text: string;
	hasWordCount: boolean;
	/** Bytes the tag lines added to the text. */
	tagBytes: number;
}

const WORDS = '\u0000WORDS\u0000';

function storyHeader(rng: Rng, corpus: Corpus, author: string, long: boolean, tags: [string, string][]): Header {
	const title = storyTitle(rng, corpus);
	const sep = choose(rng, SEPARATORS);
	const label = (name: string, value: string) => `${name}${rng.chance(0.8) ? sep : choose(rng, SEPARATORS)}${value}`;
	const rating = choose(rng, RATINGS);
	const ratingText = rating === null ? null : rng.chance(0.1) ? `${rating} (for language)` : rating;
	const hasWordCount = rng.chance(0.45);
	const wordCountLabel = rng.pick(['Word count', 'Word Count', 'Words', 'Wordcount']);
	const lines: string[] = [];
	const style = rng.int(10);
	if (style < 5) {
		// Labelled lines, as in data/leaving.txt.
		const upper = style === 4;
		const lab = (name: string, value: string) => label(upper ? name.toUpperCase() : name, value);
		lines.push(lab('Title', rng.chance(0.15) ? `${title} (${storyDate(rng)})` : title));
		lines.push(lab('Author', author));
		if (rng.chance(0.25)) {
			lines.push(
				rng.chance(0.5)
					? `Season ${rng.pick(SEASONS)} – didn’t happen, but could have....`
					: `Set after ${rng.pick(EPISODES)}.`,
			);
		}
		if (rng.chance(0.2)) lines.push(lab(rng.pick(['Date', 'Posted']), storyDate(rng)));
		if (ratingText !== null) lines.push(lab(rng.chance(0.85) ? 'Rating' : 'Rated', ratingText));
		if (hasWordCount) lines.push(lab(wordCountLabel, WORDS));
		if (rng.chance(0.4)) lines.push(lab('Pairing', rng.pick(['Spike/Buffy', 'Buffy/Spike', 'S/B', 'Spuffy'])));
		const at = lines.length;
		if (rng.chance(0.25)) lines.push(lab('Category', rng.pick(CATEGORIES)));
		if (rng.chance(0.3)) lines.push(lab('Spoilers', `Through ${rng.pick(EPISODES)}`));
		if (rng.chance(0.7)) lines.push(lab('Summary', summaryLine(rng, corpus)));
		if (rng.chance(0.8)) lines.push(lab('Disclaimer', rng.pick(DISCLAIMERS)));
		if (rng.chance(0.4)) lines.push(lab('Distribution', rng.pick(DISTRIBUTIONS)));
		if (rng.chance(0.4)) lines.push(lab('Feedback', rng.pick(FEEDBACKS)));
		if (long && rng.chance(0.5)) lines.push(lab('Archive', 'Yes, with the parts kept together.'));
		const spaced = rng.chance(0.35);
		const join = spaced ? '\n\n' : '\n';
		const without = lines.join(join);
		// Tag lines go after the pairing, written as the other labels are; no draw from rng.
		lines.splice(at, 0, ...tags.map(([name, value]) => `${upper ? name.toUpperCase() : name}${sep}${value}`));
		const text = lines.join(join);
		return { text, hasWordCount, tagBytes: Buffer.byteLength(text) - Buffer.byteLength(without) };
	}
	// A title line and a By line, as in data/moving-day.txt, optionally followed by a few labels.
	lines.push(title);
	lines.push(`${rng.chance(0.8) ? 'By' : 'by'} ${author}`);
	const extras = style >= 8;
	if (extras && ratingText !== null) lines.push(label('Rating', ratingText));
	if (extras && hasWordCount) lines.push(label(wordCountLabel, WORDS));
	if (extras && rng.chance(0.6)) lines.push(label('Summary', summaryLine(rng, corpus)));
	const tagLines = tags.map(([name, value]) => `\n${name}: ${value}`).join('');
	const header = lines.join('\n') + tagLines;
	const disclaimer = rng.chance(0.7) ? `\n\nDisclaimer: ${rng.pick(DISCLAIMERS)}` : '';
	return { text: header + disclaimer, hasWordCount: extras && hasWordCount, tagBytes: Buffer.byteLength(tagLines) };
}

function storyStyle(rng: Rng): Style {
	const curly = rng.chance(0.1);
	return {
		open: curly ? '“' : '"',
		close: curly ? '”' : '"',
		indent: choose<string | null>(rng, [
			['', 70],
			['    ', 10],
			['\t', 8],
			['        ', 7],
			[null, 5],
		]),
		gap: choose(rng, [
			['\n\n', 80],
			['\n\n\n', 15],
			['\n\n\n\n', 5],
		]),
		sentenceGap: rng.chance(0.25) ? '  ' : ' ',
		wrap: rng.chance(0.1) ? rng.range(66, 78) : 0,
		dialogueRate: 0.3 + rng.next() * 0.3,
	};
}

/** Size in bytes of one story before fitting to what is left: mostly 2-20 KB, some up to ~200 KB. */
function storySize(rng: Rng): number {
	const x = rng.next();
	if (x < 0.82) {
		// Log-normal around 7 KB.
		const u = 1 - rng.next();
		const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
		return Math.round(Math.min(20_000, Math.max(2_000, 7_000 * Math.exp(0.6 * normal))));
	}
	// Log-uniform: 20-80 KB, or 80-200 KB for a few multi-part stories.
	const [lo, hi] = x < 0.97 ? [20_000, 80_000] : [80_000, 200_000];
	return Math.round(lo * (hi / lo) ** rng.next());
}

/**
 * A story as its header and its body, kept apart: headers often hold an en dash, which would make the whole text a
 * two-byte string in V8 and slow every later copy and encode. The text of the file is head + body.
 */
interface StoryParts {
	head: string;
	body: string;
	bytes: number;
	/** Bytes of the tag lines, which the archive's size does not count (they came later; see stories()). */
	tagBytes: number;
}

function makeStory(rng: Rng, corpus: Corpus, author: string, target: number, tags: [string, string][]): StoryParts {
	const long = target >= 60_000;
	const header = storyHeader(rng, corpus, author, long, tags);
	const style = storyStyle(rng);
	const cast = storyCast(rng, target);
	const sep = style.sentenceGap;
	const headerGap = '\n'.repeat(rng.range(2, 5));
	const ending = rng.chance(0.4) ? `${style.gap}${rng.chance(0.85) ? 'The End' : 'THE END'}` : '';
	const partEvery = long ? rng.range(25_000, 45_000) : Number.POSITIVE_INFINITY;
	const partWord = rng.chance(0.6) ? 'Part' : 'Chapter';
	const breakRate = 0.015 + rng.next() * 0.03;
	// At least a few paragraphs, even when only a sliver of the archive is left.
	// The tag lines are not counted: the body is the one the story had before it carried tags.
	const headBytes = Buffer.byteLength(header.text) - header.tagBytes;
	const budget = Math.max(600, target - headBytes - headerGap.length - ending.length - 24);

	// Sizes are tracked in UTF-16 units, which is bytes for all but the odd curly quote or accent.
	const paragraphs: string[] = long ? [`${partWord} 1`] : [];
	let bytes = 0;
	let words = 0;
	let part = 1;
	let nextPart = partEvery;
	while (bytes < budget) {
		let p: string;
		if (bytes >= nextPart) {
			part++;
			nextPart += partEvery;
			p = `${rng.chance(0.5) ? '* * *' : '~~~'}${style.gap}${partWord} ${part}`;
		} else if (paragraphs.length > 2 && rng.chance(breakRate)) {
			p = rng.chance(0.65) ? '* * *' : '~~~';
		} else {
			const text = rng.chance(style.dialogueRate)
				? dialogueParagraph(rng, corpus, cast, style, sep)
				: narrationParagraph(rng, corpus, cast, sep);
			if (header.hasWordCount) words += countWords(text);
			const indent = style.indent ?? ' '.repeat(rng.range(5, 26));
			p = style.wrap > 0 ? wrapText(text, style.wrap, indent) : indent + text;
		}
		paragraphs.push(p);
		bytes += p.length + style.gap.length;
	}
	let head = header.text;
	if (header.hasWordCount) {
		// Authors round, and count a little differently from us.
		const declared = rng.chance(0.3) ? Math.round(words / 100) * 100 : Math.round(words * (0.97 + rng.next() * 0.06));
		const text = rng.chance(0.25) ? String(declared).replace(/\B(?=(\d{3})+$)/g, ',') : String(declared);
		head = head.replace(WORDS, rng.chance(0.08) ? `approx. ${text}` : text);
	}
	const text = paragraphs.join(style.gap);
	head += headerGap;
	return {
		head,
		body: `${text}${ending}\n`,
		bytes: Buffer.byteLength(head) + Buffer.byteLength(text) + ending.length + 1,
		tagBytes: header.tagBytes,
	};
}

// ---------------------------------------------------------------------------------------------------------------
// Archive

interface GeneratedStory extends StoryParts {
	name: string;
}

const MIN_STORY = 1_500;
/** Stream indices of the stories' tags: far from the stories' own (1, 2, ...) and the pen names'. */
const TAG_STREAM = 0x4000_0000;

function* stories(options: SynthOptions): Generator<GeneratedStory> {
	const { bytes } = options;
	if (!Number.isFinite(bytes) || bytes < 0) throw new RangeError(`bytes must be a non-negative number, got ${bytes}`);
	const seed = (options.seed ?? 1) >>> 0;
	const corpus = loadCorpus();
	const authors = penNames(seed, 300);
	// Some authors are prolific, most wrote a handful of stories.
	const authorWeights = cumulate(authors.map((_, i) => 1 / (i + 1) ** 0.6));
	let total = 0;
	// Stop rather than end on a story of a few hundred bytes; the archive may come out that much short.
	for (let i = 1; total < bytes && (i === 1 || bytes - total >= MIN_STORY); i++) {
		const rng = new Rng(mixSeed(seed, i));
		const remaining = bytes - total;
		let target = Math.min(storySize(rng), remaining);
		// Don't leave a sliver for a last, tiny story.
		if (remaining - target < 2 * MIN_STORY) target = remaining;
		const author = authors[rng.weighted(authorWeights)] as string;
		const story = makeStory(rng, corpus, author, target, storyTags(new Rng(mixSeed(seed, TAG_STREAM + i))));
		// Without the tag lines, so that the archive holds the same stories as before they were added (about 1 %
		// more bytes than asked).
		total += story.bytes - story.tagBytes;
		yield { name: `story-${String(i).padStart(5, '0')}.txt`, ...story };
	}
}

/** The same stories as an iterator without touching disk (name + text), for tests and in-memory benchmarks. */
export function* synthStories(options: SynthOptions): Generator<{ name: string; text: string }> {
	for (const { name, head, body } of stories(options)) yield { name, text: head + body };
}

/** Writes a string to a file descriptor, all of it. */
function writeString(fd: number, text: string): void {
	let written = writeSync(fd, text);
	const total = Buffer.byteLength(text);
	if (written === total) return;
	const buffer = Buffer.from(text);
	while (written < total) written += writeSync(fd, buffer, written);
}

/**
 * Writes files story-00001.txt, ... into dir (created if missing) until about `bytes` in total; returns counts.
 * One story is in memory at a time. Files are written synchronously, which on a 2-core VM was faster than
 * fs/promises (1.7 s against 2.4 s for 100 MB into tmpfs), with a turn of the event loop every 256 files.
 */
export async function generateArchive(dir: string, options: SynthOptions): Promise<{ files: number; bytes: number }> {
	await mkdir(dir, { recursive: true });
	let files = 0;
	let bytes = 0;
	for (const story of stories(options)) {
		const fd = openSync(join(dir, story.name), 'w');
		try {
			writeString(fd, story.head);
			writeString(fd, story.body);
		} finally {
			closeSync(fd);
		}
		files++;
		bytes += story.bytes;
		if (files % 256 === 0) await new Promise((done) => setImmediate(done));
	}
	return { files, bytes };
}

// ---------------------------------------------------------------------------------------------------------------
// CLI

function isMain(): boolean {
	const script = process.argv[1];
	if (script === undefined) return false;
	try {
		return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
	} catch {
		return false;
	}
}

async function main(): Promise<void> {
	const [dir, mb, seedArg] = process.argv.slice(2);
	const megabytes = Number(mb);
	const seed = seedArg === undefined ? 1 : Number(seedArg);
	if (dir === undefined || !(megabytes > 0) || !Number.isInteger(seed)) {
		console.error('usage: node --import tsx bench/synth.ts <dir> <MB> [seed]   (MB = 1024 * 1024 bytes)');
		process.exit(2);
	}
	const started = performance.now();
	const result = await generateArchive(dir, { bytes: Math.round(megabytes * 1024 * 1024), seed });
	const seconds = (performance.now() - started) / 1000;
	const written = result.bytes / (1024 * 1024);
	console.log(
		`${result.files} files, ${written.toFixed(1)} MB in ${dir} (seed ${seed}, ${seconds.toFixed(1)} s, ${(written / seconds).toFixed(0)} MB/s)`,
	);
}

if (isMain()) {
	main().catch((error: unknown) => {
		console.error(error);
		process.exitCode = 1;
	});
}

/** Bumped whenever the generator's output changes, so that cached archives are made again. */
export const SYNTH_VERSION = 3;

/**
 * The synthetic archive of `mb` megabytes under `cacheDir`, generated once and reused by every benchmark (a
 * `.complete` marker, written last, tells a finished archive from one cut short, and names the generator's
 * version: an archive from an older generator is made again).
 */
export async function cachedArchive(cacheDir: string, mb: number, seed = 1): Promise<string> {
	const dir = join(cacheDir, `synth-${mb}mb-seed${seed}`);
	const done = join(dir, '.complete');
	if (!existsSync(done) || (JSON.parse(readFileSync(done, 'utf8')) as { version?: number }).version !== SYNTH_VERSION) {
		rmSync(dir, { recursive: true, force: true });
		const started = performance.now();
		const { files, bytes } = await generateArchive(dir, { bytes: mb * 1024 * 1024, seed });
		writeFileSync(done, JSON.stringify({ files, bytes, version: SYNTH_VERSION }));
		const seconds = ((performance.now() - started) / 1000).toFixed(1);
		console.log(`generated ${files} stories, ${(bytes / 1048576).toFixed(0)} MB in ${seconds} s`);
	}
	return dir;
}
