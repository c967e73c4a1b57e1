import { EmbedBuilder } from '@discordjs/builders';
import { type CardSettings, DEFAULT_CARD, type GuildSettings } from '../../state.js';
import { type MessagePayload, message } from './message.js';

const SHOWN_AS = { shown: 'shown', hidden: 'hidden', spoiler: 'behind spoiler bars' } as const;
const SUMMARY_AS = { full: 'full', short: 'short (about 300 characters)', none: 'none' } as const;

/** What a server's story cards show, field by field; one line when it is the default card. */
export function cardSettingsText(card: CardSettings = DEFAULT_CARD): string {
	const changed = (Object.keys(DEFAULT_CARD) as (keyof CardSettings)[]).some((k) => card[k] !== DEFAULT_CARD[k]);
	if (!changed) return 'Every field and the full summary (the default). `/settings card` changes them.';
	return [
		`Fandom: ${SHOWN_AS[card.fandom]} · Relationships: ${SHOWN_AS[card.relationships]} · Characters: ${SHOWN_AS[card.characters]}`,
		`Warnings: ${SHOWN_AS[card.warnings]} · Tags: ${SHOWN_AS[card.tags]}`,
		`Summary: ${SUMMARY_AS[card.summary]}`,
	].join('\n');
}

/** /settings: a server's settings as one card, under `said` (what was just changed) when there is one. */
export function settingsCard(s: GuildSettings, said?: string): MessagePayload {
	const qotd = s.qotd
		? `<#${s.qotd.channelId}> at ${String(s.qotd.hour).padStart(2, '0')}:00 ${s.qotd.timeZone}`
		: 'off (`/settings qotd` turns it on)';
	const embed = new EmbedBuilder()
		.setTitle('Settings for this server')
		.setColor(0x5865f2)
		.addFields(
			{
				name: 'Highest rating outside age-restricted channels',
				value: `${s.maxRating}${s.maxRating === 'Teen' ? ' (the default)' : ''}. Age-restricted channels show every story; Explicit text is shown only there.`,
			},
			{ name: '/read answers', value: s.publicRead ? 'for the channel' : 'for the reader alone', inline: true },
			{ name: '/search answers', value: s.publicSearch ? 'for the channel' : 'for the searcher alone', inline: true },
			{ name: 'Quote of the day', value: qotd },
			{ name: 'Story cards', value: cardSettingsText(s.card) },
		);
	return message(said === undefined ? { embeds: [embed.toJSON()] } : { content: said, embeds: [embed.toJSON()] });
}
