import { LETTER, LOWER, UPPER } from './letters.js';
import { pageAt } from './pages.js';
import type { Character, Page, Quote } from './types.js';

export const QUOTE_MIN = 40;
export const QUOTE_MAX = 300;
/** Quotes kept per page, best first: enough to choose from, few enough to keep the store small. */
const PER_PAGE = { dialogue: 4, narration: 2 } as const;

const SPEECH_VERBS =
	'said|says|asked|asks|whispered|murmured|muttered|snapped|replied|answered|shouted|yelled|called|cried|breathed|growled|hissed|sighed|laughed|added|continued|demanded|insisted|admitted|offered|told|began|repeated|protested|snarled|purred|drawled|mumbled|groaned|moaned|pleaded|begged|agreed|teased|grumbled|huffed|retorted|exclaimed|interrupted|whimpered|sobbed|screamed';
const ADVERB = `(?:[${LOWER}]+ly\\s+)?`;
const NAME_WORD = `[${UPPER}][${LETTER}]*`;
const PRONOUNS = new Set(['he', 'she', 'He', 'She']);

// The regular expressions are built once: a per-story one (with the story's names in it) would cost a compile
// per story. Names are matched as any capitalised word and looked up among the story's characters.

/** A capitalised word: a possible name, to look up among the story's characters. */
const NAME_LIKE = new RegExp(`(?<![${LETTER}'’])${NAME_WORD}(?![${LETTER}])`, 'g');
/** "…," Spike whispered / "…!" Buffy bolted upright / "…," he said / "…," said Buffy (the text after a quote). */
const TAG_AFTER = new RegExp(
	`^\\s*[,!?;…—–-]?\\s*(?:(he|she|He|She)\\s+${ADVERB}(?:${SPEECH_VERBS})\\b|(${NAME_WORD})(?:['’]s)?\\s+${ADVERB}[${LOWER}]+|(?:${SPEECH_VERBS})\\s+(${NAME_WORD}|he|she)\\b)`,
);
/** Buffy said, "…" / he asked: "…" (the end of the text before a quote). */
const TAG_BEFORE = new RegExp(`(?:^|\\s)([^\\s"“”]+)\\s+${ADVERB}(?:${SPEECH_VERBS})\\b[^.!?"“”]{0,40}[,:]\\s*$`);
const SUBJECT_PRONOUN = /\b(?:(he)|(she))\b/i;
const WEAK_START = /^(?:And|But|So|Then|It|This|That|There|He|She|They)\b/;
const WHOLE_LINE_START = new RegExp(`^[${UPPER}0-9'‘(]`);

type Gender = 'm' | 'f';

interface Span {
	/** Offsets in the paragraph of the speech, inside the quote marks. */
	start: number;
	end: number;
}

interface Mention {
	/** Offset in the body. */
	index: number;
	name: string;
	/** Whether the name is in narration rather than inside speech. */
	narration: boolean;
}

interface Paragraph {
	text: string;
	/** Offset in the body. */
	at: number;
	spans: Span[];
	mentions: Mention[];
}

