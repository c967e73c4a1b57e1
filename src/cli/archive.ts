#!/usr/bin/env node
import { existsSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkFolder } from '../archive/check.js';
import { ImportError, type ImportProgress, type ImportSummary, importToPath } from '../archive/import.js';
import { parseStory } from '../archive/parse/index.js';
import { SIDECAR_SUFFIX, sidecarOf } from '../archive/parse/sidecar.js';
import { publishStore } from '../archive/publish.js';
import { ArchiveStore, StoreError } from '../archive/store.js';
import { StoryError, type StoryMeta } from '../archive/types.js';
import { ConfigError, loadArchiveConfig } from '../config.js';

const USAGE = `Usage:
  npm run import [-- <dir>]                 add and update the stories in <dir> (default ARCHIVE_DIR) in the store
  npm run import -- [<dir>] --prune         the same, and remove the stories whose file is gone from <dir>
  npm run archive -- inspect <file>... [--json]  show how files parse, without touching the store
  npm run archive -- check [<dir>] [--json]   list the files whose reading looks doubtful, each with why
  npm run archive -- stats [--json]           stories, authors, words, pages, quotes, size on disk
  npm run archive -- publish <path>           a consistent copy of the store at <path>, put in place atomically,
                                              for other machines to fetch; a bot serving <path> switches to it`;

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
/** A size for people: KB below a megabyte, MB above. */
const size = (bytes: number) => (bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${mb(bytes)} MB`);

/** The fewest columns the bar keeps before figures are left out to make room. */
const MIN_BAR = 10;
const MAX_BAR = 24;
/** A terminal redraw at most this often (ms): 600 small files are not 600 redraws. */
const REDRAW_MS = 100;

/** One progress line within `columns`: the bar shrinks first, then the figures go from the least needed. */
export function progressLine(p: ImportProgress, rate: number | null, columns: number): string {
	const max = Math.max(columns - 1, 1); // the last column would wrap on some terminals
	const figures = [
		`${p.done}/${p.total} files`,
		`${size(p.bytesDone)} of ${size(p.bytesTotal)}`,
		...(rate === null ? [] : [`${rate.toFixed(1)} MB/s`]),
		`${p.pages.toLocaleString('en')} pages`,
	];
	for (let keep = figures.length; keep >= 1; keep--) {
		const text = figures.slice(0, keep).join(' · ');
		const room = max - text.length - 3; // '[', ']' and a space
		if (room >= MIN_BAR) {
			const width = Math.min(MAX_BAR, room);
			const filled = p.bytesTotal ? Math.round((p.bytesDone / p.bytesTotal) * width) : width;
			return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}`;
		}
	}
	return figures.slice(0, 2).join(' · ').slice(0, max);
}

/**
 * A progress line that redraws itself on a terminal (within its width, at most ten times a second, and the
 * last state always), or a plain line every few seconds in a log. MB/s counts from the first file done, not
 * from start-up (opening the store and listing the folder would make a small import read "0.0 MB/s").
 */
export function progressReporter(stream: NodeJS.WriteStream, now: () => number = () => performance.now()) {
	let first: { at: number; bytes: number } | undefined;
	let lastDraw = Number.NEGATIVE_INFINITY;
	let lastPlain = Number.NEGATIVE_INFINITY;
	return (p: ImportProgress) => {
		const at = now();
		if (!first) first = { at, bytes: p.bytesDone };
		const seconds = (at - first.at) / 1000;
		const rate = seconds > 0 ? (p.bytesDone - first.bytes) / 1024 / 1024 / seconds : null;
		const last = p.done === p.total;
		if (stream.isTTY) {
			if (!last && at - lastDraw < REDRAW_MS) return;
			lastDraw = at;
			stream.write(`\r${progressLine(p, rate, stream.columns || 80)}\x1b[K`);
			if (last) stream.write('\n');
		} else if (last || at - lastPlain >= 2000) {
			lastPlain = at;
			stream.write(`import: ${progressLine(p, rate, Number.POSITIVE_INFINITY).replace(/^\[[#.]*\] /, '')}\n`);
		}
	};
}

export function formatSummary(s: ImportSummary): string {
	const lines = [
		`Imported ${s.files} files in ${s.seconds.toFixed(1)} s (${size(s.bytes)}, ${(s.bytes / 1024 / 1024 / Math.max(s.seconds, 0.001)).toFixed(1)} MB/s): ` +
			`${s.added} added, ${s.updated} updated, ${s.unchanged} unchanged, ${s.moved} moved, ${s.removed} removed, ${s.failed.length} failed.`,
	];
	if (s.kept) {
		lines.push(
			`${s.kept} stored ${s.kept === 1 ? 'story has' : 'stories have'} no file in the folder any more and ${s.kept === 1 ? 'was' : 'were'} kept: npm run import -- --prune removes them.`,
		);
	}
	for (const f of s.failed) lines.push(`  failed: ${f.file}: ${f.reason}`);
	return lines.join('\n');
}

