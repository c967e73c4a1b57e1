/** The targets (issue 19 and before) checked against every size's figures: met or not, with the figure. */
import { CLASSES } from './classes.js';
import type { EngineResult } from './engines.js';
import { mb, ms } from './format.js';
import type { SizeResult } from './size.js';

export function printTargets(results: SizeResult[]): void {
	const yes = (ok: boolean) => (ok ? 'met' : 'NOT met');
	console.log('\nTargets:');
	const at1g = results.find((r) => r.size >= 1000);
	for (const r of results) {
		const [ours, fts, ...peers] = r.engines as [EngineResult, EngineResult, ...EngineResult[]];
		const worst = CLASSES.map((cls) => ({ cls, p95: ours.classes.get(cls)?.p95 ?? Number.NaN })).sort(
			(a, b) => b.p95 - a.p95,
		)[0];
		const p95ok = CLASSES.every((cls) => (ours.classes.get(cls)?.p95 ?? Infinity) <= 20);
		const label = `${r.size} MB`;
		console.log(
			`  [${label}] every class p95 ≤ 20 ms${r === at1g ? '' : ' (target is at 1 GB)'}: ${yes(p95ok)} — worst ${worst?.cls} ${ms(worst?.p95 ?? Number.NaN)} ms`,
		);
		const k = ours.classes.get('known-item');
		console.log(
			`  [${label}] copied lines (known-item) p95 ≤ 20 ms and max ≤ 50 ms${r === at1g ? '' : ' (target is at 1 GB)'}: ${yes((k?.p95 ?? Infinity) <= 20 && (k?.max ?? Infinity) <= 50)} — p95 ${ms(k?.p95 ?? Number.NaN)}, max ${ms(k?.max ?? Number.NaN)} ms; story first ${((ours.exact?.storyFirst ?? 0) * 100).toFixed(1)}%, a page holding the line first ${(((ours.exact?.ranks.filter((x) => x === 1).length ?? 0) / Math.max(1, ours.exact?.ranks.length ?? 0)) * 100).toFixed(1)}%`,
		);
		const worstInput = [...r.worst].sort((a, b) => (b.times.at(-1) ?? 0) - (a.times.at(-1) ?? 0))[0];
		const worstMs = worstInput?.times.at(-1) ?? Number.NaN;
		const slowest = Math.max(...CLASSES.map((cls) => ours.classes.get(cls)?.max ?? 0));
		console.log(
			`  [${label}] no search over 50 ms${r === at1g ? '' : ' (target is at 1 GB)'}: ${yes(slowest <= 50 && worstMs <= 50)} — slowest drawn query ${ms(slowest)} ms; worst input "${worstInput?.name}" ${ms(worstMs)} ms`,
		);
		const o = ours.classes.get('frequent-name');
		const f = fts.classes.get('frequent-name');
		const x50 = (f?.p50 ?? Number.NaN) / (o?.p50 ?? Number.NaN);
		const x95 = (f?.p95 ?? Number.NaN) / (o?.p95 ?? Number.NaN);
		console.log(
			`  [${label}] ≥ 10× faster than raw FTS5 rank on frequent-name: ${yes(x50 >= 10)} — ${x50.toFixed(1)}× at p50, ${x95.toFixed(1)}× at p95`,
		);
		for (const p of peers) {
			if (p.skipped) {
				console.log(`  [${label}] vs ${p.name}: not measured (${p.skipped})`);
				continue;
			}
			const slower = CLASSES.filter((cls) => {
				const t = p.classes.get(cls);
				return t && !t.skipped && t.times.length && (ours.classes.get(cls)?.p95 ?? Infinity) > t.p95;
			});
			const mrrOk =
				(ours.exact?.mrr ?? 0) >= (p.exact?.mrr ?? 0) - 1e-9 && (ours.typo?.mrr ?? 0) >= (p.typo?.mrr ?? 0) - 1e-9;
			const oursMem = (ours.diskBytes ?? 0) + (ours.heapBytes ?? 0);
			const memOk = oursMem < (p.heapBytes ?? 0);
			console.log(
				`  [${label}] vs ${p.name}: faster (p95, every class both run): ${yes(!slower.length)}${slower.length ? ` — slower on ${slower.join(', ')}` : ''}; known-item MRR ≥: ${yes(mrrOk)} (${ours.exact?.mrr.toFixed(3)}/${ours.typo?.mrr.toFixed(3)} vs ${p.exact?.mrr.toFixed(3)}/${p.typo?.mrr.toFixed(3)}); less memory: ${yes(memOk)} (${mb(oursMem)} MB disk+heap vs ${mb(p.heapBytes ?? 0)} MB heap)`,
			);
		}
	}
	if (!at1g) console.log('  (1 GB not run: npm run bench:search -- 1000)');
}
