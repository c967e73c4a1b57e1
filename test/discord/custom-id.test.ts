import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	decodeBoard,
	decodeClub,
	decodeLocation,
	decodeQuote,
	decodeRead,
	decodeSearch,
	decodeStory,
	encodeBoard,
	encodeClub,
	encodeLocation,
	encodeQuote,
	encodeRead,
	encodeSearch,
	encodeStory,
	MAX_CUSTOM_ID,
	NAV_KINDS,
	type ReadRoute,
	searchIdFits,
} from '../../src/discord/custom-id.js';

const storyId = fc.integer({ min: 1, max: 2_000_000_000 });
const page = fc.integer({ min: 1, max: 65_535 });
const snowflake = fc.bigInt({ min: 10n ** 16n, max: 2n ** 64n - 1n }).map(String);

/** The reader's mode and the page a control was made on (absent: an id from before the shared book). */
const readerState = { storyId, owner: snowflake, shared: fc.boolean(), from: page };
const readerKeys = { requiredKeys: ['storyId', 'owner', 'shared'] as ('storyId' | 'owner' | 'shared')[] };

const readRoute: fc.Arbitrary<ReadRoute> = fc.oneof(
	fc.record(
		{ kind: fc.constantFrom(...NAV_KINDS), page, ...readerState },
		{ requiredKeys: ['kind', 'page', ...readerKeys.requiredKeys] },
	),
	fc.record(
		{ kind: fc.constant('modal' as const), ...readerState },
		{ requiredKeys: ['kind', ...readerKeys.requiredKeys] },
	),
	fc.record(
		{ kind: fc.constant('chapter' as const), ...readerState },
		{ requiredKeys: ['kind', ...readerKeys.requiredKeys] },
	),
	fc.record({ kind: fc.constant('together' as const), storyId, page, owner: snowflake, shared: fc.boolean() }),
	fc.record({
		kind: fc.constant('open' as const),
		storyId,
		page,
		visibility: fc.constantFrom(...(['ephemeral', 'public', 'shared', 'thread'] as const)),
	}),
	fc.record({ kind: fc.constant('bookmark' as const), storyId, page }),
	fc.constant({ kind: 'select' as const }),
);

