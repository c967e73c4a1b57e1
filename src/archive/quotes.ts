import { LOWER, UPPER } from './letters.js';
import { pageAt } from './pages.js';
import type { Character, Page, Quote } from './types.js';

export const QUOTE_MIN = 40;
export const QUOTE_MAX = 300;

const SPEECH_VERBS =
	'said|says|asked|asks|whispered|murmured|muttered|snapped|replied|answered|shouted|yelled|called|cried|breathed|growled|hissed|sighed|laughed|added|continued|demanded|insisted|admitted|offered|told|began|repeated|protested|snarled|purred|drawled|mumbled|groaned|moaned|pleaded|begged|agreed|teased|grumbled|huffed|retorted|exclaimed|interrupted|whimpered|sobbed|screamed';
const ADVERB = `(?:[${LOWER}]+ly\\s+)?`;

interface Span {
	/** Offsets in the paragraph of the speech, inside the quote marks. */
	start: number;
	end: number;
}

/** Double-quoted speech in a paragraph. Straight quotes toggle; an unclosed quote runs to the paragraph's end. */
function speechSpans(paragraph: string): Span[] {
	const spans: Span[] = [];
	let open = -1;
	for (let i = 0; i < paragraph.length; i++) {
		const c = paragraph[i];
		if (c === '“' || (c === '"' && open < 0)) {
			if (open < 0) open = i + 1;
		} else if ((c === '”' || c === '"') && open >= 0) {
			spans.push({ start: open, end: i });
			open = -1;
		}
	}
	if (open >= 0 && open < paragraph.length) spans.push({ start: open, end: paragraph.length });
	return spans;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Pulls the quotable lines out of a story: speech with the speaker the text names ("…," Spike whispered /
 * Buffy said, "…" / Buffy stopped. "…"), and strong sentences of narration. Each is 40–300 characters,
 * a whole line rather than a fragment, and knows the page it is on and its offset there.
 */
type Gender = 'm' | 'f';
const SUBJECT_PRONOUN = /\b(?:(he)|(she))\b/i;

/** The body with everything inside quote marks blanked out (same length, so offsets still hold). */
function narrationOnly(body: string): string {
	return body
		.split('\n\n')
		.map((paragraph) => {
			let out = paragraph;
			for (const span of speechSpans(paragraph)) {
				out = out.slice(0, span.start) + ' '.repeat(span.end - span.start) + out.slice(span.end);
			}
			return out;
		})
		.join('\n\n');
}

/**
 * Each character's gender as the narration shows it: the first "he" or "she" after a mention of the name
 * (outside speech, before any other name), counted over all mentions; a clear majority decides, anything
 * else stays unknown and is never guessed.
 */
export function characterGenders(body: string, characters: readonly Character[]): Map<string, Gender> {
	const genders = new Map<string, Gender>();
	if (characters.length === 0) return genders;
	const narration = narrationOnly(body);
	const anyName = new RegExp(String.raw`\b(?:${characters.map((c) => escapeRegExp(c.name)).join('|')})\b`, 'g');
	const mentions = [...narration.matchAll(anyName)];
	const tally = new Map<string, { m: number; f: number }>();
	for (const [i, mention] of mentions.entries()) {
		const from = mention.index + mention[0].length;
		const to = Math.min(from + 150, mentions[i + 1]?.index ?? narration.length);
		const pronoun = narration.slice(from, to).match(SUBJECT_PRONOUN);
		if (!pronoun) continue;
		const t = tally.get(mention[0]) ?? { m: 0, f: 0 };
		if (pronoun[1]) t.m++;
		else t.f++;
		tally.set(mention[0], t);
	}
	for (const [name, { m, f }] of tally) {
		if (m >= 2 && m >= 3 * f) genders.set(name, 'm');
		else if (f >= 2 && f >= 3 * m) genders.set(name, 'f');
	}
	return genders;
}

export function extractQuotes(body: string, pages: readonly Page[], characters: readonly Character[]): Quote[] {
	const names = characters.map((c) => escapeRegExp(c.name));
	// A speaker is a named character, or "he"/"she" resolved to the last character of that gender mentioned.
	const name = names.length ? `(${names.join('|')})` : '(?!)';
	const nameOrPronoun = `(${[...names, 'he', 'she', 'He', 'She'].join('|')})`;
	const pronoun = '(he|she|He|She)';
	const gender = characterGenders(body, characters);
	const recent = new Map<Gender, string>();
	const nameWord = names.length ? new RegExp(String.raw`\b(?:${names.join('|')})\b`, '') : null;
	const mention = nameWord ? new RegExp(nameWord.source, 'g') : null;
	const tagAfter = new RegExp(
		// "…," Spike whispered / "…!" Buffy bolted upright / "…," he said / "…," said Buffy
		String.raw`^\s*[,!?;…—–-]?\s*(?:${name}(?:['’]s)?\s+${ADVERB}[${LOWER}]+|${pronoun}\s+${ADVERB}(?:${SPEECH_VERBS})\b|(?:${SPEECH_VERBS})\s+${nameOrPronoun}\b)`,
		'',
	);
	const tagBefore = new RegExp(
		String.raw`${nameOrPronoun}\s+${ADVERB}(?:${SPEECH_VERBS})\b[^.!?"“”]{0,40}[,:]\s*$`,
		'',
	);
	const sentenceSubject = new RegExp(String.raw`(?:^|[.!?…]\s+)${name}\b[^.!?"“”]*[.!?…]?\s*$`);

	const remember = (who: string) => {
		const g = gender.get(who);
		if (g) recent.set(g, who);
	};
	/** Characters named outside the quotes of a paragraph, in order, become the last mentioned. */
	const rememberNarration = (paragraph: string, spans: readonly Span[]) => {
		if (!mention) return;
		for (const m of paragraph.matchAll(mention)) {
			if (!spans.some((s) => m.index >= s.start && m.index < s.end)) remember(m[0]);
		}
	};
	/** A name as is; "he"/"she": the last character of that gender named before it in this paragraph, or earlier. */
	const resolve = (word: string, before: string): string | null => {
		const lower = word.toLowerCase();
		if (lower !== 'he' && lower !== 'she') return word;
		const g: Gender = lower === 'he' ? 'm' : 'f';
		let found: string | null = null;
		for (const m of mention ? before.matchAll(mention) : []) if (gender.get(m[0]) === g) found = m[0];
		return found ?? recent.get(g) ?? null;
	};

	const quotes: Quote[] = [];
	const narration: { quote: Quote; score: number }[] = [];
	let offset = 0;
	for (const paragraph of body.split('\n\n')) {
		const at = offset;
		offset += paragraph.length + 2;
		const spans = speechSpans(paragraph);
		const place = (index: number) => {
			const page = pageAt(pages, at + index);
			return page ? { page: page.number, offset: at + index - page.offset } : null;
		};

		if (spans.length === 0) {
			for (const sentence of sentences(paragraph)) {
				const text = sentence.text;
				if (!isWholeLine(text) || text.split(/\s+/).length < 8 || /["“”]/.test(text)) continue;
				const where = place(sentence.start);
				if (!where) continue;
				let score = 0;
				if (nameWord?.test(text)) score += 2;
				if (text.length >= 70 && text.length <= 220) score += 1;
				if (/^(?:And|But|So|Then|It|This|That|There|He|She|They)\b/.test(text)) score -= 1;
				narration.push({ quote: { text, speaker: null, kind: 'narration', ...where }, score });
			}
			rememberNarration(paragraph, spans);
			continue;
		}

		// Speech interrupted by a short tag ("Yes," he said. "I'm leaving.") is one line by one speaker.
		const groups: Span[][] = [];
		for (const span of spans) {
			const last = groups.at(-1);
			const previous = last?.at(-1);
			if (last && previous && span.start - previous.end <= 60 && !/^.\s*\./.test(paragraph.slice(previous.end)))
				last.push(span);
			else groups.push([span]);
		}
		for (const group of groups) {
			const first = group[0] as Span;
			let speaker: string | null = null;
			for (const [i, span] of group.entries()) {
				const after = paragraph.slice(span.end + 1, span.end + 61).match(tagAfter);
				const before = i === 0 ? paragraph.slice(Math.max(0, span.start - 81), span.start - 1) : '';
				const word =
					after?.[1] ?? after?.[2] ?? after?.[3] ?? before.match(tagBefore)?.[1] ?? before.match(sentenceSubject)?.[1];
				speaker = word ? resolve(word, paragraph.slice(0, span.start)) : null;
				if (speaker) break;
			}
			if (speaker) remember(speaker);
			const length = group.reduce((n, s) => n + s.end - s.start, 0);
			if (length < QUOTE_MIN || length > QUOTE_MAX * 2) continue;
			const text = tidySpeech(group.map((s) => paragraph.slice(s.start, s.end).trim()).join(' '));
			if (!isWholeLine(text)) continue;
			const lead = (paragraph.slice(first.start).match(/^\s*/)?.[0] ?? '').length;
			const where = place(first.start + lead);
			if (where) quotes.push({ text, speaker, kind: 'dialogue', ...where });
		}
		rememberNarration(paragraph, spans);
	}
	// The strongest narration: at most two lines a page, named people and mid-length sentences first.
	const perPage = new Map<number, number>();
	for (const { quote } of narration.sort((a, b) => b.score - a.score)) {
		const n = perPage.get(quote.page) ?? 0;
		if (n >= 2) continue;
		perPage.set(quote.page, n + 1);
		quotes.push(quote);
	}
	return quotes.sort((a, b) => a.page - b.page || a.offset - b.offset);
}

/** Ends speech cut by its tag properly: "I'm leaving town," → "I'm leaving town." */
function tidySpeech(text: string): string {
	return text.replace(/\s+/g, ' ').replace(/,$/, '.');
}

const WHOLE_LINE_START = new RegExp(`^[${UPPER}0-9'‘(]`);

/** A line worth quoting on its own: the right length, a capital start, a proper end, not cut off. */
function isWholeLine(text: string): boolean {
	if (text.length < QUOTE_MIN || text.length > QUOTE_MAX) return false;
	if (!WHOLE_LINE_START.test(text)) return false;
	if (!/[.!?…'’)*]$/.test(text) || /(?:\s-|—|–|-)$/.test(text)) return false;
	return text.split(/\s+/).length >= 6;
}

/** Sentences of a paragraph with their offsets. */
function sentences(paragraph: string): { text: string; start: number }[] {
	const out: { text: string; start: number }[] = [];
	const re = /[^.!?…]+(?:[.!?…]+["”’')]*|$)/g;
	for (const m of paragraph.matchAll(re)) {
		const raw = m[0];
		const lead = raw.length - raw.trimStart().length;
		const text = raw.trim();
		if (text) out.push({ text, start: m.index + lead });
	}
	return out;
}
