import { execFile } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { handleUncaughtErrors } from '../src/crash.js';
import { memoryLogger } from '../src/log.js';

const CHILD = new URL('fixtures/crash-child.ts', import.meta.url).pathname;

describe('errors nothing caught', () => {
	it('a rejected promise is logged with its stack and the bot keeps serving; an exception is logged, then exit 1', () => {
		const log = memoryLogger();
		const target = new EventEmitter();
		const exits: number[] = [];
		handleUncaughtErrors(log, target as unknown as NodeJS.Process, (code) => exits.push(code));
		target.emit('unhandledRejection', new Error('a reply that failed'), Promise.resolve());
		expect(exits).toEqual([]);
		expect(log.lines).toHaveLength(1);
		expect(log.lines[0]).toMatch(
			/ERROR unhandled promise rejection; still serving error="Error: a reply that failed\\n {4}at /,
		);
		target.emit('uncaughtException', new Error('discord.js broke'), 'uncaughtException');
		expect(exits).toEqual([1]);
		expect(log.lines[1]).toMatch(
			/ERROR uncaught exception; exiting for a restart error="Error: discord.js broke\\n.*" origin="uncaughtException"/,
		);
	});

	it('in a real process: survives the rejection, exits 1 after logging the exception', async () => {
		const result = await promisify(execFile)(process.execPath, ['--import', 'tsx', CHILD]).then(
			(r) => ({ code: 0, ...r }),
			(e: { code: number; stdout: string; stderr: string }) => e,
		);
		expect(result.code).toBe(1);
		expect(result.stdout).toBe('still serving\n');
		const lines = result.stderr.split('\n').filter(Boolean);
		expect(lines).toHaveLength(2);
		expect(lines[0]).toMatch(/ERROR unhandled promise rejection; still serving error="Error: a reply that failed/);
		expect(lines[1]).toMatch(/ERROR uncaught exception; exiting for a restart error="Error: discord\.js broke/);
	}, 30_000);
});
