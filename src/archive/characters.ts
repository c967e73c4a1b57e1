import { isLetterCode, isUpperCode, LETTER, UPPER } from './letters.js';
import type { Character, Page } from './types.js';

/** Capitalised words that are not people however often they appear. */
const NOT_NAMES = new Set(
	[
		'I',
		'OK',
		'Okay',
		'God',
		'Gods',
		'Lord',
		'Mr',
		'Mrs',
		'Ms',
		'Miss',
		'Dr',
		'Sir',
		'Madam',
		'Mom',
		'Mum',
		'Dad',
		'Mommy',
		'Daddy',
		'Hell',
		'Heaven',
		'TV',
		'Christmas',
		'Halloween',
		'Thanksgiving',
		'English',
		'American',
		'British',
		'Monday',
		'Tuesday',
		'Wednesday',
		'Thursday',
		'Friday',
		'Saturday',
		'Sunday',
		'January',
		'February',
		'March',
		'April',
		'June',
		'July',
		'August',
		'September',
		'October',
		'November',
		'December',
		'The',
		'End',
		'Chapter',
		'Part',
		'Please',
		'Yes',
		'No',
		'Oh',
		'Well',
		'Hey',
		'Hi',
		'Sorry',
		'Thanks',
		'Goodbye',
		'Bye',
		// Times of day ("8:15 AM").
		'AM',
		'PM',
		// Titles and ranks: they stand before a name ("Captain Picard", "Agent Mulder", "Aunt Petunia") or for it
		// ("Yes, Captain"), mid-sentence as often as the name does, but name nobody by themselves.
		...'agent cadet captain admiral commander commodore lieutenant ensign officer sergeant corporal colonel major general marshal chief detective inspector constable sheriff deputy director professor doctor nurse senator president secretary undersecretary ambassador counselor counsellor governor mayor aunt uncle grandma grandpa granny king queen prince princess duke duchess baron baroness emperor empress mister madame monsieur reverend'.split(
			' ',
		),
		// Words that start sentences and slip mid-sentence after a quote or an ellipsis.
		...'it its in on at to of for from with by as if so but and or nor not no yes he she we they you your my our their his her him them me us this that these those there here what when where why how who whom which while then than now just still even also only all any some every each both such after before into onto over under again once well oh ah uh um hmm maybe perhaps'.split(
			' ',
		),
	].map((w) => w.toLowerCase()),
);

const ARTICLES = ['the', 'a', 'an', 'this', 'that', 'his', 'her', 'my', 'your', 'their', 'our'];
const PLACE_WORDS = [
	'in',
	'to',
	'from',
	'at',
	'into',
	'near',
	'of',
	'through',
	'across',
	'around',
	'toward',
	'towards',
];

/** The first letter of a capitalised word: an upper-case letter that is not the tail of a longer word. */
const CAPITAL = new RegExp(`(?<![${LETTER}'’])[${UPPER}]`, 'g');

/**
 * Where the capitalised words of a text start: at each upper-case letter that is not the tail of a longer word
 * (no letter or apostrophe before it). The regular expression finds them much faster than a loop over the code
 * units. findCharacters and extractQuotes both read a story's capitalised words, so parseStory finds them once.
 */
export function capitalisedWordStarts(text: string): number[] {
	const starts: number[] = [];
	CAPITAL.lastIndex = 0;
	while (CAPITAL.test(text)) starts.push(CAPITAL.lastIndex - 1);
	return starts;
}

const isApostrophe = (c: number) => c === 39 || c === 0x2019;
/** A letter or an apostrophe: what a capitalised word, possessive included, is made of. */
const isWordCode = (c: number) => isLetterCode(c) || isApostrophe(c);

/** The end of the word `body[start, end)` without its possessive ("Spike's" → "Spike", "Angelus'" → "Angelus"). */
function withoutPossessive(body: string, start: number, end: number): number {
	const last = body.charCodeAt(end - 1);
	if (last === 115 && end - start >= 2 && isApostrophe(body.charCodeAt(end - 2))) return end - 2;
	return isApostrophe(last) ? end - 1 : end;
}

/** A table of the code units in `chars`, to test a code unit against them without hashing it. */
function codes(chars: string): Uint8Array {
	const table = new Uint8Array(0x10000);
	for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)] = 1;
	return table;
}
const SENTENCE_END = codes('.!?…:;—–\n');
const OPENERS = codes('"“‘\'([\n');
const CLOSERS = codes('"”’\')]');

