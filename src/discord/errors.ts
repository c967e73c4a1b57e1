import { MessageFlags } from 'discord.js';

/**
 * An error whose message is written for the person who used the command ("No story matches “xyz”."). The
 * router shows it as it is; every other error is logged with its context and answered with a generic line.
 */
export class UserError extends Error {
	override name = 'UserError';
}

export const GENERIC_ERROR = 'Something went wrong on our side and it has been logged. Please try again in a moment.';

/** What a button, menu or modal from an older version, or a forged one, gets told. */
export const STALE_COMPONENT =
	'This button no longer works: it is from an older version of the bot or was changed. Run the command again.';

/** What a StateError is answered with when the command names nothing more precise. */
export const STATE_UNAVAILABLE = 'That cannot be reached right now. Please try again in a minute.';

/** The flag of an answer only the person who asked sees. */
export const EPHEMERAL = MessageFlags.Ephemeral;
