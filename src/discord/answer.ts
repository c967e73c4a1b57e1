import { MessageFlags, MessageFlagsBitField, type RepliableInteraction } from 'discord.js';
import type { Logger } from '../log.js';
import type { MessagePayload } from './render/message.js';

/**
 * How long after an interaction arrives its handler may work before the answer is deferred. Discord wants the
 * first answer within 3 s of sending the interaction; the rest is margin for the gateway's delivery and the
 * deferral's own trip. Reading the archive is synchronous and bounded by the search's own budgets, so what
 * overruns this is the state store (two slow keyv calls in a row, each allowed a second).
 */
export const ANSWER_BUDGET_MS = 1500;

/** Who answers what after a deferral: the answer to the "thinking…" reply, or to the clicked message. */
type Deferral = { kind: 'reply'; ephemeral: boolean } | { kind: 'update' };

export interface Answer {
	/** Answers an error's body (ephemeral) whatever has been sent so far: reply, edit, or follow-up. */
	error(body: MessagePayload & { flags: number }): Promise<void>;
	/** The handler is done: no deferral after this. */
	settle(): void;
}

const isEphemeral = (options: unknown): boolean =>
	typeof options === 'object' &&
	options !== null &&
	(('ephemeral' in options && options.ephemeral === true) ||
		('flags' in options &&
			new MessageFlagsBitField(options.flags as MessageFlagsBitField['bitfield']).has(MessageFlags.Ephemeral)));

/** A body for an edit: edits cannot set the ephemeral flag (the message already is, or is not). */
function forEdit(options: unknown): unknown {
	if (typeof options !== 'object' || options === null || !('flags' in options)) return options;
	const { flags, ...rest } = options as { flags: MessageFlagsBitField['bitfield'] };
	const kept = new MessageFlagsBitField(flags).remove(MessageFlags.Ephemeral).bitfield;
	return kept ? { ...rest, flags: kept } : rest;
}

/**
 * One round trip: the handler answers with `reply`/`update` as usual, and the answer goes straight into the
 * interaction callback (type 4 or 7) when it is ready within `budgetMs` of the interaction's arrival; only
 * when it is not is the interaction deferred then (a "thinking…" reply for a command or a modal, a deferred
 * update for a component), and the handler's `reply`/`update` become the edit or follow-up that answers it.
 * Wraps the interaction's own methods, so commands need not know which happened.
 *
 * Deferring costs a second request that discord.js counts against its 50 a second global REST limit (the
 * callback is not counted), so at more than 50 deferred answers a second every answer would wait for it.
 *
 * `privately` says how a command's "thinking…" is shown: an answer of the other visibility replaces it
 * (deleted, then a follow-up), so nothing private is ever shown in the channel.
 */
