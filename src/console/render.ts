import {
	type APIEmbed,
	type APIModalInteractionResponseCallbackData,
	ButtonStyle,
	ComponentType,
	MessageFlags,
} from 'discord.js';
import { CHANNEL_ID } from './ids.js';
import { displayWidth, graphemes } from './width.js';
import { componentsOf, type LocalMessage, modalInputs } from './wire.js';

/**
 * A message as text: embeds in boxes (title, description, fields, footer), Discord markdown as terminal bold
 * and italics, buttons and menu options numbered so a typed number clicks them. Plain text without colour
 * codes when `color` is off (not a terminal, or NO_COLOR).
 */

export interface Look {
	/** Terminal columns to fit (80 when unknown). */
	width: number;
	/** ANSI colours and styles. */
	color: boolean;
}

export const EPHEMERAL_MARK = '[ephemeral — only you see this]';

/** What a typed number does on a message: click a button, or pick an option of a menu. */
export type Action =
	| { kind: 'button'; customId: string; label: string; disabled: boolean; primary: boolean; url?: string }
	| { kind: 'option'; customId: string; value: string; label: string; description?: string; disabled: boolean };

/** The message's buttons in order, then each menu's options: numbered from 1 in this order. */
export function actionsOf(message: Pick<LocalMessage, 'components'>): Action[] {
	const buttons: Action[] = [];
	const options: Action[] = [];
	for (const c of componentsOf(message)) {
		if (c.type === ComponentType.Button) {
			const url = 'url' in c ? c.url : undefined;
			buttons.push({
				kind: 'button',
				customId: 'custom_id' in c ? c.custom_id : '',
				label: ('label' in c && c.label) || ('emoji' in c && c.emoji?.name) || '?',
				disabled: Boolean(c.disabled),
				primary: c.style === ButtonStyle.Primary,
				...(c.style === ButtonStyle.Link && url ? { url } : {}),
			});
		} else if (c.type === ComponentType.StringSelect) {
			for (const o of c.options) {
				options.push({
					kind: 'option',
					customId: c.custom_id,
					value: o.value,
					label: o.label,
					...(o.description ? { description: o.description } : {}),
					disabled: Boolean(c.disabled),
				});
			}
		}
	}
	return [...buttons, ...options];
}

// ------------------------------------------------------------------------------------------------ styles

const SGR = {
	bold: ['\x1b[1m', '\x1b[22m'],
	dim: ['\x1b[2m', '\x1b[22m'],
	italic: ['\x1b[3m', '\x1b[23m'],
	underline: ['\x1b[4m', '\x1b[24m'],
	strike: ['\x1b[9m', '\x1b[29m'],
	inverse: ['\x1b[7m', '\x1b[27m'],
} as const;
type Style = keyof typeof SGR;
const ESC = '\x1b';
const ANSI = new RegExp(`${ESC}\\[[0-9;]*m`, 'g');
const ANSI_AT_START = new RegExp(`^${ESC}\\[[0-9;]*m`);

const paint = (look: Look, style: Style, text: string) =>
	look.color && text ? `${SGR[style][0]}${text}${SGR[style][1]}` : text;

const rgb = (look: Look, colour: number | null | undefined, text: string) =>
	look.color && colour != null
		? `\x1b[38;2;${(colour >> 16) & 255};${(colour >> 8) & 255};${colour & 255}m${text}\x1b[39m`
		: text;

/** Visible width in columns: colour codes count for nothing, CJK and emoji for two (see width.ts). */
export const visible = (text: string) => displayWidth(text.replace(ANSI, ''));
export const stripAnsi = (text: string) => text.replace(ANSI, '');

const DELIMITERS: [string, Style | 'code'][] = [
	['**', 'bold'],
	['__', 'underline'],
	['~~', 'strike'],
	['||', 'inverse'],
	['*', 'italic'],
	['_', 'italic'],
	['`', 'code'],
];

/** Where `delim` closes, from `from`, skipping escaped characters; -1 when it never does. */
function closing(text: string, delim: string, from: number): number {
	for (let i = from; i < text.length; i++) {
		if (text[i] === '\\' && delim !== '`') {
			i++;
			continue;
		}
		if (text.startsWith(delim, i)) {
			// A single `*` does not close on a `**`.
			if (delim.length === 1 && text[i + 1] === delim && delim !== '`') {
				i++;
				continue;
			}
			return i;
		}
	}
	return -1;
}

/**
 * Discord markdown → terminal: **bold**, *italics*, _italics_, __underline__, ~~strike~~, ||spoiler|| (inverse,
 * or its bars kept without colours), `code`, backslash escapes undone, <@id> mentions as @id and <#id> as #console. Unmatched markers stay as text, as in Discord.
 */
