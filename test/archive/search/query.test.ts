import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
	MAX_QUERY_LENGTH,
	type ParsedQuery,
	parseQuery,
	queryWords,
	ratingsAllowed,
	toFtsMatch,
} from '../../../src/archive/search/query.js';

const ROWS = [
	'Spike lit a cigarette in the crypt',
	'Buffy left Sunnydale at dawn',
	'ten miles was as far as I could go',
	"Dawn said she don't know the X-Men, and it was 10:30",
	'Willow and Tara sang in the Bronze; café au lait after',
];

const db = new Database(':memory:');
db.exec("CREATE VIRTUAL TABLE pages_fts USING fts5(text, tokenize = 'porter unicode61 remove_diacritics 2')");
const insert = db.prepare('INSERT INTO pages_fts (rowid, text) VALUES (?, ?)');
for (const [i, text] of ROWS.entries()) insert.run(i + 1, text);
const matchStatement = db.prepare('SELECT rowid FROM pages_fts WHERE pages_fts MATCH ? ORDER BY rowid');
afterAll(() => db.close());

/** Runs an FTS5 MATCH expression against the test table; throws exactly when FTS5 rejects it. */
const rowsMatching = (expression: string) =>
	(matchStatement.all(expression) as { rowid: number }[]).map((r) => r.rowid);
/** Parses a query and runs it: the row ids it finds, or null when it has nothing to match. */
const search = (input: string) => {
	const match = toFtsMatch(parseQuery(input));
	return match === null ? null : rowsMatching(match);
};
/** toFtsMatch's output shape: quoted literals (optionally prefix), joined by AND, then NOT literals. */
const LITERAL = '"(?:[^"]|"")*"';
const FTS_SHAPE = new RegExp(`^${LITERAL}(?: \\*)?(?: AND ${LITERAL}(?: \\*)?)*(?: NOT ${LITERAL})*$`, 'u');

const query = (parts: Partial<ParsedQuery>): ParsedQuery => ({
	terms: [],
	phrases: [],
	excluded: [],
	titleWords: [],
	characters: [],
	notes: [],
	...parts,
});
const words = (...texts: string[]) => texts.map((text) => ({ text, prefix: false }));

