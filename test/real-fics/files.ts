// The real fan-fiction files of ../shared/real-fics (AO3 downloads and EPUBs, saved AO3 pages, FanFicFare output,
// 1990s Usenet posts, Markdown), with what each file itself says it is (from that folder's SOURCES.md). The files
// are not part of this repository: they are read from $REAL_FICS_DIR, else ../shared/real-fics beside the project.
// When the folder is absent the tests that need it are skipped, and say so.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Rating } from '../../src/archive/types.js';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Where the real files are looked for: $REAL_FICS_DIR, else ../shared/real-fics beside the project. */
export const REAL_FICS_DIR: string = process.env.REAL_FICS_DIR || path.resolve(projectRoot, '../shared/real-fics');

/** True when the folder is there (CI has it; a user's clone does not). */
export const HAVE_REAL_FICS: boolean = existsSync(path.join(REAL_FICS_DIR, 'SOURCES.md'));

/** What a skipped suite says. */
export const REAL_FICS_NOTE = `Real fan-fiction files not found at ${REAL_FICS_DIR}: the real-file tests were skipped (set REAL_FICS_DIR to run them).`;

/** One real file's bytes. */
export const readRealFic = (file: string): Buffer => readFileSync(path.join(REAL_FICS_DIR, file));

/** What a real file says about itself, read by eye (SOURCES.md). */
export interface RealFicTruth {
	file: string;
	title: string;
	/** The author's name as the file gives it; null when the file names none. */
	author: string | null;
	/** Other spellings of the author the file also gives ("Stephen Ratliff" under "Stephen B. Ratliff"). */
	authorAlso?: string[];
	rating: Rating;
	/** Words the file declares, or `wc -w` of its story part: the reading must be within 5 %. */
	words: number;
	/** Chapters the file holds; two numbers when SOURCES.md and the file's own articles count differently. */
	chapters: number | [number, number];
	/** The file holds part of a work and declares the whole work's words: those are checked, not the text's. */
	wordsDeclared?: true;
	/** Why a row is not simply SOURCES.md's figures. */
	note?: string;
}

/**
 * SOURCES.md's table, one row a file. Ratings are AO3's scale as the archive normalises them (PG → General);
 * titles leave out part markers and FanFicFare's chapter range ("(Ch 3-3)"), as the issue asks.
 */
