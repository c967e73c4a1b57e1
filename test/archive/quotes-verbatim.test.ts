// Quotes are verbatim: every quote's text, split into its clauses at CLAUSE_BREAK (where a speech tag was left
// out), is the story's own words, in order, within ONE paragraph of the body, the first clause at the page and
// offset the quote gives. The only normalisation allowed: a run of white space in the story may be one space in
// the quote; and the last clause may end without the comma its tag took up ('"I'm leaving," he said' → "I'm
// leaving"), which leaves it a verbatim stretch of the story. Nothing else: no quote marks changed, dropped or
// added, no words left out inside a clause, no lines of two paragraphs joined.
//
// The property is about what quotes.ts makes of the body it is given, whatever the readers made the paragraphs:
// it runs over the samples, the fixtures, the real files (when ../shared/real-fics is there) and generated text.
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findCharacters } from '../../src/archive/characters.js';
import { paginate } from '../../src/archive/pages.js';
import { parseStory } from '../../src/archive/parse/index.js';
import { CLAUSE_BREAK, extractQuotes } from '../../src/archive/quotes.js';
import { type Page, type Quote, StoryError } from '../../src/archive/types.js';
import { ao3EpubFiles, fanficfareEpubFiles, zip } from '../fixtures/epub.js';
import { HAVE_REAL_FICS, REAL_FICS_NOTE, readRealFic, TRUTH } from '../real-fics/files.js';

const flat = (text: string) => text.replace(/\s+/g, ' ');

/** What is wrong with the quotes of a body, one line each: none when every quote is verbatim. */
function verbatimFaults(body: string, pages: readonly Page[], quotes: readonly Quote[]): string[] {
	const faults: string[] = [];
	for (const quote of quotes) {
		const page = pages[quote.page - 1];
		const fault = (why: string) => faults.push(`${why}: p${quote.page}+${quote.offset} ${JSON.stringify(quote.text)}`);
		if (!page || quote.offset < 0 || quote.offset >= page.text.length) {
			fault('not on its page');
			continue;
		}
		const at = page.offset + quote.offset;
		const before = body.lastIndexOf('\n\n', at - 2);
		const paragraphStart = before < 0 ? 0 : before + 2;
		const after = body.indexOf('\n\n', at);
		const paragraphEnd = after < 0 ? body.length : after;
		const paragraph = flat(body.slice(paragraphStart, paragraphEnd));
		// The quote starts at a word (not white space), so the flattened text before it ends where it starts.
		let from = flat(body.slice(paragraphStart, at)).length;
		const clauses = quote.text.split(CLAUSE_BREAK);
		for (const [i, clause] of clauses.entries()) {
			if (!clause) {
				fault('an empty clause');
				break;
			}
			const found = i === 0 ? (paragraph.startsWith(clause, from) ? from : -1) : paragraph.indexOf(clause, from);
			if (found < 0) {
				fault(i === 0 ? 'does not start at its offset' : `clause ${i + 1} is not in the paragraph after clause ${i}`);
				break;
			}
			from = found + clause.length;
		}
		if (quote.text.includes('\n')) fault('holds a line break');
	}
	return faults;
}

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));

