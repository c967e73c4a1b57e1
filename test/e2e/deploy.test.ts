import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { deployCommands } from '../../src/cli/deploy.js';
import { FakeDiscord } from './fake-discord.js';
import { loadSpecChecker, SPEC_NOTE, specCheckAll } from './spec-check.js';

let fake: FakeDiscord;
beforeAll(async () => {
	fake = await new FakeDiscord().start();
});
afterAll(async () => {
	await fake.stop();
});

describe('npm run deploy', () => {
	it('registers the router’s own command list globally, or to the dev server when one is set', async () => {
		const names = commands.map((c) => c.data.name);
		const config = { token: fake.token, clientId: fake.applicationId, apiUrl: fake.restBase };
		expect(await deployCommands({ ...config, devGuildId: null })).toEqual({
			scope: 'every server (global)',
			count: names.length,
		});
		expect(fake.commands.get('global')?.map((c) => c.name)).toEqual(names);
		const guild = fake.guilds[0]?.id as string;
		expect(await deployCommands({ ...config, devGuildId: guild })).toEqual({
			scope: `server ${guild}`,
			count: names.length,
		});
		expect(fake.commands.get(guild)?.map((c) => c.name)).toEqual(names);
		const story = fake.commands.get(guild)?.find((c) => c.name === 'read');
		expect(story?.options?.find((o) => o.name === 'story')).toMatchObject({
			type: 3,
			required: true,
			autocomplete: true,
		});
	});

	it('sends command definitions Discord’s API spec accepts', () => {
		const checker = loadSpecChecker();
		if (!checker) return console.warn(SPEC_NOTE);
		const puts = fake.requests.filter((r) => r.method === 'PUT');
		expect(puts).toHaveLength(2);
		expect(specCheckAll(puts, checker)).toEqual([]);
	});
});