describe('parseQuery on normal queries', () => {
	const cases: [string, ParsedQuery, string | null][] = [
		['spike', query({ terms: words('spike') }), '"spike"'],
		['Spike  crypt', query({ terms: words('Spike', 'crypt') }), '"Spike" AND "crypt"'],
		['"exact phrase"', query({ phrases: ['exact phrase'] }), '"exact phrase"'],
		['"  as far   as I could go. "', query({ phrases: ['as far as I could go'] }), '"as far as I could go"'],
		['spik*', query({ terms: [{ text: 'spik', prefix: true }] }), '"spik" *'],
		['sunnydale -buffy', query({ terms: words('sunnydale'), excluded: ['buffy'] }), '"sunnydale" NOT "buffy"'],
		[
			'dawn -"left sunnydale"',
			query({ terms: words('dawn'), excluded: ['left sunnydale'] }),
			'"dawn" NOT "left sunnydale"',
		],
		['author:Rebcake spike', query({ terms: words('spike'), author: 'Rebcake' }), '"spike"'],
		['author:"Jane Doe"', query({ author: 'Jane Doe' }), null],
		['title:gift title:"the end"', query({ titleWords: ['gift', 'the end'] }), null],
		['character:dawn character:Willow', query({ characters: ['dawn', 'Willow'] }), null],
		['rating:teen', query({ rating: { op: '=', rating: 'Teen' } }), null],
		['rating:<=teen', query({ rating: { op: '<=', rating: 'Teen' } }), null],
		['rating:>=mature', query({ rating: { op: '>=', rating: 'Mature' } }), null],
		['rating:<mature', query({ rating: { op: '<', rating: 'Mature' } }), null],
		['rating:>general', query({ rating: { op: '>', rating: 'General' } }), null],
		['RATING:=NC-17', query({ rating: { op: '=', rating: 'Explicit' } }), null],
		['rating:pg13', query({ rating: { op: '=', rating: 'Teen' } }), null],
		['rating:"not rated"', query({ rating: { op: '=', rating: 'Not Rated' } }), null],
		['rating:unrated', query({ rating: { op: '=', rating: 'Not Rated' } }), null],
		["don't x-men", query({ terms: words("don't", 'x-men') }), '"don\'t" AND "x-men"'],
		['10:30 foo:bar', query({ terms: words('10:30', 'foo:bar') }), '"10:30" AND "foo:bar"'],
		['café', query({ terms: words('café') }), '"café"'],
		['spike spike SPIKE', query({ terms: words('spike') }), '"spike"'],
		[
			'author:"Jane Doe" title:crypt character:spike rating:<=mature "lit a" cig* -buffy -"at dawn"',
			query({
				terms: [{ text: 'cig', prefix: true }],
				phrases: ['lit a'],
				excluded: ['buffy', 'at dawn'],
				author: 'Jane Doe',
				titleWords: ['crypt'],
				characters: ['spike'],
				rating: { op: '<=', rating: 'Mature' },
			}),
			'"cig" * AND "lit a" NOT "buffy" NOT "at dawn"',
		],
	];

	it.each(cases)('%j', (input, expected, match) => {
		const parsed = parseQuery(input);
		expect(parsed).toEqual(expected);
		expect(toFtsMatch(parsed)).toBe(match);
		if (match !== null) expect(() => rowsMatching(match)).not.toThrow();
	});

	it('turns rating filters into the ratings they allow', () => {
		const allowed = (input: string) => {
			const { rating } = parseQuery(input);
			return rating ? ratingsAllowed(rating) : null;
		};
		expect(allowed('rating:<=teen')).toEqual(['General', 'Teen']);
		expect(allowed('rating:teen')).toEqual(['Teen']);
		expect(allowed('rating:>=mature')).toEqual(['Mature', 'Explicit']);
		expect(allowed('rating:<mature')).toEqual(['General', 'Teen']);
		expect(allowed('rating:>general')).toEqual(['Teen', 'Mature', 'Explicit']);
		expect(allowed('rating:nr')).toEqual(['Not Rated']);
		expect(ratingsAllowed({ op: '<=', rating: 'Not Rated' })).toEqual([]);
		expect(ratingsAllowed({ op: '>', rating: 'Explicit' })).toEqual([]);
	});

	it('lists the words to look for, lower-cased, terms then phrase words', () => {
		expect(queryWords(parseQuery('Spike spik* "As Far as I could" -buffy author:Jane'))).toEqual([
			'spike',
			'spik',
			'as',
			'far',
			'i',
			'could',
		]);
		expect(queryWords(parseQuery('-buffy'))).toEqual([]);
	});

	it('notes a second author or rating, keeping the last', () => {
		const parsed = parseQuery('author:a author:b rating:teen rating:mature x');
		expect(parsed.author).toBe('b');
		expect(parsed.rating).toEqual({ op: '=', rating: 'Mature' });
		expect(parsed.notes).toEqual([
			'Only one author filter is used; kept the last, “b”.',
			'Only one rating filter is used; kept the last, “rating:mature”.',
		]);
	});
});

