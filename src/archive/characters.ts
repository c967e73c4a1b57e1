import { LETTER, LOWER, UPPER } from './letters.js';
import type { Character } from './types.js';

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
	].map((w) => w.toLowerCase()),
);

/** A capitalised word (not the tail of a longer word), possessive included. */
const CAPITALISED = new RegExp(`(?<![${LETTER}'’])[${UPPER}][${LETTER}'’]*`, 'g');
/** What may stand before a word that starts a sentence: nothing, or end punctuation and opening quotes. */
const SENTENCE_START = /(?:^|[.!?…:;—–]["”’')\]]*|["“‘([])\s*$/;
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
const eitherCase = (w: string) => `[${w[0]}${w[0]?.toUpperCase()}]${w.slice(1)}`;
const alternation = (words: readonly string[]) => words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');

function stripPossessive(word: string): string {
	if (word.endsWith("'s") || word.endsWith('’s')) return word.slice(0, -2);
	if (word.endsWith("'") || word.endsWith('’')) return word.slice(0, -1);
	return word;
}

/** Counts, per name, the matches of a pattern whose first group is one of the names. */
function countByName(body: string, pattern: string): Map<string, number> {
	const counts = new Map<string, number>();
	for (const m of body.matchAll(new RegExp(pattern, 'g'))) {
		const name = m[1] as string;
		counts.set(name, (counts.get(name) ?? 0) + 1);
	}
	return counts;
}

/**
 * The named people of a story: capitalised words that occur in the middle of a sentence (so not just because
 * they start one), are rarely written in lower case, and mostly do not follow "in", "to" or "the" (places,
 * things). Counted over every capitalised occurrence, possessives included, most frequent first.
 */
export function findCharacters(body: string, limit = 40): Character[] {
	const tallies = new Map<string, { count: number; midSentence: number }>();
	for (const match of body.matchAll(CAPITALISED)) {
		const word = stripPossessive(match[0]);
		if (word.length < 2 || word[1] === "'" || word[1] === '’') continue;
		// An all-caps word is a shout or an initialism, not a name.
		if (word.length > 2 && word === word.toUpperCase()) continue;
		let tally = tallies.get(word);
		if (!tally) {
			tally = { count: 0, midSentence: 0 };
			tallies.set(word, tally);
		}
		tally.count++;
		const index = match.index;
		const before = body.slice(Math.max(0, index - 4), index);
		if (index > 0 && !before.includes('\n') && !SENTENCE_START.test(before)) tally.midSentence++;
	}
	const candidates = [...tallies]
		.filter(([name, t]) => t.count >= 2 && t.midSentence > 0 && !NOT_NAMES.has(name.toLowerCase()))
		.map(([name]) => name);
	if (candidates.length === 0) return [];

	// Names that are also ordinary words ("Will", "Hope") show up in lower case too.
	const lowerForms = candidates.map((n) => n.toLowerCase());
	const lower = countByName(body, `(?<![${LETTER}])(${alternation(lowerForms)})(?![${LETTER}])`);
	// Places and things follow "to", "in", "the", "the old".
	const names = alternation(candidates);
	const afterNonPerson = countByName(
		body,
		`(?<![${LETTER}])(?:${[...PLACE_WORDS, ...ARTICLES].map(eitherCase).join('|')}|(?:${ARTICLES.map(eitherCase).join('|')}) [${LOWER}]+) (${names})(?![${LETTER}])`,
	);
	const characters: Character[] = [];
	for (const name of candidates) {
		const { count } = tallies.get(name) as { count: number };
		if ((lower.get(name.toLowerCase()) ?? 0) > count * 0.2) continue;
		if ((afterNonPerson.get(name) ?? 0) > count / 2) continue;
		characters.push({ name, count });
	}
	return characters.sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)).slice(0, limit);
}

const isWordChar = (code: number) =>
	(code >= 97 && code <= 122) ||
	(code >= 65 && code <= 90) ||
	(code >= 48 && code <= 57) ||
	(code > 127 && /[\p{L}\p{N}]/u.test(String.fromCharCode(code)));
const isJoiner = (code: number) => code === 39 || code === 0x2019 || code === 46 || code === 45;

/** Words in a text, as a reader would count them ("don't" and "3-year-old" are one word each). */
export function countWords(text: string): number {
	let n = 0;
	let inWord = false;
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (isWordChar(code)) {
			if (!inWord) n++;
			inWord = true;
		} else if (!(inWord && isJoiner(code) && isWordChar(text.charCodeAt(i + 1)))) {
			inWord = false;
		}
	}
	return n;
}
