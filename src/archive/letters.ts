/**
 * Letter classes for the parser's hot regular expressions. V8 runs `\p{L}`-style Unicode property classes about
 * fifteen times slower than explicit ranges, so the parser spells out Latin letters (ASCII, Latin-1 and Latin
 * Extended-A: enough for the names and words of English-language archives); other scripts still parse, they
 * just are not recognised as names.
 */
export const LETTER = 'A-Za-zÀ-ÖØ-öø-ÿĀ-ſ';
export const UPPER = 'A-ZÀ-ÖØ-Þ';
export const LOWER = 'a-zß-öø-ÿ';
