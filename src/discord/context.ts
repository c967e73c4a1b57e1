import type {
	AutocompleteInteraction,
	ChatInputCommandInteraction,
	MessageComponentInteraction,
	ModalSubmitInteraction,
	RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { ArchiveSearch } from '../archive/search/index.js';
import type { ArchiveStore } from '../archive/store.js';
import type { Logger } from '../log.js';
import type { State } from '../state.js';

/** What every command gets: the archive (read-only), the state store, and the logger. No module globals. */
export interface Context {
	store: ArchiveStore;
	search: ArchiveSearch;
	state: State;
	log: Logger;
	/** The bot's commands, for /archive's help. */
	commands: readonly Command[];
}

/** Where the archive being served now is read (src/archive/live.ts): replaced whole when a new store arrives. */
export interface LiveHandle {
	readonly current: Pick<Context, 'store' | 'search'>;
}

export type ComponentInteraction = MessageComponentInteraction | ModalSubmitInteraction;

/** A slash command: its definition, its handler, and the buttons, menus and modals whose custom_ids it owns. */
export interface Command {
	data: { readonly name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
	/** One line for /archive's list of commands. */
	help: string;
	/**
	 * What the person is told when the state store cannot be reached while this command (or one of its
	 * components) runs: the router maps every StateError to it (STATE_UNAVAILABLE when absent).
	 */
	unavailable?: string;
	/**
	 * Every answer is for the asker alone: when an answer has to be deferred (answer.ts), its "thinking…" is
	 * shown to them alone too.
	 */
	ephemeral?: boolean;
	run(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void>;
	autocomplete?(interaction: AutocompleteInteraction, ctx: Context): Promise<void>;
	components?: {
		/** The custom_id prefix this command answers (see custom-id.ts). */
		prefix: string;
		run(interaction: ComponentInteraction, ctx: Context): Promise<void>;
	};
}
