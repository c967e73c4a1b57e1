import type { APIModalInteractionResponseCallbackData } from 'discord.js';
import { ApplicationCommandOptionType, MessageFlags } from 'discord.js';
import type { Context } from '../discord/context.js';
import { LocalChannel, type Outcome, type Place } from './channel.js';
import type { Response } from './interactions.js';
import { autocompleteOptions, InputError, parseLine, subcommandsOf, toOptions } from './options.js';
import { actionsOf, type Look, renderMessage, renderModal, wrap } from './render.js';
import { LocalApiError, type LocalMessage, modalInputs } from './wire.js';

/**
 * What the console says at the start and on `help`, a paragraph a line; helpText wraps it to the terminal.
 * Its examples work on the stories shipped in data/.
 */
export const HELP_PARAGRAPHS = [
	'Type a command as in Discord: /story leaving · /read leaving 3 · /quote · /search "ten miles" · /archive',
	'Options go by position or by name: /read story:Moving Day page:3. Quotes group words: /quote "moving day" Dawn',
	"Tab completes commands, stories and characters (the bot's own autocomplete). A number clicks that button or menu option of the last message with any. help shows this; exit or Ctrl-D leaves.",
] as const;

/** The help text wrapped at word boundaries to `width` columns. */
export function helpText(width: number): string {
	return HELP_PARAGRAPHS.map((p) => wrap(p, Math.max(20, width)).join('\n')).join('\n');
}

export interface SessionOptions {
	ctx: Context;
	place?: Place;
	look: Look;
	/** Print the raw payloads (as Discord receives them) instead of drawing them. */
	json?: boolean;
	/** A channel shared with another session (another reader in the same channel); a new one by default. */
	channel?: LocalChannel;
	/** Asks the person for a modal's input, printing `intro` first; null when nobody can answer (end of input). */
	ask?: (question: string, intro?: string) => Promise<string | null>;
}

/** What one typed line printed, and whether it went well (for an exit code). */
export interface Result {
	output: string;
	ok: boolean;
}

/** A console session: typed lines → interactions in one local channel → text to print. */
export class ConsoleSession {
	readonly channel: LocalChannel;
	/** The message a typed number clicks: the last one shown with buttons or a menu. */
	target: LocalMessage | null = null;
	/** Names picked from autocomplete → the value Discord would send (`Leaving — Slaymesoftly` → `id:1`). */
	private readonly picks = new Map<string, string>();

	/** Who types in this session. */
	readonly userId: string;

	constructor(private readonly options: SessionOptions) {
		this.channel = options.channel ?? new LocalChannel(options.ctx, options.place);
		this.userId = options.place?.userId ?? this.channel.userId;
	}

	async run(input: string): Promise<Result> {
		const line = input.trim();
		if (!line) return { output: '', ok: true };
		if (/^(help|\?|\/help)$/i.test(line)) return { output: helpText(this.options.look.width), ok: true };
		try {
			if (/^\d+$/.test(line)) return await this.click(Number(line));
			if (line.startsWith('/')) {
				const parsed = parseLine(line, this.options.ctx.commands);
				const options = toOptions(parsed, this.picks);
				return await this.show(await this.channel.command(parsed.command.data.name, options, this.userId));
			}
			return { output: 'Type a slash command (/story leaving), a number to click, or help.', ok: false };
		} catch (error) {
			if (error instanceof InputError || error instanceof LocalApiError) return { output: error.message, ok: false };
			throw error;
		}
	}

	/** Clicks the n-th button, or picks the n-th menu option, of the target message. */
	private async click(n: number): Promise<Result> {
		const target = this.target && this.channel.messages.get(this.target.id);
		if (!target) return { output: 'Nothing to click yet: run a command first.', ok: false };
		const actions = actionsOf(target);
		const action = actions[n - 1];
		if (!action) {
			return {
				output: actions.length ? `Pick 1 to ${actions.length}.` : 'That message has nothing to click.',
				ok: false,
			};
		}
		if (action.disabled) return { output: `“${action.label}” is disabled.`, ok: false };
		if (action.kind === 'button' && action.url) return { output: `Opens ${action.url}`, ok: true };
		const outcome =
			action.kind === 'button'
				? await this.channel.click(target, action.customId, this.userId)
				: await this.channel.select(target, action.customId, [action.value], this.userId);
		return this.show(outcome);
	}

	/** Prints what an interaction led to: each message it made or changed, once, as it ended up. */
	private async show(outcome: Outcome): Promise<Result> {
		const out: string[] = [];
		let ok = outcome.error === undefined;
		for (const r of outcome.responses) {
			if ('message' in r && this.channel.messages.has(r.message.id) && actionsOf(r.message).length) {
				this.target = r.message;
			}
		}
		if (this.options.json) {
			out.push(JSON.stringify(outcome.responses.map(wire), null, 2));
		} else {
			const created = new Set<string>();
			const touched: LocalMessage[] = [];
			for (const r of outcome.responses) {
				if (!('message' in r)) continue;
				if (r.kind === 'reply' || r.kind === 'deferReply' || r.kind === 'followUp') created.add(r.message.id);
				if (r.kind === 'deleteReply') {
					if (!created.has(r.message.id)) out.push(this.dim('(the bot deleted its earlier reply)'));
					continue;
				}
				if (!touched.includes(r.message)) touched.push(r.message);
			}
			for (const message of touched) {
				if (!this.channel.messages.has(message.id)) continue;
				if (!created.has(message.id)) out.push(this.dim('↻ updated:'));
				out.push(renderMessage(message, this.options.look));
			}
		}
		if (outcome.error !== undefined) out.push(`The router threw: ${String(outcome.error)}`);
		if (!outcome.responses.length) {
			ok = false;
			out.push('The bot did not answer: Discord would show “This interaction failed”.');
		} else if ((outcome.acknowledgedMs ?? 0) > 3000) {
			out.push(`Answered after ${Math.round(outcome.acknowledgedMs ?? 0)} ms: Discord gives up after 3,000.`);
		}
		for (const r of outcome.responses) {
			if (r.kind !== 'modal') continue;
			if (this.options.json && !this.options.ask) continue;
			const next = await this.modal(r.data, r.source);
			out.push(next.output);
			ok &&= next.ok;
		}
		return { output: out.filter((s) => s !== '').join('\n'), ok };
	}

