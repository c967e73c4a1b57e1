import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	BROWSE_KINDS,
	type BrowseRoute,
	browseIdFits,
	decodeBrowse,
	encodeBrowse,
	MAX_CUSTOM_ID,
} from '../../src/discord/custom-id.js';

const snowflake = fc.bigInt({ min: 10n ** 16n, max: 2n ** 64n - 1n }).map(String);
const facet = fc.constantFrom(...BROWSE_KINDS);
const offset = fc.integer({ min: 0, max: 999_999 });

describe('/browse custom ids', () => {
	it('round-trip every route within 100 characters, keys and typed text with colons whole', () => {
		const route: fc.Arbitrary<BrowseRoute> = fc.oneof(
			fc.record({ kind: fc.constant('values' as const), facet, offset, owner: snowflake, typed: fc.string() }),
			fc.record({
				kind: fc.constant('stories' as const),
				facet,
				offset,
				owner: snowflake,
				key: fc.string({ minLength: 1 }),
			}),
			fc.record({ kind: fc.constant('pick' as const), facet, owner: snowflake }),
			fc.constant({ kind: 'open' as const }),
		);
		fc.assert(
			fc.property(route, (r) => {
				const text = r.kind === 'values' ? r.typed : r.kind === 'stories' ? r.key : '';
				fc.pre(r.kind === 'pick' || r.kind === 'open' || browseIdFits(r.owner, r.offset, text));
				const id = encodeBrowse(r);
				expect(id.length).toBeLessThanOrEqual(MAX_CUSTOM_ID);
				expect(decodeBrowse(id)).toEqual(r);
			}),
		);
		expect(
			decodeBrowse(
				encodeBrowse({ kind: 'stories', facet: 'relationship', offset: 5, owner: '123456789012345678', key: 'a:b/c' }),
			),
		).toMatchObject({ key: 'a:b/c' });
	});

	it('refuses what it did not make, and an id that would not fit', () => {
		for (const bad of [
			'browse:1:v:x:0:123456789012345678:',
			'browse:1:s:f:0:123456789012345678:',
			'browse:1:s:f:-1:123456789012345678:buffy',
			'browse:1:s:f:0:12:buffy',
			'browse:2:s:f:0:123456789012345678:buffy',
			'browse:1:p:f',
			'browse:1:p:f:123456789012345678:extra',
			'browse:1:o:5',
			'browse:1:q:f:0:123456789012345678:buffy',
			`browse:1:s:f:0:123456789012345678:${'k'.repeat(70)}`,
		]) {
			expect(decodeBrowse(bad), bad).toBeNull();
		}
		expect(() =>
			encodeBrowse({ kind: 'stories', facet: 'tag', offset: 0, owner: '123456789012345678', key: 'k'.repeat(80) }),
		).toThrow(RangeError);
	});
});
