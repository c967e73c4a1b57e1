import { describe, expect, it } from 'vitest';
import { parseQuery, toFtsMatch } from '../../../src/archive/search/query.js';

/** The filter parts of a parsed query, and its words. */
const filters = (input: string) => {
	const q = parseQuery(input);
	return {
		tags: q.tags,
		words: q.words,
		chapters: q.chapters,
		complete: q.complete,
		terms: q.terms.map((t) => t.text),
		notes: q.notes,
	};
};

describe('the tag, length and completion filters in the query language', () => {
	it('reads each tag filter, quoted values with spaces whole, ship: and relationship: as one', () => {
		expect(filters('fandom:buffy ship:spike/buffy relationship:"Willow Rosenberg/Tara Maclay" tag:angst').tags).toEqual(
			[
				{ kind: 'fandom', value: 'buffy', negated: false },
				{ kind: 'relationship', value: 'spike/buffy', negated: false },
				{ kind: 'relationship', value: 'Willow Rosenberg/Tara Maclay', negated: false },
				{ kind: 'tag', value: 'angst', negated: false },
			],
		);
		expect(filters('warning:"Major  Character Death" -warning:"graphic depictions of violence" crypt')).toEqual({
			tags: [
				{ kind: 'warning', value: 'Major Character Death', negated: false },
				{ kind: 'warning', value: 'graphic depictions of violence', negated: true },
			],
			words: undefined,
			chapters: undefined,
			complete: undefined,
			terms: ['crypt'],
			notes: [],
		});
		expect(filters('FANDOM:"Buffy the Vampire Slayer (TV)"').tags).toEqual([
			{ kind: 'fandom', value: 'Buffy the Vampire Slayer (TV)', negated: false },
		]);
		// A value repeated is one filter; an unclosed quote runs to the end and says so.
		expect(filters('tag:angst tag:Angst').tags).toHaveLength(1);
		const open = filters('tag:"slow burn');
		expect(open.tags).toEqual([{ kind: 'tag', value: 'slow burn', negated: false }]);
		expect(open.notes).toContain('Added the missing closing quote.');
	});

	it('reads words: and chapters: comparisons, with k, commas and ≤', () => {
		expect(filters('words:>10000 words:<=2.5k chapters:1 chapters:≥3').words).toEqual([
			{ op: '>', value: 10000 },
			{ op: '<=', value: 2500 },
		]);
		expect(filters('chapters:1 chapters:≥3').chapters).toEqual([
			{ op: '=', value: 1 },
			{ op: '>=', value: 3 },
		]);
		expect(filters('words:"<1,500"').words).toEqual([{ op: '<', value: 1500 }]);
		const bad = filters('words:lots chapters:>');
		expect(bad.words).toBeUndefined();
		expect(bad.chapters).toBeUndefined();
		expect(bad.notes).toEqual([
			'words: needs a number, like words:>10000 or words:<=5k; ignored “words:lots”.',
			'chapters: needs a number, like chapters:1 or chapters:>=3; ignored “chapters:>”.',
			'Nothing to search for: type some words.',
		]);
	});

	it('reads complete: as yes or no, and says what it did not understand', () => {
		expect(filters('complete:yes').complete).toBe(true);
		expect(filters('complete:WIP').complete).toBe(false);
		expect(filters('complete:no complete:yes')).toMatchObject({
			complete: true,
			notes: ['Only one complete: filter is used; kept the last, “complete:yes”.'],
		});
		expect(filters('complete:maybe').notes[0]).toBe('complete: takes yes or no; ignored “complete:maybe”.');
	});

	it('lets tag filters be left out, not the others, and names a filter that asks for and leaves out one tag', () => {
		expect(filters('-complete:yes spike').notes[0]).toBe(
			'Ignored “-complete:yes”: only words can be left out (and fandom:, ship:, tag:, warning: filters), not complete: filters.',
		);
		expect(filters('-character:dawn spike').notes[0]).toMatch(/^Ignored “-character:dawn”/);
		expect(filters('tag:angst -tag:angst').notes).toEqual([
			'“-tag:angst” both asks for and leaves out a tag: nothing can match.',
		]);
		expect(filters('fandom: spike').notes[0]).toBe('fandom: needs a value, like fandom:"Buffy the Vampire Slayer".');
	});

	it('keeps filters out of the words to match: filters alone have nothing for FTS5', () => {
		expect(toFtsMatch(parseQuery('fandom:buffy words:>1000 complete:yes'))).toBeNull();
		expect(parseQuery('fandom:buffy').notes).toEqual([]);
		expect(toFtsMatch(parseQuery('ship:spike/buffy crypt'))).toBe('"crypt"');
		// Words that only look like filters stay words.
		expect(filters('fandoms:buffy shipping').terms).toEqual(['fandoms:buffy', 'shipping']);
	});
});
