import {
	type APIApplicationCommandBasicOption,
	type APIApplicationCommandSubcommandOption,
	ApplicationCommandOptionType,
} from 'discord.js';
import type { Command } from '../discord/context.js';
import { CHANNEL_ID } from './ids.js';
import type { LocalOption } from './interactions.js';

/**
 * A typed line (`/read leaving 3`, `/read story:The Long Night page:3`, `/quote "moving day" Dawn`) → the
 * options Discord would send, checked the way Discord's client checks them before anything reaches the bot
 * (required options, whole numbers, minimums, lengths).
 */

/** A mistake in what was typed: said to the person; nothing is sent to the bot. */
export class InputError extends Error {
	override name = 'InputError';
}

export type OptionSpec = APIApplicationCommandBasicOption;

/** A command's subcommands (`/library list`, `/settings rating`), if it has any. */
export const subcommandsOf = (command: Command): APIApplicationCommandSubcommandOption[] =>
	(command.data.toJSON().options ?? []).filter(
		(o): o is APIApplicationCommandSubcommandOption => o.type === ApplicationCommandOptionType.Subcommand,
	);

/** The options of a command, or of one of its subcommands. */
export function specsOf(command: Command, subcommand?: string): OptionSpec[] {
	const options = command.data.toJSON().options ?? [];
	if (subcommand === undefined) {
		return options.filter((o): o is OptionSpec => o.type !== ApplicationCommandOptionType.Subcommand);
	}
	return (subcommandsOf(command).find((s) => s.name === subcommand)?.options ?? []) as OptionSpec[];
}

export interface ParsedLine {
	command: Command;
	/** The subcommand typed after the command's name, for a command that has them. */
	subcommand?: string;
	/** The options that can be typed: the command's, or its subcommand's. */
	specs: OptionSpec[];
	/** The text typed for each option. */
	values: Map<string, string>;
	/** The option the end of the line is typing, and where its text starts (for completion). */
	current: { spec: OptionSpec; start: number } | null;
}

const TRUE = /^(true|yes)$/i;
const FALSE = /^(false|no)$/i;
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whitespace-separated words with their positions; "double quotes" group words (and are dropped). */
function words(text: string, offset: number) {
	const out: { text: string; start: number; end: number }[] = [];
	const re = /"([^"]*)"?|(\S+)/g;
	for (let m = re.exec(text); m; m = re.exec(text)) {
		out.push({ text: m[1] ?? m[2] ?? '', start: offset + m.index, end: offset + m.index + m[0].length });
	}
	return out;
}

