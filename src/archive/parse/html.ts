/**
 * HTML files: the document is parsed once and read by the first reader whose layout it has: an AO3 download,
 * an AO3 work page saved from the browser, or FanFicFare's HTML.
 */
import { load } from 'cheerio';
import { isAo3Document, readAo3Document } from './ao3-html.js';
import { isAo3WorkPage, readAo3WorkPage } from './ao3-page.js';
import { isFanFicFareHtml, readFanFicFareHtml } from './fanficfare-html.js';
import type { SourceStory } from './source.js';

/** Reads an HTML story file; null when it is in none of the layouts the archive reads. */
export function parseHtml(html: string): SourceStory | null {
	const $ = load(html);
	if (isAo3Document($)) return { ...readAo3Document($), format: 'ao3-html' };
	if (isAo3WorkPage($)) return readAo3WorkPage($, html);
	if (isFanFicFareHtml($)) return readFanFicFareHtml($);
	return null;
}