	/** A modal: shown, its inputs asked for on the prompt, then submitted. */
	private async modal(modal: APIModalInteractionResponseCallbackData, source: LocalMessage | null): Promise<Result> {
		// In JSON mode the modal is already among the printed responses.
		let shown = this.options.json ? '' : renderModal(modal, this.options.look);
		const values: Record<string, string> = {};
		for (const input of modalInputs(modal)) {
			const answer = this.options.ask ? await this.options.ask(`${input.label}: `, shown) : null;
			if (answer === null) {
				return { output: [shown, '(the form was closed without an answer)'].filter(Boolean).join('\n'), ok: true };
			}
			shown = ''; // printed with the first question
			values[input.customId] = answer;
		}
		try {
			const next = await this.show(await this.channel.submit(modal, values, source, this.userId));
			return { output: next.output, ok: next.ok };
		} catch (error) {
			if (error instanceof LocalApiError) return { output: error.message, ok: false };
			throw error;
		}
	}

	/** readline's completer: command names, then the bot's own autocomplete for the option being typed. */
	async complete(line: string): Promise<[string[], string]> {
		const commands = this.options.ctx.commands;
		if (/^\s*\/\S*$/.test(line)) {
			const typed = line.trim().toLowerCase();
			return [commands.map((c) => `/${c.data.name} `).filter((n) => n.startsWith(typed)), line.trimStart()];
		}
		const sub = /^\s*\/(\S+)\s+(\S*)$/.exec(line);
		const subcommands = sub && commands.find((c) => c.data.name === sub[1]?.toLowerCase());
		if (sub && subcommands && subcommandsOf(subcommands).length) {
			const typed = sub[2] ?? '';
			const names = subcommandsOf(subcommands).map((s) => `${s.name} `);
			return [names.filter((n) => n.startsWith(typed.toLowerCase())), typed];
		}
		let parsed: ReturnType<typeof parseLine>;
		try {
			parsed = parseLine(line, commands);
		} catch {
			return [[], line];
		}
		const current = parsed.current;
		if (!current) return [[], ''];
		const typed = line.slice(current.start);
		if (current.spec.type === ApplicationCommandOptionType.Boolean) {
			return [['true ', 'false '].filter((b) => b.startsWith(typed.toLowerCase())), typed];
		}
		const choices = 'choices' in current.spec ? (current.spec.choices ?? []) : [];
		if (choices.length) {
			return [choices.map((c) => `${c.value} `).filter((v) => v.toLowerCase().startsWith(typed.toLowerCase())), typed];
		}
		if (!('autocomplete' in current.spec && current.spec.autocomplete)) return [[], typed];
		const focused = typed.replace(/^"/, '').replace(/"$/, '');
		let suggested: Awaited<ReturnType<LocalChannel['autocomplete']>>;
		try {
			suggested = await this.channel.autocomplete(
				parsed.command.data.name,
				autocompleteOptions(parsed, current.spec, focused),
				this.userId,
			);
		} catch {
			return [[], typed];
		}
		// A title in the middle of positional options is quoted, so the next option can follow it.
		const strings = parsed.specs.filter((s) => s.type === ApplicationCommandOptionType.String).map((s) => s.name);
		const positional = !line.slice(0, current.start).trimEnd().endsWith(':');
		const quote = positional && strings.indexOf(current.spec.name) < strings.length - 1;
		return [
			suggested.map((c) => {
				this.picks.set(c.name, String(c.value));
				// A space after it, as a shell does, so the next option can be typed straight away.
				return `${quote && /\s/.test(c.name) ? `"${c.name}"` : c.name} `;
			}),
			typed,
		];
	}

	private dim(text: string) {
		return this.options.look.color ? `\x1b[2m${text}\x1b[22m` : text;
	}
}

/** A body with its files as Discord's `attachments` entries (name, alt text, size) instead of their bytes. */
const withoutBytes = <T extends { files?: { name: string; description?: string; data: Buffer }[] }>(data: T) => {
	if (!data.files) return data;
	const { files, ...rest } = data;
	return {
		...rest,
		attachments: files.map((f, id) => ({ id, filename: f.name, description: f.description, size: f.data.length })),
	};
};

/** A response as the raw payload Discord receives: callback type and data, or the webhook body. */
export function wire(r: Response) {
	switch (r.kind) {
		case 'reply':
		case 'update':
			return { kind: r.kind, type: r.type, data: withoutBytes(r.data) };
		case 'deferReply':
			return { kind: r.kind, type: r.type, data: r.data };
		case 'deferUpdate':
			return { kind: r.kind, type: r.type };
		case 'editReply':
		case 'followUp':
			return { kind: r.kind, data: withoutBytes(r.data), ephemeral: Boolean(r.message.flags & MessageFlags.Ephemeral) };
		case 'deleteReply':
			return { kind: r.kind };
		case 'modal':
		case 'choices':
			return { kind: r.kind, type: r.type, data: r.data };
	}
}
