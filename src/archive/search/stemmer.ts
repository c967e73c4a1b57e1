import Database from 'better-sqlite3';

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

	close(): void {
		this.db.close();
	}
}
