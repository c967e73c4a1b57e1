import { SlashCommandBuilder } from '@discordjs/builders';
import {
	type BaseGuildTextChannel,
	ChannelType,
	type ChatInputCommandInteraction,
	InteractionContextType,
	PermissionFlagsBits,
	type PermissionsBitField,
} from 'discord.js';
import { channelIsNsfw } from '../src/discord/channel.js';
import { CLUB_PERMISSIONS, installmentsFrom, nextPost } from '../src/discord/club.js';
import {
	describeSchedule,
	dueSlot,
	EVERY,
	formatAt,
	laterSlot,
	parseAt,
	validTimeZone,
	wallClock,
} from '../src/discord/club-schedule.js';
import type { Command, Context } from '../src/discord/context.js';
import { CLUB_PREFIX, decodeClub } from '../src/discord/custom-id.js';
import { EPHEMERAL, STALE_COMPONENT, UserError } from '../src/discord/errors.js';
import { gateNotice, textAllowed } from '../src/discord/gate.js';
import { clubStatus, perLabel } from '../src/discord/render/club.js';
import { escapeText } from '../src/discord/render/escape.js';
import { message } from '../src/discord/render/message.js';
import { resolveStory, storyChoices } from '../src/discord/stories.js';
import { missingPermissions, permissionList } from '../src/discord/threads.js';
import type { Club } from '../src/state.js';

type GuildInteraction = ChatInputCommandInteraction<'cached' | 'raw'>;

/** The most pages an installment may be when a club goes by pages. */
const MAX_PER = 10;

/** `chapter` (or nothing), or a number of pages ("3", "3 pages"). */
function parsePer(text: string | null): Club['per'] {
	const typed = text?.trim().toLowerCase() ?? '';
	if (!typed || /^(a )?chapters?$/.test(typed)) return 'chapter';
	const pages = /^(\d{1,3})(\s*pages?)?$/.exec(typed);
	const count = pages ? Number(pages[1]) : Number.NaN;
	if (!Number.isInteger(count) || count < 1 || count > MAX_PER) {
		throw new UserError(`\`per\` is \`chapter\` or a number of pages from 1 to ${MAX_PER} (\`3 pages\`).`);
	}
	return count;
}

/**
 * The channel a subcommand is about: the `channel` option, else where it was used (a thread's parent when
 * used in a thread, such as a club's own).
 */
function clubChannel(interaction: GuildInteraction): { id: string; channel: unknown } {
	const given = interaction.options.getChannel('channel');
	if (given) return { id: given.id, channel: given };
	const here = interaction.channel;
	if (here?.isThread() && here.parentId) return { id: here.parentId, channel: here.parent };
	return { id: interaction.channelId, channel: here };
}

/** Whether a channel (as cached, or as an option resolves it) is age-restricted: a thread by its parent. */
function nsfwOf(channel: unknown): boolean {
	if (channel && typeof channel === 'object' && 'isThread' in channel && typeof channel.isThread === 'function') {
		return channelIsNsfw(channel as Parameters<typeof channelIsNsfw>[0]);
	}
	return Boolean((channel as { nsfw?: boolean } | null)?.nsfw);
}

/** Only members who can manage the server start, pause, resume and stop clubs (checked on every use). */
function mustManage(interaction: GuildInteraction): void {
	if (!interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) {
		throw new UserError('Only members who can manage this server start, pause, resume and stop reading clubs.');
	}
}

/**
 * Checks that the member can see the club's channel (and, with `post`, send messages in it) before anything
 * about a club there is shown or changed: a channel option's value may be any channel's id (the client lists
 * only channels the member sees, but the API takes any), and a private channel's club is for those who see it.
 * Where the command was used, the member's permissions come with the interaction; for another channel they are
 * worked out from the server's cached channel and the member (the permissions in this channel say nothing of
 * that one's overwrites). When they cannot be worked out (a server the bot does not cache), the answer is no.
 * The refusal is the same whether or not there is a club in the channel, so it tells nothing about one; it does
 * not hide that the channel exists, which the member named themselves.
 */
