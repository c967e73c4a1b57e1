import type { Logger } from './log.js';

/**
 * What the bot does with an error nothing caught. A promise rejected with no handler (a failed reply, a REST call
 * that timed out) is logged with its stack and the bot keeps serving: the interaction it belonged to already got
 * its generic reply or timed out. An exception thrown outside any handler leaves the process in a state nobody
 * can vouch for: it is logged, then the process exits with code 1 for its supervisor (systemd, Docker, pm2, or the
 * ShardingManager for a shard) to restart it.
 */
export function handleUncaughtErrors(
	log: Logger,
	target: Pick<NodeJS.Process, 'on'> = process,
	exit: (code: number) => void = (code) => process.exit(code),
): void {
	target.on('unhandledRejection', (reason: unknown) => {
		log.error('unhandled promise rejection; still serving', { error: reason });
	});
	target.on('uncaughtException', (error: Error, origin: string) => {
		log.error('uncaught exception; exiting for a restart', { error, origin });
		exit(1);
	});
}