async function runImport(dirArg: string | undefined, prune: boolean): Promise<number> {
	const config = loadArchiveConfig();
	const dir = dirArg ?? config.archiveDir;
	const summary = await importToPath(config.archiveDb, dir, {
		pageSize: config.pageSize,
		maxFileBytes: config.maxFileBytes,
		onProgress: progressReporter(process.stderr),
		prune,
		onPrune: (count) =>
			console.error(
				count
					? `--prune: removing ${count} ${count === 1 ? 'story' : 'stories'} whose file is gone from ${dir}.`
					: `--prune: every stored story still has its file in ${dir}; nothing to remove.`,
			),
	});
	console.log(formatSummary(summary));
	console.log(`Store: ${config.archiveDb}`);
	return summary.failed.length ? 1 : 0;
}

/**
 * How files parse, one report each, in the order given (several in one run: one process's start-up, not one per
 * file). A file that cannot be read is named on stderr and the others are still reported; the exit code is then 1.
 * With --json, one file's report is an object and several files' an array.
 */
async function runInspect(files: readonly string[], json: boolean): Promise<number> {
	if (!files.length) throw new UsageError('inspect needs a file: npm run archive -- inspect data/leaving.txt --json');
	const config = loadArchiveConfig();
	const reports: object[] = [];
	let code = 0;
	for (const file of files) {
		try {
			const { report, text } = await inspectFile(file, config);
			if (!json) console.log(`${reports.length ? '\n' : ''}${text}`);
			reports.push(report);
		} catch (error) {
			const message = failure(error);
			if (message === null) throw error;
			console.error(message);
			code = 1;
		}
	}
	if (json && files.length > 1) console.log(JSON.stringify(reports, null, 2));
	else if (json && reports[0]) console.log(JSON.stringify(reports[0], null, 2));
	return code;
}

/** One file's inspect report: the object --json prints, and the text for people. */
async function inspectFile(
	file: string,
	config: ReturnType<typeof loadArchiveConfig>,
): Promise<{ report: object; text: string }> {
	const sidecar = existsSync(sidecarOf(file)) ? readFileSync(sidecarOf(file), 'utf8') : undefined;
	const story = await parseStory(
		basename(file),
		readFileSync(file),
		{ pageSize: config.pageSize, maxFileBytes: config.maxFileBytes },
		sidecar,
	);
	const report = {
		file,
		format: story.format,
		markup: story.markup,
		meta: story.meta,
		words: { counted: story.words, declared: story.meta.declaredWords },
		characters: story.characters,
		chapters: story.chapters,
		pages: story.pages.length,
		quotes: story.quotes.length,
		firstQuotes: story.quotes.slice(0, 5),
	};
	const { meta } = story;
	const text = [
		`${meta.title}${meta.author ? ` by ${meta.author}` : ''}`,
		`Rating: ${meta.rating}${meta.ratingText && meta.ratingText !== meta.rating ? ` (${meta.ratingText})` : ''}`,
		meta.date && `Date: ${meta.date}`,
		`Words: ${story.words}${meta.declaredWords ? ` (declared ${meta.declaredWords})` : ''}`,
		`Characters: ${story.characters.map((c) => `${c.name} ${c.count}`).join(', ') || 'none found'}`,
		`Format: ${story.format}`,
		meta.url && `URL: ${meta.url}`,
		...tagLines(meta),
		`Pages: ${story.pages.length}, quotes: ${story.quotes.length}`,
		`Chapters: ${story.chapters.length}`,
		...(story.chapters.length > 1
			? story.chapters.map(
					(c) => `  ${c.number}. ${c.title ?? '(untitled)'} · pages ${c.firstPage}–${c.firstPage + c.pageCount - 1}`,
				)
			: []),
		...report.firstQuotes.map(
			(q) => `  “${q.text}”${q.speaker ? ` — ${q.speaker}` : ''} (chapter ${q.chapter}, page ${q.page})`,
		),
	]
		.filter(Boolean)
		.join('\n');
	return { report, text };
}

/** The metadata lines a card shows, for the fields the story has. */
function tagLines(meta: StoryMeta): string[] {
	const lines: (string | false | undefined)[] = [
		meta.fandom && `Fandom: ${meta.fandom}`,
		meta.pairing && `Relationships: ${meta.pairing}`,
		meta.characters && `Characters tagged: ${meta.characters}`,
		meta.additionalTags && `Tags: ${meta.additionalTags.join(', ')}`,
		meta.warnings && `Warnings: ${meta.warnings}`,
		meta.category && `Category: ${meta.category}`,
		meta.language && `Language: ${meta.language}`,
		meta.series && `Series: part ${meta.series.part} of ${meta.series.name}`,
		meta.complete !== undefined && `Status: ${meta.complete ? 'complete' : 'in progress'}`,
		meta.published && `Published: ${meta.published}`,
		meta.updated && `Updated: ${meta.updated}`,
	];
	return lines.filter((l): l is string => Boolean(l));
}

