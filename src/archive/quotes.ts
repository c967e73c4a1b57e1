import { capitalisedWordStarts } from './characters.js';
import { isLetterCode, isUpperCode, LETTER, LOWER, UPPER } from './letters.js';
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
// per story. Names are found as any capitalised word (its letters, from where it starts) and looked up among the
// story's characters.

/** A name that can be a capitalised word: a capital, then letters. */
const NAME_SHAPED = new RegExp(`^${NAME_WORD}$`);
/** The double quote marks that open and close speech. */
const QUOTE_MARK = /["“”]/g;
/** Any double quote mark: narration with one in it is not a line on its own. */
const HAS_QUOTE_MARK = /["“”]/;
/**
 * "…," Spike whispered / "…!" Buffy bolted upright / "…," he said / "…" He shrugged / "…," said Buffy (the text
 * after a quote): within a paragraph, what follows speech is its speaker's.
 */
const TAG_AFTER = new RegExp(
	`^\\s*[,!?;…—–-]?\\s*(?:(he|she|He|She)\\s+${ADVERB}[${LOWER}]+|(${NAME_WORD})(?:['’]s)?\\s+${ADVERB}[${LOWER}]+|(?:${SPEECH_VERBS})\\s+(${NAME_WORD}|he|she)\\b)`,
);
/** Buffy said, "…" / he asked: "…" (the end of the text before a quote). */
const TAG_BEFORE = new RegExp(`(?:^|\\s)([^\\s"“”]+)\\s+${ADVERB}(?:${SPEECH_VERBS})\\b[^.!?"“”]{0,40}[,:]\\s*$`);
/** Where a sentence ends, to split the text before a quote at. */
const SENTENCE_END = /[.!?…]\s+/;
/** Words, as names and pronouns are. */
const WORDS = /[^\s,;:.!?"“”()]+/g;
/** The end of the text before a quote that a speech tag leaves: "Buffy said," / "he asked:". */
const TAG_END = /[,:]\s*$/;
/** Where one sentence ends and the next starts, in the text before a quote. */
const SENTENCE_BREAKS = ['. ', '! ', '? ', '… '];
/** The first word of a sentence. */
const FIRST_WORD = /^\s*([^\s,;:.!?'’]+)/;
/** A full stop just after a closing quote: what follows is a new line, not a tag. */
const BEAT = /^\s*\./;
const SPACES = /\s+/g;
/** White space other than a plain space. */
const OTHER_SPACE = /[^\S ]/;
/** "he" or "she", any case, as a whole word: the subject of a sentence. */
const SUBJECT_PRONOUN = /\b(?:(he)|(she))\b/gi;
/** A weak opening for a line of narration, tested where a sentence starts (sticky). */
const WEAK_START = /(?:And|But|So|Then|It|This|That|There|He|She|They)\b/y;
/** White space as trim and `\s` see it, from where it is tested (sticky). */
const SPACE_RUN = /\s*/y;
/** A sentence of narration: up to its closing punctuation (and the quote marks or brackets after it), or to the end. */
const SENTENCE = /[^.!?…]+(?:[.!?…]+["”’')]*|$)/y;

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

/**
 * Double-quoted speech in a paragraph. A curly “ opens and ” closes; a straight quote opens when nothing is open,
 * and, inside speech, opens a quote within the speech when it stands where an opening mark does (after a space or
 * an opening bracket or dash, before a word: `"So this is the "Buffy came back wrong" speech again?"`), else
 * closes. Quotes within speech stay in it; an unclosed quote runs to the paragraph's end. Only the quote marks
 * matter, so the scan jumps from one to the next.
 */
function speechSpans(paragraph: string): Span[] {
	const spans: Span[] = [];
	let open = -1;
	let depth = 0;
	QUOTE_MARK.lastIndex = 0;
	while (QUOTE_MARK.test(paragraph)) {
		const i = QUOTE_MARK.lastIndex - 1;
		const c = paragraph.charCodeAt(i);
		if (c === 0x201c || (c === 34 && (depth === 0 || opensInside(paragraph, i)))) {
			if (depth++ === 0) open = i + 1;
		} else if (depth > 0 && --depth === 0) {
			spans.push({ start: open, end: i });
		}
	}
	if (depth > 0 && open < paragraph.length) spans.push({ start: open, end: paragraph.length });
	return spans;
}

/** Whether the straight quote at `i` stands where an opening mark does: after a space or opener, before a word. */
function opensInside(text: string, i: number): boolean {
	const before = i === 0 ? 32 : text.charCodeAt(i - 1);
	const after = text.charCodeAt(i + 1);
	const opener =
		isSpaceCode(before) || before === 40 || before === 91 || before === 0x2014 || before === 0x2013 || before === 45;
	return opener && !Number.isNaN(after) && !isSpaceCode(after) && after !== 34 && !isSentenceEndCode(after);
}

/** White space as the paragraph's words are split at. */
const isSpaceCode = (c: number) => c === 32 || c === 10 || c === 9 || c === 13 || c === 0xa0;

/** Whether an offset in a paragraph is inside its speech. */
function inSpeech(spans: readonly Span[], offset: number): boolean {
	for (const span of spans) if (offset >= span.start && offset < span.end) return true;
	return false;
}

/**
 * The story's names by their first code unit, to look a capitalised word up without slicing it out of the text.
 * Only a name shaped like a capitalised word (a capital, then letters) can be one; the others are never mentioned.
 */
function namesByInitial(names: ReadonlySet<string>): (string[] | undefined)[] {
	const byInitial: (string[] | undefined)[] = [];
	for (const name of names) {
		if (!NAME_SHAPED.test(name)) continue;
		const initial = name.charCodeAt(0);
		byInitial[initial] = [...(byInitial[initial] ?? []), name];
	}
	return byInitial;
}

/** The name that is the whole word at `start` (the text has it there, and no letter after it), if any. */
function nameAt(byInitial: readonly (string[] | undefined)[], text: string, start: number): string | undefined {
	const names = byInitial[text.charCodeAt(start)];
	if (names === undefined) return undefined;
	for (const name of names) {
		if (!isLetterCode(text.charCodeAt(start + name.length)) && text.startsWith(name, start)) return name;
	}
	return undefined;
}

/**
 * The body's paragraphs with their speech and the characters named in them. A name is a whole capitalised word
 * (letters only: "Spike's" names Spike) that is one of `names`; `starts` are where the body's capitalised words start.
 */
function paragraphsOf(body: string, names: ReadonlySet<string>, starts: readonly number[]): Paragraph[] {
	const paragraphs: Paragraph[] = [];
	let at = 0;
	for (const text of body.split('\n\n')) {
		paragraphs.push({ text, at, spans: speechSpans(text), mentions: [] });
		at += text.length + 2;
	}
	const byInitial = namesByInitial(names);
	let p = 0;
	for (const index of starts) {
		const name = nameAt(byInitial, body, index);
		if (name === undefined) continue;
		while (p < paragraphs.length - 1 && index >= (paragraphs[p + 1] as Paragraph).at) p++;
		const paragraph = paragraphs[p] as Paragraph;
		paragraph.mentions.push({ index, name, narration: !inSpeech(paragraph.spans, index - paragraph.at) });
	}
	return paragraphs;
}

/**
 * The first "he" or "she" in the narration of a paragraph between two offsets, any speech in that stretch left
 * out. The stretch is searched as one text (its ends count as word breaks), passing over the pronouns inside
 * speech: a quote mark separates words as a space does, so this is the narration with the speech cut out.
 */
function pronounBetween(paragraph: string, spans: readonly Span[], from: number, to: number): Gender | undefined {
	const stretch = paragraph.slice(from, to);
	SUBJECT_PRONOUN.lastIndex = 0;
	for (let m = SUBJECT_PRONOUN.exec(stretch); m; m = SUBJECT_PRONOUN.exec(stretch)) {
		if (!inSpeech(spans, from + m.index)) return m[1] ? 'm' : 'f';
	}
	return undefined;
}

/**
 * Each character's gender as the narration shows it: the first "he" or "she" after a mention of the name in
 * narration, before any other name and not inside speech, counted over all mentions; a clear majority decides, anything
 * else stays unknown. `sole` is, for each gender, the one character whose gender is not known that the narration
 * ever calls so, when no character is known to be so: the story's only "he" (a scene of two, one a "she").
 */
function characterGenders(paragraphs: readonly Paragraph[]): {
	genders: Map<string, Gender>;
	sole: Record<Gender, string | undefined>;
} {
	const tally = new Map<string, { m: number; f: number }>();
	for (let p = 0; p < paragraphs.length; p++) {
		const { text, at, spans, mentions } = paragraphs[p] as Paragraph;
		for (let i = 0; i < mentions.length; i++) {
			const mention = mentions[i] as Mention;
			if (!mention.narration) continue;
			const from = mention.index - at + mention.name.length;
			const next = mentions[i + 1];
			let pronoun = pronounBetween(text, spans, from, Math.min(from + 150, next ? next.index - at : text.length));
			// The last name in a paragraph is often the subject of the next one: "Buffy kicked the door.\n\nShe…"
			const following = paragraphs[p + 1];
			if (!pronoun && !next && following && text.length - from < 150) {
				const until = Math.min(150 - (text.length - from), (following.mentions[0]?.index ?? Infinity) - following.at);
				pronoun = pronounBetween(following.text, following.spans, 0, Math.min(until, following.text.length));
			}
			if (!pronoun) continue;
			const t = tally.get(mention.name) ?? { m: 0, f: 0 };
			t[pronoun]++;
			tally.set(mention.name, t);
		}
	}
	const genders = new Map<string, Gender>();
	for (const [name, { m, f }] of tally) {
		if (m >= 2 && m >= 3 * f) genders.set(name, 'm');
		else if (f >= 2 && f >= 3 * m) genders.set(name, 'f');
	}
	// When no character is known to be a "he" (or "she"), and one only of the others was ever called that.
	const sole = (g: Gender) => {
		if ([...genders.values()].includes(g)) return undefined;
		const called = [...tally].filter(([name, t]) => t[g] > 0 && !genders.has(name));
		return called.length === 1 ? called[0]?.[0] : undefined;
	};
	return { genders, sole: { m: sole('m'), f: sole('f') } };
}

/**
 * The strongest lines of the page being read, as they come: for each kind, the first PER_PAGE by score, the
 * earlier line first among equals (what a stable sort of all the page's lines by score would keep). Lines come
 * in text order, so a page's lines all come together and a page is done when the next one's lines start.
 */
class PageBest {
	private page = -1;
	private readonly kept = {
		dialogue: [] as { quote: Quote; score: number }[],
		narration: [] as { quote: Quote; score: number }[],
	};

	constructor(private readonly quotes: Quote[]) {}

	/** Turns to a page: the kept lines of the page before go to the quotes, in text order. */
	turnTo(page: number): void {
		if (page === this.page) return;
		this.flush();
		this.page = page;
	}

	/** Whether a line of this kind and score would be kept on this page, so far. */
	wants(kind: Quote['kind'], score: number): boolean {
		const kept = this.kept[kind];
		return kept.length < PER_PAGE[kind] || (kept.at(-1) as { score: number }).score < score;
	}

	/** Keeps a line that `wants` said would be kept, dropping the weakest when there are too many. */
	add(quote: Quote, score: number): void {
		const kept = this.kept[quote.kind];
		const line = { quote, score };
		// After every kept line that scores as high: the weaker ones move down one.
		let i = kept.length;
		kept.push(line);
		for (; i > 0 && (kept[i - 1] as { score: number }).score < score; i--) kept[i] = kept[i - 1] as typeof line;
		kept[i] = line;
		if (kept.length > PER_PAGE[quote.kind]) kept.pop();
	}

	/** The kept lines of the current page to the quotes, in text order. */
	flush(): void {
		const { dialogue, narration } = this.kept;
		if (dialogue.length + narration.length === 0) return;
		for (const { quote } of [...dialogue, ...narration].sort((a, b) => a.quote.offset - b.quote.offset)) {
			this.quotes.push(quote);
		}
		dialogue.length = 0;
		narration.length = 0;
	}
}

/**
 * Pulls the quotable lines out of a story: speech with the speaker the text names ("…," Spike whispered /
 * Buffy said, "…" / Buffy stopped. "…" / "…," he said, with "he" the last man named), and strong sentences
 * of narration. Each is 40–300 characters, a whole line rather than a fragment, the story's own words (see
 * speechLine: verbatim clauses within one paragraph), and knows the page it is on and its offset there. The
 * pages are the body's, in order, as paginateChapters makes them. `starts` are the body's capitalised words,
 * when the caller has found them already; `notes` the body's stretches [start, end) that are chapter notes
 * (footnotes), in order: none of their lines is quoted.
 */
export function extractQuotes(
	body: string,
	pages: readonly Page[],
	characters: readonly Character[],
	starts: readonly number[] = capitalisedWordStarts(body),
	notes: readonly (readonly [number, number])[] = [],
): Quote[] {
	const names = new Set(characters.map((c) => c.name));
	const counts = new Map(characters.map((c) => [c.name, c.count]));
	const paragraphs = paragraphsOf(body, names, starts);
	const { genders: gender, sole } = characterGenders(paragraphs);
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
		if (!TAG_END.test(before)) return undefined;
		const window = before.slice(-70);
		const m = window.match(TAG_BEFORE);
		const word = m?.[1];
		if (isSpeaker(word)) return word;
		if (!m || (word !== 'and' && word !== 'then')) return undefined;
		// "Xander threw back his shoulders and snarled at Spike,": the last speaker named before the "and", in
		// that sentence.
		const upTo = before.length - window.length + (m.index ?? 0);
		const sentence =
			before
				.slice(Math.max(0, upTo - 100), upTo)
				.split(SENTENCE_END)
				.at(-1) ?? '';
		let subject: string | undefined;
		for (const w of sentence.match(WORDS) ?? []) if (isSpeaker(w)) subject = w;
		return subject;
	};
	/** Buffy stopped and started again. "Why?": a character naming the sentence just before the quote. */
	const sentenceSubject = (before: string): string | undefined => {
		const trimmed = before.trimEnd();
		let start = -1;
		for (const end of SENTENCE_BREAKS) start = Math.max(start, trimmed.lastIndexOf(end));
		const word = trimmed.slice(start < 0 ? 0 : start + 2).match(FIRST_WORD)?.[1];
		return isSpeaker(word) ? word : undefined;
	};
	/**
	 * Whether the text between two spans of speech is one speaker's: it starts with a tag or the speaker's beat
	 * ("Yes," Spike said. "…" / "…" He shrugged. "…"), and no other speaker's tag or sentence ends it.
	 */
	const joins = (gap: string): boolean => {
		const after = tagAfter(gap);
		if (after === undefined) return false;
		const other = tagBefore(gap) ?? sentenceSubject(gap);
		return other === undefined || other.toLowerCase() === after.toLowerCase();
	};
	/**
	 * "he"/"she": the last character of that gender named earlier in the paragraph's narration, or before it;
	 * else the main one named there whose gender is unknown; else the story's only "he" or "she".
	 */
	const resolve = ({ at, mentions }: Paragraph, word: string, before: number): string | null => {
		if (!PRONOUNS.has(word)) return word;
		const g: Gender = word.toLowerCase() === 'he' ? 'm' : 'f';
		let found: string | null = null;
		let unknown: string | null = null;
		for (const m of mentions) {
			if (m.index - at >= before || !m.narration) continue;
			const known = gender.get(m.name);
			if (known === g) found = m.name;
			else if (known === undefined && (counts.get(m.name) ?? 0) > (unknown ? (counts.get(unknown) ?? 0) : -1)) {
				unknown = m.name;
			}
		}
		// Failing one of that gender, the story's most named character of those named in the paragraph's narration
		// whose gender is not known.
		return found ?? recent.get(g) ?? unknown ?? sole[g] ?? null;
	};

	// The strongest lines of each page: speech with a named speaker, named people, mid-length lines first.
	const quotes: Quote[] = [];
	const best = new PageBest(quotes);
	let note = 0;
	for (const paragraph of paragraphs) {
		const { text: paragraphText, at, spans, mentions } = paragraph;
		// A chapter's notes are not the story: no line of them is quoted.
		while (note < notes.length && (notes[note] as readonly [number, number])[1] <= at) note++;
		if (note < notes.length && (notes[note] as readonly [number, number])[0] <= at) continue;
		if (spans.length === 0) {
			// The sentences, as offsets: nothing is sliced out of the text until a line is kept.
			const textEnd = paragraphText.trimEnd().length;
			let mention = 0;
			let end = 0;
			while (end < paragraphText.length) {
				// Stray punctuation between sentences is no sentence; the sentence is trimmed.
				let start = end;
				while (start < paragraphText.length && isSentenceEndCode(paragraphText.charCodeAt(start))) start++;
				if (start === paragraphText.length) break;
				SENTENCE.lastIndex = start;
				SENTENCE.test(paragraphText);
				end = SENTENCE.lastIndex;
				start = skipSpace(paragraphText, start);
				// Only a sentence running to the paragraph's end can end in white space.
				const stop = end === paragraphText.length ? textEnd : end;
				if (start >= stop || !isLineShaped(paragraphText, start, stop)) continue;
				const page = pageAt(pages, at + start);
				if (!page) continue;
				const from = at + start;
				while (mention < mentions.length && (mentions[mention] as Mention).index < from) mention++;
				let score = 0;
				if (mention < mentions.length && (mentions[mention] as Mention).index < from + stop - start) score += 2;
				if (stop - start >= 70 && stop - start <= 220) score += 1;
				WEAK_START.lastIndex = start;
				if (WEAK_START.test(paragraphText)) score -= 1;
				best.turnTo(page.number);
				// The rest of what makes a whole line is only worth checking for a line that would be kept.
				if (!best.wants('narration', score) || !hasWords(paragraphText, start, stop, 8)) continue;
				const text = oneSpaced(paragraphText.slice(start, stop));
				if (HAS_QUOTE_MARK.test(text)) continue;
				best.add(
					{
						text,
						speaker: null,
						kind: 'narration',
						page: page.number,
						offset: from - page.offset,
						chapter: page.chapter,
					},
					score,
				);
			}
		} else {
			const groups = speechGroups(paragraphText, spans, joins);
			// Who says each line: its own tag, else (a paragraph being one speaker's) the paragraph's tagged speaker,
			// else the subject of the sentence before it.
			const tagged = groups.map((group) => {
				for (const [i, span] of group.entries()) {
					const after = tagAfter(paragraphText.slice(span.end + 1, span.end + 61));
					const before = i === 0 ? paragraphText.slice(Math.max(0, span.start - 121), span.start - 1) : '';
					const word = after ?? (i === 0 ? tagBefore(before) : undefined);
					const speaker = word ? resolve(paragraph, word, span.start) : null;
					if (speaker) return speaker;
				}
				return null;
			});
			const paragraphSpeaker = tagged.find((s) => s !== null) ?? null;
			for (const [g, group] of groups.entries()) {
				const first = group[0] as Span;
				let speaker = tagged[g] ?? paragraphSpeaker;
				if (!speaker) {
					const word = sentenceSubject(paragraphText.slice(Math.max(0, first.start - 81), first.start - 1));
					speaker = word ? resolve(paragraph, word, first.start) : null;
				}
				if (speaker) remember(speaker);
				const length = group.reduce((n, s) => n + s.end - s.start, 0);
				if (length < QUOTE_MIN || length > QUOTE_MAX * 2) continue;
				const line = speechLine(paragraphText, group);
				if (!line) continue;
				const { text } = line;
				const from = at + skipSpace(paragraphText, first.start);
				const page = pageAt(pages, from);
				if (!page) continue;
				const score = (speaker ? 3 : 0) + (text.length >= 60 && text.length <= 220 ? 1 : 0);
				best.turnTo(page.number);
				if (!best.wants('dialogue', score) || !hasWords(text, 0, text.length, 6)) continue;
				best.add(
					{ text, speaker, kind: 'dialogue', page: page.number, offset: from - page.offset, chapter: page.chapter },
					score,
				);
			}
		}
		// Characters named in narration become the last mentioned of their gender.
		for (const m of mentions) if (m.narration) remember(m.name);
	}
	best.flush();
	return quotes;
}

/**
 * Speech interrupted by a tag ("Yes," he said. "I'm leaving.") is one line by one speaker: spans join when the
 * text between them is a tag (`joins`), on one line, at most 60 characters, and not a beat that opens with a full
 * stop ("A-Angel". Spike growled.). Speech after speech with no tag between is two lines, as two speakers' are.
 */
function speechGroups(paragraph: string, spans: readonly Span[], joins: (gap: string) => boolean): Span[][] {
	const groups: Span[][] = [];
	for (const span of spans) {
		const last = groups.at(-1);
		const previous = last?.at(-1);
		const near = previous !== undefined && span.start - previous.end <= 62;
		const gap = near ? paragraph.slice(previous.end + 1, span.start - 1) : '';
		if (last && near && !gap.includes('\n') && !BEAT.test(gap) && joins(gap)) {
			last.push(span);
		} else {
			groups.push([span]);
		}
	}
	return groups;
}

/** Between the clauses of one line: the speech tag that was there is left out. */
export const CLAUSE_BREAK = ' … ';

/**
 * The words of a line of speech, verbatim: each span's speech (quotes within it kept), white space runs as one
 * space, joined with CLAUSE_BREAK where a tag was left out; a comma the tag took up ("I'm leaving," he said) is
 * dropped at the end. Null when it is not a whole line: the wrong length, no capital start, or cut off.
 */
function speechLine(paragraph: string, group: readonly Span[]): { text: string } | null {
	const clauses: string[] = [];
	for (const span of group) {
		const clause = paragraph.slice(span.start, span.end).trim();
		if (clause) clauses.push(oneSpaced(clause));
	}
	let text = clauses.join(CLAUSE_BREAK);
	const cut = text.endsWith(',');
	if (cut) text = text.slice(0, -1);
	if (text.length < QUOTE_MIN || text.length > QUOTE_MAX || !isLineStartCode(text.charCodeAt(0))) return null;
	return cut || isLineEndCode(text.charCodeAt(text.length - 1)) ? { text } : null;
}

/** White space runs as one space (a hard-wrapped line's break, a double space after a full stop). */
const oneSpaced = (text: string) => (text.includes('  ') || OTHER_SPACE.test(text) ? text.replace(SPACES, ' ') : text);

/** Where the white space from `index` on ends (white space as trim and `\s` see it). */
function skipSpace(text: string, index: number): number {
	// Spaces before printable ASCII, the usual case, need no regular expression.
	let i = index;
	while (text.charCodeAt(i) === 32) i++;
	const c = text.charCodeAt(i);
	if (c > 32 && c < 127) return i;
	SPACE_RUN.lastIndex = i;
	SPACE_RUN.test(text);
	return SPACE_RUN.lastIndex;
}

/** The punctuation that ends a sentence. */
const isSentenceEndCode = (c: number) => c === 46 || c === 33 || c === 63 || c === 0x2026;

/** At least n words (runs of characters between spaces) in `text[start, end)`. */
function hasWords(text: string, start: number, end: number, n: number): boolean {
	let words = 1;
	for (let i = text.indexOf(' ', start); i >= 0 && i < end && words < n; i = text.indexOf(' ', i + 1)) words++;
	return words >= n;
}

/** What a whole line starts with: a capital, a digit, an opening quote or bracket. */
const isLineStartCode = (c: number) => isUpperCode(c) || (c >= 48 && c <= 57) || c === 39 || c === 0x2018 || c === 40;
/** What a whole line ends with: a full stop, ! or ?, an ellipsis, a closing quote or bracket, an asterisk (never a dash). */
const isLineEndCode = (c: number) => isSentenceEndCode(c) || c === 39 || c === 0x2019 || c === 41 || c === 42;

/**
 * Whether `text[start, end)` is shaped like a line worth quoting on its own: the right length, a capital start, a
 * proper end (not cut off). A whole line also has enough words (hasWords).
 */
function isLineShaped(text: string, start: number, end: number): boolean {
	if (end - start < QUOTE_MIN || end - start > QUOTE_MAX) return false;
	return isLineStartCode(text.charCodeAt(start)) && isLineEndCode(text.charCodeAt(end - 1));
}
