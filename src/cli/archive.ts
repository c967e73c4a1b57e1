#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type ImportProgress, type ImportSummary, importToPath } from '../archive/import.js';
import { parseStory } from '../archive/parse/index.js';
import { publishStore } from '../archive/publish.js';
import { ArchiveStore, StoreError } from '../archive/store.js';
import { StoryError, type StoryMeta } from '../archive/types.js';
import { ConfigError, loadArchiveConfig } from '../config.js';

const USAGE = `Usage:
  npm run import [-- <dir>]                 parse every story in <dir> (default ARCHIVE_DIR) into the store
  npm run archive -- inspect <file> [--json]  show how one file parses, without touching the store
  npm run archive -- stats [--json]           stories, authors, words, pages, quotes, size on disk
  npm run archive -- publish <path>           a consistent copy of the store at <path>, put in place atomically,
                                              for other machines to fetch; a bot serving <path> switches to it`;

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
/** A size for people: KB below a megabyte, MB above. */
const size = (bytes: number) => (bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${mb(bytes)} MB`);

/** A progress line that redraws itself on a terminal, or a plain line every few seconds in a log. */
export function progressReporter(stream: NodeJS.WriteStream, started = performance.now()) {
	let lastPlain = 0;
	return (p: ImportProgress) => {
		const seconds = (performance.now() - started) / 1000;
		const rate = seconds > 0 ? p.bytesDone / 1024 / 1024 / seconds : 0;
		const figures = `${p.done}/${p.total} files · ${size(p.bytesDone)} of ${size(p.bytesTotal)} · ${rate.toFixed(1)} MB/s · ${p.pages} pages`;
		if (stream.isTTY) {
			const width = 24;
			const filled = p.bytesTotal ? Math.round((p.bytesDone / p.bytesTotal) * width) : width;
			stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${figures}\x1b[K`);
			if (p.done === p.total) stream.write('\n');
		} else if (seconds - lastPlain >= 2 || p.done === p.total) {
			lastPlain = seconds;
			stream.write(`import: ${figures}\n`);
		}
	};
}

export function formatSummary(s: ImportSummary): string {
	const lines = [
		`Imported ${s.files} files in ${s.seconds.toFixed(1)} s (${size(s.bytes)}, ${(s.bytes / 1024 / 1024 / Math.max(s.seconds, 0.001)).toFixed(1)} MB/s): ` +
			`${s.added} added, ${s.updated} updated, ${s.unchanged} unchanged, ${s.moved} moved, ${s.removed} removed, ${s.failed.length} failed.`,
	];
	for (const f of s.failed) lines.push(`  failed: ${f.file}: ${f.reason}`);
	return lines.join('\n');
}

async function runImport(dirArg: string | undefined): Promise<number> {
	const config = loadArchiveConfig();
	const dir = dirArg ?? config.archiveDir;
	const summary = await importToPath(config.archiveDb, dir, {
		pageSize: config.pageSize,
		maxFileBytes: config.maxFileBytes,
		onProgress: progressReporter(process.stderr),
	});
	console.log(formatSummary(summary));
	console.log(`Store: ${config.archiveDb}`);
	return summary.failed.length ? 1 : 0;
}

async function runInspect(file: string | undefined, json: boolean): Promise<number> {
	if (!file) throw new UsageError('inspect needs a file: npm run archive -- inspect data/leaving.txt --json');
	const config = loadArchiveConfig();
	const story = await parseStory(basename(file), readFileSync(file), {
		pageSize: config.pageSize,
		maxFileBytes: config.maxFileBytes,
	});
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
	if (json) {
		console.log(JSON.stringify(report, null, 2));
		return 0;
	}
	const { meta } = story;
	console.log(
		[
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
			.join('\n'),
	);
	return 0;
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

function runStats(json: boolean): number {
	const config = loadArchiveConfig();
	const store = ArchiveStore.open(config.archiveDb, { readonly: true });
	try {
		const stats = store.stats();
		if (json) console.log(JSON.stringify(stats, null, 2));
		else
			console.log(
				`${stats.stories} stories by ${stats.authors} authors · ${stats.words.toLocaleString('en')} words · ` +
					`${stats.pages} pages · ${stats.quotes} quotes · ${size(stats.bytesOnDisk)} on disk (${config.archiveDb})`,
			);
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
			options: { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
		});
		const [command, arg] = positionals;
		if (values.help || !command) {
			console.log(USAGE);
			return values.help ? 0 : 2;
		}
		switch (command) {
			case 'import':
				return await runImport(arg);
			case 'inspect':
				return await runInspect(arg, values.json);
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
		if (error instanceof ConfigError || error instanceof StoreError || error instanceof StoryError) {
			console.error(error.message);
			return 1;
		}
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' || code === 'EACCES' || code === 'ENOTDIR') {
			console.error(`Cannot read ${(error as NodeJS.ErrnoException).path ?? 'the file'}: ${code}`);
			return 1;
		}
		throw error;
	}
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2));
