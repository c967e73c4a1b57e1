import {
	type AutocompleteInteraction,
	type ChatInputCommandInteraction,
	type Interaction,
	MessageFlags,
	type RepliableInteraction,
} from 'discord.js';
import { StateError } from '../state.js';
import { ANSWER_BUDGET_MS, type Answer, answerInTime } from './answer.js';
import type { Command, ComponentInteraction, Context, LiveHandle } from './context.js';
import { customIdPrefix } from './custom-id.js';
import { GENERIC_ERROR, STALE_COMPONENT, STATE_UNAVAILABLE, UserError } from './errors.js';
import { message } from './render/message.js';

/**
 * The one interactionCreate handler: slash commands by name, autocomplete by command, buttons, menus and
 * modals by their custom_id's prefix. Errors are caught here, once: a UserError's text is shown, a StateError
 * gets the command's `unavailable` line, anything else is logged with its context and answered with a
 * generic line. Nothing escapes to crash the client. With `archive`, each interaction is served by the
 * archive current when it arrived. Answers go in one round trip when they are ready within `answerWithinMs`
 * of the interaction's arrival, and are deferred then when not (answer.ts).
 */
export function createRouter(
	commands: readonly Command[],
	base: Context,
	archive?: LiveHandle,
	options: { answerWithinMs?: number } = {},
) {
	const budgetMs = options.answerWithinMs ?? ANSWER_BUDGET_MS;
	const byName = new Map(commands.map((c) => [c.data.name, c]));
	const byPrefix = new Map<string, Command>();
	for (const command of commands) if (command.components) byPrefix.set(command.components.prefix, command);

	return async function route(interaction: Interaction): Promise<void> {
		// The archive is taken once per interaction: one that is switched meanwhile serves the next one.
		const ctx = archive ? { ...base, ...archive.current } : base;
		if (interaction.isAutocomplete()) return autocomplete(interaction, ctx);
		if (!interaction.isRepliable()) return;
		let command: Command | undefined;
		if (interaction.isChatInputCommand()) command = byName.get(interaction.commandName);
		else if (interaction.isMessageComponent() || interaction.isModalSubmit()) {
			command = byPrefix.get(customIdPrefix(interaction.customId));
		}
		// From here the handler's reply or update is answered directly, or deferred at the budget.
		const answer = answerInTime(interaction, { budgetMs, privately: command?.ephemeral === true, log: base.log });
		try {
			if (interaction.isChatInputCommand()) {
				if (!command) throw new UserError('That command is not part of this bot any more.');
				await command.run(interaction, ctx);
			} else if (interaction.isMessageComponent() || interaction.isModalSubmit()) {
				if (!command?.components) throw new UserError(STALE_COMPONENT);
				await command.components.run(interaction, ctx);
			}
		} catch (error) {
			await answerError(interaction, answer, error, command);
		} finally {
			answer.settle();
		}
	};

	async function autocomplete(interaction: AutocompleteInteraction, ctx: Context): Promise<void> {
		try {
			const command = byName.get(interaction.commandName);
			if (command?.autocomplete) await command.autocomplete(interaction, ctx);
			else await interaction.respond([]);
		} catch (error) {
			ctx.log.error('autocomplete failed', { command: interaction.commandName, user: interaction.user.id, error });
			if (!interaction.responded) await interaction.respond([]).catch(() => undefined);
		}
	}

	async function answerError(
		interaction: RepliableInteraction,
		answer: Answer,
		error: unknown,
		command?: Command,
	): Promise<void> {
		let text: string;
		if (error instanceof UserError) {
			text = error.message;
		} else if (error instanceof StateError) {
			// The state store is down or slow: said once here for every command, in the command's words.
			text = command?.unavailable ?? STATE_UNAVAILABLE;
			base.log.warn('state store unavailable', { ...describe(interaction), error });
		} else {
			text = GENERIC_ERROR;
			base.log.error('interaction failed', { ...describe(interaction), error });
		}
		try {
			// To the user alone: a public "thinking…" gives way to it rather than turn into a public error.
			await answer.error({ ...message({ content: text }), flags: MessageFlags.Ephemeral });
		} catch (replyError) {
			base.log.warn('could not tell the user about an error', { ...describe(interaction), error: replyError });
		}
	}
}

/** Who did what where, for the log line of an unexpected error. */
function describe(interaction: RepliableInteraction) {
	return {
		interaction: interaction.id,
		user: interaction.user.id,
		guild: interaction.guildId ?? 'dm',
		channel: interaction.channelId ?? undefined,
		command: (interaction as ChatInputCommandInteraction).commandName ?? undefined,
		customId: (interaction as ComponentInteraction).customId ?? undefined,
	};
}
