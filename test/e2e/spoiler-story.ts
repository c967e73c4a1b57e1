import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importArchive } from '../../src/archive/import.js';
import type { ArchiveStore } from '../../src/archive/store.js';

/** A Mature story whose tags and warnings hold bars, markdown and a mention of their own (card settings tests). */
export const SPOILER_BARS = `---
title: Spoiler Bars
author: Tag Tester
rating: Mature
fandom: Buffy the Vampire Slayer
relationships: [Buffy Summers/Spike]
characters: [Buffy Summers, Dawn Summers]
warnings: "Major Character Death || it ends"
tags: ["||twist||", "*bold* \`code\`", "@everyone"]
summary: The last patrol of the winter.
---

# One

Buffy walked the last patrol of the winter alone.

"It ends tonight," Dawn said, and she meant it.
`;

/** Its warnings and tags as a server that puts them behind spoiler bars shows them. */
export const SPOILERED_FIELDS = {
	Warnings: '||Major Character Death \\|\\| it ends||',
	Tags: '||\\|\\|twist\\|\\|, \\*bold\\* \\`code\\`, @\u200beveryone||',
};

/** Adds the story to an archive (as `spoiler-bars.md`); a story that fails is a broken fixture. */
export async function addSpoilerBars(store: ArchiveStore): Promise<void> {
	const dir = mkdtempSync(join(tmpdir(), 'fic-archive-card-'));
	try {
		writeFileSync(join(dir, 'spoiler-bars.md'), SPOILER_BARS);
		const summary = await importArchive(store, dir);
		if (summary.failed.length) throw new Error(`fixture import failed: ${JSON.stringify(summary.failed)}`);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}
