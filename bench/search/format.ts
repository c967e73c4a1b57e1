/** How the search benchmark prints figures: milliseconds, megabytes, ratios, and aligned tables. */

export const MB = 1048576;

export const ms = (x: number) => (Number.isNaN(x) ? '—' : x < 10 ? x.toFixed(2) : x.toFixed(1));
export const mb = (bytes: number) => (bytes / MB).toFixed(0);
export const ratio = (peer: number, ours: number) =>
	Number.isNaN(peer) || Number.isNaN(ours) ? '—' : `${(peer / Math.max(ours, 0.001)).toFixed(1)}×`;

/** An aligned table: the `left` columns (by default the first) left-aligned, the rest right-aligned. */
export function table(header: string[], rows: string[][], left: readonly number[] = [0]): string {
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
	const line = (cells: string[]) =>
		cells
			.map((c, i) => (left.includes(i) ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
			.join('  ')
			.trimEnd();
	return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** A query or line shown on one line of output. */
export const shown = (text: string, max = 90) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
