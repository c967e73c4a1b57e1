/**
 * One size's tables: our latency per class, autocomplete, the worst inputs, the peers beside ours, known-item
 * search for every engine, then what looked slow or wrong in ours (slowest queries, lines not ranked first,
 * typos not corrected).
 */
import type { AutocompleteTiming } from './autocomplete.js';
import { CLASSES, PER_CLASS, type TypoQuery } from './classes.js';
import { type EngineResult, TOP } from './engines.js';
import { MB, mb, ms, ratio, shown, table } from './format.js';
import type { Queries } from './queries.js';
import { percentile, WARM_UP, WORST_RUNS, type WorstTiming } from './timing.js';

/** What a size's run found besides each engine's figures. */
export interface Diagnostics {
	heapOpen: number;
	rssAfter: number;
	queries: Queries;
	typoLineDetails: { typo: string; hits: number; corrected?: string }[];
	typoFixes: (TypoQuery & { corrected: string | undefined; fixed: boolean; hits: number })[];
	autocomplete: AutocompleteTiming[];
	worst: WorstTiming[];
	errors: string[];
}

export function printSize(engines: EngineResult[], d: Diagnostics): void {
	const [ours, ...peers] = engines as [EngineResult, ...EngineResult[]];
	console.log(`\nOur search, latency per class (ms, limit ${TOP}, after a warm-up of ${WARM_UP} per class):`);
	console.log(
		table(
			['class', 'n', 'p50', 'p95', 'p99', 'max', 'mean', 'no hits', 'errors'],
			CLASSES.map((cls) => {
				const t = ours.classes.get(cls);
				const mean = t?.times.length ? t.times.reduce((a, b) => a + b, 0) / t.times.length : Number.NaN;
				return [
					cls,
					String(t?.times.length ?? 0),
					ms(t?.p50 ?? Number.NaN),
					ms(t?.p95 ?? Number.NaN),
					ms(t?.p99 ?? Number.NaN),
					ms(t?.max ?? Number.NaN),
					ms(mean),
					String(t?.noHits.length ?? 0),
					String(t?.errors.length ?? 0),
				];
			}),
		),
	);

	console.log(
		`\nAutocomplete (ms, at most 25 choices, ${PER_CLASS} inputs a kind: the start of a title, an author, a word of a title or a name drawn from the archive; "no match": letters no title holds):`,
	);
	console.log(
		table(
			['kind', 'n', 'p50', 'p95', 'max', 'no choices', 'examples'],
			d.autocomplete.map((a) => [
				a.kind,
				String(a.times.length),
				ms(percentile(a.times, 0.5)),
				ms(percentile(a.times, 0.95)),
				ms(a.times.at(-1) ?? Number.NaN),
				String(a.empty),
				a.examples.join(' '),
			]),
			[0, 6],
		),
	);

	console.log(
		`\nWorst inputs (ms, each run ${WORST_RUNS} times; better-sqlite3 is synchronous, so a search holds the bot for as long as it runs):`,
	);
	console.log(
		table(
			['input', 'chars', 'words', 'p50', 'max', 'hits', 'query'],
			d.worst.map((w) => [
				w.name,
				String(w.query.length),
				String(w.query.split(/\s+/).length),
				ms(percentile(w.times, 0.5)),
				ms(w.times.at(-1) ?? Number.NaN),
				String(w.hits),
				shown(w.query, 50),
			]),
			[0, 6],
		),
	);

	const running = peers.filter((p) => !p.skipped);
	console.log('\nPeers on the same queries (ms; × = peer p50 / our p50, above 1 means ours is faster):');
	const header = ['class', 'ours p50', 'p95'];
	for (const p of running) header.push(`${p.name} p50`, 'p95', '×');
	console.log(
		table(
			header,
			CLASSES.map((cls) => {
				const o = ours.classes.get(cls);
				const row = [cls, ms(o?.p50 ?? Number.NaN), ms(o?.p95 ?? Number.NaN)];
				for (const p of running) {
					const t = p.classes.get(cls);
					if (!t || t.skipped) row.push(t?.skipped ?? '—', '', '');
					else row.push(ms(t.p50), ms(t.p95), ratio(t.p50, o?.p50 ?? Number.NaN));
				}
				return row;
			}),
		),
	);
	for (const p of peers) if (p.skipped) console.log(`${p.name}: ${p.skipped}`);

	console.log(
		`\nKnown-item search (${d.queries.lines.length} lines as readers copy them: a paragraph's first ten words, quote marks and *()^:- removed; typo = two letters swapped in the longest word):`,
	);
	console.log(
		table(
			[
				'engine',
				'build s',
				'disk MB',
				'heap MB',
				'total MB',
				'MRR',
				'found',
				'MRR typo',
				'found typo',
				'MRR words',
				'typo words',
				'story 1st',
				'typo 1st',
			],
			engines.map((e) => {
				if (e.skipped) return [e.name, 'skipped (above)'];
				const n = d.queries.lines.length;
				const disk = e.diskBytes ?? 0;
				const heap = e.heapBytes;
				return [
					e.name,
					e.buildSeconds !== undefined ? e.buildSeconds.toFixed(1) : e === ours ? 'cached' : '—',
					disk ? mb(disk) : '—',
					heap !== undefined ? mb(heap) : '—',
					heap !== undefined ? mb(disk + heap) : (e.note ?? '—'),
					e.exact ? e.exact.mrr.toFixed(3) : '—',
					e.exact ? `${e.exact.found}/${n}` : '—',
					e.typo ? e.typo.mrr.toFixed(3) : '—',
					e.typo ? `${e.typo.found}/${n}` : '—',
					e.exact ? e.exact.wordMrr.toFixed(3) : '—',
					e.typo ? e.typo.wordMrr.toFixed(3) : '—',
					e.exact ? e.exact.storyFirst.toFixed(3) : '—',
					e.typo ? e.typo.storyFirst.toFixed(3) : '—',
				];
			}),
		),
	);
	console.log(
		'MRR/found: a hit counts when its page holds the line as text (whitespace collapsed, case folded, without what the copy lost); "words": when it holds its words in order, punctuation ignored; "story 1st": the share of lines whose first hit is in the story the line was drawn from.',
	);
	console.log(
		`ours: heap ${(Math.max(0, d.heapOpen) / MB).toFixed(1)} MB right after opening, ${mb(ours.heapBytes ?? 0)} MB after all its queries (in "heap MB"); RSS +${mb(d.rssAfter)} MB.`,
	);
	console.log(
		'MiniSearch: AND of all words, fuzzy 0.2 for the typo class and the typo lines only, prefix for prefix*, phrases as words.',
	);
	console.log(
		"FlexSearch: Index, tokenize 'strict' (prefix* would need 'forward'), default encoder; known-item lines with suggest: true; phrases as words.",
	);

	// Diagnostics: what looked slow or wrong in ours.
	console.log('\nOur slowest queries, 3 per class:');
	const slowest = CLASSES.flatMap((cls) => {
		const t = ours.classes.get(cls);
		const list = d.queries.byClass.get(cls) ?? [];
		return (t?.times ?? [])
			.map((time, i) => ({ cls, time, q: list[i] ?? '' }))
			.sort((a, b) => b.time - a.time)
			.slice(0, 3);
	});
	console.log(
		table(
			['class', 'ms', 'query'],
			slowest.map((x) => [x.cls, ms(x.time), shown(x.q)]),
			[0, 2],
		),
	);
	for (const cls of CLASSES) {
		const none = ours.classes.get(cls)?.noHits ?? [];
		if (none.length && cls !== 'typo')
			console.log(`${cls}: ${none.length} with no hits: ${shown(none.slice(0, 6).join('  |  '), 200)}`);
	}
	for (const e of d.errors.slice(0, 10)) console.log(`error: ${e}`);

	const rank = (r: number | undefined) => (r ? String(r) : '-');
	const exact = ours.exact;
	const misses = d.queries.lines
		.map((line, i) => ({ line, rank: exact?.ranks[i] ?? 0, words: exact?.wordRanks[i] ?? 0 }))
		.filter((m) => m.rank !== 1);
	console.log(
		`\nKnown-item lines ours did not rank first (${misses.length} of ${d.queries.lines.length}; rank as text / as words, - = not in top ${TOP}):`,
	);
	if (misses.length)
		console.log(
			table(
				['rank', 'line'],
				misses.slice(0, 15).map((m) => [`${rank(m.rank)} / ${rank(m.words)}`, shown(m.line, 110)]),
				[1],
			),
		);
	const typo = ours.typo;
	const typoMisses = d.typoLineDetails
		.map((t, i) => ({ ...t, rank: typo?.ranks[i] ?? 0, words: typo?.wordRanks[i] ?? 0 }))
		.filter((t) => t.rank !== 1);
	console.log(
		`\nTypo'd known-item lines ours did not rank first (${typoMisses.length} of ${d.typoLineDetails.length}):`,
	);
	if (typoMisses.length)
		console.log(
			table(
				['rank', 'hits', 'typo line', 'corrected to'],
				typoMisses
					.slice(0, 15)
					.map((m) => [
						`${rank(m.rank)} / ${rank(m.words)}`,
						String(m.hits),
						shown(m.typo, 80),
						shown(m.corrected ?? '(none)', 50),
					]),
				[2, 3],
			),
		);

	const fixes = d.typoFixes;
	const firstPair = fixes.filter((f) => f.at === 0);
	console.log(
		`\nTypo class: ${fixes.filter((f) => f.fixed).length}/${fixes.length} corrected to the intended word (${firstPair.filter((f) => f.fixed).length}/${firstPair.length} when the first two letters were swapped), ${fixes.filter((f) => f.hits === 0).length} with no hits.`,
	);
	const wrong = fixes.filter((f) => !f.fixed);
	if (wrong.length)
		console.log(
			table(
				['typo', 'meant', 'corrected to', 'hits'],
				wrong.slice(0, 15).map((f) => [f.query, f.original, f.corrected ?? '(none)', String(f.hits)]),
				[0, 1, 2],
			),
		);
}
