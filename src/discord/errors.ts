/**
 * An error whose message is written for the person who used the command ("No story matches “xyz”."). The
 * router shows it as it is; every other error is logged with its context and answered with a generic line.
 */
export class UserError extends Error {
	override name = 'UserError';
}

export const GENERIC_ERROR = 'Something went wrong on our side and it has been logged. Please try again in a moment.';
