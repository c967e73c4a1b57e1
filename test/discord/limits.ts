import { embedLength, LIMITS } from '../../src/discord/render/limits.js';

interface Body {
	content?: string | null;
	embeds?: {
		title?: string;
		description?: string;
		fields?: { name: string; value: string }[];
		footer?: { text: string };
		author?: { name: string };
	}[];
	components?: {
		type: number;
		components: {
			type: number;
			custom_id?: string;
			label?: string;
			style?: number;
			url?: string;
			options?: { label: string; value: string; description?: string }[];
		}[];
	}[];
	allowed_mentions?: { parse?: string[] };
	allowedMentions?: { parse?: string[] };
}

/** Every Discord limit a message body breaks, in words; [] when it fits. */
export function limitProblems(body: Body): string[] {
	const problems: string[] = [];
	const over = (what: string, length: number, max: number) => {
		if (length > max) problems.push(`${what} is ${length} > ${max}`);
	};
	over('content', body.content?.length ?? 0, LIMITS.content);
	let total = 0;
	for (const embed of body.embeds ?? []) {
		over('embed title', embed.title?.length ?? 0, LIMITS.embedTitle);
		over('embed description', embed.description?.length ?? 0, LIMITS.embedDescription);
		over('fields', embed.fields?.length ?? 0, LIMITS.fields);
		for (const f of embed.fields ?? []) {
			over('field name', f.name.length, LIMITS.fieldName);
			over('field value', f.value.length, LIMITS.fieldValue);
			if (!f.name.trim() || !f.value.trim()) problems.push('empty field name or value');
		}
		over('footer', embed.footer?.text.length ?? 0, LIMITS.footer);
		total += embedLength(embed as Parameters<typeof embedLength>[0]);
	}
	over('embeds in all', total, LIMITS.embedTotal);
	over('rows', body.components?.length ?? 0, LIMITS.rows);
	const ids = new Set<string>();
	for (const row of body.components ?? []) {
		const buttons = row.components.filter((c) => c.type === 2);
		over('buttons in a row', buttons.length, LIMITS.buttonsPerRow);
		if (row.components.some((c) => c.type !== 2) && row.components.length > 1)
			problems.push('a select menu shares its row');
		for (const c of row.components) {
			if (c.custom_id !== undefined) {
				over('custom_id', c.custom_id.length, LIMITS.customId);
				if (ids.has(c.custom_id)) problems.push(`custom_id ${c.custom_id} repeats`);
				ids.add(c.custom_id);
			}
			over('button label', c.label?.length ?? 0, LIMITS.buttonLabel);
			if (c.url !== undefined) {
				over('button url', c.url.length, LIMITS.buttonUrl);
				if (!/^https?:\/\//.test(c.url)) problems.push(`button url ${c.url} is not http(s)`);
				if (c.style !== 5 || c.custom_id !== undefined) problems.push('a url button is not a plain link button');
			}
			over('select options', c.options?.length ?? 0, LIMITS.selectOptions);
			for (const o of c.options ?? []) {
				over('option label', o.label.length, LIMITS.optionLabel);
				over('option value', o.value.length, LIMITS.optionValue);
				over('option description', o.description?.length ?? 0, LIMITS.optionDescription);
			}
		}
	}
	const mentions = body.allowed_mentions ?? body.allowedMentions;
	if (!mentions || (mentions.parse ?? []).length !== 0) problems.push('allowed mentions do not stop pings');
	return problems;
}
