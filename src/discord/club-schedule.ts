/**
 * A reading club's calendar, as pure functions of the time: which slot (a local date) is due at a moment, and
 * when the next one falls. `at` is a wall-clock time in the club's time zone (UTC unless the club was started
 * with another); a weekly club posts on the weekday it was started.
 */
import type { ClubSchedule } from '../state.js';

export const EVERY = ['day', 'week'] as const satisfies readonly ClubSchedule['every'][];

export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const SHORT_DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** "9:30" or "09:30" as minutes after midnight; null for anything else (24:00, 9.30, 9am). */
export function parseAt(text: string): number | null {
	const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
	return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/** Minutes after midnight as "HH:MM". */
export const formatAt = (minutes: number) =>
	`${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** A moment on the wall clock of a time zone: its date (YYYY-MM-DD), minutes after midnight, and weekday. */
export function wallClock(at: Date, timeZone: string): { date: string; minutes: number; weekday: number } {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		weekday: 'short',
		hourCycle: 'h23',
	}).formatToParts(at);
	const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
	return {
		date: `${get('year')}-${get('month')}-${get('day')}`,
		minutes: Number(get('hour')) * 60 + Number(get('minute')),
		weekday: SHORT_DAYS.indexOf(get('weekday')),
	};
}

/** A date (YYYY-MM-DD) `days` later (or earlier), on the calendar. */
export function addDays(date: string, days: number): string {
	const [y, m, d] = date.split('-').map(Number) as [number, number, number];
	return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/**
 * The moment a wall-clock time falls on in a time zone (for a time a clock change skips, the moment after
 * the gap; for one it repeats, the first).
 */
export function zonedInstant(date: string, minutes: number, timeZone: string): Date {
	const [y, m, d] = date.split('-').map(Number) as [number, number, number];
	const wanted = Date.UTC(y, m - 1, d, 0, minutes);
	let guess = wanted;
	for (let i = 0; i < 3; i++) {
		const seen = wallClock(new Date(guess), timeZone);
		const [sy, sm, sd] = seen.date.split('-').map(Number) as [number, number, number];
		const diff = wanted - Date.UTC(sy, sm - 1, sd, 0, seen.minutes);
		if (diff === 0) break;
		guess += diff;
	}
	return new Date(guess);
}

/** The slot due at `now`: the latest scheduled date whose time has come, as YYYY-MM-DD in the club's zone. */
export function dueSlot(schedule: ClubSchedule, now: Date): string {
	const at = parseAt(schedule.at) ?? 0;
	const { date, minutes, weekday } = wallClock(now, schedule.timeZone);
	if (schedule.every === 'day') return minutes >= at ? date : addDays(date, -1);
	let back = (weekday - schedule.weekday + 7) % 7;
	if (back === 0 && minutes < at) back = 7;
	return addDays(date, -back);
}

/** The later of two slots (YYYY-MM-DD compare as text). */
export const laterSlot = (a: string, b: string) => (a.localeCompare(b) > 0 ? a : b);

/** The slot after `slot`, and the moment it falls. */
export function nextSlot(schedule: ClubSchedule, slot: string): { slot: string; at: Date } {
	const next = addDays(slot, schedule.every === 'day' ? 1 : 7);
	return { slot: next, at: zonedInstant(next, parseAt(schedule.at) ?? 0, schedule.timeZone) };
}

/** "every day at 09:00 UTC", "every week on Monday at 18:30 Europe/London". */
export function describeSchedule(schedule: ClubSchedule): string {
	const day = schedule.every === 'week' ? ` on ${WEEKDAYS[schedule.weekday] ?? 'the same day'}` : '';
	return `every ${schedule.every}${day} at ${schedule.at} ${schedule.timeZone}`;
}
