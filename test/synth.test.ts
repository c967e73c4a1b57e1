import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateArchive, synthStories, wrapText } from '../bench/synth.js';
import { facetKey, storyFacets } from '../src/archive/facets.js';
import { parsePlainText } from '../src/archive/parse/plain-text.js';

const SIZE = 200 * 1024;

function collect(seed: number, bytes = SIZE) {
	return [...synthStories({ bytes, seed })];
}

/** The top of a story, where every header style puts its title and author lines. */
function headerOf(text: string): string {
	return text.split('\n').slice(0, 3).join('\n');
}

describe('synthStories', () => {
	const stories = collect(42);

	it('gives the same stories for the same seed, byte for byte', () => {
		expect(collect(42)).toEqual(stories);
	});

	it('gives different stories for a different seed', () => {
		const other = collect(43);
		expect(other.map((s) => s.text).join('')).not.toBe(stories.map((s) => s.text).join(''));
	});

	it('names files story-00001.txt, story-00002.txt, ...', () => {
		expect(stories.length).toBeGreaterThan(3);
		stories.forEach((s, i) => {
			expect(s.name).toBe(`story-${String(i + 1).padStart(5, '0')}.txt`);
		});
	});

	it('comes within 10% of the requested size', () => {
		for (const [seed, bytes] of [
			[42, SIZE],
			[7, 50 * 1024],
			[8, 1024 * 1024],
		] as const) {
			const total = collect(seed, bytes).reduce((sum, s) => sum + Buffer.byteLength(s.text), 0);
			expect(Math.abs(total - bytes) / bytes).toBeLessThan(0.1);
		}
	});

	it('puts Buffy and Spike in most stories', () => {
		const both = stories.filter((s) => /\bBuffy\b/.test(s.text) && /\bSpike\b/.test(s.text));
		expect(both.length / stories.length).toBeGreaterThan(0.9);
	});

	it('starts every story with a header that has a Title or By line', () => {
		for (const s of stories) {
			expect(headerOf(s.text)).toMatch(/^(?:title\s*[:–-]\s*\S|by \S)/im);
		}
	});

	it('writes attributed dialogue and paragraphs separated by blank lines', () => {
		const text = stories.map((s) => s.text).join('\n');
		expect(text).toMatch(/["“][^"“”\n]+[,?!]["”] (?:Buffy|Spike) (?:said|whispered|asked|snapped|murmured)/);
		expect(text).toMatch(/\b(?:Buffy|Spike) (?:said|whispered|asked|snapped|murmured), ["“]/);
		for (const s of stories) expect(s.text.split(/\n[ \t]*\n/).length).toBeGreaterThan(3);
	});

	it('recurs authors across stories', () => {
		const authors = collect(5, 2 * 1024 * 1024)
			.map((s) => /^(?:author\s*[:–-]\s*|by )(.+)$/im.exec(s.text)?.[1])
			.filter((a): a is string => a !== undefined);
		expect(authors.length).toBeGreaterThan(50);
		expect(new Set(authors).size).toBeLessThan(authors.length);
	});

	it('starts a bigger archive with the same stories as a smaller one', () => {
		const bigger = collect(42, 4 * SIZE);
		// All but the last story or two, which are cut to fit.
		const kept = stories.slice(0, -2);
		expect(kept.length).toBeGreaterThan(0);
		expect(bigger.slice(0, kept.length)).toEqual(kept);
	});

	it('gives an empty archive for zero bytes', () => {
		expect(collect(1, 0)).toEqual([]);
	});
});

describe('synthetic tags', () => {
	const stories = collect(11, 6 * 1024 * 1024);
	/** The value of a header line "Label: value" (any case, any of the generator's separators), or undefined. */
	const line = (text: string, label: string) =>
		new RegExp(`^${label}\\s*(?::|–|-|—|::)\\s*(.+)$`, 'im').exec(text.slice(0, 3000))?.[1];
	const parsed = stories.map((s) => ({ text: s.text, meta: parsePlainText(s.text, s.name).meta }));

	it('reads every story’s fandoms, tags, warnings and status from its header, as the plain-text reader sees them', () => {
		for (const { text, meta } of parsed) {
			const keys = (kind: string) =>
				storyFacets(meta)
					.filter((f) => f.kind === kind)
					.map((f) => f.key);
			const written = (label: string, kind: 'fandom' | 'tag' | 'warning') =>
				(line(text, label) ?? '')
					.split(', ')
					.filter(Boolean)
					.map((v) => facetKey(kind, v));
			const fandoms = written('fandom', 'fandom');
			expect(fandoms.length).toBeGreaterThan(0);
			expect(keys('fandom')).toEqual(fandoms);
			expect(keys('tag')).toEqual(written('tags', 'tag'));
			expect(keys('warning')).toEqual(written('warnings', 'warning'));
			const status = line(text, 'status');
			expect(meta.complete ?? null).toBe(status === undefined ? null : status.toLowerCase() === 'complete');
		}
	});

	it('skews them as an archive does: one big fandom, a few common tags and many rare, most stories warning-free', () => {
		const share = (kind: string, key: string) =>
			parsed.filter(({ meta }) => storyFacets(meta).some((f) => f.kind === kind && f.key === key)).length /
			parsed.length;
		const counts = (kind: string) => {
			const n = new Map<string, number>();
			for (const { meta } of parsed) {
				for (const f of storyFacets(meta)) if (f.kind === kind) n.set(f.key, (n.get(f.key) ?? 0) + 1);
			}
			return [...n.values()].sort((a, b) => b - a).map((c) => c / parsed.length);
		};
		expect(parsed.length).toBeGreaterThan(300);
		const fandoms = counts('fandom');
		expect(fandoms[0]).toBeGreaterThan(0.25);
		expect(fandoms[0]).toBeLessThan(0.45);
		expect(fandoms.length).toBeGreaterThan(20);
		const tags = counts('tag');
		expect(tags[0]).toBeGreaterThan(0.12);
		expect(tags[0]).toBeLessThan(0.35);
		expect(tags.filter((c) => c < 0.02).length).toBeGreaterThan(tags.length / 2);
		expect(share('warning', 'no archive warnings apply')).toBeGreaterThan(0.45);
		expect(counts('warning').length).toBeGreaterThanOrEqual(4);
	});
});

describe('generateArchive', () => {
	it('writes the same stories to disk and returns the counts', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'synth-'));
		try {
			const target = join(dir, 'archive');
			const result = await generateArchive(target, { bytes: 100 * 1024, seed: 3 });
			const expected = [...synthStories({ bytes: 100 * 1024, seed: 3 })];
			const files = (await readdir(target)).sort();
			expect(files).toEqual(expected.map((s) => s.name));
			expect(result.files).toBe(expected.length);
			let bytes = 0;
			for (const s of expected) {
				const text = await readFile(join(target, s.name), 'utf8');
				expect(text).toBe(s.text);
				bytes += Buffer.byteLength(text);
			}
			expect(result.bytes).toBe(bytes);
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
	});
});

describe('hard wrapping', () => {
	it('breaks only between words: the lines joined by spaces give back the text, each as short as its words allow', () => {
		const word = fc.stringMatching(/^[a-z]{1,12}$/);
		fc.assert(
			fc.property(
				fc.array(word, { minLength: 1, maxLength: 60 }),
				fc.integer({ min: 20, max: 80 }),
				fc.constantFrom('', '  ', '    ', '\t'),
				(words, width, indent) => {
					const text = words.join(' ');
					const lines = wrapText(text, width, indent).split('\n');
					expect(lines.join(' ')).toBe(indent + text);
					for (const line of lines) if (line.includes(' ', 1)) expect(line.length).toBeLessThanOrEqual(width);
				},
			),
		);
		// The case that glued words: a wrapped line whose first word is shorter than the indent.
		expect(wrapText('aaaa bbbb two options', 10, '    ')).toBe('    aaaa\nbbbb two\noptions');
	});
});
