/**
 * Letter classes for the parser's hot regular expressions. V8 runs `\p{L}`-style Unicode property classes about
 * fifteen times slower than explicit ranges, so the parser spells out Latin letters (ASCII, Latin-1 and Latin
 * Extended-A: enough for the names and words of English-language archives); other scripts still parse, they
 * just are not recognised as names.
 */
export const LETTER = 'A-Za-zÀ-ÖØ-öø-ÿĀ-ſ';
export const UPPER = 'A-ZÀ-ÖØ-Þ';
export const LOWER = 'a-zß-öø-ÿ';

// The same classes for scans that read the text code unit by code unit.

/** Whether a UTF-16 code unit is in LETTER. */
export const isLetterCode = (c: number) =>
	(c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 0xc0 && c <= 0x17f && c !== 0xd7 && c !== 0xf7);

/** Whether a UTF-16 code unit is in UPPER. */
export const isUpperCode = (c: number) => (c >= 65 && c <= 90) || (c >= 0xc0 && c <= 0xde && c !== 0xd7);
