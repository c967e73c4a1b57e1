/** Network failures: Discord (or DISCORD_API_URL) could not be reached, whatever the token. */
const NETWORK_CODES = new Set([
	'ENOTFOUND',
	'EAI_AGAIN',
	'ECONNREFUSED',
	'ECONNRESET',
	'ETIMEDOUT',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'EPIPE',
	'UND_ERR_CONNECT_TIMEOUT',
	'UND_ERR_SOCKET',
]);

function codeOf(error: unknown): string | undefined {
	for (let e = error, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
		const code = (e as { code?: unknown }).code;
		if (typeof code === 'string' && code) return code;
		e = (e as { cause?: unknown }).cause;
	}
	return undefined;
}

/**
 * What to tell a person whose bot could not log in: a refused token (401, discord.js's TokenInvalid) is a
 * credentials problem; a DNS failure or a refused connection is a network one, and the token may be fine.
 */
export function explainLoginError(error: unknown, apiUrl: string | null): string {
	const why = error instanceof Error ? error.message : String(error);
	const code = codeOf(error);
	const status = (error as { status?: unknown } | null)?.status;
	const where = apiUrl ?? 'https://discord.com/api';
	if (code === 'TokenInvalid' || status === 401) {
		return (
			`Discord refused the token (401 Unauthorized): ${why}\n` +
			'Check DISCORD_TOKEN in .env: it may have been reset or copied from another application ' +
			'(Developer Portal → your application → Bot → Reset Token, then paste the new one).'
		);
	}
	if (code && NETWORK_CODES.has(code)) {
		const dns = code === 'ENOTFOUND' || code === 'EAI_AGAIN';
		return (
			`Could not reach Discord at ${where} (${code}): ${why}\n` +
			(dns
				? 'The host name did not resolve: check the network connection or DNS'
				: 'The connection failed: check the network connection or a firewall') +
			(apiUrl ? ', and DISCORD_API_URL in .env.' : '.') +
			' This is not a problem with DISCORD_TOKEN.'
		);
	}
	return `Could not log in to Discord: ${why}`;
}
