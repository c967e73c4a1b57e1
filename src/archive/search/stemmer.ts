/** The index's own stemming (porter, accents folded), for snippets, prefixes and typo correction. */
import Database from 'better-sqlite3';

/** Endings that porter takes off, to spell a stem as a word it comes from. */
const ENDINGS = [
	'e',
	's',
	'y',
	'ing',
	'ed',
	'es',
	'al',
	'ion',
	'ate',
	'ize',
	'le',
	'ance',
	'ence',
	'ment',
	'ness',
	'ful',
	'ous',
	'ive',
	'ly',
];

/** The index's own tokenizer, to stem words as the index did (porter, accents folded). */
export class Stemmer {
	private readonly db = new Database(':memory:');
	private readonly insert;
	private readonly read;
	private readonly clear;
	private readonly cache = new Map<string, string[]>();

	constructor() {
		this.db.exec(`CREATE VIRTUAL TABLE s USING fts5(w, tokenize = 'porter unicode61 remove_diacritics 2');
			CREATE VIRTUAL TABLE sv USING fts5vocab(s, instance);`);
		this.insert = this.db.prepare('INSERT INTO s (rowid, w) VALUES (1, ?)');
		this.read = this.db.prepare('SELECT term FROM sv ORDER BY offset').pluck();
		this.clear = this.db.prepare('DELETE FROM s');
	}

	/** The index terms a piece of text becomes ("Leaving town" → ["leav", "town"]). */
	stems(text: string): string[] {
		let stems = this.cache.get(text);
		if (!stems) {
			this.insert.run(text);
			stems = this.read.all() as string[];
			this.clear.run();
			if (this.cache.size > 10_000) this.cache.clear();
			this.cache.set(text, stems);
		}
		return stems;
	}

	/**
	 * The one index term of each word (letters only), stemmed together in one pass; undefined for a word that is
	 * not one term. Cheaper than `stems` per word when there are many (typo candidates).
	 */
	stemEach(words: readonly string[]): (string | undefined)[] {
		const fresh = [...new Set(words.filter((w) => !this.cache.has(w)))];
		if (fresh.length > 1 && fresh.every((w) => /^\p{L}+$/u.test(w))) {
			this.insert.run(fresh.join(' '));
			const all = this.read.all() as string[];
			this.clear.run();
			// Letters only, one word each: the tokenizer gives one term per word, in order.
			if (all.length === fresh.length) {
				if (this.cache.size > 10_000) this.cache.clear();
				for (const [i, w] of fresh.entries()) this.cache.set(w, [all[i] as string]);
			}
		}
		return words.map((w) => {
			const stems = this.stems(w);
			return stems.length === 1 ? stems[0] : undefined;
		});
	}

	/**
	 * For each index term, a word the tokenizer turns into exactly that term, to put it back into a query: the
	 * term itself when it is its own stem, else the term with a usual ending ("hous" → "house", "happi" → "happy");
	 * undefined when none gives it. (A term in a query is stemmed again, and "hous" alone becomes "hou".)
	 */
	spellings(terms: readonly string[]): (string | undefined)[] {
		const stems = this.stemEach(terms);
		const spelled: (string | undefined)[] = terms.map((t, i) => (stems[i] === t ? t : undefined));
		const missing = terms.filter((_, i) => spelled[i] === undefined);
		if (!missing.length) return spelled;
		const candidates = missing.map((t) => {
			const base = /^\p{L}+$/u.test(t) ? [t, ...(t.endsWith('i') ? [t.slice(0, -1)] : [])] : [];
			return base.flatMap((b) => ENDINGS.map((e) => b + e)).filter((c) => c !== t);
		});
		const candidateStems = this.stemEach(candidates.flat());
		let at = 0;
		const found = new Map<string, string>();
		for (const [i, t] of missing.entries()) {
			const list = candidates[i] ?? [];
			const hit = list.findIndex((_, j) => candidateStems[at + j] === t);
			if (hit >= 0) found.set(t, list[hit] as string);
			at += list.length;
		}
		return terms.map((t, i) => spelled[i] ?? found.get(t));
	}

	close(): void {
		this.db.close();
	}
}
