import type { StoryFilter, StorySet } from './filters.js';

/**
 * The work typo correction may do for one query, and the stories it may take words from. better-sqlite3 is synchronous, so a search holds the bot's event
 * loop for as long as it runs: one edit of a 500-letter word is 26,000 candidates to stem and look up (over a
 * second), and a query of a dozen long words that match nothing cost as much. Each query gets one budget; a word
 * that would overdraw it is left as typed (it matches nothing, and the results' note names it).
 */

/**
 * Longer words are not corrected: English words this long are rare (the longest in the sample stories has 17
 * letters), and the candidates one edit away grow with the length (about 54 per letter).
 */
export const TYPO_WORD_MAX = 24;
/**
 * Candidates one edit away stemmed and looked up per query, at most: about four typos of eight letters, each
 * needing every kind of edit, at about 10 µs a candidate at 1 GB. More would find the odd fifth typo of a pasted
 * paragraph at the cost of the bot's other users.
 */
export const TYPO_CANDIDATES = 2000;
/**
 * Vocabulary terms compared by edit distance per query, at most: the two-edit fallback compares a word with every
 * term of about its length that starts with its first letter (a few thousand in the 1 GB synthetic archive, tens
 * of thousands in a real archive's larger vocabulary, a few µs each). Past it, the closest term found so far.
 */
export const TYPO_TERMS = 20_000;
/**
 * Words per query that the two-edit fallback looks for at all: each scan reads every term that starts with the word's
 * first letter (SQLite filters them by length), whether or not any is compared. A query of twenty words that match
 * nothing scanned forty such ranges.
 */
export const TYPO_SCANS = 4;
/**
 * Words per query checked against the stories correction may take words from (`TypoScope`), at most: each check
 * reads up to SCOPE_PAGES of the word's pages. The best candidates come first and most are in the scope, so a few
 * checks decide a word; past it, no more corrections (none is better than one from outside the scope).
 */
export const TYPO_CHECKS = 16;

/**
 * The stories typo correction may take words from: those the search may return with their text shown (the query's
 * filters, and the ratings whose text the place allows). A correction is a word of the archive's text; from any
 * other story it would show (and search for) a word of a story whose text is hidden there.
 */
export interface TypoScope {
	/** The stories as SQL over the stories table (checked for a word's pages in one statement). */
	filter: StoryFilter;
	/** The same, story by story (for pages found otherwise). */
	stories: StorySet;
}

export class TypoBudget {
	private candidatesLeft = TYPO_CANDIDATES;
	private termsLeft = TYPO_TERMS;
	private scansLeft = TYPO_SCANS;
	private checksLeft = TYPO_CHECKS;

	/** `scope`: the stories corrections may come from; null, every story. */
	constructor(readonly scope: TypoScope | null = null) {}

	/** Whether a word is short enough to be corrected at all. */
	static fits(word: string): boolean {
		return word.length <= TYPO_WORD_MAX;
	}

	/** Spends `n` candidates, if that many are left; false (nothing spent) when not. */
	candidates(n: number): boolean {
		if (n > this.candidatesLeft) return false;
		this.candidatesLeft -= n;
		return true;
	}

	/** Spends one two-edit search (a word's scan of the vocabulary); false when none is left. */
	scan(): boolean {
		if (this.scansLeft <= 0) return false;
		this.scansLeft--;
		return true;
	}

	/** Spends one check of a word against the scope; false when none is left. */
	check(): boolean {
		if (this.checksLeft <= 0) return false;
		this.checksLeft--;
		return true;
	}

	/** Spends one term compared; false when none is left. */
	term(): boolean {
		if (this.termsLeft <= 0) return false;
		this.termsLeft--;
		return true;
	}
}
