// The real files that give the work's address keep it: AO3's "Posted originally … at", the saved page's own links,
// FanFicFare's story link. Addresses as each file writes them (read by eye).
import { describe, expect, it } from 'vitest';
import { parseStory } from '../../src/archive/parse/index.js';
import { HAVE_REAL_FICS, readRealFic } from './files.js';

const LINKS: Record<string, string> = {
	'ao3-download_fire-and-feather_nianeyna_3ch-wip.html': 'https://archiveofourown.org/works/218676',
	'ao3-download_my-aim-is-steady-and-true_nianeyna.html': 'https://archiveofourown.org/works/23009290',
	'ao3-download_the-world-on-his-wrist_bendingsignpost.html': 'https://archiveofourown.org/works/334557',
	'ao3-epub_fire-and-feather_nianeyna.epub': 'https://archiveofourown.org/works/218676',
	'ao3-epub_my-aim-is-steady-and-true_nianeyna.epub': 'https://archiveofourown.org/works/23009290',
	'ao3-epub_the-world-on-his-wrist_bendingsignpost.epub': 'http://archiveofourown.org/works/334557',
	'ao3-workpage_unlockedWork.html': 'https://archiveofourown.org/works/41822007',
	'ao3-workpage_explicitWorkLoggedIn.html': 'https://archiveofourown.org/works/20907563',
	'ao3-workpage-2017_time-was-time-is_ch1_sidra.html': 'https://archiveofourown.org/works/692',
	'fanficfare-epub_wattpad_the-kids-arent-alright_ch3.epub': 'https://www.wattpad.com/story/173080052',
	'fanficfare-html_wattpad_the-kids-arent-alright_ch3.html': 'https://www.wattpad.com/story/173080052',
};

describe.skipIf(!HAVE_REAL_FICS)('real files keep the address of the work', () => {
	it.each(Object.entries(LINKS))('%s', async (file, url) => {
		const story = await parseStory(file, readRealFic(file), { maxFileBytes: 50 * 1024 * 1024 });
		expect(story.meta.url).toBe(url);
	});
});