/** One line a doubtful file: the file, then why (the reasons joined by "; "); a summary on stderr. */
async function runCheck(dirArg: string | undefined, json: boolean): Promise<number> {
	const config = loadArchiveConfig();
	const dir = dirArg ?? config.archiveDir;
	const { files, doubts } = await checkFolder(dir, { pageSize: config.pageSize, maxFileBytes: config.maxFileBytes });
	if (json) {
		console.log(JSON.stringify({ files, doubts }, null, 2));
		return 0;
	}
	for (const d of doubts) console.log(`${d.file}: ${d.reasons.join('; ')}`);
	console.error(
		doubts.length
			? `Checked ${files} files in ${dir}: ${doubts.length} look doubtful. A sidecar <file>${SIDECAR_SUFFIX} beside a story corrects what the file says (title, author, rating, …).`
			: `Checked ${files} files in ${dir}: none looks doubtful.`,
	);
	return 0;
}

/** `stats` for people: every count with thousands separators (pages and quotes were printed bare). */
export function formatStats(stats: ReturnType<ArchiveStore['stats']>, path: string): string {
	const n = (value: number) => value.toLocaleString('en');
	return (
		`${n(stats.stories)} stories by ${n(stats.authors)} authors · ${n(stats.words)} words · ` +
		`${n(stats.pages)} pages · ${n(stats.quotes)} quotes · ${size(stats.bytesOnDisk)} on disk (${path})`
	);
}

function runStats(json: boolean): number {
	const config = loadArchiveConfig();
	const store = ArchiveStore.open(config.archiveDb, { readonly: true });
	try {
		const stats = store.stats();
		if (json) console.log(JSON.stringify(stats, null, 2));
		else console.log(formatStats(stats, config.archiveDb));
		return 0;
	} finally {
		store.close();
	}
}

async function runPublish(path: string | undefined): Promise<number> {
	if (!path) throw new UsageError('publish needs a path: npm run archive -- publish /srv/fic-archive/archive.sqlite');
	const config = loadArchiveConfig();
	if (resolve(path) === resolve(config.archiveDb)) {
		throw new UsageError(`publish writes a copy: ${path} is the store itself (ARCHIVE_DB).`);
	}
	const published = await publishStore(config.archiveDb, path);
	console.log(`Published ${config.archiveDb} to ${published.path} (${size(published.bytes)}).`);
	return 0;
}

class UsageError extends Error {}

export async function main(argv: string[]): Promise<number> {
	try {
		const { positionals, values } = parseArgs({
			args: argv,
			allowPositionals: true,
			options: {
				json: { type: 'boolean', default: false },
				prune: { type: 'boolean', default: false },
				help: { type: 'boolean', short: 'h' },
			},
		});
		const [command, arg] = positionals;
		if (values.help || !command) {
			console.log(USAGE);
			return values.help ? 0 : 2;
		}
		switch (command) {
			case 'import':
				return await runImport(arg, values.prune);
			case 'inspect':
				return await runInspect(positionals.slice(1), values.json);
			case 'check':
				return await runCheck(arg, values.json);
			case 'stats':
				return runStats(values.json);
			case 'publish':
				return await runPublish(arg);
			default:
				throw new UsageError(`Unknown command "${command}".`);
		}
	} catch (error) {
		if (error instanceof UsageError || (error instanceof TypeError && 'code' in error)) {
			console.error(`${error.message}\n${USAGE}`);
			return 2;
		}
		const message = failure(error);
		if (message === null) throw error;
		console.error(message);
		return 1;
	}
}

/** The one line for a failure the command line expects (exit code 1), or null for a bug (thrown on). */
function failure(error: unknown): string | null {
	if (
		error instanceof ConfigError ||
		error instanceof StoreError ||
		error instanceof StoryError ||
		error instanceof ImportError
	)
		return error.message;
	const code = (error as NodeJS.ErrnoException).code;
	// The store itself failed (disk full, damaged, read-only…): one line, and the import rolled back.
	if (code?.startsWith('SQLITE_'))
		return `The store failed (${code}): ${(error as Error).message}. Nothing of this run was saved.`;
	if (code === 'ENOENT' || code === 'EACCES' || code === 'ENOTDIR')
		return `Cannot read ${(error as NodeJS.ErrnoException).path ?? 'the file'}: ${code}`;
	return null;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2));
