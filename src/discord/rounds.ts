import type { Logger } from '../log.js';

/**
 * Work done in rounds on a timer (the quote of the day, reading clubs): `tick` is one round; `start` runs one every
 * interval, a failed round logged and the next one tried; the timer keeps no process alive.
 */
export abstract class Rounds {
	private timer: NodeJS.Timeout | undefined;

	constructor(
		private readonly what: string,
		private readonly logger: Logger,
	) {}

	/** One round, at `now`. */
	abstract tick(now?: Date): Promise<unknown>;

	start(intervalMs = 60_000): this {
		this.timer = setInterval(() => {
			this.tick().catch((error: unknown) => this.logger.error(`${this.what} failed`, { error }));
		}, intervalMs);
		this.timer.unref();
		return this;
	}

	stop(): void {
		clearInterval(this.timer);
	}
}