describe('custom ids', () => {
	it('round-trip every reader route within 100 characters', () => {
		fc.assert(
			fc.property(readRoute, (route) => {
				const id = encodeRead(route);
				expect(id.length).toBeLessThanOrEqual(MAX_CUSTOM_ID);
				expect(decodeRead(id)).toEqual(route);
			}),
		);
	});

	it('decode reader ids made before the shared book as the owner’s alone, with no page of origin', () => {
		const owner = '123456789012345678';
		expect(decodeRead(`read:1:n:3:2:${owner}`)).toEqual({ kind: 'next', storyId: 3, page: 2, owner, shared: false });
		expect(decodeRead(`read:1:m:3:${owner}`)).toEqual({ kind: 'modal', storyId: 3, owner, shared: false });
		expect(decodeRead(`read:1:c:3:${owner}`)).toEqual({ kind: 'chapter', storyId: 3, owner, shared: false });
		// The longest reader id: every number at its widest.
		const widest = encodeRead({
			kind: 'next',
			storyId: 2e9,
			page: 65_535,
			owner: '9'.repeat(20),
			shared: true,
			from: 65_535,
		});
		expect(widest.length).toBeLessThanOrEqual(MAX_CUSTOM_ID);
		expect(encodeRead({ kind: 'next', storyId: 3, page: 3, owner, shared: true, from: 2 })).toBe(
			`read:1:n:3:3:${owner}:2:s`,
		);
	});

	it('round-trip story, quote and search routes', () => {
		fc.assert(
			fc.property(storyId, fc.constantFrom('quote' as const, 'share' as const), (id, kind) => {
				expect(decodeStory(encodeStory({ kind, storyId: id }))).toEqual({ kind, storyId: id });
			}),
		);
		fc.assert(
			fc.property(
				fc.option(storyId, { nil: null }),
				fc.option(fc.string({ minLength: 1, maxLength: 40 }), { nil: null }),
				snowflake,
				(id, character, owner) => {
					const route = { kind: 'another' as const, storyId: id, character, owner };
					const encoded = encodeQuote(route);
					expect(encoded.length).toBeLessThanOrEqual(MAX_CUSTOM_ID);
					expect(decodeQuote(encoded)).toEqual(route);
				},
			),
		);
		fc.assert(
			fc.property(
				fc.integer({ min: 0, max: 999_999 }),
				snowflake,
				fc.string({ minLength: 1 }),
				(offset, owner, query) => {
					fc.pre(searchIdFits(owner, offset, query));
					const route = { kind: 'page' as const, offset, owner, key: query };
					expect(decodeSearch(encodeSearch(route))).toEqual(route);
					// A query that fits the page buttons fits the menu of the results' stories.
					const story = { kind: 'story' as const, key: query };
					expect(decodeSearch(encodeSearch(story))).toEqual(story);
				},
			),
		);
		expect(decodeLocation(encodeLocation(12, 3))).toEqual({ storyId: 12, page: 3 });
	});

	it('round-trip the quote board and page-line routes', () => {
		fc.assert(
			fc.property(storyId, page, (id, p) => {
				expect(decodeQuote(encodeQuote({ kind: 'line', storyId: id, page: p }))).toEqual({
					kind: 'line',
					storyId: id,
					page: p,
				});
			}),
		);
		expect(decodeQuote(encodeQuote({ kind: 'pick' }))).toEqual({ kind: 'pick' });
		fc.assert(
			fc.property(storyId, (quoteId) => {
				expect(decodeQuote(encodeQuote({ kind: 'image', quoteId }))).toEqual({ kind: 'image', quoteId });
			}),
		);
		expect(decodeQuote('quote:1:i:0')).toBeNull();
		expect(decodeQuote('quote:1:i:3:4')).toBeNull();
		fc.assert(
			fc.property(
				fc.oneof(
					fc.record({ kind: fc.constant('save' as const), quoteId: storyId }),
					fc.record({
						kind: fc.constant('page' as const),
						sort: fc.constantFrom(...(['new', 'top'] as const)),
						index: fc.nat({ max: 999_999 }),
						owner: snowflake,
					}),
					fc.record({ kind: fc.constant('image' as const), entryId: fc.stringMatching(/^[0-9a-z]{1,12}$/) }),
					fc.record({
						kind: fc.constant('remove' as const),
						entryId: fc.stringMatching(/^[0-9a-z]{1,12}$/),
						sort: fc.constantFrom(...(['new', 'top'] as const)),
						index: fc.nat({ max: 999_999 }),
					}),
				),
				(route) => {
					const id = encodeBoard(route);
					expect(id.length).toBeLessThanOrEqual(MAX_CUSTOM_ID);
					expect(decodeBoard(id)).toEqual(route);
				},
			),
		);
		for (const bad of [
			'quotes:1:s:0',
			'quotes:1:p:x:1:123456789012345678',
			'quotes:1:r:AB:n:1',
			'quotes:2:s:5',
			'quotes:1:s:5:6',
			'quotes:1:i:AB',
			'quotes:1:i:ab:c',
		]) {
			expect(decodeBoard(bad), bad).toBeNull();
		}
	});

	it('round-trips a club’s Caught up button and rejects forged ones', () => {
		fc.assert(
			fc.property(
				fc.record({
					kind: fc.constant('caught-up' as const),
					channelId: snowflake,
					part: fc.integer({ min: 1, max: 99_999 }),
					storyId,
					lastPage: fc.integer({ min: 1, max: 65_535 }),
				}),
				(route) => {
					const id = encodeClub(route);
					expect(id.length).toBeLessThanOrEqual(MAX_CUSTOM_ID);
					expect(decodeClub(id)).toEqual(route);
				},
			),
		);
		for (const bad of [
			'club:1:u:123:1:2:3',
			'club:1:u:123456789012345678:0:2:3',
			'club:2:u:123456789012345678:1:2:3',
			'club:1:u:123456789012345678:1:2:3:4',
			'club:1:x:123456789012345678:1:2:3',
		]) {
			expect(decodeClub(bad), bad).toBeNull();
		}
	});

	it('keeps a search query with colons whole', () => {
		const route = { kind: 'page' as const, offset: 5, owner: '123456789012345678', key: 'author:slay rating:<=teen' };
		expect(decodeSearch(encodeSearch(route))).toEqual(route);
		const story = { kind: 'story' as const, key: 'author:slay rating:<=teen' };
		expect(encodeSearch(story)).toBe('search:1:s:author:slay rating:<=teen');
		expect(decodeSearch(encodeSearch(story))).toEqual(story);
	});

	it('refuses forged, truncated and old ids instead of guessing', () => {
		const good = encodeRead({ kind: 'next', storyId: 3, page: 2, owner: '123456789012345678', shared: false, from: 1 });
		for (const bad of [
			good.slice(0, -1),
			good.slice(0, -10),
			good.replace(':1:', ':0:'),
			good.replace('read:1:n', 'read:1:z'),
			'read:1:n:0:2:1234',
			'read:1:n:3:-2:1234',
			'read:1:n:3:2:not-a-user',
			'read:1:o:3:2:x',
			'read:1:x:extra',
			'read',
			'',
			`read:1:n:3:2:${'9'.repeat(200)}`,
			'read:1:n:3:2:123456789012345678:1:x',
			'read:1:n:3:2:123456789012345678:1',
			'read:1:n:3:2:123456789012345678:-1:s',
			'read:1:n:3:2:123456789012345678:1:s:extra',
			'read:1:t:3:2:123456789012345678',
			'read:1:t:3:2:123456789012345678:q',
			'read:1:m:3:123456789012345678:x:s',
		]) {
			expect(decodeRead(bad), bad).toBeNull();
		}
		expect(decodeStory('story:1:q:abc')).toBeNull();
		expect(decodeStory('story:2:q:3')).toBeNull();
		expect(decodeQuote('quote:1:a:3')).toBeNull();
		expect(decodeSearch('search:1:p:5:123')).toBeNull();
		expect(decodeSearch('search:1:s:')).toBeNull();
		expect(decodeSearch('search:2:s:spike')).toBeNull();
		expect(decodeSearch('search:1:x:spike')).toBeNull();
		expect(decodeLocation('3')).toBeNull();
		expect(decodeLocation('3:0')).toBeNull();
	});

	it('never throws on any string', () => {
		fc.assert(
			fc.property(fc.string({ maxLength: 120 }), (text) => {
				decodeRead(text);
				decodeStory(text);
				decodeQuote(text);
				decodeSearch(text);
				decodeLocation(text);
				decodeBoard(text);
			}),
		);
	});
});