/** Whether the word at `index` starts a sentence (or a paragraph, or speech) rather than standing inside one. */
function startsSentence(body: string, index: number): boolean {
	let i = index - 1;
	let c = body.charCodeAt(i);
	if (i < 0 || OPENERS[c] === 1) return true;
	while (i > 0 && (c === 32 || c === 0xa0 || c === 9)) c = body.charCodeAt(--i);
	// Past a closing quote: "Spike!" Buffy … starts a sentence, "Spike," Buffy … does not.
	while (i > 0 && CLOSERS[c] === 1) c = body.charCodeAt(--i);
	return SENTENCE_END[c] === 1;
}

/** Lower-case words to look words of a text up among, without slicing out the ones too long to be any of them. */
class WordList {
	private readonly words: ReadonlySet<string>;
	private readonly longest: number;

	constructor(words: readonly string[]) {
		this.words = new Set(words);
		this.longest = Math.max(...words.map((word) => word.length));
	}

	/** Whether the word `text[start, end)` (letters only), lower-cased, is one of the words. */
	has(text: string, start: number, end: number): boolean {
		if (end - start > this.longest) return false;
		// The list's words are lower-case ASCII: a word with another letter (accented, say) is none of them, and
		// one already in lower case needs no toLowerCase (slow on text that is not all Latin-1).
		let lower = true;
		for (let i = start; i < end; i++) {
			const c = text.charCodeAt(i);
			if (c >= 65 && c <= 90) lower = false;
			else if (c < 97 || c > 122) return false;
		}
		const word = text.slice(start, end);
		return this.words.has(lower ? word : word.toLowerCase());
	}
}

const NON_PERSON_BEFORE = new WordList([...PLACE_WORDS, ...ARTICLES]);
const ARTICLE_LIST = new WordList(ARTICLES);

/** Where the word ending just before `end` (skipping one space) starts; -1 if there is none. */
function wordBefore(body: string, end: number): number {
	if (body.charCodeAt(end - 1) !== 32) return -1;
	let start = end - 1;
	while (start > 0 && isLetterCode(body.charCodeAt(start - 1))) start--;
	return start < end - 1 ? start : -1;
}

/** The letters of the word `body[start, end)` when every one is upper case (apostrophes aside), else 0. */
function capitals(body: string, start: number, end: number): number {
	let letters = 0;
	for (let i = start; i < end; i++) {
		const c = body.charCodeAt(i);
		if (isApostrophe(c)) continue;
		if (!isUpperCode(c)) return 0;
		letters++;
	}
	return letters;
}

/** Whether the word `body[start, end)` is all capitals, two letters or more ("-1": no word). */
const shouted = (body: string, start: number, end: number) => start >= 0 && capitals(body, start, end) >= 2;

/** Whether an all-capitals word of two letters or more follows `end` (after one space). */
function shoutFollows(body: string, end: number): boolean {
	if (body.charCodeAt(end) !== 32) return false;
	let next = end + 1;
	while (next < body.length && isWordCode(body.charCodeAt(next))) next++;
	return shouted(body, end + 1, next);
}

/** "to Sunnydale", "the Desoto", "the old Desoto": a capitalised word where places and things stand. */
function placeOrThing(body: string, index: number): boolean {
	const previous = wordBefore(body, index);
	if (previous < 0) return false;
	if (NON_PERSON_BEFORE.has(body, previous, index - 1)) return true;
	if (body.charCodeAt(previous) < 97) return false;
	const article = wordBefore(body, previous);
	return article >= 0 && ARTICLE_LIST.has(body, article, previous - 1);
}

/**
 * The named people of a story: capitalised words that stand in the middle of sentences (twice, and a fifth of
 * the time at least, so not just because they start them) and mostly do not follow "in", "to" or "the" (places, things).
 * Counted over every capitalised occurrence, possessives included, most frequent first. Given the story's pages
 * (which split `body`), each character also gets the pages that mention them, those with the most mentions for
 * their length first (at most CHARACTER_PAGES). `starts` are the body's capitalised words, when the caller has
 * found them already.
 */