describe('quotes are verbatim', () => {
	const files: [string, () => Uint8Array][] = [
		...readdirSync(new URL('../../data/', import.meta.url))
			.filter((f) => f.endsWith('.txt'))
			.map((f): [string, () => Uint8Array] => [
				`data/${f}`,
				() => readFileSync(new URL(`../../data/${f}`, import.meta.url)),
			]),
		...readdirSync(new URL('../fixtures/', import.meta.url))
			.filter((f) => /\.(?:txt|md|html)$/.test(f))
			.map((f): [string, () => Uint8Array] => [`test/fixtures/${f}`, () => fixture(f)]),
		['AO3 EPUB fixture', () => zip(ao3EpubFiles())],
		['FanFicFare EPUB fixture', () => zip(fanficfareEpubFiles())],
	];

	it.each(files)('in %s', async (name, bytes) => {
		const story = await parseStory(name.split('/').at(-1) as string, bytes());
		expect(verbatimFaults(story.body, story.pages, story.quotes)).toEqual([]);
	});

	it('keeps the words inside a quote within speech (Moving Day)', () => {
		const text = readFileSync(new URL('../../data/moving-day.txt', import.meta.url), 'utf8');
		const body = text.split(/\r?\n\r?\n/).find((p) => p.includes('Buffy came back wrong')) as string;
		const quotes = extractQuotes(body, paginate(body), findCharacters(body));
		expect(quotes.map((q) => q.text)).toContainEqual(
			'So this is the "Buffy came back wrong" speech again? Somehow everything\'s all my fault?',
		);
	});

	it('holds for generated paragraphs of speech, tags, beats and quotes within quotes', () => {
		const name = fc.constantFrom('Spike', 'Buffy', 'Dawn', 'Giles');
		const word = fc.constantFrom('the', 'crypt', 'was', 'cold', 'and', 'you', 'never', 'said', 'it', 'again', 'love');
		const words = fc.array(word, { minLength: 2, maxLength: 12 }).map((w) => w.join(' '));
		const sentence = fc
			.tuple(
				fc.constantFrom('I', 'You', 'We', 'It', 'Well'),
				words,
				fc.option(words, { nil: undefined }),
				fc.constantFrom('.', '?', '!', ',', '…', ' -', ''),
			)
			.map(([first, rest, inner, end]) => `${first} ${rest}${inner ? ` "${inner}"` : ''}${end}`);
		const [straight, curly] = [['"', '"'] as const, ['“', '”'] as const];
		const speech = fc
			.tuple(fc.constantFrom(straight, curly), fc.array(sentence, { minLength: 1, maxLength: 4 }), fc.boolean())
			.map(([[open, close], said, closed]) => `${open}${said.join(' ')}${closed ? close : ''}`);
		const tag = fc.oneof(
			name.map((n) => `${n} said.`),
			fc.constantFrom('he whispered.', 'she said quietly.', 'He shrugged.', 'She looked away from him.'),
			fc.tuple(name, words).map(([n, w]) => `${n} ${w}.`),
		);
		const paragraph = fc
			.array(fc.oneof(speech, tag, sentence), { minLength: 1, maxLength: 6 })
			.chain((parts) =>
				fc
					.array(fc.constantFrom(' ', '  ', '\n', ' \t', ''), { minLength: parts.length, maxLength: parts.length })
					.map((gaps) => parts.map((p, i) => (i ? gaps[i] : '') + p).join('')),
			);
		fc.assert(
			fc.property(
				fc.array(paragraph, { minLength: 1, maxLength: 8 }),
				fc.integer({ min: 60, max: 900 }),
				(ps, size) => {
					const body = ps.map((p) => p.trim() || 'Nothing.').join('\n\n');
					const pages = paginate(body, size);
					const quotes = extractQuotes(body, pages, findCharacters(body));
					expect(verbatimFaults(body, pages, quotes)).toEqual([]);
				},
			),
			{ numRuns: 300 },
		);
	});
});

if (!HAVE_REAL_FICS) console.warn(REAL_FICS_NOTE);

describe.skipIf(!HAVE_REAL_FICS)('quotes are verbatim in the real files', () => {
	it.each(TRUTH.map((t) => t.file))('%s', async (file) => {
		let story: Awaited<ReturnType<typeof parseStory>>;
		try {
			story = await parseStory(file, readRealFic(file), { maxFileBytes: 50 * 1024 * 1024 });
		} catch (error) {
			// A file a reader refuses has no quotes to check (the table test says what is wrong with it).
			if (error instanceof StoryError) return;
			throw error;
		}
		expect(verbatimFaults(story.body, story.pages, story.quotes)).toEqual([]);
	});
});
