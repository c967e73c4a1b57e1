import { MessageFlags, type RepliableInteraction } from 'discord.js';
import { expect, it } from 'vitest';
import { answerInTime } from '../../src/discord/answer.js';
import type { Logger } from '../../src/log.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Logger;

/** A message as the channel shows it: to everyone, or to the asker alone. */
interface Shown {
	public: boolean;
	content: string;
	loading: boolean;
}

/**
 * A slash command's interaction as Discord treats it after a deferral: the first follow-up while "thinking…" is
 * still loading takes that message's place and keeps its visibility, whatever flags it asks for.
 */
function slashCommand(options: { deleteFails: boolean }) {
	const shown: Shown[] = [];
	let original: Shown | undefined;
	const interaction = {
		id: '1',
		commandName: 'search',
		replied: false,
		deferred: false,
		options: { getBoolean: () => null },
		isMessageComponent: () => false,
		isModalSubmit: () => false,
		isChatInputCommand: () => true,
		async reply(body: { content: string; flags?: number }) {
			interaction.replied = true;
			original = { public: !((body.flags ?? 0) & MessageFlags.Ephemeral), content: body.content, loading: false };
			shown.push(original);
		},
		async deferReply(body: { flags?: number } = {}) {
			interaction.deferred = true;
			original = { public: !((body.flags ?? 0) & MessageFlags.Ephemeral), content: '', loading: true };
			shown.push(original);
		},
		async editReply(body: { content: string }) {
			if (!original) throw new Error('Unknown Message');
			Object.assign(original, { content: body.content, loading: false });
		},
		async deleteReply() {
			if (options.deleteFails) throw new Error('503 Service Unavailable');
			shown.splice(shown.indexOf(original as Shown), 1);
			original = undefined;
		},
		async followUp(body: { content: string; flags?: number }) {
			interaction.replied = true;
			if (original?.loading) return void Object.assign(original, { content: body.content, loading: false });
			shown.push({ public: !((body.flags ?? 0) & MessageFlags.Ephemeral), content: body.content, loading: false });
		},
	};
	return { interaction: interaction as unknown as RepliableInteraction, shown };
}

it('never shows a private answer in a public "thinking…", even when deleting it fails', async () => {
	for (const deleteFails of [false, true]) {
		const { interaction, shown } = slashCommand({ deleteFails });
		answerInTime(interaction, { budgetMs: 5, privately: false, log: quiet });
		await new Promise((resolve) => setTimeout(resolve, 30));
		expect(shown).toEqual([{ public: true, content: '', loading: true }]);
		await interaction.reply({ content: 'private results', flags: MessageFlags.Ephemeral });
		expect(shown.filter((m) => m.public && m.content.includes('private results'))).toEqual([]);
		expect(shown.filter((m) => !m.public).map((m) => m.content)).toEqual(['private results']);
		// Nothing is left "thinking…" in the channel.
		expect(shown.filter((m) => m.loading)).toEqual([]);
	}
});