export function findCharacters(
	body: string,
	limit = 40,
	pages: readonly Pick<Page, 'number' | 'offset' | 'text'>[] = [],
	starts: readonly number[] = capitalisedWordStarts(body),
): Character[] {
	const tallies = new Map<string, Tally>();
	// The page of each mention: words come in order, so one index walks the pages beside them.
	let at = 0;
	for (const start of starts) {
		// A capitalised word: its first letter, and the letters and apostrophes after it.
		let end = start + 1;
		while (end < body.length && isWordCode(body.charCodeAt(end))) end++;
		const wordEnd = withoutPossessive(body, start, end);
		if (wordEnd - start < 2 || isApostrophe(body.charCodeAt(start + 1))) continue;
		// An all-caps word is a shout or an initialism, not a name ("HE'S" too); of two letters, a name ("CJ") but
		// in a shout ("I AM CORRECTING").
		const caps = capitals(body, start, wordEnd);
		if (
			caps > 2 ||
			(caps === 2 && (shouted(body, wordBefore(body, start), start - 1) || shoutFollows(body, wordEnd)))
		) {
			continue;
		}
		const word = body.slice(start, wordEnd);
		while (at + 1 < pages.length && start >= (pages[at + 1] as Page).offset) at++;
		let tally = tallies.get(word);
		if (!tally) {
			// A word seen for the first time starts counting on this page (no page before it to close).
			tally = { count: 0, midSentence: 0, placeOrThing: 0, page: at, onPage: 0, pages: [] };
			tallies.set(word, tally);
		}
		tally.count++;
		if (pages.length) {
			if (tally.page !== at) {
				closePage(tally, pages);
				tally.page = at;
				tally.onPage = 0;
			}
			tally.onPage++;
		}
		if (startsSentence(body, start)) continue;
		tally.midSentence++;
		if (placeOrThing(body, start)) tally.placeOrThing++;
	}
	const characters: Character[] = [];
	for (const [name, t] of tallies) {
		// Seen standing inside a sentence twice at least: once ("Bring it on, Dead Boy") is a nickname's first word.
		if (t.count < 2 || t.midSentence < Math.max(2, t.count / 5) || NOT_NAMES.has(name.toLowerCase())) continue;
		if (t.placeOrThing > t.midSentence / 2) continue;
		closePage(t, pages);
		characters.push({ name, count: t.count, ...(pages.length ? { pages: densestPages(t.pages, pages) } : {}) });
	}
	return characters.sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)).slice(0, limit);
}

interface Tally {
	count: number;
	midSentence: number;
	placeOrThing: number;
	/** The page (index) of the latest mention, and the mentions on it so far. */
	page: number;
	onPage: number;
	/** Each page closed so far that mentions the word: its index, then its mentions per 2,000 characters. */
	pages: number[];
}

/** The most pages a character lists: enough to find one that several names share in all but the longest stories. */
export const CHARACTER_PAGES = 32;

/** Ends the count of a tally's current page, noting its mentions for its length. */
function closePage(tally: Tally, pages: readonly Pick<Page, 'text'>[]): void {
	const page = pages[tally.page];
	if (!page || !tally.onPage) return;
	tally.pages.push(tally.page, tally.onPage / (1 + page.text.length / 2000));
	tally.onPage = 0;
}

/** The page numbers of a tally's pages, most mentions for their length first (the first of equals first). */
function densestPages(noted: readonly number[], pages: readonly Pick<Page, 'number'>[]): number[] {
	const order = Array.from({ length: noted.length / 2 }, (_, i) => i);
	// (Stable: equals stay in page order.)
	order.sort((a, b) => (noted[2 * b + 1] as number) - (noted[2 * a + 1] as number));
	return order.slice(0, CHARACTER_PAGES).map((i) => (pages[noted[2 * i] as number] as Pick<Page, 'number'>).number);
}

/** The white space that separates words: space, line break, tab, carriage return, no-break space. */
const isSpaceCode = (c: number) => (c <= 32 ? c === 32 || c === 10 || c === 9 || c === 13 : c === 0xa0);
const isAlnumCode = (c: number) =>
	(c >= 97 && c <= 122) ||
	(c >= 65 && c <= 90) ||
	(c >= 48 && c <= 57) ||
	(c >= 0xc0 && c !== 0xd7 && c !== 0xf7 && (c < 0x2000 || c > 0x2bff));

/**
 * Words in a text as a reader (and AO3) counts them: runs of non-space characters that hold a letter or a
 * digit, so "don't" and "3-year-old" are one word each and a lone dash is none.
 */
export function countWords(text: string): number {
	let n = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (isSpaceCode(c)) continue;
		// A run of non-space characters, read to its end: once it has a letter or digit, only its end matters.
		let counted = isAlnumCode(c);
		while (++i < text.length) {
			const next = text.charCodeAt(i);
			if (isSpaceCode(next)) break;
			if (!counted) counted = isAlnumCode(next);
		}
		if (counted) n++;
	}
	return n;
}
