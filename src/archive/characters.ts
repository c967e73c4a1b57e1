import { LETTER, UPPER } from './letters.js';
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
		// Words that start sentences and slip mid-sentence after a quote or an ellipsis.
		...'it its in on at to of for from with by as if so but and or nor not no yes he she we they you your my our their his her him them me us this that these those there here what when where why how who whom which while then than now just still even also only all any some every each both such after before into onto over under again once well oh ah uh um hmm maybe perhaps'.split(
			' ',
		),
	].map((w) => w.toLowerCase()),
);

/** A capitalised word (not the tail of a longer word), possessive included. */
const CAPITALISED = new RegExp(`(?<![${LETTER}'’])[${UPPER}][${LETTER}'’]*`, 'g');
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

function stripPossessive(word: string): string {
	if (word.endsWith("'s") || word.endsWith('’s')) return word.slice(0, -2);
	if (word.endsWith("'") || word.endsWith('’')) return word.slice(0, -1);
	return word;
}

const codes = (chars: string) => new Set([...chars].map((c) => c.charCodeAt(0)));
const SENTENCE_END = codes('.!?…:;—–\n');
const OPENERS = codes('"“‘\'([\n');
const CLOSERS = codes('"”’\')]');

/** Whether the word at `index` starts a sentence (or a paragraph, or speech) rather than standing inside one. */
function startsSentence(body: string, index: number): boolean {
	let i = index - 1;
	let c = body.charCodeAt(i);
	if (i < 0 || OPENERS.has(c)) return true;
	while (i > 0 && (c === 32 || c === 0xa0 || c === 9)) c = body.charCodeAt(--i);
	// Past a closing quote: "Spike!" Buffy … starts a sentence, "Spike," Buffy … does not.
	while (i > 0 && CLOSERS.has(c)) c = body.charCodeAt(--i);
	return SENTENCE_END.has(c);
}

const NON_PERSON_BEFORE = new Set([...PLACE_WORDS, ...ARTICLES]);
const ARTICLE_SET = new Set(ARTICLES);
const isLetterCode = (c: number) =>
	(c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 0xc0 && c <= 0x17f && c !== 0xd7 && c !== 0xf7);

/** The word ending just before `end` (skipping one space), lower-cased, and where it starts; null if none. */
function wordBefore(body: string, end: number): { word: string; start: number } | null {
	if (body.charCodeAt(end - 1) !== 32) return null;
	let start = end - 1;
	while (start > 0 && isLetterCode(body.charCodeAt(start - 1))) start--;
	return start < end - 1 ? { word: body.slice(start, end - 1).toLowerCase(), start } : null;
}

/** "to Sunnydale", "the Desoto", "the old Desoto": a capitalised word where places and things stand. */
function placeOrThing(body: string, index: number): boolean {
	const previous = wordBefore(body, index);
	if (!previous) return false;
	if (NON_PERSON_BEFORE.has(previous.word)) return true;
	const isLower = body.charCodeAt(previous.start) >= 97;
	return isLower && ARTICLE_SET.has(wordBefore(body, previous.start)?.word ?? '');
}

/**
 * The named people of a story: capitalised words that stand in the middle of sentences (twice, and a fifth of
 * the time at least, so not just because they start them) and mostly do not follow "in", "to" or "the" (places, things).
 * Counted over every capitalised occurrence, possessives included, most frequent first. Given the story's pages
 * (which split `body`), each character also gets the page where they are mentioned most for its length.
 */
export function findCharacters(
	body: string,
	limit = 40,
	pages: readonly Pick<Page, 'number' | 'offset' | 'text'>[] = [],
): Character[] {
	const tallies = new Map<string, Tally>();
	// The page of each mention: matches come in order, so one index walks the pages beside them.
	let at = 0;
	for (const match of body.matchAll(CAPITALISED)) {
		const word = stripPossessive(match[0]);
		if (word.length < 2 || word[1] === "'" || word[1] === '’') continue;
		// An all-caps word is a shout or an initialism, not a name.
		if (word.length > 2 && isUpperCode(word.charCodeAt(1)) && isUpperCode(word.charCodeAt(2))) continue;
		let tally = tallies.get(word);
		if (!tally) {
			tally = { count: 0, midSentence: 0, placeOrThing: 0, page: -1, onPage: 0, busiest: -1, busiestDensity: 0 };
			tallies.set(word, tally);
		}
		tally.count++;
		if (pages.length) {
			while (at + 1 < pages.length && match.index >= (pages[at + 1] as Page).offset) at++;
			if (tally.page !== at) {
				closePage(tally, pages);
				tally.page = at;
				tally.onPage = 0;
			}
			tally.onPage++;
		}
		if (startsSentence(body, match.index)) continue;
		tally.midSentence++;
		if (placeOrThing(body, match.index)) tally.placeOrThing++;
	}
	const characters: Character[] = [];
	for (const [name, t] of tallies) {
		// Seen standing inside a sentence twice at least: once ("Bring it on, Dead Boy") is a nickname's first word.
		if (t.count < 2 || t.midSentence < Math.max(2, t.count / 5) || NOT_NAMES.has(name.toLowerCase())) continue;
		if (t.placeOrThing > t.midSentence / 2) continue;
		closePage(t, pages);
		const busiest = pages[t.busiest];
		characters.push({ name, count: t.count, ...(busiest ? { page: busiest.number } : {}) });
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
	/** The page (index) with the most mentions per 2,000 characters so far, and that density. */
	busiest: number;
	busiestDensity: number;
}

/** Ends the count of a tally's current page: the busiest page so far if its mentions are densest. */
function closePage(tally: Tally, pages: readonly Pick<Page, 'text'>[]): void {
	const page = pages[tally.page];
	if (!page) return;
	const density = tally.onPage / (1 + page.text.length / 2000);
	if (density > tally.busiestDensity) {
		tally.busiest = tally.page;
		tally.busiestDensity = density;
	}
	tally.onPage = 0;
}

const isUpperCode = (code: number) => (code >= 65 && code <= 90) || (code >= 0xc0 && code <= 0xde && code !== 0xd7);

const isSpaceCode = (c: number) => c === 32 || c === 10 || c === 9 || c === 13 || c === 0xa0;
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
	let inToken = false;
	let counted = false;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (isSpaceCode(c)) {
			inToken = false;
			continue;
		}
		if (!inToken) {
			inToken = true;
			counted = false;
		}
		if (!counted && isAlnumCode(c)) {
			counted = true;
			n++;
		}
	}
	return n;
}
