// Application commands as deploy registers them (PUT, POST, PATCH, DELETE, GET; global or per guild), and the
// lookup the interaction builders use for option types.
import type { FakeDiscord } from '../fake-discord.js';
import { snowflake } from './ids.js';
import type { RouteResult } from './rest.js';
import { asBody, type RegisteredCommand } from './wire.js';

/** A registered command by name: guild commands first, then global ones. */
export function findCommand(fake: FakeDiscord, name: string, guildId?: string): RegisteredCommand | undefined {
	const scoped = guildId ? (fake.commands.get(guildId) ?? []) : [];
	return [...scoped, ...(fake.commands.get('global') ?? [])].find((c) => c.name === name);
}

/** /applications/:app[/guilds/:guild]/commands[/:id]: list, overwrite, create, edit, delete; null for other methods. */
export function commandRoute(
	fake: FakeDiscord,
	method: string,
	body: unknown,
	appId: string,
	guildId: string | undefined,
	commandId: string | undefined,
): RouteResult | null {
	const scope = guildId ?? 'global';
	const list = fake.commands.get(scope) ?? [];
	const norm = (c: unknown): RegisteredCommand => {
		const given = asBody(c) as Partial<RegisteredCommand>;
		return {
			type: 1,
			description: '',
			options: [],
			default_member_permissions: null,
			nsfw: false,
			integration_types: [0],
			contexts: null,
			...given,
			name: String(given.name),
			id: list.find((o) => o.name === given.name)?.id ?? snowflake(),
			application_id: appId,
			version: snowflake(),
			...(guildId ? { guild_id: guildId } : {}),
		};
	};
	if (method === 'GET') {
		if (!commandId) return [200, list];
		const found = list.find((c) => c.id === commandId);
		return found ? [200, found] : [404, { message: 'Unknown application command', code: 10063 }];
	}
	if (method === 'PUT' && !commandId) {
		if (!Array.isArray(body)) return [400, { message: 'Invalid Form Body', code: 50035 }];
		const cmds = body.map(norm);
		fake.commands.set(scope, cmds);
		fake.emit('commands', { scope, commands: cmds });
		return [200, cmds];
	}
	if (method === 'POST' && !commandId) {
		const c = norm(body);
		const next = [...list.filter((x) => x.name !== c.name), c];
		fake.commands.set(scope, next);
		fake.emit('commands', { scope, commands: next });
		return [201, c];
	}
	if (method === 'PATCH' && commandId) {
		const old = list.find((c) => c.id === commandId);
		if (!old) return [404, { message: 'Unknown application command', code: 10063 }];
		const c = { ...old, ...(asBody(body) as Partial<RegisteredCommand>), id: old.id, version: snowflake() };
		const next = list.map((x) => (x.id === commandId ? c : x));
		fake.commands.set(scope, next);
		fake.emit('commands', { scope, commands: next });
		return [200, c];
	}
	if (method === 'DELETE' && commandId) {
		fake.commands.set(
			scope,
			list.filter((c) => c.id !== commandId),
		);
		return [204, null];
	}
	return null;
}