export const TRUTH: readonly RealFicTruth[] = [
	// AO3 downloads (Download → HTML)
	{
		file: 'ao3-download_fire-and-feather_nianeyna_3ch-wip.html',
		title: 'Fire and Feather',
		author: 'nianeyna',
		rating: 'General',
		words: 7526,
		chapters: 3,
	},
	{
		file: 'ao3-download_my-aim-is-steady-and-true_nianeyna.html',
		title: 'My Aim Is Steady And True',
		author: 'nianeyna',
		rating: 'Teen',
		words: 4559,
		chapters: 1,
	},
	{
		file: 'ao3-download_the-world-on-his-wrist_bendingsignpost.html',
		title: 'The World on His Wrist',
		author: 'bendingsignpost',
		rating: 'Teen',
		words: 31623,
		chapters: 8,
	},
	// AO3 work pages saved from a browser
	{
		file: 'ao3-workpage_unlockedWork.html',
		title: 'so I open the window to hear sounds of people',
		author: 'oriflamme',
		rating: 'Teen',
		words: 5688,
		chapters: 1,
	},
	{
		file: 'ao3-workpage_explicitWorkLoggedIn.html',
		title: 'Monster Fucker October',
		author: 'SmileDarlin',
		rating: 'Explicit',
		words: 13800,
		chapters: 10,
	},
	{
		file: 'ao3-workpage-2017_time-was-time-is_ch1_sidra.html',
		title: 'Time Was, Time Is',
		author: 'Sidra',
		rating: 'General',
		words: 1581,
		wordsDeclared: true,
		chapters: 1,
		note: 'the page holds chapter 1 of 2; 1,581 is the whole work as its stats say (declared words)',
	},
	// AO3 EPUBs (calibre)
	{
		file: 'ao3-epub_fire-and-feather_nianeyna.epub',
		title: 'Fire and Feather',
		author: 'nianeyna',
		rating: 'General',
		words: 7526,
		chapters: 3,
	},
	{
		file: 'ao3-epub_my-aim-is-steady-and-true_nianeyna.epub',
		title: 'My Aim Is Steady And True',
		author: 'nianeyna',
		rating: 'Teen',
		words: 4559,
		chapters: 1,
	},
	{
		file: 'ao3-epub_the-world-on-his-wrist_bendingsignpost.epub',
		title: 'The World on His Wrist',
		author: 'bendingsignpost',
		rating: 'Teen',
		words: 31623,
		chapters: 8,
	},
	// 1990s plain text
	{
		file: 'txt-usenet_xfiles_bad-dreams_meltaylor.txt',
		title: 'Bad Dreams',
		author: 'Melissa Taylor',
		authorAlso: ['MelTaylor'],
		rating: 'General',
		words: 1511,
		chapters: 1,
	},
	{
		file: 'txt-usenet_xfiles_promises_michele-blankenship.txt',
		title: 'Promises',
		author: 'Michele Blankenship',
		rating: 'Not Rated',
		words: 2294,
		chapters: 1,
	},
	{
		file: 'txt-asterisk-box_xfiles_partners_marie-miller.txt',
		title: 'Partners',
		author: 'Marie Miller',
		rating: 'Not Rated',
		words: 1380,
		chapters: 1,
	},
	{
		file: 'txt-disclaimer-first_xfiles_angel_sarah-stegall.txt',
		title: 'Angel',
		author: 'Sarah Stegall',
		rating: 'Not Rated',
		words: 10852,
		chapters: 1,
	},
	{
		file: 'txt-email-headers_startrek_cadet-cruise_chapters.txt',
		title: 'Cadet Cruise',
		author: 'Stephen B. Ratliff',
		authorAlso: ['Stephen Ratliff'],
		rating: 'Not Rated',
		words: 5432,
		chapters: 8,
	},
	{
		file: 'txt-usenet-anon_startrek_elizabeth_bridget-olson.txt',
		title: 'Elizabeth',
		author: 'Bridget Olson',
		rating: 'Not Rated',
		words: 3794,
		chapters: 1,
	},
	{
		file: 'txt-usenet-repost_startrek_no-escape-from-reality_parts.txt',
		title: 'No Escape From Reality',
		author: 'Terri M. Librande',
		rating: 'Not Rated',
		words: 18404,
		chapters: [16, 17],
		note: 'SOURCES.md counts 15 parts and an Afterword; the file holds 17 reposted articles (p16 is "the last and final part"). Its ≈19,695 words count the mail headers in (wc -w of the whole file is 19,933); without the 17 articles\' headers and "-- " signatures the text is 18,404',
	},
	// Markdown
	{
		file: 'md-ffnet-style_ace-iverson-fabric-of-fate_aci100.md',
		title: 'Ace Iverson and the Fabric of Fate',
		author: 'ACI100',
		rating: 'Not Rated',
		words: 100050,
		chapters: 24,
		note: 'SOURCES.md counts the 18 "**Chapter …**" headings and ≈109,254 words of the whole file; the file also holds "**Interlude I**" … "**Interlude VI**" (its own "Chapter references": "1-18: Season I", "19-24: Interludes 1-6"), and its author\'s notes and the disclaimer block repeated around every chapter are left out of the text: 100,050 is `wc -w` of the file without its bold-only lines',
	},
	{
		file: 'md-frontmatter_hp-nephilim_chapter01_luke-schierer.md',
		title: 'Chapter 1',
		author: 'Luke Schierer',
		rating: 'Not Rated',
		words: 1997,
		chapters: 1,
	},
	// FanFicFare output
	{
		file: 'fanficfare-txt_wattpad_the-kids-arent-alright_ch3.txt',
		title: "The Kids Aren't Alright",
		author: 'bee_mcd',
		rating: 'Not Rated',
		words: 3950,
		chapters: 1,
	},
	{
		file: 'fanficfare-epub_wattpad_the-kids-arent-alright_ch3.epub',
		title: "The Kids Aren't Alright",
		author: 'bee_mcd',
		rating: 'Not Rated',
		words: 3950,
		chapters: 1,
	},
	{
		file: 'fanficfare-html_wattpad_the-kids-arent-alright_ch3.html',
		title: "The Kids Aren't Alright",
		author: 'bee_mcd',
		rating: 'Not Rated',
		words: 3950,
		chapters: 1,
	},
	{
		file: 'fanficfare-txt_fanfictionsfr_brasier-annee-zero_ch1_french.txt',
		title: 'Brasier Année Zéro',
		author: 'Code 44',
		rating: 'Not Rated',
		words: 240,
		chapters: 1,
	},
	{
		file: 'fanficfare-txt_SYNTHETIC-test1-site_9ch-toc.txt',
		title: 'Test Story Title 670',
		author: 'Test Author aa',
		rating: 'Not Rated',
		words: 2600,
		chapters: 9,
		note: 'synthetic text kept for its layout: it declares 123,456 words, the text holds about 2,600; "Tweenie" is no rating the archive knows',
	},
];
