import { SlashCommandBuilder } from '@discordjs/builders';
import { ChannelType, type ChatInputCommandInteraction, InteractionContextType, PermissionFlagsBits } from 'discord.js';
import type { Command, Context } from '../src/discord/context.js';
import { EPHEMERAL, UserError } from '../src/discord/errors.js';
import { settingsCard } from '../src/discord/render/settings.js';
import {
	type CardSettings,
	DEFAULT_CARD,
	GATE_RATINGS,
	type GuildSettings,
	isGateRating,
	type SettingsPatch,
	SUMMARY_LENGTHS,
} from '../src/state.js';

/** Whether a time zone name is one this runtime knows (IANA names such as Europe/London). */
export function validTimeZone(name: string): boolean {
	try {
		new Intl.DateTimeFormat('en-US', { timeZone: name });
		return true;
	} catch {
		return false;
	}
}

type GuildInteraction = ChatInputCommandInteraction<'cached' | 'raw'>;

/** Saves `patch` to the server's settings and shows them, under `said`. */
async function change(interaction: GuildInteraction, ctx: Context, patch: SettingsPatch, said: string): Promise<void> {
	const next = await ctx.state.updateSettings(interaction.guildId, patch);
	await interaction.reply({ ...settingsCard(next, said), flags: EPHEMERAL });
}

async function show(interaction: GuildInteraction, ctx: Context): Promise<void> {
	const settings = await ctx.state.settings(interaction.guildId);
	await interaction.reply({ ...settingsCard(settings), flags: EPHEMERAL });
}

async function rating(interaction: GuildInteraction, ctx: Context): Promise<void> {
	const max = interaction.options.getString('max', true);
	if (!isGateRating(max)) throw new UserError(`The rating must be one of ${GATE_RATINGS.join(', ')}.`);
	await change(interaction, ctx, { maxRating: max }, `Text up to ${max} is now shown outside age-restricted channels.`);
}

async function replies(interaction: GuildInteraction, ctx: Context): Promise<void> {
	const read = interaction.options.getString('read');
	const search = interaction.options.getString('search');
	if (!read && !search) throw new UserError('Say which to change: `read`, `search`, or both.');
	const patch: Partial<GuildSettings> = {};
	if (read) patch.publicRead = read === 'public';
	if (search) patch.publicSearch = search === 'public';
	await change(interaction, ctx, patch, 'Saved.');
}

async function qotd(interaction: GuildInteraction, ctx: Context): Promise<void> {
	const channel = interaction.options.getChannel('channel', true, [
		ChannelType.GuildText,
		ChannelType.GuildAnnouncement,
	]);
	const hour = interaction.options.getInteger('hour', true);
	const timeZone = interaction.options.getString('timezone')?.trim() || 'UTC';
	if (hour < 0 || hour > 23) throw new UserError('The hour must be from 0 to 23.');
	if (!validTimeZone(timeZone)) {
		throw new UserError(
			`“${timeZone}” is not a time zone I know. Use a name such as Europe/London or America/New_York.`,
		);
	}
	const me = interaction.guild?.members.me;
	const permissions = me && 'permissionsFor' in channel ? channel.permissionsFor(me) : null;
	if (
		permissions &&
		!permissions.has([
			PermissionFlagsBits.ViewChannel,
			PermissionFlagsBits.SendMessages,
			PermissionFlagsBits.EmbedLinks,
		])
	) {
		throw new UserError(`I cannot post in <#${channel.id}>: I need View Channel, Send Messages and Embed Links there.`);
	}
	await change(
		interaction,
		ctx,
		{ qotd: { channelId: channel.id, hour, timeZone } },
		`A quote of the day will be posted in <#${channel.id}> at ${String(hour).padStart(2, '0')}:00 ${timeZone}.`,
	);
}

/** The story card's options: a field shown or hidden, or (warnings, tags) behind a spoiler bar. */
const SHOWN = [
	{ name: 'shown', value: 'shown' },
	{ name: 'hidden', value: 'hidden' },
];
const SPOILERABLE = [
	{ name: 'shown', value: 'shown' },
	{ name: 'behind spoiler bars', value: 'spoiler' },
	{ name: 'hidden', value: 'hidden' },
];
const CARD_OPTIONS = [
	['fandom', 'The fandom', SHOWN],
	['relationships', 'Relationships (pairings)', SHOWN],
	['characters', 'The characters', SHOWN],
	['warnings', 'Archive and content warnings', SPOILERABLE],
	['tags', 'Additional tags', SPOILERABLE],
	[
		'summary',
		'The summary: full (up to 1,500 characters), short (about 300) or none',
		SUMMARY_LENGTHS.map((l) => ({ name: l, value: l })),
	],
] as const satisfies readonly [keyof CardSettings, string, readonly { name: string; value: string }[]][];

