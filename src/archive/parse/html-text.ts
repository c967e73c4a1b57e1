/**
 * HTML story text (AO3 downloads, EPUB chapters) to the archive's text: paragraphs separated by one blank line,
 * `<br>` a line break inside a paragraph, `<hr>` and typed scene-break paragraphs a "* * *" break, and italic,
 * bold, underline and strikethrough as Discord markdown with the source's own markdown characters escaped.
 */
import type { AnyNode, Element, Text } from 'domhandler';
import { BREAK, SCENE_BREAK } from './plain-text.js';

/** Elements that start and end a paragraph. */
const BLOCKS = new Set([
	'address',
	'article',
	'aside',
	'blockquote',
	'center',
	'dd',
	'details',
	'div',
	'dl',
	'dt',
	'figcaption',
	'figure',
	'footer',
	'h1',
	'h2',
	'h3',
	'h4',
	'h5',
	'h6',
	'header',
	'li',
	'main',
	'nav',
	'ol',
	'p',
	'pre',
	'section',
	'summary',
	'table',
	'td',
	'th',
	'tr',
	'ul',
]);
/** Elements whose content is not story text. */
const SKIPPED = new Set([
	'audio',
	'button',
	'head',
	'iframe',
	'img',
	'input',
	'math',
	'noscript',
	'object',
	'script',
	'select',
	'style',
	'svg',
	'template',
	'textarea',
	'title',
	'video',
]);
/** Inline formatting and its Discord markdown. */
const EMPHASIS: Record<string, string> = {
	em: '*',
	i: '*',
	cite: '*',
	var: '*',
	strong: '**',
	b: '**',
	u: '__',
	ins: '__',
	s: '~~',
	strike: '~~',
	del: '~~',
};

// Node kinds by DOM nodeType, so that only cheerio is needed at run time (domhandler's types come with it).
export const isElement = (node: AnyNode): node is Element => node.nodeType === 1;
const isTextNode = (node: AnyNode): node is Text => node.nodeType === 3;

/** Escapes the characters Discord reads as markdown inside a line (the line-start markers are done per line). */
export const escapeInline = (text: string) => text.replace(/[\\*_~`|[\]]/g, '\\$&');
/** Escapes the quote, heading and list markers Discord reads at the start of a line. */
export const escapeLineStarts = (text: string) =>
	text.replace(/^(>|#{1,3}\s|-\s)/gm, '\\$1').replace(/^(\d+)\.(\s)/gm, '$1\\.$2');

export interface HtmlTextOptions {
	/** Discord markdown for formatting, source markdown escaped (story text); else plain text (metadata). */
	markdown: boolean;
}

const isBlock = (node: AnyNode): boolean =>
	isElement(node) && (BLOCKS.has(node.name) || node.name === 'hr' || node.children.some(isBlock));

/** The paragraphs of some HTML nodes, in order; a scene break is a "* * *" paragraph. */
export function htmlParagraphs(nodes: readonly AnyNode[], options: HtmlTextOptions): string[] {
	const paragraphs: string[] = [];
	let text = '';
	let plain = '';
	const active = new Set<string>();

	const flush = () => {
		const lines = (raw: string) =>
			raw
				.split('\n')
				.map((line) => line.replace(/ {2,}/g, ' ').trim())
				.join('\n')
				.split(/\n{2,}/)
				.map((p) => p.trim());
		const marked = lines(text);
		const bare = lines(plain);
		text = '';
		plain = '';
		// Both buffers split at the same blank lines; markup never adds one.
		for (const [i, paragraph] of marked.entries()) {
			const seen = bare[i] ?? paragraph;
			if (!seen) continue;
			if (seen.length <= 40 && SCENE_BREAK.test(seen)) paragraphs.push(BREAK);
			else if (paragraph) paragraphs.push(options.markdown ? escapeLineStarts(paragraph) : paragraph);
		}
	};

	const walk = (list: readonly AnyNode[]) => {
		for (const node of list) {
			if (isTextNode(node)) {
				const data = node.data.replace(/[\s\u00a0]+/g, ' ');
				text += options.markdown ? escapeInline(data) : data;
				plain += data;
				continue;
			}
			if (!isElement(node) || SKIPPED.has(node.name)) continue;
			const name = node.name;
			if (name === 'br') {
				text += '\n';
				plain += '\n';
			} else if (name === 'hr') {
				flush();
				paragraphs.push(BREAK);
			} else if (BLOCKS.has(name)) {
				flush();
				const from = paragraphs.length;
				if (name === 'li') {
					text += '• ';
					plain += '• ';
				}
				walk(node.children);
				flush();
				// A heading inside the text is a bold line of its own.
				if (options.markdown && /^h[1-6]$/.test(name)) {
					for (let i = from; i < paragraphs.length; i++) {
						const p = paragraphs[i] as string;
						if (p !== BREAK && !p.includes('**')) paragraphs[i] = `**${p}**`;
					}
				}
			} else {
				const marker = options.markdown ? EMPHASIS[name] : undefined;
				if (!marker || active.has(marker) || node.children.some(isBlock)) {
					walk(node.children);
					continue;
				}
				const before = text;
				text = '';
				active.add(marker);
				walk(node.children);
				active.delete(marker);
				const inner = text;
				const core = inner.trim();
				const lead = inner.slice(0, inner.length - inner.trimStart().length);
				const trail = inner.slice(inner.trimEnd().length);
				text = before + (core ? `${lead}${marker}${core}${marker}${trail}` : inner);
			}
		}
	};
	walk(nodes);
	flush();
	return paragraphs;
}

/** Paragraphs to story text: scene breaks only between text (never first, last or twice), one blank line apart. */
export function joinParagraphs(paragraphs: readonly string[]): string {
	const kept = paragraphs.filter((p, i) => p !== BREAK || (i > 0 && paragraphs[i - 1] !== BREAK));
	while (kept[0] === BREAK) kept.shift();
	while (kept.at(-1) === BREAK) kept.pop();
	return kept.join('\n\n');
}

/** Story text from HTML nodes. */
export const htmlToText = (nodes: readonly AnyNode[], options: HtmlTextOptions = { markdown: true }): string =>
	joinParagraphs(htmlParagraphs(nodes, options));

/** Plain text of HTML nodes on one line-broken block, for metadata values (summaries, notes, tags). */
export const htmlToPlain = (nodes: readonly AnyNode[]): string =>
	htmlParagraphs(nodes, { markdown: false })
		.filter((p) => p !== BREAK)
		.join('\n\n');
