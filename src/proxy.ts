import { createServer, type Server } from 'node:http';
import { proxyRequests } from '@discordjs/proxy';
// From @discordjs/rest itself, not discord.js: discord.js loads its CommonJS build, whose error classes are not
// the ones the proxy (an ES module) checks with instanceof, and Discord's errors would then reach the bots as
// empty 200s.
import { REST } from '@discordjs/rest';
import type { Logger } from './log.js';

/**
 * An HTTP server that sends every REST call it gets on to Discord through one @discordjs/rest queue, so the
 * bot processes on every machine (DISCORD_API_URL=http://<proxy>:<port>/api) share Discord's rate limits
 * instead of each tripping them. It holds no token: each request carries its bot's own Authorization.
 * Retries are left to the bots (a retry here too would multiply them).
 */
export function createProxy(upstream: string, log: Logger): Server {
	const rest = new REST({ api: upstream, retries: 0 });
	rest.on('rateLimited', (info) =>
		log.info('rate limited', { route: info.route, method: info.method, wait: info.timeToReset, global: info.global }),
	);
	const handle = proxyRequests(rest);
	return createServer((req, res) => {
		// Overwritten by every answer Discord gives; left when there is none (the upstream unreachable, say), as
		// the proxy ends the response before it rethrows: the bot then gets a 502, not an empty 200.
		res.statusCode = 502;
		Promise.resolve(handle(req, res)).catch((error: unknown) => {
			log.warn('proxy request failed', { method: req.method, url: req.url, error });
			res.end();
		});
	});
}
