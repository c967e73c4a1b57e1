/**
 * Quote-card pictures for bench:bot: renders real lines of the archive (and a few hard ones: a very long line,
 * CJK, Cyrillic, Greek, emoji) as the "Share as image" button does, and reports the first (cold: fonts
 * registered) render and p50/p95/max of the rest against the 50 ms target.
 */
import type { ArchiveStore } from '../src/archive/store.js';
import type { Rating } from '../src/archive/types.js';
import { plainLine } from '../src/discord/quote-picture.js';
import { type QuoteImageInput, renderQuoteImage } from '../src/discord/render/quote-image.js';

const HARD: Omit<QuoteImageInput, 'rating'>[] = [
	{ text: 'and the night went on and on '.repeat(40), speaker: null, title: 'A very long line', author: 'Bench' },
	{ text: '“你好，世界。”她说。こんにちは、また明日。안녕히 가세요.', speaker: '李', title: '夜', author: '作者' },
	{ text: '«Привет, мир!» — сказала она. Γειά σου κόσμε.', speaker: 'Аня', title: 'Ночь', author: 'Автор' },
	{ text: 'Best. Night. Ever. 😀🎉🦄✨ (and a 🧪 to prove it)', speaker: 'Dawn', title: 'Emoji', author: null },
];

const percentile = (sorted: number[], p: number) =>
	sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;

/** Renders `n` cards (after the cold first one) and returns the report's lines. */
export async function benchQuoteImages(store: ArchiveStore, n = 200): Promise<string[]> {
	const inputs: QuoteImageInput[] = [];
	for (const story of store.stories()) {
		const quote = store.randomQuote({ storyId: story.id });
		if (quote) {
			const text = plainLine({ text: quote.text, markup: story.markup });
			inputs.push({ text, speaker: quote.speaker, title: story.title, author: story.author, rating: story.rating });
		}
	}
	const ratings = ['General', 'Teen', 'Mature', 'Explicit'] as const;
	inputs.push(...HARD.map((h, i) => ({ ...h, rating: ratings[i % ratings.length] as Rating })));
	const first = performance.now();
	await renderQuoteImage(inputs[0] as QuoteImageInput);
	const cold = performance.now() - first;
	const ms: number[] = [];
	let bytes = 0;
	for (let i = 0; i < n; i++) {
		const started = performance.now();
		const image = await renderQuoteImage(inputs[i % inputs.length] as QuoteImageInput);
		ms.push(performance.now() - started);
		bytes += image.png.length;
	}
	const s = ms.sort((a, b) => a - b);
	const f = (x: number) => x.toFixed(1).padStart(7);
	const p95 = percentile(s, 0.95);
	return [
		`Quote images: ${n} cards of ${inputs.length} lines (${inputs.length - HARD.length} from the archive, ${HARD.length} hard ones), ` +
			`${Math.round(bytes / n / 1024)} KB a PNG on average; first (fonts registered) ${cold.toFixed(1)} ms`,
		`${'quote image (render + PNG)'.padEnd(28)} n=${String(n).padStart(4)}  p50 ${f(percentile(s, 0.5))} ms  p95 ${f(p95)} ms  max ${f(s.at(-1) ?? 0)} ms  ` +
			(p95 <= 50 ? '(target p95 ≤ 50 ms: met)' : '(target p95 ≤ 50 ms: MISSED)'),
	];
}
