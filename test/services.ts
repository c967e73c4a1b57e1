import { connect } from 'node:net';

/** The servers the state tests run against for real: Redis and PostgreSQL on loopback, as .ci/run starts them. */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

/** Whether something accepts a TCP connection at the URL's host and port within the deadline. */
export function reachable(url: string, ms = 1000): Promise<boolean> {
	const { hostname, port, protocol } = new URL(url);
	const fallback = protocol.startsWith('redis') ? 6379 : 5432;
	return new Promise((resolve) => {
		const socket = connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port) || fallback });
		const done = (ok: boolean) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(ms, () => done(false));
		socket.once('connect', () => done(true));
		socket.once('error', () => done(false));
	});
}

/**
 * Why the tests that need a server should be skipped, or null to run them. Outside CI a server that is not
 * running is a skip with a reason (said once on stderr); under CI (env CI set, as .ci/run does) they run and
 * fail, so a missing service is never a silent pass.
 */
export async function skipWithout(
	name: string,
	url: string,
	env: Record<string, string | undefined> = process.env,
): Promise<string | null> {
	if (env.CI || (await reachable(url))) return null;
	const where = new URL(url);
	const reason =
		`skipped: ${name} is not reachable at ${where.hostname}:${where.port || (name === 'Redis' ? 6379 : 5432)} ` +
		`(start it, or point ${name === 'Redis' ? 'TEST_REDIS_URL' : 'TEST_POSTGRES_URL'} at one; under CI=1 this fails instead)`;
	console.warn(`[tests] ${reason}`);
	return reason;
}