/** Double-quoted speech in a paragraph. Straight quotes toggle; an unclosed quote runs to the paragraph's end. */
function speechSpans(paragraph: string): Span[] {
	const spans: Span[] = [];
	let open = -1;
	for (let i = paragraph.search(/["“”]/); i >= 0 && i < paragraph.length; i++) {
		const c = paragraph.charCodeAt(i);
		if (c === 0x201c || (c === 34 && open < 0)) {
			if (open < 0) open = i + 1;
		} else if ((c === 0x201d || c === 34) && open >= 0) {
			spans.push({ start: open, end: i });
			open = -1;
		}
	}
	if (open >= 0 && open < paragraph.length) spans.push({ start: open, end: paragraph.length });
	return spans;
}

/** The body's paragraphs with their speech and the characters named in them (one scan of the whole body). */
function paragraphsOf(body: string, names: ReadonlySet<string>): Paragraph[] {
	const paragraphs: Paragraph[] = [];
	let at = 0;
	for (const text of body.split('\n\n')) {
		paragraphs.push({ text, at, spans: speechSpans(text), mentions: [] });
		at += text.length + 2;
	}
	let p = 0;
	for (const m of body.matchAll(NAME_LIKE)) {
		if (!names.has(m[0])) continue;
		while (p < paragraphs.length - 1 && m.index >= (paragraphs[p + 1] as Paragraph).at) p++;
		const paragraph = paragraphs[p] as Paragraph;
		const local = m.index - paragraph.at;
		const narration = !paragraph.spans.some((s) => local >= s.start && local < s.end);
		paragraph.mentions.push({ index: m.index, name: m[0], narration });
	}
	return paragraphs;
}

/** The narration of a paragraph between two offsets, with any speech in that stretch left out. */
function narrationBetween(paragraph: string, spans: readonly Span[], from: number, to: number): string {
	let out = '';
	let i = from;
	for (const span of spans) {
		if (span.end <= i || span.start >= to) continue;
		out += `${paragraph.slice(i, Math.max(i, span.start - 1))} `;
		i = Math.min(to, span.end + 1);
	}
	return out + paragraph.slice(i, to);
}

/**
 * Each character's gender as the narration shows it: the first "he" or "she" after a mention of the name in
 * narration, before any other name and not inside speech, counted over all mentions; a clear majority decides, anything
 * else stays unknown and is never guessed.
 */
function characterGenders(paragraphs: readonly Paragraph[]): Map<string, Gender> {
	const tally = new Map<string, { m: number; f: number }>();
	for (const [p, { text, at, spans, mentions }] of paragraphs.entries()) {
		for (const [i, mention] of mentions.entries()) {
			if (!mention.narration) continue;
			const from = mention.index - at + mention.name.length;
			const next = mentions[i + 1];
			let window = narrationBetween(text, spans, from, Math.min(from + 150, next ? next.index - at : text.length));
			// The last name in a paragraph is often the subject of the next one: "Buffy kicked the door.\n\nShe…"
			const following = paragraphs[p + 1];
			if (!next && following && text.length - from < 150) {
				const until = Math.min(150 - (text.length - from), (following.mentions[0]?.index ?? Infinity) - following.at);
				window += ` ${narrationBetween(following.text, following.spans, 0, Math.min(until, following.text.length))}`;
			}
			const pronoun = window.match(SUBJECT_PRONOUN);
			if (!pronoun) continue;
			const t = tally.get(mention.name) ?? { m: 0, f: 0 };
			if (pronoun[1]) t.m++;
			else t.f++;
			tally.set(mention.name, t);
		}
	}
	const genders = new Map<string, Gender>();
	for (const [name, { m, f }] of tally) {
		if (m >= 2 && m >= 3 * f) genders.set(name, 'm');
		else if (f >= 2 && f >= 3 * m) genders.set(name, 'f');
	}
	return genders;
}

/**
 * Pulls the quotable lines out of a story: speech with the speaker the text names ("…," Spike whispered /
 * Buffy said, "…" / Buffy stopped. "…" / "…," he said, with "he" the last man named), and strong sentences
 * of narration. Each is 40–300 characters, a whole line rather than a fragment, and knows the page it is on
 * and its offset there.
 */
export function extractQuotes(body: string, pages: readonly Page[], characters: readonly Character[]): Quote[] {
	const names = new Set(characters.map((c) => c.name));
	const paragraphs = paragraphsOf(body, names);
	const gender = characterGenders(paragraphs);
	const recent = new Map<Gender, string>();
	const remember = (who: string) => {
		const g = gender.get(who);
		if (g) recent.set(g, who);
	};
	const isSpeaker = (word: string | undefined): word is string =>
		word !== undefined && (names.has(word) || PRONOUNS.has(word));

	const tagAfter = (after: string): string | undefined => {
		const m = after.match(TAG_AFTER);
		if (!m) return undefined;
		if (m[1] !== undefined) return m[1];
		if (m[2] !== undefined) return names.has(m[2]) ? m[2] : undefined;
		return isSpeaker(m[3]) ? m[3] : undefined;
	};
	const tagBefore = (before: string): string | undefined => {
		if (!/[,:]\s*$/.test(before)) return undefined;
		const word = before.slice(-70).match(TAG_BEFORE)?.[1];
		return isSpeaker(word) ? word : undefined;
	};
	/** Buffy stopped and started again. "Why?": a character naming the sentence just before the quote. */
	const sentenceSubject = (before: string): string | undefined => {
		const trimmed = before.trimEnd();
		const start = Math.max(...['. ', '! ', '? ', '… '].map((end) => trimmed.lastIndexOf(end)));
		const word = trimmed.slice(start < 0 ? 0 : start + 2).match(/^\s*([^\s,;:.!?'’]+)/)?.[1];
		return word !== undefined && names.has(word) ? word : undefined;
	};

	const candidates: { quote: Quote; score: number }[] = [];
	for (const { text: paragraph, at, spans, mentions } of paragraphs) {
		const place = (index: number) => {
			const page = pageAt(pages, at + index);
			return page ? { page: page.number, offset: at + index - page.offset, chapter: page.chapter } : null;
		};
		/** "he"/"she": the last character of that gender named earlier in this paragraph, or before it. */
		const resolve = (word: string, before: number): string | null => {
			if (!PRONOUNS.has(word)) return word;
			const g: Gender = word.toLowerCase() === 'he' ? 'm' : 'f';
			let found: string | null = null;
			for (const m of mentions) if (m.index - at < before && gender.get(m.name) === g) found = m.name;
			return found ?? recent.get(g) ?? null;
		};

		if (spans.length === 0) {
			for (const sentence of sentences(paragraph)) {
				const text = sentence.text;
				if (!isWholeLine(text, 8) || /["“”]/.test(text)) continue;
				const where = place(sentence.start);
				if (!where) continue;
				const from = at + sentence.start;
				let score = 0;
				if (mentions.some((m) => m.index >= from && m.index < from + text.length)) score += 2;
				if (text.length >= 70 && text.length <= 220) score += 1;
				if (WEAK_START.test(text)) score -= 1;
				candidates.push({ quote: { text, speaker: null, kind: 'narration', ...where }, score });
			}
		} else {
			for (const group of speechGroups(paragraph, spans)) {
				const first = group[0] as Span;
				let speaker: string | null = null;
				for (const [i, span] of group.entries()) {
					const after = tagAfter(paragraph.slice(span.end + 1, span.end + 61));
					const before = i === 0 ? paragraph.slice(Math.max(0, span.start - 81), span.start - 1) : '';
					const word = after ?? (i === 0 ? (tagBefore(before) ?? sentenceSubject(before)) : undefined);
					speaker = word ? resolve(word, span.start) : null;
					if (speaker) break;
				}
				if (speaker) remember(speaker);
				const length = group.reduce((n, s) => n + s.end - s.start, 0);
				if (length < QUOTE_MIN || length > QUOTE_MAX * 2) continue;
				const text = tidySpeech(group.map((s) => paragraph.slice(s.start, s.end).trim()).join(' '));
				if (!isWholeLine(text, 6)) continue;
				const lead = (paragraph.slice(first.start).match(/^\s*/)?.[0] ?? '').length;
				const where = place(first.start + lead);
				if (where) {
					const score = (speaker ? 3 : 0) + (text.length >= 60 && text.length <= 220 ? 1 : 0);
					candidates.push({ quote: { text, speaker, kind: 'dialogue', ...where }, score });
				}
			}
		}
		// Characters named in narration become the last mentioned of their gender.
		for (const m of mentions) if (m.narration) remember(m.name);
	}
	// The strongest lines of each page: speech with a named speaker, named people, mid-length lines first.
	const quotes: Quote[] = [];
	const perPage = new Map<string, number>();
	for (const { quote } of candidates.sort((a, b) => b.score - a.score)) {
		const key = `${quote.page}:${quote.kind}`;
		const n = perPage.get(key) ?? 0;
		if (n >= PER_PAGE[quote.kind]) continue;
		perPage.set(key, n + 1);
		quotes.push(quote);
	}
	return quotes.sort((a, b) => a.page - b.page || a.offset - b.offset);
}

/** Speech interrupted by a short tag ("Yes," he said. "I'm leaving.") is one line by one speaker. */
function speechGroups(paragraph: string, spans: readonly Span[]): Span[][] {
	const groups: Span[][] = [];
	for (const span of spans) {
		const last = groups.at(-1);
		const previous = last?.at(-1);
		// A gap that opens with a full stop ("A-Angel". Spike growled.) is a beat, not a tag: a new line.
		if (last && previous && span.start - previous.end <= 60 && !/^.\s*\./.test(paragraph.slice(previous.end))) {
			last.push(span);
		} else {
			groups.push([span]);
		}
	}
	return groups;
}

/** Ends speech cut by its tag properly: "I'm leaving town," → "I'm leaving town." */
function tidySpeech(text: string): string {
	const flat = text.includes('  ') || text.includes('\n') ? text.replace(/\s+/g, ' ') : text;
	return flat.endsWith(',') ? `${flat.slice(0, -1)}.` : flat;
}

/** At least n words (runs of characters between spaces). */
function hasWords(text: string, n: number): boolean {
	let words = 1;
	for (let i = text.indexOf(' '); i >= 0 && words < n; i = text.indexOf(' ', i + 1)) words++;
	return words >= n;
}

/** A line worth quoting on its own: the right length, a capital start, a proper end, not cut off. */
function isWholeLine(text: string, minWords: number): boolean {
	if (text.length < QUOTE_MIN || text.length > QUOTE_MAX) return false;
	if (!WHOLE_LINE_START.test(text)) return false;
	if (!/[.!?…'’)*]$/.test(text) || /(?:\s-|—|–|-)$/.test(text)) return false;
	return hasWords(text, minWords);
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
