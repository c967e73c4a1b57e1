import { describe, expect, it } from 'vitest';
import { escapeMarkdown, storyText, stripMarkdown } from '../../src/archive/markdown.js';

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

describe('storyText and stripMarkdown', () => {
	it('escapes plain stories and shows markdown stories as written, but for the scene break', () => {
		expect(storyText('*sigh*\n\n* * *\n\nGo.', 'plain')).toBe('\\*sigh\\*\n\n\\* \\* \\*\n\nGo.');
		expect(storyText('*sigh* \\*not\\*\n\n* * *\n\nGo.', 'markdown')).toBe('*sigh* \\*not\\*\n\n\\* \\* \\*\n\nGo.');
	});

	it('turns markdown story text into plain text', () => {
		expect(
			stripMarkdown('“*Perfect.* **Very** __much__ ~~so~~,” she said, drawing a \\*star\\*.\n\n* * *\n\nEnd.'),
		).toBe('“Perfect. Very much so,” she said, drawing a *star*.\n\n* * *\n\nEnd.');
	});
});