function mustSee(interaction: GuildInteraction, channelId: string, post = false): void {
	const needed = post
		? [PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages]
		: [PermissionFlagsBits.ViewChannel];
	let held: Readonly<PermissionsBitField> | null = null;
	if (channelId === interaction.channelId) held = interaction.memberPermissions;
	else if (interaction.inCachedGuild()) {
		held = interaction.guild.channels.cache.get(channelId)?.permissionsFor(interaction.member) ?? null;
	}
	if (!held?.has(PermissionFlagsBits.ViewChannel)) {
		throw new UserError('You cannot see that channel, so you cannot see or run a reading club there.');
	}
	if (!held.has(needed)) throw new UserError(`You cannot post in <#${channelId}>, so you cannot start a club there.`);
}

const noClub = (channelId: string) =>
	new UserError(
		`There is no reading club in <#${channelId}>. Members with Manage Server start one with \`/club start\`.`,
	);

async function start(interaction: GuildInteraction, ctx: Context): Promise<void> {
	mustManage(interaction);
	const story = resolveStory(ctx, interaction.options.getString('story', true));
	const every = interaction.options.getString('every', true);
	if (every !== 'day' && every !== 'week') throw new UserError('`every` is `day` or `week`.');
	const at = parseAt(interaction.options.getString('at', true));
	if (at === null) throw new UserError('Give the time of day as HH:MM, 24-hour: `09:00`, `18:30`.');
	const per = parsePer(interaction.options.getString('per'));
	const timeZone = interaction.options.getString('timezone')?.trim() || 'UTC';
	if (!validTimeZone(timeZone)) {
		throw new UserError(
			`“${escapeText(timeZone)}” is not a time zone I know. Use a name such as Europe/London or America/New_York.`,
		);
	}
	const { id: channelId, channel } = clubChannel(interaction);
	mustSee(interaction, channelId, true);
	const type = (channel as { type?: number } | null)?.type;
	if (type !== ChannelType.GuildText && type !== ChannelType.GuildAnnouncement) {
		throw new UserError('A club posts in threads under a text or announcement channel: pick one with `channel`.');
	}
	// The rating gate of the club's channel (a thread inherits it): an Explicit story only where it is age-restricted.
	const settings = await ctx.state.settings(interaction.guildId);
	const gate = { nsfw: nsfwOf(channel), maxRating: settings.maxRating };
	if (!textAllowed(story.rating, gate)) {
		throw new UserError(
			`${gateNotice(story.rating, gate, `“${escapeText(story.title)}”`)} A club for it can run only in such a channel.`,
		);
	}
	const here = channelId === interaction.channelId;
	const me = interaction.guild?.members.me;
	const held = here
		? interaction.appPermissions
		: me && channel && typeof channel === 'object' && 'permissionsFor' in channel
			? (channel as BaseGuildTextChannel).permissionsFor(me)
			: null;
	const missing = missingPermissions(held, CLUB_PERMISSIONS);
	if (missing.length)
		throw new UserError(`I cannot run a club in <#${channelId}>: I lack ${permissionList(missing)} there.`);

	const now = new Date();
	const schedule = { every, at: formatAt(at), timeZone, weekday: wallClock(now, timeZone).weekday } as const;
	const club: Club = {
		guildId: interaction.guildId,
		channelId,
		storyId: story.id,
		title: story.title,
		schedule,
		per,
		startedBy: interaction.user.id,
		startedAt: now.getTime(),
		status: 'active',
		nextPage: 1,
		// The slot current now has passed: the first part comes at the next one.
		lastSlot: dueSlot(schedule, now),
		parts: [],
	};
	if (!(await ctx.state.startClub(club))) {
		throw new UserError(
			`<#${channelId}> has a reading club already: \`/club status\` shows it, \`/club stop\` ends it.`,
		);
	}
	const parts = installmentsFrom(ctx.store, story, 1, per);
	const first = nextPost(club);
	await interaction.reply(
		message({
			content: `📚 **A reading club starts**: “${escapeText(story.title)}” in <#${channelId}>, ${describeSchedule(club.schedule)}, ${perLabel(per)} at a time (${parts} ${parts === 1 ? 'part' : 'parts'}), each part in a thread of its own. The first comes ${first ? `<t:${Math.floor(first.getTime() / 1000)}:F>` : 'soon'}. Press **Caught up** under a part once you have read it.`,
		}),
	);
}

