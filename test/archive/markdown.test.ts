import { describe, expect, it } from 'vitest';
import { escapeMarkdown } from '../../src/archive/markdown.js';

describe('escapeMarkdown', () => {
	it.each([
		['*italic* and **bold**', '\\*italic\\* and \\*\\*bold\\*\\*'],
		['_under_ ~~strike~~ ||spoiler|| `code`', '\\_under\\_ \\~\\~strike\\~\\~ \\|\\|spoiler\\|\\| \\`code\\`'],
		['[masked](https://x.example)', '\\[masked\\](https://x.example)'],
		['> quote\n# heading\n- list\n1. item', '\\> quote\n\\# heading\n\\- list\n1\\. item'],
		['a > b - c # d', 'a > b - c # d'],
		['back\\slash', 'back\\\\slash'],
	])('%s', (input, output) => {
		expect(escapeMarkdown(input)).toBe(output);
	});
});
