import { describe, expect, it } from 'vitest';
import type { ImportProgress } from '../../src/archive/import.js';
import { progressLine, progressReporter } from '../../src/cli/archive.js';

const MB = 1024 * 1024;

/** A terminal (or a log) that keeps what is written, with a clock the test moves. */
function fakeStream(columns: number | undefined, isTTY = true) {
	const writes: string[] = [];
	const stream = { isTTY, columns, write: (s: string) => writes.push(s) > 0 } as unknown as NodeJS.WriteStream;
	return { stream, writes };
}
/** What a redraw shows: the text between the carriage return and the erase-to-end. */
const ERASE = '\u001b[K';
const visible = (write: string) => write.replace(/^\r/, '').replace(ERASE, '');

function progress(done: number, total: number, bytesPerFile = 200 * 1024): ImportProgress {
	return {
		file: `f${done}.txt`,
		done,
		total,
		bytesDone: done * bytesPerFile,
		bytesTotal: total * bytesPerFile,
		pages: done * 1234,
	};
}

describe('the import progress line', () => {
	it.each([40, 60, 80, 100, 200])('fits a %i-column terminal and keeps the counts', (columns) => {
		for (const p of [progress(7, 600), progress(600, 600), progress(12345, 99999, 40 * MB)]) {
			const line = progressLine(p, 123.4, columns);
			expect(line.length).toBeLessThan(columns);
			expect(line).toContain(`${p.done}/${p.total} files`);
		}
		if (columns >= 100) expect(progressLine(progress(7, 600), 123.4, columns)).toMatch(/\[#*\.*\] .*MB\/s.*pages$/);
	});

	it('on an 80-column terminal: 600 files are one line, redrawn at most ~10 times a second', () => {
		const { stream, writes } = fakeStream(80);
		let clock = 0;
		const report = progressReporter(stream, () => clock);
		// 600 files over 3 seconds: one every 5 ms.
		for (let i = 1; i <= 600; i++) {
			clock = i * 5;
			report(progress(i, 600));
		}
		const redraws = writes.filter((w) => w.startsWith('\r'));
		expect(redraws.length).toBeLessThanOrEqual(3000 / 100 + 2);
		expect(redraws.length).toBeGreaterThan(5);
		for (const w of redraws) {
			expect(visible(w).length).toBeLessThan(80);
			expect(w).not.toContain('\n');
		}
		expect(visible(redraws.at(-1) ?? '')).toContain('600/600 files');
		expect(writes.at(-1)).toBe('\n');
	});

	it('without a known width draws for 80 columns', () => {
		const { stream, writes } = fakeStream(undefined);
		progressReporter(stream, () => 0)(progress(3, 3));
		expect(visible(writes[0] ?? '').length).toBeLessThan(80);
	});

	it('counts MB/s from the first file, not from start-up', () => {
		const { stream, writes } = fakeStream(200);
		let clock = 5000; // five seconds of start-up before the first file is done
		const report = progressReporter(stream, () => clock);
		report(progress(1, 3, MB));
		clock = 5200;
		report(progress(2, 3, MB));
		clock = 5400;
		report(progress(3, 3, MB));
		// Two more megabytes in 0.4 s after the first file: 5.0 MB/s (from start-up it would be 0.6).
		expect(visible(writes.filter((w) => w.startsWith('\r')).at(-1) ?? '')).toContain('5.0 MB/s');
		expect(writes[0]).not.toContain('MB/s');
	});

	it('in a log, writes a plain line every two seconds and the last one', () => {
		const { stream, writes } = fakeStream(undefined, false);
		let clock = 0;
		const report = progressReporter(stream, () => clock);
		for (let i = 1; i <= 100; i++) {
			clock = i * 100;
			report(progress(i, 100));
		}
		expect(writes.length).toBe(6); // at 0.1, 2.1, 4.1, 6.1, 8.1 s, and the last
		expect(writes.every((w) => w.startsWith('import: ') && w.endsWith('\n') && !w.includes('['))).toBe(true);
		expect(writes.at(-1)).toMatch(/^import: 100\/100 files · .* · 123,400 pages\n$/);
	});
});
