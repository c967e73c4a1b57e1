import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { reachable, skipWithout } from './services.js';

describe('the services the state tests need', () => {
	it('skips, saying why, when nothing listens; runs anyway under CI', async () => {
		const closed = 'redis://127.0.0.1:1';
		const reason = await skipWithout('Redis', closed, {});
		expect(reason).toMatch(/^skipped: Redis is not reachable at 127\.0\.0\.1:1 .*TEST_REDIS_URL/);
		expect(await skipWithout('Redis', closed, { CI: '1' })).toBeNull();
		expect(await skipWithout('PostgreSQL', 'postgresql://postgres@127.0.0.1:1/test', {})).toMatch(
			/PostgreSQL .*TEST_POSTGRES_URL/,
		);
	});

	it('runs when the server accepts connections', async () => {
		const server = createServer((socket) => socket.end());
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as { port: number };
		try {
			expect(await reachable(`redis://127.0.0.1:${port}`)).toBe(true);
			expect(await skipWithout('Redis', `redis://127.0.0.1:${port}`, {})).toBeNull();
		} finally {
			server.close();
		}
	});
});