export function answerInTime(
	interaction: RepliableInteraction,
	options: { budgetMs: number; privately: boolean; log: Logger },
): Answer {
	const own = {
		reply: interaction.reply.bind(interaction),
		deferReply: interaction.deferReply.bind(interaction),
		editReply: interaction.editReply.bind(interaction),
		deleteReply: interaction.deleteReply.bind(interaction),
		followUp: interaction.followUp.bind(interaction),
		showModal: 'showModal' in interaction ? interaction.showModal.bind(interaction) : undefined,
		update: 'update' in interaction ? interaction.update.bind(interaction) : undefined,
		deferUpdate: 'deferUpdate' in interaction ? interaction.deferUpdate.bind(interaction) : undefined,
	};
	let phase: 'open' | 'deferring' | 'deferred' | 'answered' = 'open';
	let deferral: Deferral | undefined;
	let deferring: Promise<void> = Promise.resolve();

	const timer = setTimeout(() => {
		if (phase !== 'open') return;
		// A component's message (or a modal opened from one) is answered by editing it or by a follow-up.
		const onMessage = interaction.isMessageComponent() || (interaction.isModalSubmit() && interaction.isFromMessage());
		const how: Deferral =
			onMessage && own.deferUpdate
				? { kind: 'update' }
				: { kind: 'reply', ephemeral: options.privately || privateOption(interaction) };
		defer(how).then(
			() => options.log.info('answer deferred: not ready in time', { ...about(interaction), ms: options.budgetMs }),
			(error: unknown) => options.log.warn('could not defer an answer', { ...about(interaction), error }),
		);
	}, options.budgetMs);

	function defer(how: Deferral): Promise<void> {
		phase = 'deferring';
		deferral = how;
		const sent =
			how.kind === 'update' && own.deferUpdate
				? own.deferUpdate()
				: own.deferReply(how.kind === 'reply' && how.ephemeral ? { flags: MessageFlags.Ephemeral } : {});
		deferring = sent.then(
			() => {
				phase = 'deferred';
			},
			(error: unknown) => {
				// Not deferred after all: the answer may still go directly.
				phase = 'open';
				deferral = undefined;
				throw error;
			},
		);
		return deferring;
	}

	/** The handler's answer (`reply` or `update`), sent the way the interaction stands now. */
	async function answer(kind: 'reply' | 'update', body: unknown): Promise<unknown> {
		if (phase === 'deferring') await deferring.catch(() => undefined);
		if (phase === 'open' || phase === 'answered') {
			// Not deferred: straight into the callback (a second answer fails as discord.js says).
			phase = 'answered';
			clearTimeout(timer);
			if (kind === 'update' && own.update) return own.update(body as never);
			return own.reply(body as never);
		}
		phase = 'answered';
		if (deferral?.kind === 'update') {
			return kind === 'update' ? own.editReply(forEdit(body) as never) : own.followUp(body as never);
		}
		if (isEphemeral(body) === (deferral?.kind === 'reply' && deferral.ephemeral)) {
			return own.editReply(forEdit(body) as never);
		}
		// The other visibility than the "thinking…": it goes, and the answer follows as itself.
		await own.deleteReply().catch(() => undefined);
		return own.followUp(body as never);
	}

	const patch = interaction as unknown as Record<string, unknown>;
	patch.reply = (body: unknown) => answer('reply', body);
	if (own.update) patch.update = (body: unknown) => answer('update', body);
	// A handler that defers by itself (work it knows to be long) still may: the timer stands down.
	patch.deferReply = async (body?: unknown) => {
		clearTimeout(timer);
		if (phase === 'answered') return void (await own.deferReply(body as never));
		if (phase !== 'open') return deferring;
		await defer({ kind: 'reply', ephemeral: isEphemeral(body) });
	};
	if (own.deferUpdate) {
		patch.deferUpdate = async () => {
			clearTimeout(timer);
			if (phase === 'answered') return void (await own.deferUpdate?.());
			if (phase !== 'open') return deferring;
			await defer({ kind: 'update' });
		};
	}
	if (own.showModal) {
		patch.showModal = (modal: unknown) => {
			clearTimeout(timer);
			phase = 'answered';
			return own.showModal?.(modal as never);
		};
	}

	return {
		async error(body) {
			if (phase === 'deferring') await deferring.catch(() => undefined);
			// After an answer (or its attempt): a follow-up, if Discord took the answer.
			if (phase === 'answered' && (interaction.replied || interaction.deferred)) {
				await own.followUp(body);
				return;
			}
			await answer('reply', body);
		},
		settle() {
			clearTimeout(timer);
		},
	};
}

/** The command's `private` option, when it has one and it is set. */
function privateOption(interaction: RepliableInteraction): boolean {
	return interaction.isChatInputCommand() && interaction.options.getBoolean('private') === true;
}

function about(interaction: RepliableInteraction) {
	return {
		interaction: interaction.id,
		command: interaction.isChatInputCommand() ? interaction.commandName : undefined,
		customId: interaction.isMessageComponent() || interaction.isModalSubmit() ? interaction.customId : undefined,
	};
}