async function status(interaction: GuildInteraction, ctx: Context): Promise<void> {
	const { id } = clubChannel(interaction);
	mustSee(interaction, id);
	const [club, readers] = await Promise.all([
		ctx.state.club(interaction.guildId, id),
		ctx.state.clubReaders(interaction.guildId, id),
	]);
	if (!club) throw noClub(id);
	await interaction.reply({
		...clubStatus(club, ctx.store.story(club.storyId), readers, nextPost(club)),
		flags: EPHEMERAL,
	});
}

async function pause(interaction: GuildInteraction, ctx: Context): Promise<void> {
	mustManage(interaction);
	const { id } = clubChannel(interaction);
	mustSee(interaction, id);
	const club = await ctx.state.updateClub(interaction.guildId, id, (c) => {
		if (c.status !== 'active') return c;
		const { pausedBecause: _, ...rest } = c;
		return { ...rest, status: 'paused' };
	});
	if (!club) throw noClub(id);
	if (club.status === 'done') throw new UserError('That club has finished its story: there is nothing left to pause.');
	await interaction.reply(
		message({
			content: `⏸️ The reading club for “${escapeText(club.title)}” in <#${id}> is paused. \`/club resume\` carries on.`,
		}),
	);
}

async function resume(interaction: GuildInteraction, ctx: Context): Promise<void> {
	mustManage(interaction);
	const { id } = clubChannel(interaction);
	mustSee(interaction, id);
	const now = new Date();
	const club = await ctx.state.updateClub(interaction.guildId, id, (c) => {
		if (c.status !== 'paused') return c;
		const { pausedBecause: _, ...rest } = c;
		// Slots that passed while paused are not made up for: the next part comes at the next slot.
		return { ...rest, status: 'active', lastSlot: laterSlot(dueSlot(c.schedule, now), c.lastSlot) };
	});
	if (!club) throw noClub(id);
	if (club.status === 'done')
		throw new UserError('That club has finished its story. `/club stop` clears it for a new one.');
	const next = nextPost(club);
	await interaction.reply(
		message({
			content: `▶️ The reading club for “${escapeText(club.title)}” in <#${id}> carries on: part ${club.parts.length + 1} comes ${next ? `<t:${Math.floor(next.getTime() / 1000)}:F>` : 'soon'}.`,
		}),
	);
}

async function stop(interaction: GuildInteraction, ctx: Context): Promise<void> {
	mustManage(interaction);
	const { id } = clubChannel(interaction);
	mustSee(interaction, id);
	const club = await ctx.state.club(interaction.guildId, id);
	if (!club || !(await ctx.state.stopClub(interaction.guildId, id))) throw noClub(id);
	await interaction.reply(
		message({
			content: `⏹️ The reading club for “${escapeText(club.title)}” in <#${id}> has ended after ${club.parts.length} ${club.parts.length === 1 ? 'part' : 'parts'}. Its threads stay, and so does everyone's place in \`/library\`.`,
		}),
	);
}

const SUBCOMMANDS = new Map<string, (interaction: GuildInteraction, ctx: Context) => Promise<void>>([
	['start', start],
	['status', status],
	['pause', pause],
	['resume', resume],
	['stop', stop],
]);

const channelOption = (description: string) => (o: import('@discordjs/builders').SlashCommandChannelOption) =>
	o
		.setName('channel')
		.setDescription(description)
		.addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement);

