import { afterAll, beforeAll, expect, it } from 'vitest';
import { LocalChannel } from '../../src/console/channel.js';
import { DEFAULT_USER } from '../../src/console/ids.js';
import { ConsoleSession } from '../../src/console/session.js';
import { FRIEND, openFixture } from './fixture.js';

let fx: Awaited<ReturnType<typeof openFixture>>;
beforeAll(async () => {
	fx = await openFixture();
});
afterAll(() => fx?.close());

it('a long random walk of commands, clicks and page jumps never hits an unexpected error', async () => {
	let seed = 42;
	const random = (n: number) => {
		seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
		return seed % n;
	};
	const answers = ['3', '1', '999', 'abc', ''];
	const channel = new LocalChannel(fx.ctx);
	const sessions = [DEFAULT_USER, FRIEND].map(
		(userId) =>
			new ConsoleSession({
				ctx: fx.ctx,
				channel,
				look: { width: 80, color: false },
				place: { userId },
				ask: async () => answers[random(answers.length)] ?? null,
			}),
	);
	let clicks = 0;
	const lines = [
		'/read leaving',
		'/read moving day 3',
		'/read after dark',
		'/story leaving',
		'/story moving private:true',
		'/quote',
		'/quote leaving Spike',
		'/search lighthouse',
		'/search "ten miles"',
		'/search spik*',
		'/archive',
		'/library list',
		'/quotes',
		'/quotes top',
		'/settings show',
	];
	for (let step = 0; step < 600; step++) {
		const session = sessions[random(2)] as ConsoleSession;
		// Both readers share one channel: the friend clicks the first reader's messages too.
		const other = sessions.find((s) => s !== session) as ConsoleSession;
		if (other.target && random(3) === 0) session.target = other.target;
		const line = random(3) === 0 ? (lines[random(lines.length)] as string) : String(1 + random(7));
		const result = await session.run(line);
		if (/^\d+$/.test(line) && !/^(Pick|Nothing|That message|“)/.test(result.output)) clicks++;
		expect(result.output, line).not.toContain('Something went wrong');
		expect(result.output, line).not.toContain('did not answer');
	}
	expect(clicks).toBeGreaterThan(80);
	expect(fx.log.lines.filter((l) => l.includes('ERROR'))).toEqual([]);
});