export function markdown(text: string, look: Look): string {
	let out = '';
	for (let i = 0; i < text.length; i++) {
		const ch = text[i] as string;
		if (ch === '\\' && i + 1 < text.length && /[^\p{L}\p{N}\s]/u.test(text[i + 1] as string)) {
			out += text[++i];
			continue;
		}
		const mention = ch === '<' ? /^<(@!?|#)(\d+)>/.exec(text.slice(i)) : null;
		if (mention) {
			const channel = mention[1] === '#';
			out += paint(look, 'bold', channel ? `#${mention[2] === CHANNEL_ID ? 'console' : mention[2]}` : `@${mention[2]}`);
			i += mention[0].length - 1;
			continue;
		}
		// An underscore inside a word (snake_case) is not emphasis.
		const found = DELIMITERS.find(
			([d]) => text.startsWith(d, i) && !(d === '_' && /[\p{L}\p{N}]/u.test(text[i - 1] ?? '')),
		);
		if (found) {
			const [delim, style] = found;
			const end = closing(text, delim, i + delim.length);
			if (end > i + delim.length) {
				const inner = text.slice(i + delim.length, end);
				const shown = style === 'code' ? paint(look, 'dim', inner) : paint(look, style, markdown(inner, look));
				// Without colours a spoiler would read as plain text: it keeps its bars.
				out += style === 'inverse' && !look.color ? `||${shown}||` : shown;
				i = end + delim.length - 1;
				continue;
			}
		}
		out += ch;
	}
	return out;
}

/** Wraps styled text to `width` columns at spaces (a longer word is cut); styles carry over line ends. */
export function wrap(text: string, width: number): string[] {
	const lines: string[] = [];
	let open: string[] = [];
	for (const paragraph of text.split('\n')) {
		const tokens = paragraph.split(/( +)/).filter((t) => t !== '');
		let line = open.join('');
		const track = (token: string) => {
			for (const code of token.match(ANSI) ?? []) {
				if (code === '\x1b[0m' || code === '\x1b[m') open = [];
				else if (OFF.has(code)) open = open.filter((c) => !OFF.get(code)?.includes(c));
				else open.push(code);
			}
		};
		const flush = () => {
			lines.push(open.length ? `${line}\x1b[0m` : line);
			line = open.join('');
		};
		for (let token of tokens) {
			if (/^ +$/.test(token)) {
				if (visible(line) && visible(line) + token.length <= width) line += token;
				continue;
			}
			if (visible(line) && visible(line) + visible(token) > width) {
				line = line.replace(/ +$/, '');
				flush();
			}
			while (visible(token) > width) {
				const [head, tail] = cut(token, width - visible(line));
				line += head;
				track(head);
				flush();
				token = tail;
			}
			line += token;
			track(token);
		}
		lines.push(open.length ? `${line}\x1b[0m` : line);
	}
	return lines;
}

/** Each closing code and the opening codes it ends (22 ends both bold and dim). */
const OFF = new Map<string, string[]>();
for (const [on, off] of Object.values(SGR)) OFF.set(off, [...(OFF.get(off) ?? []), on]);

/**
 * The first `n` visible columns of a styled string, and the rest: cut between grapheme clusters, never
 * inside one, and never with a two-column character half on the line (at least one cluster is taken).
 */
function cut(text: string, n: number): [string, string] {
	let seen = 0;
	let i = 0;
	while (i < text.length) {
		const code = ANSI_AT_START.exec(text.slice(i));
		if (code) {
			i += code[0].length;
			continue;
		}
		const next = text.slice(i).search(ANSI);
		const run = next === -1 ? text.slice(i) : text.slice(i, i + next);
		for (const { segment, width } of graphemes(run)) {
			if (seen > 0 && seen + width > Math.max(1, n)) return [text.slice(0, i), text.slice(i)];
			seen += width;
			i += segment.length;
		}
	}
	return [text.slice(0, i), text.slice(i)];
}

// ------------------------------------------------------------------------------------------------ messages

/** An embed in a box, its left edge in the embed's colour on a terminal. */
export function renderEmbed(embed: APIEmbed, look: Look): string[] {
	const width = Math.max(30, look.width);
	const inner = width - 4;
	const bar = (s: string) => rgb(look, embed.color, s);
	const body: string[] = [];
	const add = (text: string) => body.push(...wrap(text, inner));
	const title = embed.title ? paint(look, 'bold', markdown(embed.title, look)) : '';
	let top: string;
	if (title && visible(title) <= inner - 2) {
		top = `${bar('┌')} ${title} ${bar('─'.repeat(Math.max(0, width - visible(title) - 4)))}${bar('┐')}`;
	} else {
		top = `${bar('┌')}${bar('─'.repeat(width - 2))}${bar('┐')}`;
		if (title) add(title);
	}
	if (embed.author?.name) add(paint(look, 'dim', markdown(embed.author.name, look)));
	// Discord does not show an embed text's leading or trailing blank lines.
	if (embed.description?.trim()) add(markdown(embed.description.trim(), look));
	// Inline fields (author, rating, words…) one to a line, together; the others as a name over its value.
	let inlineBefore = false;
	for (const field of embed.fields ?? []) {
		if (body.length && !(field.inline && inlineBefore)) body.push('');
		const name = paint(look, 'bold', markdown(field.name, look));
		if (field.inline) add(`${name}: ${markdown(field.value.trim(), look)}`);
		else {
			add(name);
			add(markdown(field.value.trim(), look));
		}
		inlineBefore = Boolean(field.inline);
	}
	if (embed.footer?.text) {
		if (body.length) body.push('');
		add(paint(look, 'dim', markdown(embed.footer.text, look)));
	}
	const lines = [top];
	for (const line of body)
		lines.push(`${bar('│')} ${line}${' '.repeat(Math.max(0, inner - visible(line)))} ${bar('│')}`);
	lines.push(`${bar('└')}${bar('─'.repeat(width - 2))}${bar('┘')}`);
	return lines;
}

/** A message: the ephemeral mark, its content, its embeds, then its numbered buttons and menu options. */
export function renderMessage(message: LocalMessage, look: Look): string {
	const lines: string[] = [];
	if (message.flags & MessageFlags.Ephemeral) lines.push(paint(look, 'dim', EPHEMERAL_MARK));
	if (message.flags & MessageFlags.Loading) lines.push(paint(look, 'dim', 'The bot is thinking…'));
	if (message.content) lines.push(...wrap(markdown(message.content, look), look.width));
	for (const embed of message.embeds) lines.push(...renderEmbed(embed, look));
	for (const file of message.attachments ?? []) {
		const size = file.width ? `${file.width}×${file.height} PNG, ` : '';
		lines.push(`🖼 ${file.name} (${size}${Math.ceil(file.size / 1024)} KB) saved to ${file.path}`);
		if (file.description) lines.push(...wrap(paint(look, 'dim', `alt: ${file.description}`), look.width));
	}
	lines.push(...renderActions(actionsOf(message), message, look));
	return lines.join('\n');
}

/** ` [1 « First] [2 ‹ Previous] …`, then each menu's placeholder and its options numbered after the buttons. */
export function renderActions(actions: Action[], message: Pick<LocalMessage, 'components'>, look: Look): string[] {
	const lines: string[] = [];
	const buttons = actions
		.map((a, i) => ({ a, n: i + 1 }))
		.filter((x): x is { a: Extract<Action, { kind: 'button' }>; n: number } => x.a.kind === 'button');
	if (buttons.length) {
		const labels = buttons.map(({ a, n }) => {
			const text = `[${n} ${a.label}${a.disabled ? ' (off)' : ''}]`;
			return a.disabled ? paint(look, 'dim', text) : a.primary ? paint(look, 'bold', text) : text;
		});
		// Whole buttons to a line: a label never breaks.
		let line = '';
		for (const label of labels) {
			if (line && visible(line) + 1 + visible(label) > look.width) {
				lines.push(line);
				line = '';
			}
			line = line ? `${line} ${label}` : label;
		}
		lines.push(line);
	}
	let menu = '';
	actions.forEach((a, i) => {
		if (a.kind !== 'option') return;
		if (a.customId !== menu) {
			menu = a.customId;
			const c = componentsOf(message).find((x) => x.type === ComponentType.StringSelect && x.custom_id === menu);
			const placeholder = c && 'placeholder' in c && c.placeholder ? c.placeholder : 'Choose';
			lines.push(`${placeholder}${a.disabled ? ' (off)' : ''}:`);
		}
		// A description that starts with its own dash (“— Spike”) is not given a second one.
		const sep = a.description && /^[—–-]/.test(a.description) ? ' ' : ' — ';
		const text = `  ${i + 1}. ${a.label}${a.description ? paint(look, 'dim', `${sep}${a.description}`) : ''}`;
		lines.push(a.disabled ? paint(look, 'dim', text) : text);
	});
	return lines;
}

/** A modal as the console shows it before asking for its inputs. */
export function renderModal(modal: APIModalInteractionResponseCallbackData, look: Look): string {
	const fields = modalInputs(modal).map((i) => `  ${i.label}${i.placeholder ? ` [${i.placeholder}]` : ''}`);
	return [paint(look, 'bold', `▣ ${modal.title}`), ...fields].join('\n');
}
