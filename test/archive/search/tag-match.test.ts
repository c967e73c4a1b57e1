import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { facetKey } from '../../../src/archive/facets.js';
import { parseQuery } from '../../../src/archive/search/query.js';
import { matchTag, tagConditions } from '../../../src/archive/search/tags.js';
import { CHARACTERS, closeTagged, FANDOMS, openTagged, type TaggedArchive } from '../tagged-archive.js';

let archive: TaggedArchive;
beforeAll(async () => {
	archive = await openTagged(60, 11);
});
afterAll(() => closeTagged(archive));

/** How many generated stories carry a tag. */
const carried = (
	list: (s: TaggedArchive['stories'][number]) => string[],
	kind: Parameters<typeof facetKey>[0],
	key: string,
) => archive.stories.filter((s) => list(s).some((v) => facetKey(kind, v) === key)).length;

describe('typed tag values matched to the archive’s tags', () => {
	it('finds a tag in any spelling, and a relationship in either order', () => {
		expect(matchTag(archive.store, 'fandom', 'buffy THE vampire-slayer')).toEqual({
			keys: [facetKey('fandom', 'Buffy the Vampire Slayer')],
		});
		expect(matchTag(archive.store, 'relationship', 'spike / buffy summers')).toEqual({
			keys: [facetKey('relationship', 'Buffy Summers/Spike')],
		});
	});

	it('takes a word for every tag holding it, most used first, and says which', () => {
		const summers = matchTag(archive.store, 'character', 'summers');
		const expected = CHARACTERS.filter((c) => c.includes('Summers'))
			.map((c) => facetKey('character', c))
			.sort(
				(a, b) =>
					carried((s) => s.characters, 'character', b) - carried((s) => s.characters, 'character', a) ||
					(a < b ? -1 : 1),
			);
		expect(summers.keys).toEqual(expected);
		expect(summers.note).toMatch(
			/^“summers” is in 2 characters, any of them: “(Buffy|Dawn) Summers”, “(Buffy|Dawn) Summers”\.$/,
		);
		// "/" asks for romantic relationships: the friendship of Buffy and Faith is not one.
		expect(matchTag(archive.store, 'relationship', 'buffy/faith').keys).toEqual([]);
		expect(matchTag(archive.store, 'relationship', 'buffy & faith').keys).toEqual([
			facetKey('relationship', 'Buffy Summers & Faith Lehane'),
		]);
		// Whole words before starts of words: "angel" is Angel: the Series, not every word starting with it.
		expect(matchTag(archive.store, 'fandom', 'angel').keys).toEqual([facetKey('fandom', 'Angel: the Series')]);
		expect(matchTag(archive.store, 'fandom', 'fire').keys).toEqual([facetKey('fandom', 'Firefly')]);
	});

	it('corrects a typo to the most used tag it is close to, and says so', () => {
		expect(matchTag(archive.store, 'fandom', 'Bufy the Vampire Slayr')).toEqual({
			keys: [facetKey('fandom', 'Buffy the Vampire Slayer')],
			note: 'No fandom “Bufy the Vampire Slayr”; showing fandom “Buffy the Vampire Slayer”.',
		});
		expect(matchTag(archive.store, 'tag', 'angts').keys).toEqual([facetKey('tag', 'Angst')]);
		// Not for short words, and not for character: (a name in the text counts as well).
		expect(matchTag(archive.store, 'fandom', 'who').keys).toEqual([facetKey('fandom', 'Doctor Who (2005)')]);
		expect(matchTag(archive.store, 'fandom', 'wha').keys).toEqual([]);
		expect(matchTag(archive.store, 'character', 'Spkie', false).keys).toEqual([]);
		expect(matchTag(archive.store, 'fandom', 'Stargate Atlantis').keys).toEqual([]);
	});

	it('turns a query’s filters into conditions, naming a tag no story has', () => {
		expect(FANDOMS).toContain('Firefly');
		const found = tagConditions(
			archive.store,
			parseQuery('fandom:firefly -warning:"major character death" words:>1000 complete:no tag:zeppelins'),
		);
		expect(found?.conditions).toEqual({
			facets: [
				{ kind: 'fandom', keys: ['firefly'] },
				{ kind: 'tag', keys: [] },
			],
			without: [{ kind: 'warning', keys: ['major character death'] }],
			words: [{ op: '>', value: 1000 }],
			complete: false,
		});
		expect(found?.notes).toEqual(['No story has the tag “zeppelins”.']);
		expect(tagConditions(archive.store, parseQuery('spike author:x'))).toBeNull();
		// A character: filter stands for tagged characters too, where there are.
		expect(tagConditions(archive.store, parseQuery('character:spike'))?.characterKeys).toEqual([['spike']]);
		expect(tagConditions(archive.store, parseQuery('character:xander'))).toBeNull();
	});
});