async function card(interaction: GuildInteraction, ctx: Context): Promise<void> {
	if (interaction.options.getBoolean('reset')) {
		await change(interaction, ctx, { card: { ...DEFAULT_CARD } }, 'Story cards show everything again, as by default.');
		return;
	}
	const patch: Record<string, string> = {};
	for (const [name, , choices] of CARD_OPTIONS) {
		const value = interaction.options.getString(name);
		if (value === null) continue;
		if (!choices.some((c) => c.value === value)) {
			throw new UserError(`\`${name}\` must be one of ${choices.map((c) => c.value).join(', ')}.`);
		}
		patch[name] = value;
	}
	if (!Object.keys(patch).length) {
		const settings = await ctx.state.settings(interaction.guildId);
		const said = 'Give an option to change what story cards show, or `reset` for the default card.';
		await interaction.reply({ ...settingsCard(settings, said), flags: EPHEMERAL });
		return;
	}
	await change(
		interaction,
		ctx,
		{ card: patch as Partial<CardSettings> },
		'Saved: story cards in this server change at once.',
	);
}

async function qotdOff(interaction: GuildInteraction, ctx: Context): Promise<void> {
	await change(interaction, ctx, { qotd: null }, 'Quote of the day is off.');
}

/** Each subcommand's handler, by the subcommand's name. */
const SUBCOMMANDS = new Map<string, (interaction: GuildInteraction, ctx: Context) => Promise<void>>([
	['show', show],
	['rating', rating],
	['replies', replies],
	['qotd', qotd],
	['qotd-off', qotdOff],
	['card', card],
]);

export default {
	data: new SlashCommandBuilder()
		.setName('settings')
		.setDescription('How the bot behaves in this server')
		.setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
		.setContexts(InteractionContextType.Guild)
		.addSubcommand((s) => s.setName('show').setDescription('The current settings'))
		.addSubcommand((s) =>
			s
				.setName('rating')
				.setDescription('The highest rating whose text is shown outside age-restricted channels')
				.addStringOption((o) =>
					o
						.setName('max')
						.setDescription('General, Teen (default) or Mature')
						.setRequired(true)
						.addChoices(...GATE_RATINGS.map((r) => ({ name: r, value: r }))),
				),
		)
		.addSubcommand((s) =>
			s
				.setName('replies')
				.setDescription('Whether /read and /search answer for the channel or for the asker alone')
				.addStringOption((o) =>
					o
						.setName('read')
						.setDescription('/read answers')
						.addChoices(
							{ name: 'for the channel', value: 'public' },
							{ name: 'for the reader alone', value: 'private' },
						),
				)
				.addStringOption((o) =>
					o
						.setName('search')
						.setDescription('/search answers')
						.addChoices(
							{ name: 'for the channel', value: 'public' },
							{ name: 'for the searcher alone', value: 'private' },
						),
				),
		)
		.addSubcommand((s) =>
			s
				.setName('qotd')
				.setDescription('Post a quote of the day to a channel')
				.addChannelOption((o) =>
					o
						.setName('channel')
						.setDescription('Where to post it')
						.setRequired(true)
						.addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement),
				)
				.addIntegerOption((o) =>
					o.setName('hour').setDescription('Hour of the day, 0–23').setRequired(true).setMinValue(0).setMaxValue(23),
				)
				.addStringOption((o) =>
					o.setName('timezone').setDescription('A time zone such as Europe/London (default UTC)').setMaxLength(64),
				),
		)
		.addSubcommand((s) => s.setName('qotd-off').setDescription('Stop posting a quote of the day'))
		.addSubcommand((s) => {
			s.setName('card').setDescription('What story cards show: fields, summary length, spoiler bars');
			for (const [name, description, choices] of CARD_OPTIONS) {
				s.addStringOption((o) =>
					o
						.setName(name)
						.setDescription(description)
						.addChoices(...choices),
				);
			}
			return s.addBooleanOption((o) =>
				o.setName('reset').setDescription('Back to the default card (everything shown)'),
			);
		}),
	help: '`/settings`: the rating shown outside NSFW channels, public or private replies, quote of the day, what story cards show (Manage Server)',
	unavailable: 'The settings cannot be reached right now. Please try again in a minute.',
	ephemeral: true,

	async run(interaction, ctx) {
		if (!interaction.inGuild()) throw new UserError('Settings belong to a server: use /settings in one.');
		// Discord hides the command from members without Manage Server, but a server can change that: check again.
		if (!interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) {
			throw new UserError('Only members who can manage this server can change its settings.');
		}
		await SUBCOMMANDS.get(interaction.options.getSubcommand())?.(interaction, ctx);
	},
} satisfies Command;
