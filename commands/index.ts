import type { Command } from '../src/discord/context.js';
import archive from './archive.js';
import browse from './browse.js';
import club from './club.js';
import library from './library.js';
import quote from './quote.js';
import quotes from './quotes.js';
import read from './read.js';
import search from './search.js';
import settings from './settings.js';
import story from './story.js';

/** The one list of commands: the deploy script registers it and the router answers it. */
export const commands: readonly Command[] = [
	story,
	read,
	quote,
	search,
	browse,
	library,
	quotes,
	settings,
	club,
	archive,
];
