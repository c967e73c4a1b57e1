import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importArchive } from '../../src/archive/import.js';
import { decodeText } from '../../src/archive/parse/decode.js';
import { parseStory } from '../../src/archive/parse/index.js';
import { ArchiveStore } from '../../src/archive/store.js';

const SAMPLE = readFileSync(new URL('../../data/leaving.txt', import.meta.url), 'utf8');
// Characters beyond ASCII and beyond the Basic Multilingual Plane, so both bytes of each unit and surrogate pairs count.
const TEXT = `${SAMPLE}\n\n“Café,” said Spike. “Déjà vu 🦇.”\n`;

/** The text in UTF-16 with its byte order mark, as Windows Notepad saves "Unicode" and "Unicode big endian". */
function utf16(text: string, order: 'le' | 'be'): Buffer {
	const le = Buffer.from(`\ufeff${text}`, 'utf16le');
	if (order === 'be') le.swap16();
	return le;
}

describe('UTF-16 story files with a byte order mark', () => {
	it.each(['le', 'be'] as const)('are read in UTF-16 %s exactly as the same story in UTF-8', async (order) => {
		const bytes = utf16(TEXT, order);
		expect(decodeText(bytes)).toEqual({ text: TEXT, encoding: `utf-16${order}` });
		const fromUtf16 = await parseStory('leaving.txt', bytes);
		const fromUtf8 = await parseStory('leaving.txt', Buffer.from(TEXT, 'utf8'));
		expect(fromUtf16).toEqual(fromUtf8);
		expect(fromUtf16.meta).toMatchObject({ title: 'Leaving', author: 'Slaymesoftly' });
	});

	it('are imported, while a UTF-16 file of binary junk is still refused as binary', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'fic-archive-utf16-'));
		writeFileSync(join(dir, 'leaving-le.txt'), utf16(TEXT, 'le'));
		writeFileSync(join(dir, 'leaving-be.txt'), utf16(TEXT.replace('Leaving', 'Leaving Again'), 'be'));
		writeFileSync(join(dir, 'junk.txt'), utf16('\u0000\u0001\u0002\u0003'.repeat(200), 'le'));
		const store = ArchiveStore.open(':memory:');
		const summary = await importArchive(store, dir);
		expect(summary.added).toBe(2);
		expect(summary.failed).toEqual([{ file: 'junk.txt', reason: expect.stringMatching(/binary file/) }]);
		store.close();
		rmSync(dir, { recursive: true, force: true });
	});
});
