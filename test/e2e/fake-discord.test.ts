// Proves the fake Discord works with a real discord.js Client: login, command registration, every
// interaction callback type, follow-ups and edits, DMs, a second guild with an NSFW channel, sharding,
// RESUME, zlib-stream, and that every request the bot made matches Discord's OpenAPI spec.
import { once } from 'node:events';
import { createInflate, constants as zlibConstants } from 'node:zlib';
import {
	ActionRowBuilder,
	ButtonBuilder,
	ButtonStyle,
	Client,
	EmbedBuilder,
	Events,
	GatewayIntentBits,
	type Interaction,
	InteractionContextType,
	InteractionResponseType,
	MessageFlags,
	ModalBuilder,
	Partials,
	PermissionFlagsBits,
	SlashCommandBuilder,
	StringSelectMenuBuilder,
	TextInputBuilder,
	TextInputStyle,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { FakeDiscord, type GatewayMessage, type RecordedRequest, shardOf, snowflake } from './fake-discord.js';
import { loadSpecChecker, SPEC_NOTE, specCheckAll } from './spec-check.js';

const FRUITS = ['apple', 'apricot', 'banana', 'blueberry', 'cherry', 'grape', 'mango'];

const guildCommands = [
	new SlashCommandBuilder()
		.setName('ping')
		.setDescription('Pong with an embed and buttons')
		.addStringOption((o) => o.setName('fruit').setDescription('pick a fruit').setAutocomplete(true)),
	new SlashCommandBuilder().setName('slow').setDescription('Defers, edits, then follows up'),
	new SlashCommandBuilder().setName('feedback').setDescription('Opens a modal'),
	new SlashCommandBuilder().setName('pick').setDescription('Offers a select menu'),
	new SlashCommandBuilder()
		.setName('list')
		.setDescription('A reading list')
		.addSubcommand((s) =>
			s
				.setName('add')
				.setDescription('Add a story')
				.addStringOption((o) => o.setName('title').setDescription('Title').setRequired(true))
				.addIntegerOption((o) => o.setName('count').setDescription('How many').setRequired(true))
				.addNumberOption((o) => o.setName('weight').setDescription('Weight')),
		)
		.addSubcommand((s) => s.setName('show').setDescription('Show the list')),
].map((c) => c.toJSON());

const globalCommands = [
	new SlashCommandBuilder()
		.setName('where')
		.setDescription('Where am I?')
		.setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
		.toJSON(),
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function handle(interaction: Interaction): Promise<void> {
	if (interaction.isAutocomplete()) {
		const q = interaction.options.getFocused().toLowerCase();
		await interaction.respond(FRUITS.filter((f) => f.startsWith(q)).map((f) => ({ name: f, value: f })));
	} else if (interaction.isChatInputCommand()) {
		switch (interaction.commandName) {
			case 'ping': {
				const fruit = interaction.options.getString('fruit') ?? 'nothing';
				const place = interaction.inCachedGuild()
					? `#${interaction.channel?.name ?? '?'} in ${interaction.guild.name}`
					: 'somewhere';
				const embed = new EmbedBuilder()
					.setTitle('Pong!')
					.setColor(0x5865f2)
					.setDescription(`${interaction.user.username} picked ${fruit}`)
					.setFooter({ text: place });
				const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
					new ButtonBuilder().setCustomId('ping:again').setLabel('Again').setStyle(ButtonStyle.Primary),
					new ButtonBuilder().setCustomId('ping:later').setLabel('Later').setStyle(ButtonStyle.Secondary),
				);
				await interaction.reply({ embeds: [embed], components: [row] });
				return;
			}
			case 'slow':
				await interaction.deferReply({ flags: MessageFlags.Ephemeral });
				await interaction.editReply({ content: 'done thinking' });
				await interaction.followUp({ content: 'and a follow-up' });
				if (interaction.channel?.isSendable()) await interaction.channel.send('plain channel message');
				return;
			case 'feedback':
				await interaction.showModal(
					new ModalBuilder()
						.setCustomId('fb')
						.setTitle('Feedback')
						.addComponents(
							new ActionRowBuilder<TextInputBuilder>().addComponents(
								new TextInputBuilder().setCustomId('text').setLabel('Say something').setStyle(TextInputStyle.Paragraph),
							),
						),
				);
				return;
			case 'pick': {
				const menu = new StringSelectMenuBuilder()
					.setCustomId('pick:fruit')
					.setPlaceholder('Pick fruit')
					.setMaxValues(2)
					.addOptions(FRUITS.slice(0, 4).map((f) => ({ label: f, value: f })));
				await interaction.reply({
					content: 'choose',
					components: [new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(menu)],
				});
				return;
			}
			case 'list': {
				if (interaction.options.getSubcommand() === 'show') {
					await interaction.reply('nothing yet');
					return;
				}
				const title = interaction.options.getString('title', true);
				const count = interaction.options.getInteger('count', true);
				const weight = interaction.options.getNumber('weight');
				await interaction.reply(`added ${count} × ${title} (weight ${weight})`);
				return;
			}
			case 'where': {
				const content = interaction.inCachedGuild()
					? `${interaction.guild.name} #${interaction.channel?.name} nsfw=${
							interaction.channel && 'nsfw' in interaction.channel ? interaction.channel.nsfw : '?'
						} shard=${interaction.guild.shardId}`
					: `DM with ${interaction.user.username} (channel type ${interaction.channel?.type})`;
				await interaction.reply(content);
				return;
			}
			case 'late':
				await sleep(interaction.options.getInteger('ms') ?? 0);
				await interaction.reply('too late');
				return;
		}
	} else if (interaction.isButton()) {
		if (interaction.customId === 'ping:later') {
			await interaction.deferUpdate();
			await interaction.editReply({ content: 'edited after deferUpdate' });
		} else if (interaction.customId === 'ping:again') {
			const old = interaction.message.embeds[0];
			const embed = (old ? EmbedBuilder.from(old) : new EmbedBuilder())
				.setTitle('Pong again!')
				.setDescription(`clicked by ${interaction.user.username}`);
			await interaction.update({ embeds: [embed], components: [] });
		}
	} else if (interaction.isStringSelectMenu() && interaction.customId === 'pick:fruit') {
		await interaction.reply({
			content: `you picked ${interaction.values.join(' and ')}`,
			flags: MessageFlags.Ephemeral,
		});
	} else if (interaction.isModalSubmit() && interaction.customId === 'fb') {
		await interaction.reply({
			content: `thanks ${interaction.user.username}: ${interaction.fields.getTextInputValue('text')}`,
			flags: MessageFlags.Ephemeral,
		});
	}
}

/** A discord.js client that talks to the fake; `register` deploys the commands once it is ready. */
function createBot(fake: FakeDiscord, register: boolean, errors: unknown[], shards?: 'auto') {
	const client = new Client({
		intents: [GatewayIntentBits.Guilds],
		partials: [Partials.Channel], // without it, interaction.channel is null in DMs (the DM channel is uncached)
		rest: { api: fake.restBase, globalRequestsPerSecond: 1e6 },
		...(shards ? { shards } : {}),
	});
	client.on(Events.InteractionCreate, (i) => {
		handle(i).catch((err: unknown) => errors.push(err));
	});
	const ready = new Promise<void>((resolve, reject) => {
		client.once(Events.ClientReady, async (c) => {
			try {
				if (register) {
					// per guild (instant): PUT /applications/:app/guilds/:guild/commands; global: PUT /applications/:app/commands
					for (const guild of c.guilds.cache.values()) await guild.commands.set(guildCommands);
					await c.application.commands.set(globalCommands);
				}
				resolve();
			} catch (err) {
				reject(err);
			}
		});
	});
	return { client, ready };
}

const checker = loadSpecChecker();
if (!checker) console.warn(SPEC_NOTE);

/** The recorded interaction callback POST of one interaction. */
function callbackRequest(fake: FakeDiscord, interactionId: string): RecordedRequest {
	const req = fake.requests.find((r) => r.method === 'POST' && r.path.startsWith(`/interactions/${interactionId}/`));
	if (!req) throw new Error(`no callback recorded for ${interactionId}`);
	return req;
}

describe('FakeDiscord with a real discord.js client', () => {
	let fake: FakeDiscord;
	let client: Client;
	const unhandled: string[] = [];
	const botErrors: unknown[] = [];
	const identifies: { shard: [number, number]; intents: number | undefined }[] = [];

	beforeAll(async () => {
		fake = await new FakeDiscord({
			heartbeatInterval: 200,
			guilds: [
				{ name: 'Test Guild' },
				{
					name: 'Second Guild',
					channels: [{ name: 'lobby' }, { name: 'after-dark', nsfw: true }, { name: 'staff', hidden: { seenBy: [] } }],
				},
			],
		}).start();
		fake.on('unhandled', (e) => unhandled.push(`${e.method} ${e.path}`));
		fake.on('identify', (info) => identifies.push(info));
		const bot = createBot(fake, true, botErrors);
		client = bot.client;
		await client.login(fake.token);
		await bot.ready;
	});

	afterAll(async () => {
		await client?.destroy();
		await fake?.stop();
	});

	it('logs in: READY + GUILD_CREATE fill the caches, commands are registered per guild and globally', () => {
		expect(client.user?.id).toBe(fake.applicationId);
		expect(client.application?.id).toBe(fake.applicationId);
		expect(identifies).toEqual([{ shard: [0, 1], intents: GatewayIntentBits.Guilds }]);
		const [first, second] = fake.guilds;
		if (!first || !second) throw new Error('two guilds expected');
		expect(client.guilds.cache.get(first.id)?.name).toBe('Test Guild');
		expect(client.guilds.cache.get(second.id)?.name).toBe('Second Guild');
		const nsfw = client.channels.cache.get(fake.channel('after-dark').id);
		expect(nsfw && 'nsfw' in nsfw && nsfw.nsfw).toBe(true);
		for (const g of fake.guilds) {
			expect(fake.commands.get(g.id)?.map((c) => c.name)).toEqual(['ping', 'slow', 'feedback', 'pick', 'list']);
		}
		expect(fake.commands.get('global')?.map((c) => c.name)).toEqual(['where']);
		const session = [...fake.sessions][0];
		expect(session?.query).toMatchObject({ v: '10', encoding: 'json' });
		expect(fake.requests.every((r) => r.path.startsWith('/interactions/') || r.auth === `Bot ${fake.token}`)).toBe(
			true,
		);
	});

	it('/ping replies (4) with an embed and buttons; the body carries no allowed_mentions', async () => {
		const res = await fake.sendInteraction(fake.slashCommand('ping', { fruit: 'mango' }));
		expect(res.type).toBe(InteractionResponseType.ChannelMessageWithSource);
		const embed = res.data.embeds?.[0];
		expect(embed?.title).toBe('Pong!');
		expect(embed?.description).toBe('tester picked mango');
		expect(embed?.footer?.text).toBe('#general in Test Guild');
		const button = res.data.components?.[0]?.components?.[0];
		expect([button?.type, button?.custom_id, button?.label]).toEqual([2, 'ping:again', 'Again']);
		expect(res.message?.interaction_metadata).toMatchObject({ id: res.record.id, type: 2 });
		expect(res.message?.type).toBe(20);
		const req = callbackRequest(fake, res.record.id);
		expect(req.query).toEqual({ with_response: 'false' });
		expect(req.body).toMatchObject({ type: 4, data: { tts: false, enforce_nonce: false } });
		expect(res.data).not.toHaveProperty('allowed_mentions');
		expect(res.record.latencyNs).not.toBeNull();
	});

	it('a button doing deferUpdate (6) then editReply PATCHes the clicked message', async () => {
		const ping = await fake.sendInteraction(fake.slashCommand('ping', { fruit: 'grape' }));
		const res = await fake.sendInteraction(fake.buttonClick('ping:later'));
		expect(res.type).toBe(InteractionResponseType.DeferredMessageUpdate);
		expect(callbackRequest(fake, res.record.id).body).toEqual({ type: 6 });
		expect(res.message?.id).toBe(ping.message?.id);
		const edited = await res.record.waitFor('edit');
		expect(edited.id).toBe(res.record.payload.message?.id);
		expect(edited.content).toBe('edited after deferUpdate');
		expect(edited.edited_timestamp).not.toBeNull();
		expect(fake.requests.at(-1)?.path).toMatch(/^\/webhooks\/\d+\/itok_\w+\/messages\/@original$/);
	});

	it('a button doing update (7) rewrites the message', async () => {
		const res = await fake.sendInteraction(fake.buttonClick('ping:again'));
		expect(res.type).toBe(InteractionResponseType.UpdateMessage);
		expect(res.data.embeds?.[0]?.title).toBe('Pong again!');
		expect(res.data.embeds?.[0]?.description).toBe('clicked by tester');
		expect(res.message?.components).toEqual([]);
		expect(res.message && fake.messages.get(res.message.id)?.embeds[0]?.title).toBe('Pong again!');
	});

	it('autocomplete answers (8) with filtered choices', async () => {
		const res = await fake.sendInteraction(fake.autocomplete('ping', { fruit: 'ap' }, 'fruit'));
		expect(res.type).toBe(InteractionResponseType.ApplicationCommandAutocompleteResult);
		expect(res.data.choices?.map((c) => c.value)).toEqual(['apple', 'apricot']);
		expect(res.message).toBeNull();
		const req = callbackRequest(fake, res.record.id);
		expect(req.query).toEqual({}); // respond() sends no with_response
		expect(res.record.payload.data.options).toEqual([{ name: 'fruit', type: 3, value: 'ap', focused: true }]);
	});

	it('/feedback shows a modal (9); submitting it gets an ephemeral reply', async () => {
		const res = await fake.sendInteraction(fake.slashCommand('feedback'));
		expect(res.type).toBe(InteractionResponseType.Modal);
		expect(res.message).toBeNull();
		expect(res.data.custom_id).toBe('fb');
		expect(res.data.title).toBe('Feedback');
		expect(res.data.components?.[0]?.components?.[0]).toMatchObject({ type: 4, custom_id: 'text', style: 2 });
		const submit = await fake.sendInteraction(fake.modalSubmit('fb', { text: 'lovely' }));
		expect(submit.type).toBe(InteractionResponseType.ChannelMessageWithSource);
		expect(submit.data.content).toBe('thanks tester: lovely');
		expect(submit.data.flags).toBe(MessageFlags.Ephemeral);
		expect(submit.message?.type).toBe(19);
	});

	it('/slow: deferred ephemeral reply (5), PATCH @original, follow-up webhook, channel message', async () => {
		const channelMsg = once(fake, 'channelMessage');
		const res = await fake.sendInteraction(fake.slashCommand('slow'));
		expect(res.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
		expect(callbackRequest(fake, res.record.id).body).toEqual({ type: 5, data: { flags: 64 } });
		expect(res.message?.flags).toBe(64 | 128); // ephemeral + loading, until edited
		const rec = res.record;
		const followup = await rec.waitFor('followup');
		expect(rec.edits[0]?.data.content).toBe('done thinking');
		const original = rec.originalId ? fake.messages.get(rec.originalId) : undefined;
		expect(original?.content).toBe('done thinking');
		expect(original?.flags).toBe(64);
		expect(followup.content).toBe('and a follow-up');
		expect(rec.followups).toHaveLength(1);
		const [msg] = await channelMsg;
		expect(msg.content).toBe('plain channel message');
	});

	it('a select menu gets an ephemeral reply (4) to the component', async () => {
		const pick = await fake.sendInteraction(fake.slashCommand('pick'));
		const menu = pick.data.components?.[0]?.components?.[0];
		expect(menu).toMatchObject({ type: 3, custom_id: 'pick:fruit', max_values: 2 });
		const res = await fake.sendInteraction(fake.selectMenu('pick:fruit', ['apple', 'cherry']));
		expect(res.type).toBe(InteractionResponseType.ChannelMessageWithSource);
		expect(res.data).toMatchObject({ content: 'you picked apple and cherry', flags: 64 });
		expect(res.record.payload.message?.id).toBe(pick.message?.id);
		expect(res.record.originalId).toBe(res.message?.id); // @original is now the new reply
	});

	it('subcommands with integer and number options use the registered option types', async () => {
		const payload = fake.slashCommand('list', { add: { title: 'Dune', count: 3, weight: 2 } });
		expect(payload.data.options).toEqual([
			{
				name: 'add',
				type: 1,
				options: [
					{ name: 'title', type: 3, value: 'Dune' },
					{ name: 'count', type: 4, value: 3 },
					{ name: 'weight', type: 10, value: 2 }, // an integer value, but registered as a number
				],
			},
		]);
		const res = await fake.sendInteraction(payload);
		expect(res.data.content).toBe('added 3 × Dune (weight 2)');
		const show = await fake.sendInteraction(fake.slashCommand('list', { show: {} }));
		expect(show.data.content).toBe('nothing yet');
		expect(botErrors).toEqual([]);
	});

	it('a DM interaction has a user, channel type 1 and context 1, and no guild', async () => {
		const payload = fake.slashCommand('where', {}, { dm: true });
		expect(payload).not.toHaveProperty('guild_id');
		expect(payload).not.toHaveProperty('member');
		expect(payload.user?.id).toBe(fake.user.id);
		expect(payload.channel).toMatchObject({ type: 1, recipients: [{ id: fake.user.id }] });
		expect(payload.context).toBe(1);
		expect(payload.data.id).toBe(fake.commands.get('global')?.[0]?.id);
		const res = await fake.sendInteraction(payload);
		expect(res.data.content).toBe('DM with tester (channel type 1)');
		expect(res.message).not.toHaveProperty('guild_id');
		expect(res.message?.channel_id).toBe(fake.dmChannel().id);
	});

	it('a second guild and its NSFW channel, picked by channel name', async () => {
		const second = fake.guild('Second Guild');
		const res = await fake.sendInteraction(fake.slashCommand('where', {}, { channel: 'after-dark' }));
		expect(res.record.payload.guild_id).toBe(second.id);
		expect(res.record.payload.channel).toMatchObject({ name: 'after-dark', nsfw: true, guild_id: second.id });
		expect(res.data.content).toBe('Second Guild #after-dark nsfw=true shard=0');
		const lobby = await fake.sendInteraction(fake.slashCommand('where', {}, { guild: second }));
		expect(lobby.data.content).toBe('Second Guild #lobby nsfw=false shard=0');
		// a button on a message in the second guild is clicked in that guild
		const ping = await fake.sendInteraction(fake.slashCommand('ping', {}, { channel: 'lobby' }));
		expect(ping.data.embeds?.[0]?.footer?.text).toBe('#lobby in Second Guild');
		expect(ping.message?.guild_id).toBe(second.id);
		const click = await fake.sendInteraction(fake.buttonClick('ping:again', ping.message ?? undefined));
		expect(click.record.payload.guild_id).toBe(second.id);
		expect(click.message?.id).toBe(ping.message?.id);
		expect(() => fake.channel('nowhere')).toThrow(/no channel nowhere/);
	});

	it('a hidden channel’s permission overwrites reach discord.js in GUILD_CREATE and channel fetches', async () => {
		const second = fake.guild('Second Guild');
		const staff = fake.channel('staff', second);
		expect(staff.permission_overwrites).toEqual([{ id: second.id, type: 0, allow: '0', deny: '1024' }]);
		const guild = client.guilds.cache.get(second.id);
		const cached = guild?.channels.cache.get(staff.id);
		const me = guild?.members.me;
		if (!cached || !me || !('permissionsFor' in cached)) throw new Error('staff and the bot expected in the cache');
		// The bot (a member, not the owner) is denied it through @everyone's overwrite; the lobby it sees.
		expect(cached.permissionsFor(me)?.has(PermissionFlagsBits.ViewChannel)).toBe(false);
		expect(cached.permissionsFor(me)?.has(PermissionFlagsBits.SendMessages)).toBe(true);
		const lobby = guild?.channels.cache.get(fake.channel('lobby', second).id);
		expect(lobby && 'permissionsFor' in lobby && lobby.permissionsFor(me)?.has(PermissionFlagsBits.ViewChannel)).toBe(
			true,
		);
		const fetched = await client.channels.fetch(staff.id, { force: true });
		expect(
			fetched && 'permissionOverwrites' in fetched && fetched.permissionOverwrites.cache.get(second.id)?.deny.bitfield,
		).toBe(PermissionFlagsBits.ViewChannel);
	});

	it('heartbeats are ACKed and the shard stays ready', async () => {
		const beats: GatewayMessage[] = [];
		const acks = new Promise<void>((resolve) => {
			const onGateway = (m: GatewayMessage) => {
				if (m.op === 1 && beats.push(m) >= 2) {
					fake.off('gateway', onGateway);
					resolve();
				}
			};
			fake.on('gateway', onGateway);
		});
		await acks;
		await sleep(50);
		expect(client.ws.shards.get(0)?.status).toBe(0); // Status.Ready
		expect(client.ws.ping).toBeGreaterThanOrEqual(0);
	});

	it('RESUMEs after the gateway drops the connection (4000), then still gets interactions', async () => {
		const session = [...fake.sessions][0];
		if (!session) throw new Error('no gateway session');
		const resumeSent = new Promise<GatewayMessage>((resolve) => {
			const onGateway = (m: GatewayMessage) => {
				if (m.op === 6) {
					fake.off('gateway', onGateway);
					resolve(m);
				}
			};
			fake.on('gateway', onGateway);
		});
		const resumed = once(client, Events.ShardResume);
		session.ws.close(4000, 'test: unknown error');
		const resume = await resumeSent;
		expect(resume.d).toMatchObject({ token: fake.token, session_id: session.sessionId });
		await resumed;
		expect(identifies).toHaveLength(1); // resumed, not re-identified
		const res = await fake.sendInteraction(fake.slashCommand('ping', { fruit: 'cherry' }));
		expect(res.data.embeds?.[0]?.description).toBe('tester picked cherry');
	});

	it('keeps an interaction sent while the shard is away and replays it on RESUME, as Discord does', async () => {
		const session = [...fake.sessions][0];
		if (!session) throw new Error('no gateway session');
		const resumed = once(client, Events.ShardResume);
		session.ws.close(4000, 'test: unknown error');
		await once(fake, 'disconnect');
		// No session for the guild's shard now: the event waits for the shard's RESUME instead of being lost.
		expect([...fake.sessions].some((s) => s.identified)).toBe(false);
		const res = await fake.sendInteraction(fake.slashCommand('ping', { fruit: 'lime' }));
		await resumed;
		expect(res.data.embeds?.[0]?.description).toBe('tester picked lime');
		expect(identifies).toHaveLength(1);
	});

	it('a callback for an unknown interaction gets 10062 and nothing unexpected was called', async () => {
		const url = `${fake.restBase}/v10/interactions/${snowflake()}/nope/callback`;
		const r = await fetch(url, {
			method: 'POST',
			body: JSON.stringify({ type: 4, data: { content: 'x' } }),
			headers: { 'content-type': 'application/json' },
		});
		expect(r.status).toBe(404);
		expect(await r.json()).toEqual({ message: 'Unknown interaction', code: 10062 });
		const unauthorised = await fetch(`${fake.restBase}/v10/users/@me`);
		expect(unauthorised.status).toBe(401);
		expect(unhandled).toEqual([]);
		expect(botErrors).toEqual([]);
	});

	it.skipIf(!checker)('every request body the bot sent matches the Discord OpenAPI spec', () => {
		expect(fake.requests.length).toBeGreaterThan(20);
		expect(specCheckAll(fake.requests, checker)).toEqual([]);
	});

	it.skipIf(!checker)('the spec check catches bodies Discord would reject', () => {
		if (!checker) return;
		const ping = fake.requests.find(
			(r) => r.path.endsWith('/callback') && JSON.stringify(r.body).includes('"ping:again"'),
		);
		if (!ping) throw new Error('no /ping callback recorded');
		expect(checker.check(ping.method, ping.path, ping.body)).toEqual([]);
		// the same reply with an embed title over 256 characters
		const long = structuredClone(ping.body) as { data: { embeds: { title: string }[] } };
		const embed = long.data.embeds[0];
		if (embed) embed.title = 't'.repeat(257);
		expect(checker.check(ping.method, ping.path, long)[0]).toMatch(
			/\/data\/embeds\/0\/title must NOT have more than 256 characters$/,
		);
		// a channel message with a custom_id over 100 characters
		const badButton = {
			content: 'x',
			components: [{ type: 1, components: [{ type: 2, style: 1, label: 'Go', custom_id: 'c'.repeat(101) }] }],
		};
		const errors = specCheckAll([{ method: 'POST', path: '/channels/1/messages', body: badButton }], checker);
		expect(errors[0]).toBe(
			'POST /channels/1/messages: /channels/{channel_id}/messages /components/0/components/0/custom_id must NOT have more than 100 characters',
		);
		// an unknown callback type
		expect(checker.check('POST', '/interactions/1/t/callback', { type: 42 }).length).toBeGreaterThan(0);
		// routes without a request body are not checked
		expect(checker.check('GET', '/gateway/bot', null)).toEqual([]);
	});
});

describe('FakeDiscord with two shards in one client', () => {
	let fake: FakeDiscord;
	let client: Client;
	const botErrors: unknown[] = [];

	beforeAll(async () => {
		// pick guild ids that land on shard 0 and shard 1: shardOf(id, 2) is (timestamp - epoch) % 2
		const now = Date.now();
		const ids = [now, now + 1].map((ts) => snowflake(ts)).sort((a, b) => shardOf(a, 2) - shardOf(b, 2));
		fake = await new FakeDiscord({
			shards: 2,
			heartbeatInterval: 200,
			callbackTimeout: 500,
			guilds: ids.map((id, i) => ({ id, name: `Shard ${i} Guild` })),
		}).start();
		const bot = createBot(fake, false, botErrors, 'auto');
		client = bot.client;
		await client.login(fake.token);
		await bot.ready;
	});

	afterAll(async () => {
		await client?.destroy();
		await fake?.stop();
	});

	it('routes each guild interaction to the shard that owns the guild, and DMs to shard 0', async () => {
		expect([...fake.sessions].map((s) => s.shard).sort()).toEqual([
			[0, 2],
			[1, 2],
		]);
		for (const [i, guild] of fake.guilds.entries()) {
			expect(shardOf(guild.id, 2)).toBe(i);
			const res = await fake.sendInteraction(fake.slashCommand('where', {}, { guild }));
			expect(res.data.content).toBe(`Shard ${i} Guild #general nsfw=false shard=${i}`);
		}
		// were a DM sent to both shards, the second answer would be rejected (40060) and land in botErrors
		const dm = await fake.sendInteraction(fake.slashCommand('where', {}, { dm: true }));
		expect(dm.data.content).toBe('DM with tester (channel type 1)');
		await sleep(50);
		expect(botErrors).toEqual([]);
	});

	it('a reply after the callback window fails on both sides (10062)', async () => {
		const late = fake.sendInteraction(fake.slashCommand('late', { ms: 700 }));
		await expect(late).rejects.toThrow(/did not answer interaction \d+ within 500ms/);
		await sleep(400);
		expect(botErrors).toHaveLength(1);
		expect(botErrors[0]).toMatchObject({ code: 10062, status: 404 });
		botErrors.length = 0;
	});

	it.skipIf(!checker)('every request body matches the spec', () => {
		expect(specCheckAll(fake.requests, checker)).toEqual([]);
	});
});

describe('FakeDiscord gateway with zlib-stream transport compression', () => {
	let fake: FakeDiscord;
	beforeAll(async () => {
		fake = await new FakeDiscord({ heartbeatInterval: 60_000 }).start();
	});
	afterAll(async () => {
		await fake?.stop();
	});

	it('sends HELLO, READY and GUILD_CREATE through one deflate context, each ending in a sync flush', async () => {
		// discord.js only asks for zlib-stream when zlib-sync is installed, so this speaks to the gateway directly
		const ws = new WebSocket(`${fake.gatewayUrl}?v=10&encoding=json&compress=zlib-stream`);
		const inflate = createInflate();
		const received: GatewayMessage[] = [];
		const waiters: (() => void)[] = [];
		// Frames are inflated one at a time: two arriving close together must not share one flush's output.
		let chain = Promise.resolve();
		ws.on('message', (raw: Buffer) => {
			expect(raw.subarray(-4).equals(Buffer.from([0x00, 0x00, 0xff, 0xff]))).toBe(true);
			chain = chain.then(
				() =>
					new Promise<void>((resolve) => {
						const out: Buffer[] = [];
						const onData = (c: Buffer) => out.push(c);
						inflate.on('data', onData);
						inflate.write(raw);
						inflate.flush(zlibConstants.Z_SYNC_FLUSH, () => {
							inflate.off('data', onData);
							received.push(JSON.parse(Buffer.concat(out).toString()) as GatewayMessage);
							waiters.shift()?.();
							resolve();
						});
					}),
			);
		});
		const next = async (): Promise<GatewayMessage> => {
			const seen = received.length;
			while (received.length <= seen) await new Promise<void>((resolve) => waiters.push(resolve));
			return received[seen] as GatewayMessage;
		};
		try {
			const hello = await next();
			expect(hello).toMatchObject({ op: 10, d: { heartbeat_interval: 60_000 } });
			ws.send(JSON.stringify({ op: 2, d: { token: fake.token, intents: 1, properties: {} } }));
			const ready = await next();
			expect(ready).toMatchObject({ op: 0, t: 'READY', s: 1, d: { user: { id: fake.applicationId } } });
			const guild = await next();
			expect(guild).toMatchObject({ op: 0, t: 'GUILD_CREATE', s: 2, d: { name: 'Test Guild' } });
			ws.send(JSON.stringify({ op: 1, d: 2 }));
			expect(await next()).toEqual({ op: 11, d: null, s: null, t: null });
		} finally {
			const closed = once(ws, 'close');
			ws.close();
			await closed;
			inflate.destroy();
		}
	});

	it('closes with 4004 on a bad token', async () => {
		const ws = new WebSocket(`${fake.gatewayUrl}?v=10&encoding=json`);
		await once(ws, 'open');
		const closed = once(ws, 'close');
		ws.send(JSON.stringify({ op: 2, d: { token: 'wrong', intents: 1, properties: {} } }));
		const [code] = await closed;
		expect(code).toBe(4004);
	});
});