const matchesType = (spec: OptionSpec, text: string) =>
	spec.type === ApplicationCommandOptionType.Integer
		? /^-?\d+$/.test(text)
		: spec.type === ApplicationCommandOptionType.Number
			? /^-?\d+(\.\d+)?$/.test(text)
			: spec.type === ApplicationCommandOptionType.Boolean
				? /^(true|false)$/i.test(text)
				: spec.type === ApplicationCommandOptionType.Channel
					? /^(<#\d+>|#\S+|here|\d{17,20})$/i.test(text)
					: true;

/** One pair of surrounding quotes off a title; a search query keeps its quotes (they mean "a phrase"). */
const unquote = (spec: OptionSpec, text: string) =>
	'autocomplete' in spec && spec.autocomplete && /^".*"$/s.test(text) ? text.slice(1, -1) : text;

/** Splits a line into the command and the text of each option. */
export function parseLine(line: string, commands: readonly Command[]): ParsedLine {
	const head = /^\s*\/(\S*)(\s*)/.exec(line);
	if (!head) throw new InputError('Commands start with a slash: /story leaving');
	const name = (head[1] ?? '').toLowerCase();
	const command = commands.find((c) => c.data.name === name);
	if (!command) {
		throw new InputError(
			`There is no /${name}. The commands are ${commands.map((c) => `/${c.data.name}`).join(', ')}.`,
		);
	}
	let restStart = head[0].length;
	let subcommand: string | undefined;
	const subcommands = subcommandsOf(command);
	if (subcommands.length) {
		const sub = /^(\S*)(\s*)/.exec(line.slice(restStart)) as RegExpExecArray;
		const found = subcommands.find((s) => s.name === sub[1]?.toLowerCase());
		if (!found) {
			const names = subcommands.map((s) => `/${name} ${s.name}`).join(', ');
			throw new InputError(sub[1] ? `/${name} has no “${sub[1]}”: ${names}.` : `Say which: ${names}.`);
		}
		subcommand = found.name;
		restStart += sub[0].length;
	}
	const specs = specsOf(command, subcommand);
	const values = new Map<string, string>();
	let current: ParsedLine['current'] = null;
	const rest = line.slice(restStart);

	// `name:value` runs to the next `name:` of one of this command's options, or to the end.
	const keys: { spec: OptionSpec; at: number; valueAt: number }[] = [];
	if (specs.length) {
		const keyRe = new RegExp(`(^|\\s)(${specs.map((s) => escapeRe(s.name)).join('|')}):`, 'gi');
		for (let m = keyRe.exec(rest); m; m = keyRe.exec(rest)) {
			const spec = specs.find((s) => s.name === m?.[2]?.toLowerCase()) as OptionSpec;
			const at = m.index + (m[1] ?? '').length;
			keys.push({ spec, at, valueAt: at + spec.name.length + 1 });
		}
	}
	keys.forEach((key, i) => {
		const end = keys[i + 1]?.at ?? rest.length;
		const raw = rest.slice(key.valueAt, end);
		const lead = raw.length - raw.trimStart().length;
		values.set(key.spec.name, unquote(key.spec, raw.trim()));
		current = { spec: key.spec, start: restStart + key.valueAt + lead };
	});
	const positionalEnd = keys[0]?.at ?? rest.length;
	const positional = rest.slice(0, positionalEnd);
	const tokens = words(positional, restStart);
	// A free-text first string option (a search query, not autocompleted) takes every word typed without a name:
	// string options after it are named only (`fandom:…`), or a query's second word would become one.
	const text = specs.find((s) => s.type === ApplicationCommandOptionType.String);
	const namedOnly = (s: OptionSpec) =>
		text !== undefined &&
		!('autocomplete' in text && text.autocomplete) &&
		s !== text &&
		s.type === ApplicationCommandOptionType.String;
	const free = specs.filter((s) => !values.has(s.name) && !namedOnly(s));
	const endsInSpace = /\s$/.test(positional) || positional === '';

	// Typed options before the first string option (a channel, an hour) are taken from the left…
	let from = 0;
	for (; from < free.length; from++) {
		const spec = free[from] as OptionSpec;
		const first = tokens[0];
		if (spec.type === ApplicationCommandOptionType.String) break;
		if (!first || !matchesType(spec, first.text)) continue;
		values.set(spec.name, first.text);
		if (!keys.length && tokens.length === 1 && !endsInSpace) current = { spec, start: first.start };
		tokens.shift();
	}
	// …typed options at the end (page, private) from the right; the string options get the rest.
	const strings: OptionSpec[] = [];
	let stop = free.length;
	for (let i = free.length - 1; i >= from; i--) {
		const spec = free[i] as OptionSpec;
		if (spec.type === ApplicationCommandOptionType.String) {
			stop = i + 1;
			break;
		}
		stop = i;
		const last = tokens[tokens.length - 1];
		if (last && matchesType(spec, last.text)) {
			values.set(spec.name, last.text);
			if (!keys.length && tokens.length && last.end === restStart + positional.length)
				current = { spec, start: last.start };
			tokens.pop();
		}
	}
	for (const spec of free.slice(from, stop)) if (spec.type === ApplicationCommandOptionType.String) strings.push(spec);
	if (tokens.length && !strings.length) {
		const extra = tokens.map((t) => t.text).join(' ');
		throw new InputError(
			specs.length
				? `/${name} does not know what “${extra}” is. Its options: ${specs.map((s) => s.name).join(', ')}.`
				: `/${name} takes no options.`,
		);
	}
	const lastToken = tokens[tokens.length - 1];
	strings.forEach((spec, i) => {
		const isLast = i === strings.length - 1;
		if (!isLast) {
			const token = tokens.shift();
			if (token) values.set(spec.name, token.text);
			if (!keys.length && token && token === lastToken && !endsInSpace) current = { spec, start: token.start };
			return;
		}
		const first = tokens[0];
		if (first && lastToken) {
			values.set(spec.name, unquote(spec, line.slice(first.start, lastToken.end)));
			if (!keys.length && (!current || current.start < first.start)) current = { spec, start: first.start };
		}
	});
	// Nothing typed for the next string option yet: the cursor is where it starts.
	if (!keys.length && (!lastToken || endsInSpace)) {
		const next = strings.find((s) => !values.has(s.name));
		if (next) current = { spec: next, start: line.length };
	}
	return { command, ...(subcommand !== undefined ? { subcommand } : {}), specs, values, current };
}

/** The options as Discord would send them, after its client's checks; `picks` maps a chosen name to its value. */
export function toOptions(parsed: ParsedLine, picks: ReadonlyMap<string, string> = new Map()): LocalOption[] {
	const name = [parsed.command.data.name, parsed.subcommand].filter(Boolean).join(' ');
	const options: LocalOption[] = [];
	for (const spec of parsed.specs) {
		const text = parsed.values.get(spec.name)?.trim();
		if (!text) {
			if (spec.required) throw new InputError(`/${name} needs ${spec.name}: ${spec.description}.`);
			continue;
		}
		options.push({ name: spec.name, type: spec.type, value: typed(name, spec, text, picks) });
	}
	return wrapSubcommand(parsed, options);
}

/** A subcommand's options travel inside it, as Discord sends them. */
const wrapSubcommand = (parsed: ParsedLine, options: LocalOption[]): LocalOption[] =>
	parsed.subcommand === undefined
		? options
		: [{ name: parsed.subcommand, type: ApplicationCommandOptionType.Subcommand, options }];

/** A choice by its value or its name, any case; undefined when it is neither. */
function choice(spec: OptionSpec, text: string): string | number | undefined {
	const choices = ('choices' in spec ? spec.choices : undefined) ?? [];
	const lower = text.toLowerCase();
	return choices.find((c) => String(c.value).toLowerCase() === lower || c.name.toLowerCase() === lower)?.value;
}

function typed(command: string, spec: OptionSpec, text: string, picks: ReadonlyMap<string, string>) {
	const where = `/${command} ${spec.name}`;
	switch (spec.type) {
		case ApplicationCommandOptionType.String: {
			if (spec.choices?.length) {
				const picked = choice(spec, text);
				if (picked === undefined) {
					throw new InputError(`${where} is one of ${spec.choices.map((c) => c.value).join(', ')}.`);
				}
				return picked;
			}
			const value = (spec.autocomplete && picks.get(text)) || text;
			if (spec.min_length !== undefined && value.length < spec.min_length) {
				throw new InputError(`${where} needs at least ${spec.min_length} characters.`);
			}
			if (spec.max_length !== undefined && value.length > spec.max_length) {
				throw new InputError(`${where} takes at most ${spec.max_length} characters.`);
			}
			return value;
		}
		case ApplicationCommandOptionType.Integer:
		case ApplicationCommandOptionType.Number: {
			const whole = spec.type === ApplicationCommandOptionType.Integer;
			if (!matchesType(spec, text)) throw new InputError(`${where} must be a ${whole ? 'whole ' : ''}number.`);
			const value = Number(text);
			if (spec.min_value !== undefined && value < spec.min_value) {
				throw new InputError(`${where} must be at least ${spec.min_value}.`);
			}
			if (spec.max_value !== undefined && value > spec.max_value) {
				throw new InputError(`${where} must be at most ${spec.max_value}.`);
			}
			return value;
		}
		case ApplicationCommandOptionType.Channel: {
			// The console is one channel: #console (or its id, <#id>, or "here").
			const id = /^<#(\d+)>$/.exec(text)?.[1] ?? (/^(#?console|here)$/i.test(text) ? CHANNEL_ID : text);
			if (id !== CHANNEL_ID) throw new InputError(`${where}: the console has one channel, #console.`);
			return id;
		}
		case ApplicationCommandOptionType.Boolean:
			if (TRUE.test(text)) return true;
			if (FALSE.test(text)) return false;
			throw new InputError(`${where} is true or false.`);
		default:
			throw new InputError(`${where}: this kind of option cannot be typed in the console.`);
	}
}

/**
 * The options an autocomplete request carries: what is typed so far, the focused one as its raw text (as
 * Discord sends it), the others only when they are already valid.
 */
export function autocompleteOptions(parsed: ParsedLine, focused: OptionSpec, typedText: string): LocalOption[] {
	const options: LocalOption[] = [];
	for (const spec of parsed.specs) {
		if (spec.name === focused.name) {
			options.push({ name: spec.name, type: spec.type, value: typedText, focused: true });
			continue;
		}
		const text = parsed.values.get(spec.name)?.trim();
		if (!text) continue;
		try {
			options.push({ name: spec.name, type: spec.type, value: typed(parsed.command.data.name, spec, text, new Map()) });
		} catch {
			// not valid yet: Discord leaves it out too
		}
	}
	return wrapSubcommand(parsed, options);
}
