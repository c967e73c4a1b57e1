import { SlashCommandBuilder } from '@discordjs/builders';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LocalChannel } from '../../src/console/channel.js';
import type { Command } from '../../src/discord/context.js';
import { STATE_UNAVAILABLE } from '../../src/discord/errors.js';
import { StateError } from '../../src/state.js';
import { openFixture } from '../console/fixture.js';

/** Commands whose state store fails, with and without words of their own for it. */
const failing = (name: string, unavailable?: string): Command => ({
	data: new SlashCommandBuilder().setName(name).setDescription('tests only'),
	help: `/${name}`,
	...(unavailable ? { unavailable } : {}),
	async run() {
		throw new StateError('the state store did not answer within 1000 ms');
	},
});

let fx: Awaited<ReturnType<typeof openFixture>>;
beforeAll(async () => {
	fx = await openFixture([failing('plain'), failing('worded', 'The shelf cannot be reached right now.')]);
});
afterAll(() => fx?.close());

it('answers a StateError once, in the router: the command’s words, else a general line; logged as a warning', async () => {
	const channel = new LocalChannel(fx.ctx);
	for (const [name, said] of [
		['worded', 'The shelf cannot be reached right now.'],
		['plain', STATE_UNAVAILABLE],
	] as const) {
		const outcome = await channel.command(name);
		expect(outcome.error).toBeUndefined();
		const reply = outcome.responses[0];
		expect(reply?.kind).toBe('reply');
		if (reply?.kind !== 'reply') return;
		expect(reply.message.content).toBe(said);
		expect(reply.message.flags).toBe(64);
	}
	expect(fx.log.lines.filter((l) => l.includes('state store unavailable'))).toHaveLength(2);
	expect(fx.log.lines.filter((l) => l.includes('ERROR'))).toEqual([]);
});