export default {
	data: new SlashCommandBuilder()
		.setName('club')
		.setDescription('A serial reading club: a story posted a part at a time on a schedule, each part in a thread')
		.setContexts(InteractionContextType.Guild)
		.addSubcommand((s) =>
			s
				.setName('start')
				.setDescription('Start a reading club in this channel (Manage Server)')
				.addStringOption((o) =>
					o
						.setName('story')
						.setDescription('Title or author')
						.setAutocomplete(true)
						.setRequired(true)
						.setMaxLength(200),
				)
				.addStringOption((o) =>
					o
						.setName('every')
						.setDescription('How often a part is posted')
						.setRequired(true)
						.addChoices(...EVERY.map((e) => ({ name: e, value: e }))),
				)
				.addStringOption((o) =>
					o
						.setName('at')
						.setDescription('Time of day, HH:MM (24-hour), in UTC unless timezone says otherwise')
						.setRequired(true)
						.setMaxLength(5),
				)
				.addStringOption((o) =>
					o
						.setName('per')
						.setDescription(`A part: chapter (the default) or a number of pages, 1 to ${MAX_PER}`)
						.setMaxLength(20),
				)
				.addChannelOption(channelOption('Where the club posts (default: here)'))
				.addStringOption((o) =>
					o
						.setName('timezone')
						.setDescription('Time zone of `at`, such as Europe/London (default: UTC)')
						.setMaxLength(64),
				),
		)
		.addSubcommand((s) =>
			s
				.setName('status')
				.setDescription('Where the club is and who has caught up')
				.addChannelOption(channelOption('The club’s channel (default: here)')),
		)
		.addSubcommand((s) =>
			s
				.setName('pause')
				.setDescription('Pause the club (Manage Server)')
				.addChannelOption(channelOption('The club’s channel (default: here)')),
		)
		.addSubcommand((s) =>
			s
				.setName('resume')
				.setDescription('Carry on after a pause (Manage Server)')
				.addChannelOption(channelOption('The club’s channel (default: here)')),
		)
		.addSubcommand((s) =>
			s
				.setName('stop')
				.setDescription('End the club (Manage Server)')
				.addChannelOption(channelOption('The club’s channel (default: here)')),
		),
	help: '`/club start|status|pause|resume|stop`: a serial reading club, a part of a story posted on a schedule in a thread of its own',
	unavailable: 'Reading clubs cannot be reached right now. Please try again in a minute.',

	async run(interaction, ctx) {
		if (!interaction.inGuild()) throw new UserError('Reading clubs belong to a server: use /club in one.');
		await SUBCOMMANDS.get(interaction.options.getSubcommand())?.(interaction, ctx);
	},

	async autocomplete(interaction, ctx) {
		await storyChoices(interaction, ctx);
	},

	components: {
		prefix: CLUB_PREFIX,
		async run(interaction, ctx) {
			const route = decodeClub(interaction.customId);
			if (!route || !interaction.inGuild()) throw new UserError(STALE_COMPONENT);
			const story = ctx.store.story(route.storyId);
			if (story && route.lastPage <= story.pageCount) {
				// Kept in the library as the page read to, unless they have read further already.
				const entry = await ctx.state.libraryEntry(interaction.user.id, story.id);
				if (!entry || entry.page < route.lastPage) {
					await ctx.state.recordRead(interaction.user.id, story.id, route.lastPage, story.pageCount);
				}
			}
			const club = await ctx.state.club(interaction.guildId, route.channelId);
			const member = club?.storyId === route.storyId;
			if (member) await ctx.state.catchUp(interaction.guildId, route.channelId, interaction.user.id, route.part);
			const title = story?.title ?? club?.title;
			await interaction.reply({
				...message({
					content: `✅ You are caught up with part ${route.part}${title ? ` of “${escapeText(title)}”` : ''}${story ? `, page ${route.lastPage} of ${story.pageCount}: \`/read\` opens it there and \`/library\` lists it` : ''}.${member ? '' : ' (That club has ended.)'}`,
				}),
				flags: EPHEMERAL,
			});
		},
	},
} satisfies Command;
