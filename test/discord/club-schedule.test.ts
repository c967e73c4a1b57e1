import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	addDays,
	describeSchedule,
	dueSlot,
	formatAt,
	nextSlot,
	parseAt,
	wallClock,
	zonedInstant,
} from '../../src/discord/club-schedule.js';
import type { ClubSchedule } from '../../src/state.js';

const daily = (at: string, timeZone = 'UTC'): ClubSchedule => ({ every: 'day', at, timeZone, weekday: 0 });
const weekly = (at: string, weekday: number, timeZone = 'UTC'): ClubSchedule => ({
	every: 'week',
	at,
	timeZone,
	weekday,
});

describe('a club’s calendar', () => {
	it('reads HH:MM, 24-hour, and nothing else', () => {
		expect(parseAt('09:00')).toBe(540);
		expect(parseAt('9:05')).toBe(545);
		expect(parseAt('23:59')).toBe(1439);
		for (const bad of ['24:00', '9.30', '9am', '12:60', '', '0900']) expect(parseAt(bad), bad).toBeNull();
		expect(formatAt(545)).toBe('09:05');
	});

	it('is due from the time on its day, in UTC unless told otherwise', () => {
		const schedule = daily('09:00');
		expect(dueSlot(schedule, new Date('2026-12-07T08:59:59Z'))).toBe('2026-12-06');
		expect(dueSlot(schedule, new Date('2026-12-07T09:00:00Z'))).toBe('2026-12-07');
		expect(dueSlot(schedule, new Date('2026-12-07T23:59:00Z'))).toBe('2026-12-07');
		expect(nextSlot(schedule, '2026-12-07')).toEqual({ slot: '2026-12-08', at: new Date('2026-12-08T09:00:00Z') });
		expect(describeSchedule(schedule)).toBe('every day at 09:00 UTC');
	});

	it('follows a time zone’s wall clock across its clock changes', () => {
		const london = daily('09:00', 'Europe/London');
		// Summer time: 09:00 in London is 08:00 UTC.
		expect(dueSlot(london, new Date('2026-07-01T07:59:00Z'))).toBe('2026-06-30');
		expect(dueSlot(london, new Date('2026-07-01T08:00:00Z'))).toBe('2026-07-01');
		expect(nextSlot(london, '2026-03-28').at).toEqual(new Date('2026-03-29T08:00:00Z'));
		expect(nextSlot(london, '2026-10-24').at).toEqual(new Date('2026-10-25T09:00:00Z'));
		const tokyo = daily('07:30', 'Asia/Tokyo');
		expect(dueSlot(tokyo, new Date('2026-12-06T22:30:00Z'))).toBe('2026-12-07');
		// A time the clocks skip falls just after the gap.
		expect(zonedInstant('2026-03-08', 150, 'America/New_York')).toEqual(new Date('2026-03-08T07:30:00Z'));
	});

	it('posts weekly on the weekday it started', () => {
		// 2026-12-07 is a Monday.
		expect(wallClock(new Date('2026-12-07T12:00:00Z'), 'UTC').weekday).toBe(1);
		const mondays = weekly('18:30', 1);
		expect(dueSlot(mondays, new Date('2026-12-07T18:29:00Z'))).toBe('2026-11-30');
		expect(dueSlot(mondays, new Date('2026-12-07T18:30:00Z'))).toBe('2026-12-07');
		expect(dueSlot(mondays, new Date('2026-12-13T23:00:00Z'))).toBe('2026-12-07');
		expect(nextSlot(mondays, '2026-12-07').slot).toBe('2026-12-14');
		expect(describeSchedule(mondays)).toBe('every week on Monday at 18:30 UTC');
	});

	it('never runs backwards, and every slot’s own moment makes it due', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: Date.parse('2025-01-01'), max: Date.parse('2030-01-01') }),
				fc.integer({ min: 1, max: 3 * 86_400_000 }),
				fc.integer({ min: 0, max: 1439 }),
				fc.constantFrom('UTC', 'Europe/London', 'America/New_York', 'Asia/Kolkata', 'Pacific/Auckland'),
				fc.boolean(),
				(start, step, minutes, zone, week) => {
					const schedule: ClubSchedule = {
						every: week ? 'week' : 'day',
						at: formatAt(minutes),
						timeZone: zone,
						weekday: wallClock(new Date(start), zone).weekday,
					};
					const first = dueSlot(schedule, new Date(start));
					expect(dueSlot(schedule, new Date(start + step)) >= first).toBe(true);
					const next = nextSlot(schedule, first);
					expect(next.slot).toBe(addDays(first, week ? 7 : 1));
					expect(next.at.getTime()).toBeGreaterThan(start);
					expect(dueSlot(schedule, next.at)).toBe(next.slot);
					expect(dueSlot(schedule, new Date(next.at.getTime() - 60_000))).toBe(first);
				},
			),
			{ numRuns: 300 },
		);
	});
});
