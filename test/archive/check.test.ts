import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkFolder, doubtsAbout } from '../../src/archive/check.js';
import { ImportError } from '../../src/archive/import.js';
import { parseStory } from '../../src/archive/parse/index.js';
import type { ParsedStory } from '../../src/archive/types.js';
import { HAVE_REAL_FICS, REAL_FICS_DIR, REAL_FICS_NOTE } from '../real-fics/files.js';

const SAMPLES = new URL('../../data/', import.meta.url);
let dir: string;

beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'fic-archive-check-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A story with no header at all: no reader can find a title or an author in it. */
const HEADERLESS = '"Mulder," said Scully. "It\'s me."\n\nHe looked up from the file and smiled at her.\n';

const leaving = () => parseStory('leaving.txt', readFileSync(new URL('leaving.txt', SAMPLES)));
/** The sample story with its first page's text replaced. */
const withPageOne = async (text: string): Promise<ParsedStory> => {
	const story = await leaving();
	const [first, ...rest] = story.pages;
	return { ...story, pages: [{ ...(first as ParsedStory['pages'][number]), text }, ...rest] };
};

describe('doubts about one story', () => {
	it('none for a story read right', async () => {
		expect(doubtsAbout(await leaving(), new Set(), false)).toEqual([]);
	});

	it('mail and news header lines on page 1', async () => {
		const mail = await withPageOne(
			'From meltaylor@aol.com Thu Sep 1 19:10:25 MDT 1994\nReceived: from mail.aol.com\nMessage-ID: <1994@aol.com>\n\nMulder ran.',
		);
		expect(doubtsAbout(mail, new Set(), false)).toEqual([
			'page 1 holds header lines (From (mbox), Received:, Message-ID:)',
		]);
		const two = await withPageOne('Subject: Bad Dreams\nDate: 1 Sep 1994\n\nMulder ran.');
		expect(doubtsAbout(two, new Set(), false)).toEqual(['page 1 holds header lines (Subject:, Date:)']);
		const titled = await leaving();
		titled.meta.title = 'From meltaylor@aol.com Thu Sep 1 19:10:25 MDT 1994';
		expect(doubtsAbout(titled, new Set(), false)).toEqual([
			'the title “From meltaylor@aol.com Thu Sep 1 19:10:25 MDT 1994” looks like a mail or news header line',
		]);
		expect(doubtsAbout(titled, new Set(['title']), false)).toEqual([]);
		// One "From:"-like line alone is something a story may say.
		expect(doubtsAbout(await withPageOne('Date: the night of the Harvest.\n\nMulder ran.'), new Set(), false)).toEqual(
			[],
		);
	});

	it('one chapter of very many pages, and words far from the declared count, unless a sidecar sets the count', async () => {
		const story = await leaving();
		const page = 'Spike walked on through the dark and the rain, and Buffy followed him. '.repeat(25);
		const pages = Array.from({ length: 400 }, (_, i) => ({ number: i + 1, chapter: 1, offset: 0, text: page }));
		const long: ParsedStory = {
			...story,
			pages,
			chapters: [{ number: 1, title: null, firstPage: 1, pageCount: 400 }],
			words: 130_000,
			meta: { ...story.meta, declaredWords: 100_000 },
		};
		expect(doubtsAbout(long, new Set(), false)).toEqual([
			'the whole story is one chapter of 400 pages (130,000 words): chapter headings may have been missed',
			'130,000 words read, the file says 100,000 (30% off)',
		]);
		expect(doubtsAbout(long, new Set(['words']), false)).toHaveLength(1);
	});
});

describe('checkFolder', () => {
	it('lists the doubtful files in order, one entry each with its reasons, and trusts what a sidecar sets', async () => {
		copyFileSync(new URL('leaving.txt', SAMPLES), join(dir, 'leaving.txt'));
		writeFileSync(join(dir, 'bad-dreams.txt'), HEADERLESS);
		mkdirSync(join(dir, 'xfiles'));
		writeFileSync(join(dir, 'xfiles', 'angel.txt'), HEADERLESS);
		writeFileSync(join(dir, 'xfiles', 'angel.txt.meta.yaml'), 'title: Angel\nauthor: Sarah Stegall\n');
		writeFileSync(join(dir, 'half-told.txt'), HEADERLESS);
		writeFileSync(join(dir, 'half-told.txt.meta.yaml'), 'author: Somebody\n');
		writeFileSync(join(dir, 'picture.txt'), Uint8Array.from([0, 1, 2, 3, 0, 0]));
		writeFileSync(join(dir, 'gone.txt.meta.yaml'), 'title: Gone\n');
		const { files, doubts } = await checkFolder(dir);
		expect(files).toBe(5);
		expect(doubts).toEqual([
			{ file: 'bad-dreams.txt', reasons: ['the title “Bad Dreams” comes from the file name', 'no author found'] },
			{ file: 'half-told.txt', reasons: ['the title “Half Told” comes from the file name'] },
			{ file: 'picture.txt', reasons: [expect.stringMatching(/^it cannot be read: it is a binary file/)] },
			{ file: 'gone.txt.meta.yaml', reasons: ['a sidecar with no story file beside it'] },
		]);
	});

	it('refuses a missing or empty folder as an import does', async () => {
		await expect(checkFolder(join(dir, 'nowhere'))).rejects.toThrow(ImportError);
		await expect(checkFolder(dir)).rejects.toThrow(/holds no story files/);
	});
});

const CLI = new URL('../../src/cli/archive.ts', import.meta.url).pathname;

/** `npm run archive -- check …` in a child process: its output and exit code. */
async function check(...args: string[]) {
	try {
		const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', CLI, 'check', ...args], {
			env: { ...process.env, ARCHIVE_DB: join(tmpdir(), 'fic-archive-check-unused.sqlite') },
		});
		return { code: 0, stdout, stderr };
	} catch (error) {
		return error as { code: number; stdout: string; stderr: string };
	}
}

describe('npm run archive -- check', () => {
	it('prints one line a doubtful file, the file then why; the same as JSON with --json', async () => {
		copyFileSync(new URL('leaving.txt', SAMPLES), join(dir, 'leaving.txt'));
		writeFileSync(join(dir, 'bad-dreams.txt'), HEADERLESS);
		const text = await check(dir);
		expect(text.code).toBe(0);
		expect(text.stdout).toBe('bad-dreams.txt: the title “Bad Dreams” comes from the file name; no author found\n');
		expect(text.stderr).toMatch(/^Checked 2 files in .*: 1 look doubtful\. A sidecar <file>\.meta\.yaml/);
		const json = await check(dir, '--json');
		expect(JSON.parse(json.stdout)).toEqual({
			files: 2,
			doubts: [
				{ file: 'bad-dreams.txt', reasons: ['the title “Bad Dreams” comes from the file name', 'no author found'] },
			],
		});
	}, 60_000);

	it.skipIf(!HAVE_REAL_FICS)(
		'on the real files: each line names a file of the folder and a reason',
		async () => {
			const { code, stdout } = await check(REAL_FICS_DIR);
			expect(code).toBe(0);
			const lines = stdout.split('\n').filter(Boolean);
			expect(lines.length).toBeGreaterThan(0);
			for (const line of lines) {
				const m = line.match(/^(.+?): (.+)$/);
				expect(m, line).not.toBeNull();
				expect(existsSync(join(REAL_FICS_DIR, m?.[1] ?? '')), line).toBe(true);
				expect(m?.[2]?.trim().length, line).toBeGreaterThan(5);
			}
		},
		120_000,
	);
	if (!HAVE_REAL_FICS) it.skip(REAL_FICS_NOTE, () => {});
});