describe('parseQuery on nasty queries', () => {
	const NOTHING = /^Nothing to search for/;
	const SYMBOLS = /search needs letters or digits/;
	const PREFIX = /put \* after at least 2 letters/;
	const OPERATORS = /searched as ordinary words/;
	const ONLY_EXCLUDED = /^Say what to look for, not only what to leave out\.$/;
	const CUT = new RegExp(`over ${MAX_QUERY_LENGTH} characters`);
	/** Input, the FTS expression it should give, and notes that must be among its notes. */
	const cases: [string, string | null, RegExp[]][] = [
		['', null, [NOTHING]],
		['   \t\n ', null, [NOTHING]],
		['"', null, [/empty or unmatched quote/, NOTHING]],
		['""', null, [/empty or unmatched quote/, NOTHING]],
		['"unclosed phrase', '"unclosed phrase"', [/missing closing quote/]],
		['spike "unclosed', '"spike" AND "unclosed"', [/missing closing quote/]],
		['*', null, [PREFIX, NOTHING]],
		['a*', null, [PREFIX, NOTHING]],
		['spike a*', '"spike"', [/“a\*”/]],
		['AND', '"AND"', [OPERATORS]],
		['OR NOT NEAR', '"OR" AND "NOT" AND "NEAR"', [OPERATORS]],
		['NEAR(spike buffy)', '"NEAR" AND "spike" AND "buffy"', [OPERATORS]],
		['spike OR', '"spike" AND "OR"', [OPERATORS]],
		['spike NOT buffy', '"spike" AND "NOT" AND "buffy"', [OPERATORS]],
		['(((', null, [NOTHING]],
		[')spike(', '"spike"', []],
		['{spike}', '"spike"', []],
		['^spike', '"spike"', []],
		['+spike +crypt', '"spike" AND "crypt"', []],
		['-', null, [/“-”/, SYMBOLS, NOTHING]],
		['--spike', null, [ONLY_EXCLUDED]],
		['-spike', null, [ONLY_EXCLUDED]],
		['-spike -"a phrase"', null, [ONLY_EXCLUDED]],
		['😀🔥', null, [/“😀🔥”/, SYMBOLS, NOTHING]],
		['spike 😀', '"spike"', [SYMBOLS]],
		['"😀"', null, [SYMBOLS, NOTHING]],
		['\u0000\u0007', null, [NOTHING]],
		['spi\u0000ke', '"spi" AND "ke"', []],
		[':', null, [SYMBOLS, NOTHING]],
		['author:', null, [/^author: needs a value/, NOTHING]],
		['author:"" x', '"x"', [/^author: needs a value/]],
		['rating:', null, [/^rating: needs a value/, NOTHING]],
		['rating:banana', null, [/^Unknown rating “banana”/, NOTHING]],
		['rating:<=nr x', '"x"', [/Not Rated has no place on the scale/]],
		['rating:<general x', '"x"', [/no rating fits it/]],
		['title:"', null, [/^title: needs a value/, NOTHING]],
		['-author:jane x', '"x"', [/only words can be left out/]],
		['-spik* x', '"x"', [/only whole words can be left out/]],
		['spike -spike', '"spike" NOT "spike"', [/both wanted and left out/]],
		// A pasted line: a dash before a word the line holds anyway is its punctuation, not an exclusion.
		['relevance with oil (-he he, right) well', '"relevance" AND "with" AND "oil" AND "he" AND "right" AND "well"', []],
		['oil (-he he, right)', '"oil" AND "he" AND "right" NOT "he"', [/both wanted and left out/]],
		['col:text', '"col:text"', []],
		['pages_fts:spike', '"pages_fts:spike"', []],
		['"sp""ike"', '"sp" AND "ike"', []],
		["'; DROP TABLE pages; --", '"DROP" AND "TABLE" AND "pages"', [/“';”, “--”/, SYMBOLS]],
		['a" OR 1=1 --', '"a" AND "OR 1=1"', [/missing closing quote/]],
		['a '.repeat(1000), '"a"', [CUT]],
		['x'.repeat(2000), `"${'x'.repeat(MAX_QUERY_LENGTH)}"`, [CUT]],
		['😀'.repeat(400), null, [CUT, SYMBOLS]],
	];

	it.each(cases)('%j', (input, match, notes) => {
		const parsed = parseQuery(input);
		const expression = toFtsMatch(parsed);
		expect(expression).toBe(match);
		if (expression !== null) expect(() => rowsMatching(expression)).not.toThrow();
		for (const note of notes) expect(parsed.notes).toContainEqual(expect.stringMatching(note));
	});

	it('reads a dash inside a pasted line as punctuation, and says so of nothing', () => {
		const parsed = parseQuery("due to it's political relevance with oil (-he he, right) ...Well, this is");
		expect(parsed.excluded).toEqual([]);
		expect(parsed.notes).toEqual([]);
		expect(parsed.terms.map((t) => t.text)).toContain('he');
	});

	it('has no notes for a clean query', () => {
		expect(parseQuery('spike "as far" -buffy author:x title:y character:z rating:<=teen').notes).toEqual([]);
	});

	it('cuts long input at a word boundary', () => {
		const parsed = parseQuery(`${'spike '.repeat(90)}tail`);
		expect(parsed.terms).toEqual(words('spike'));
		expect(parsed.notes).toEqual(['Your search was over 500 characters, so only the first 497 were used.']);
		const long = parseQuery(`${'w'.repeat(498)} abcdef`);
		expect(long.terms).toEqual(words('w'.repeat(498)));
	});

	it('never splits a surrogate pair when cutting one huge word', () => {
		const parsed = parseQuery(`x${'é😀'.repeat(400)}`);
		expect(parsed.terms).toHaveLength(1);
		expect(parsed.terms[0]?.text).not.toMatch(/[\uD800-\uDBFF]$/);
		expect(() => rowsMatching(toFtsMatch(parsed) ?? '')).not.toThrow();
	});

	it('keeps the NOT chain under FTS5’s expression depth limit', () => {
		const letters = 'abcdefghijklmnopqrstuvwxyz';
		const many = Array.from({ length: 125 }, (_, i) => `-${letters[i % 26]}${letters[Math.floor(i / 26)]}`);
		const parsed = parseQuery(`spike ${many.join(' ')}`);
		expect(parsed.excluded).toHaveLength(100);
		expect(parsed.notes).toContain('Only the first 100 left-out words were used.');
		expect(() => rowsMatching(toFtsMatch(parsed) ?? '')).not.toThrow();
		const handBuilt = query({ terms: words('spike'), excluded: Array.from({ length: 300 }, (_, i) => `w${i}`) });
		expect(rowsMatching(toFtsMatch(handBuilt) ?? '')).toEqual([1]);
	});

	it('quotes hand-built queries safely too', () => {
		const handBuilt = query({
			terms: [
				{ text: 'say "hi" NOT', prefix: false },
				{ text: '', prefix: true },
			],
			phrases: ['"', 'a\u0000b'],
			excluded: ['x" OR "y', '😀'],
		});
		const expression = toFtsMatch(handBuilt);
		expect(expression).toBe('"say ""hi"" NOT" AND "a b" NOT "x"" OR ""y"');
		expect(() => rowsMatching(expression ?? '')).not.toThrow();
		expect(toFtsMatch(query({ phrases: ['😀'], excluded: ['spike'] }))).toBeNull();
	});
});

describe('search semantics on a real FTS5 table', () => {
	it.each([
		['spike crypt', [1]],
		['SPIKE Crypt', [1]],
		['"as far as I could go"', [3]],
		['"as far as I could"', [3]],
		['"could go as far"', []],
		['spik*', [1]],
		['cig*', [1]],
		['sunnydale -buffy', []],
		['dawn -buffy', [4]],
		['dawn -"left sunnydale"', [4]],
		['dawn', [2, 4]],
		['cigarettes', [1]],
		['leaving', []],
		['AND', [4, 5]],
		['and or not', []],
		["don't", [4]],
		['x-men', [4]],
		['10:30', [4]],
		['cafe', [5]],
		['CAFÉ', [5]],
		['Bronze;', [5]],
		['"Willow and Tara"', [5]],
		['"Willow Tara"', []],
		['spike "unclosed', []],
		['"in the', [1, 5]],
	])('%j finds rows %j', (input, rows) => {
		expect(search(input)).toEqual(rows);
	});

	it('has nothing to run for queries of only exclusions or nothing', () => {
		for (const input of ['-buffy', '', '😀', '"', 'author:x']) expect(search(input)).toBeNull();
	});
});

describe('parseQuery and toFtsMatch on generated input', () => {
	const check = (input: string) => {
		const parsed = parseQuery(input);
		expect(Array.isArray(parsed.notes)).toBe(true);
		queryWords(parsed);
		if (parsed.rating) ratingsAllowed(parsed.rating);
		const expression = toFtsMatch(parsed);
		if (expression === null) return;
		expect(expression).toMatch(FTS_SHAPE);
		expect(() => rowsMatching(expression)).not.toThrow();
	};

	it('never throws and never makes FTS5 throw, for any string', () => {
		fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 600 }), check), { numRuns: 500 });
	});

	it('never throws and never makes FTS5 throw, for strings of FTS-hostile pieces', () => {
		const hostile = fc.constantFrom(
			...'"*-():^{}+ ANDORNOTNEARabcxyz',
			'AND',
			'OR',
			'NOT',
			'NEAR',
			'NEAR(',
			' ',
			'“',
			'”',
			"'",
			'<',
			'>',
			'=',
			',',
			'\u0000',
			'\n',
			'😀',
			'é',
			'author:',
			'title:',
			'character:',
			'rating:',
			'rating:<=',
			'teen',
			'nr',
			'pages_fts:',
		);
		fc.assert(
			fc.property(fc.string({ unit: hostile, maxLength: 600 }), (input) => {
				check(input);
				const parsed = parseQuery(input);
				if (input.replace(/\p{Cc}/gu, ' ').trim().length > MAX_QUERY_LENGTH)
					expect(parsed.notes.join(' ')).toMatch(/over 500 characters/);
			}),
			{ numRuns: 1000 },
		);
	});
});
