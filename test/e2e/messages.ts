import type { FakeUser, WireComponent } from './fake-discord.js';
import { snowflake } from './fake-discord.js';

/** Reading what the bot sent: its components, their labels, a button's custom_id, the footer. */

export const EPHEMERAL = 64;

/** A second reader, for "anyone else who clicks". */
export const friend: FakeUser = {
	id: snowflake(),
	username: 'friend',
	global_name: 'Friend',
	discriminator: '0',
	avatar: null,
	public_flags: 0,
};

type WithComponents = { components?: WireComponent[] | null } | null | undefined;

/** Every component of a message or callback, row by row. */
export const components = (m: WithComponents): WireComponent[] =>
	(m?.components ?? []).flatMap((row) => row.components ?? []);

/** Buttons' labels and menus' placeholders, in order. */
export const labels = (m: WithComponents) => components(m).map((c) => c.label ?? c.placeholder);

/** The custom_id of the button with this label (or, failing that, the first whose label starts with it). */
export function idOf(m: WithComponents, label: string): string {
	const all = components(m);
	const found = (all.find((c) => c.label === label) ?? all.find((c) => c.label?.startsWith(label)))?.custom_id;
	if (!found) throw new Error(`no button ${label} in ${JSON.stringify(labels(m))}`);
	return found;
}

/** The first embed's footer of a callback. */
export const footer = (res: { data: { embeds?: { footer?: { text: string } }[] | null } }) =>
	res.data.embeds?.[0]?.footer?.text;
