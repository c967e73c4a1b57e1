import { Client, Events, GatewayIntentBits } from 'discord.js';
import { ReadingClubs } from './club.js';
import type { Command, Context, LiveHandle } from './context.js';
import { QuoteOfTheDay } from './qotd.js';
import { createRouter } from './router.js';

export interface BotOptions {
	/** The REST API base (a proxy such as @discordjs/proxy, or a fake in tests); Discord's own when absent. */
	apiUrl?: string | null;
	/** Rate limit to assume for every request: only a fake or proxy with no real limit should raise it. */
	globalRequestsPerSecond?: number;
	/** The archive to serve, read afresh for each interaction (a LiveArchive); else ctx's store and search. */
	archive?: LiveHandle;
	/** How long a handler may work before its answer is deferred (answer.ts; tests shorten it). */
	answerWithinMs?: number;
	/** Run the quote-of-the-day timer (default true; tests drive `client.qotd.tick()` themselves). */
	quoteOfTheDay?: boolean;
	/** Run the reading clubs' timer (default true; tests drive `client.clubs.tick()` themselves). */
	readingClubs?: boolean;
}

/**
 * The client with the router attached. Only the Guilds intent: slash commands, buttons and modals arrive as
 * interactions, so the bot reads no messages and needs no privileged intent.
 */
export function createBot(commands: readonly Command[], ctx: Omit<Context, 'commands'>, options: BotOptions = {}) {
	const client = new Client({
		intents: [GatewayIntentBits.Guilds],
		allowedMentions: { parse: [] },
		rest: {
			...(options.apiUrl ? { api: options.apiUrl } : {}),
			...(options.globalRequestsPerSecond ? { globalRequestsPerSecond: options.globalRequestsPerSecond } : {}),
		},
	});
	const route = createRouter(commands, { ...ctx, commands }, options.archive, {
		...(options.answerWithinMs !== undefined ? { answerWithinMs: options.answerWithinMs } : {}),
	});
	client.on(Events.InteractionCreate, (interaction) => {
		route(interaction).catch((error: unknown) => ctx.log.error('router failed', { error }));
	});
	const qotd = new QuoteOfTheDay(client, ctx, options.archive);
	const clubs = new ReadingClubs(client, ctx, options.archive);
	client.once(Events.ClientReady, (ready) => {
		ctx.log.info('logged in', { user: ready.user.tag, guilds: ready.guilds.cache.size, shards: ready.ws.shards.size });
		if (options.quoteOfTheDay !== false) qotd.start();
		if (options.readingClubs !== false) clubs.start();
	});
	client.on(Events.Error, (error) => ctx.log.error('client error', { error }));
	client.on(Events.Warn, (warning) => ctx.log.warn(warning));
	return Object.assign(client, { qotd, clubs });
}
