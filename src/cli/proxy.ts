#!/usr/bin/env node
import { loadOrSay, loadProxyConfig } from '../config.js';
import { createLogger } from '../log.js';
import { createProxy } from '../proxy.js';

/** npm run proxy: serves the REST proxy on PROXY_HOST:PROXY_PORT until stopped. */
function main(): number {
	const config = loadOrSay(loadProxyConfig);
	if (!config) return 1;
	const log = createLogger(config.logLevel);
	const server = createProxy(config.upstream, log);
	server.on('error', (error) => {
		console.error(`The REST proxy could not listen on ${config.host}:${config.port}: ${error.message}`);
		process.exit(1);
	});
	server.listen(config.port, config.host, () => {
		log.info('REST proxy listening', {
			url: `http://${config.host}:${config.port}/api`,
			upstream: config.upstream,
		});
	});
	const stop = (signal: string) => {
		log.info('shutting down', { signal });
		server.close(() => process.exit(0));
		server.closeAllConnections();
	};
	process.once('SIGINT', () => stop('SIGINT'));
	process.once('SIGTERM', () => stop('SIGTERM'));
	return -1;
}

const code = main();
if (code >= 0) process.exitCode = code;
