// Validate recorded REST request bodies against Discord's official OpenAPI spec (JSON Schema 2020-12).
// The spec is not part of this repository: it is read from $DISCORD_OPENAPI_SPEC, else from
// ../shared/discord-openapi.json beside the project. When it is absent the checks are skipped, loudly.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// ajv is CommonJS: under NodeNext its default import is the module object, not the class (that would be
// `.default`); the named export is the class both for tsc and for Node's CommonJS interop.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Where the spec is looked for: $DISCORD_OPENAPI_SPEC, else ../shared/discord-openapi.json beside the project. */
export const SPEC_PATH: string =
	process.env.DISCORD_OPENAPI_SPEC || path.resolve(projectRoot, '../shared/discord-openapi.json');

/** What to say when the spec is missing. */
export const SPEC_NOTE = `Discord OpenAPI spec not found at ${SPEC_PATH}; request bodies were not validated against it (set DISCORD_OPENAPI_SPEC to check them).`;

export interface SpecChecker {
	/** The spec file this checker validates against. */
	readonly specPath: string;
	/**
	 * Validate one request body against the spec's `application/json` request schema for `method path`
	 * (path as recorded by FakeDiscord, e.g. `/interactions/1/tok/callback`). Returns [] when the body
	 * matches, or when the route has no request body in the spec; else short error strings.
	 */
	check(method: string, path: string, body: unknown): string[];
}

/** Anything with the shape of FakeDiscord's RecordedRequest. */
export interface CheckableRequest {
	method: string;
	path: string;
	body: unknown;
}

interface OpenApiSpec {
	paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: unknown }> } }>>;
}

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
const escapeRegExp = (s: string) => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
const KEYWORD_RANK: Record<string, number> = { required: 1, additionalProperties: 1, type: 2, enum: 3, const: 3 };
/** 0 for limits (maxLength, maximum, pattern...), then missing/extra properties, wrong types, enums, combinators. */
const keywordRank = (keyword: string) => KEYWORD_RANK[keyword] ?? (/Of$|^if$|^not$/.test(keyword) ? 4 : 0);
const literalLength = (template: string) => template.replace(/\{[^}]+\}/g, '').length;

function createChecker(specPath: string): SpecChecker {
	const spec = JSON.parse(readFileSync(specPath, 'utf8')) as OpenApiSpec;
	const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
	ajv.addSchema(spec as object, 'spec');
	const templates = Object.keys(spec.paths)
		.map((t) => {
			const pattern = t
				.split(/\{[^}]+\}/)
				.map(escapeRegExp)
				.join('[^/]+');
			return { t, re: new RegExp(`^${pattern}$`) };
		})
		// the most literal template wins: /messages/@original over /messages/{message_id}
		.sort((a, b) => literalLength(b.t) - literalLength(a.t));
	const cache = new Map<string, { template: string; validate: ValidateFunction } | null>();

	function validatorFor(method: string, requestPath: string) {
		const m = method.toLowerCase();
		const hit = templates.find((x) => x.re.test(requestPath));
		if (!hit) return null;
		const key = `${m} ${hit.t}`;
		if (!cache.has(key)) {
			const json = spec.paths[hit.t]?.[m]?.requestBody?.content?.['application/json'];
			const ptr = `spec#/paths/${encodeURIComponent(escapePointer(hit.t))}/${m}/requestBody/content/application~1json/schema`;
			cache.set(key, json?.schema ? { template: hit.t, validate: ajv.compile({ $ref: ptr }) } : null);
		}
		return cache.get(key) ?? null;
	}

	return {
		specPath,
		check(method, requestPath, body) {
			if (body == null || typeof body !== 'object') return [];
			const v = validatorFor(method, requestPath);
			if (!v) return [];
			// multipart uploads are recorded as payload_json plus `_files` (and `_problems`), not part of the API
			const clean: unknown = JSON.parse(
				JSON.stringify(body, (k, val) => (k === '_files' || k === '_problems' ? undefined : val)),
			);
			if (v.validate(clean)) return [];
			// with oneOf/anyOf every branch reports its mismatch; limits on a value name the actual problem,
			// branch noise (enum/const of a discriminator, the oneOf itself) goes last
			const errors = [...(v.validate.errors ?? [])].sort(
				(a, b) =>
					keywordRank(a.keyword) - keywordRank(b.keyword) ||
					b.instancePath.split('/').length - a.instancePath.split('/').length,
			);
			const lines = errors.map((e) => `${v.template} ${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
			return [...new Set(lines)].slice(0, 4);
		},
	};
}

const checkers = new Map<string, SpecChecker | null>();

/** A checker for the spec at `specPath` (default SPEC_PATH), or null when the file is absent. Cached per path. */
export function loadSpecChecker(specPath: string = SPEC_PATH): SpecChecker | null {
	if (!checkers.has(specPath)) checkers.set(specPath, existsSync(specPath) ? createChecker(specPath) : null);
	return checkers.get(specPath) ?? null;
}

/**
 * Every spec error of a list of recorded requests, each prefixed with its request. Returns [] and warns
 * SPEC_NOTE when the spec is absent (pass `checker` to use another spec, or null to skip silently).
 */
export function specCheckAll(requests: readonly CheckableRequest[], checker?: SpecChecker | null): string[] {
	const c = checker === undefined ? loadSpecChecker() : checker;
	if (!c) {
		if (checker === undefined) console.warn(SPEC_NOTE);
		return [];
	}
	return requests.flatMap((r) => c.check(r.method, r.path, r.body).map((e) => `${r.method} ${r.path}: ${e}`));
}
