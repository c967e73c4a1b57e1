/** The log levels, least to most severe (LOG_LEVEL picks the lowest one written). */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogFields = Record<string, unknown>;

export interface Logger {
	debug(message: string, fields?: LogFields): void;
	info(message: string, fields?: LogFields): void;
	warn(message: string, fields?: LogFields): void;
	error(message: string, fields?: LogFields): void;
}

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

function serialise(fields: LogFields): string {
	const parts: string[] = [];
	for (const [key, value] of Object.entries(fields)) {
		if (value === undefined) continue;
		if (value instanceof Error) {
			parts.push(`${key}=${JSON.stringify(value.stack ?? value.message)}`);
		} else {
			parts.push(`${key}=${typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value)}`);
		}
	}
	return parts.join(' ');
}

/** One line per event on stderr: time, level, message and key=value context. */
export function createLogger(level: LogLevel = 'info', write: (line: string) => void = (l) => process.stderr.write(l)) {
	const at = ORDER[level];
	const emit =
		(lvl: LogLevel) =>
		(message: string, fields: LogFields = {}) => {
			if (ORDER[lvl] < at) return;
			const context = serialise(fields);
			write(`${new Date().toISOString()} ${lvl.toUpperCase().padEnd(5)} ${message}${context ? ` ${context}` : ''}\n`);
		};
	return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') } satisfies Logger;
}

/** A logger that keeps its lines, for tests that check what was logged. */
export function memoryLogger(): Logger & { lines: string[] } {
	const lines: string[] = [];
	return Object.assign(
		createLogger('debug', (line) => lines.push(line)),
		{ lines },
	);
}
