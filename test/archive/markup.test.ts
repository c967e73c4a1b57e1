import { describe, expect, it } from 'vitest';
import { stripMarkdown } from '../../src/archive/markup.js';

describe('stripMarkdown', () => {
	it('turns markdown story text into plain text', () => {
		expect(
			stripMarkdown('“*Perfect.* **Very** __much__ ~~so~~,” she said, drawing a \\*star\\*.\n\n* * *\n\nEnd.'),
		).toBe('“Perfect. Very much so,” she said, drawing a *star*.\n\n* * *\n\nEnd.');
	});
});
