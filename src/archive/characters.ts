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

const WORD = /\p{L}[\p{L}\p{M}'’]*/gu;
const POSSESSIVE = /['’]s?$/u;
const ARTICLES = 'the|a|an|this|that|his|her|my|your|their|our';
/** Words before a place or a thing far more often than before a person: "to Sunnydale", "the old Desoto". */
const BEFORE_NON_PERSON = new RegExp(
	`\\b(?:(?:in|to|from|at|into|near|of|through|across|around|toward|towards|${ARTICLES})|(?:${ARTICLES}) \\p{Ll}+) $`,
	'iu',
);
/** What may stand before a word that starts a sentence: nothing, or end punctuation and opening quotes. */
const SENTENCE_START = /(?:^|[.!?…:;—–]["”’')\]]*|["“‘([])\s*$/u;

interface Tally {
	count: number;
	midSentence: number;
	afterNonPerson: number;
}

/**
 * The named people of a story: capitalised words that occur in the middle of a sentence (so not just because
 * they start one), are rarely written in lower case, and mostly do not follow "in", "to" or "the" (places,
 * things). Counted over every capitalised occurrence, possessives included, most frequent first.
 */
export function findCharacters(body: string, limit = 40): Character[] {
	const tallies = new Map<string, Tally>();
	const lower = new Map<string, number>();
	for (const match of body.matchAll(WORD)) {
		const word = match[0].replace(POSSESSIVE, '');
		const index = match.index;
		if (word.length < 2 || /^I['’]/.test(word)) continue;
		const first = word[0] as string;
		if (first === first.toLowerCase()) {
			lower.set(word, (lower.get(word) ?? 0) + 1);
		} else if (word.slice(1) !== word.slice(1).toUpperCase() || word.length <= 2) {
			// Capitalised, not an all-caps shout.
			const tally = tallies.get(word) ?? { count: 0, midSentence: 0, afterNonPerson: 0 };
			tally.count++;
			const before = body.slice(Math.max(0, index - 24), index);
			const paragraphStart = index === 0 || body.lastIndexOf('\n', index - 1) >= index - 3;
			if (!paragraphStart && !SENTENCE_START.test(before)) tally.midSentence++;
			if (BEFORE_NON_PERSON.test(before)) tally.afterNonPerson++;
			tallies.set(word, tally);
		}
	}
	const characters: Character[] = [];
	for (const [name, tally] of tallies) {
		if (tally.count < 2 || tally.midSentence === 0 || NOT_NAMES.has(name.toLowerCase())) continue;
		if ((lower.get(name.toLowerCase()) ?? 0) > tally.count * 0.2) continue;
		if (tally.afterNonPerson > tally.count / 2) continue;
		characters.push({ name, count: tally.count });
	}
	return characters.sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)).slice(0, limit);
}

const COUNTED_WORD = /[\p{L}\p{N}]+(?:['’.-][\p{L}\p{N}]+)*/gu;

/** Words in a text, as a reader would count them ("don't" and "3-year-old" are one word each). */
export function countWords(text: string): number {
	let n = 0;
	for (const _ of text.matchAll(COUNTED_WORD)) n++;
	return n;
}
