// The "Quote a line" menu says who speaks a line, and never calls speech narration.
import { describe, expect, it } from 'vitest';
import { lineDescription } from '../../src/discord/render/quote.js';

describe('lineDescription', () => {
	it('names the speaker, says "speech" for speech with no speaker found, and "narration" only for narration', () => {
		expect(lineDescription({ kind: 'dialogue', speaker: 'Spike' })).toBe('— Spike');
		expect(lineDescription({ kind: 'dialogue', speaker: null })).toBe('speech, speaker not named');
		expect(lineDescription({ kind: 'narration', speaker: null })).toBe('narration');
	});
});
