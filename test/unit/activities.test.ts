import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_MS, dateIn, dueState, dueWindow, isMidnightUtc, isTimeZone, startOfDateIn } from '../../workers/domain/activities';
import { originOfActor } from '../../workers/domain/deal-origins';

const HOUR = 60 * 60 * 1000;
const NOV_27 = Date.UTC(2026, 10, 27);

describe('dueWindow', () => {
  it('is the UTC day by default', () => {
    const w = dueWindow(NOV_27 + 12 * HOUR);
    expect(w).toEqual({ now: NOV_27 + 12 * HOUR, timeZone: 'UTC', today: '2026-11-27', todayDate: NOV_27, todayEnd: NOV_27 + DAY_MS });
  });

  it('follows the named zone: its date, and the instant its day ends', () => {
    // 12:00 UTC is 04:00 in Los Angeles (UTC-8 in November) and 02:00 the next day at UTC+14.
    expect(dueWindow(NOV_27 + 12 * HOUR, 'America/Los_Angeles')).toMatchObject({
      today: '2026-11-27',
      todayDate: NOV_27,
      todayEnd: NOV_27 + DAY_MS + 8 * HOUR,
    });
    expect(dueWindow(NOV_27 + 12 * HOUR, 'Pacific/Kiritimati')).toMatchObject({
      today: '2026-11-28',
      todayDate: NOV_27 + DAY_MS,
      todayEnd: NOV_27 + 2 * DAY_MS - 14 * HOUR,
    });
  });

  it('knows a day that is 23 or 25 hours long (daylight saving)', () => {
    // New York: clocks go forward on 2026-03-08, back on 2026-11-01.
    const spring = dueWindow(Date.UTC(2026, 2, 8, 12), 'America/New_York');
    expect(spring.todayEnd - startOfDateIn(spring.todayDate, 'America/New_York')).toBe(23 * HOUR);
    const autumn = dueWindow(Date.UTC(2026, 10, 1, 12), 'America/New_York');
    expect(autumn.todayEnd - startOfDateIn(autumn.todayDate, 'America/New_York')).toBe(25 * HOUR);
  });

  it('starts a day where midnight does not exist at the first instant after the gap', () => {
    // Santiago moves its clocks forward at midnight: 2026-09-06 starts at 01:00 local (04:00 UTC).
    const start = startOfDateIn(Date.UTC(2026, 8, 6), 'America/Santiago');
    expect(dateIn(start, 'America/Santiago')).toBe(Date.UTC(2026, 8, 6));
    expect(dateIn(start - 1, 'America/Santiago')).toBe(Date.UTC(2026, 8, 5));
  });

  it('places every instant inside the day it names, in any zone', () => {
    const zones = [
      'UTC',
      'America/Los_Angeles',
      'Europe/Berlin',
      'Asia/Kolkata',
      'Australia/Lord_Howe',
      'Pacific/Kiritimati',
      'America/Santiago',
    ];
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }), fc.constantFrom(...zones), (now, zone) => {
        const w = dueWindow(now, zone);
        const start = startOfDateIn(w.todayDate, zone);
        expect(start).toBeLessThanOrEqual(now);
        expect(now).toBeLessThan(w.todayEnd);
        expect(dateIn(w.todayEnd, zone)).toBe(w.todayDate + DAY_MS);
        expect(dateIn(w.todayEnd - 1, zone)).toBe(w.todayDate);
      }),
      { numRuns: 300 },
    );
  });
});

describe('dueState', () => {
  const noon = dueWindow(NOV_27 + 12 * HOUR);

  it('makes a timed activity overdue the moment its time has passed', () => {
    expect(dueState({ dueAt: NOV_27 + 12 * HOUR - 1, hasTime: true }, noon)).toBe('overdue');
    expect(dueState({ dueAt: NOV_27 + 12 * HOUR, hasTime: true }, noon)).toBe('today');
    expect(dueState({ dueAt: NOV_27 + DAY_MS - 1, hasTime: true }, noon)).toBe('today');
    expect(dueState({ dueAt: NOV_27 + DAY_MS, hasTime: true }, noon)).toBe('upcoming');
  });

  it('keeps a date-only activity due all its day, overdue only once the day is over', () => {
    const today = { dueAt: NOV_27, hasTime: false };
    expect(dueState(today, noon)).toBe('today');
    expect(dueState(today, dueWindow(NOV_27 + DAY_MS - 1))).toBe('today');
    expect(dueState(today, dueWindow(NOV_27 + DAY_MS))).toBe('overdue');
    expect(dueState({ dueAt: NOV_27 + DAY_MS, hasTime: false }, noon)).toBe('upcoming');
    expect(dueState({ dueAt: NOV_27 - DAY_MS, hasTime: false }, noon)).toBe('overdue');
  });

  it('judges a date-only activity by the day where the member is', () => {
    const dueNov27 = { dueAt: NOV_27, hasTime: false };
    // 2026-11-28 03:00 UTC is still the 27th, 19:00, in Los Angeles.
    const lateUtc = NOV_27 + DAY_MS + 3 * HOUR;
    expect(dueState(dueNov27, dueWindow(lateUtc))).toBe('overdue');
    expect(dueState(dueNov27, dueWindow(lateUtc, 'America/Los_Angeles'))).toBe('today');
    // And a timed one late on the 27th there is "today" there, "upcoming" (tomorrow) in UTC.
    const call = { dueAt: NOV_27 + DAY_MS + 6 * HOUR, hasTime: true };
    expect(dueState(call, dueWindow(NOV_27 + 12 * HOUR))).toBe('upcoming');
    expect(dueState(call, dueWindow(NOV_27 + 12 * HOUR, 'America/Los_Angeles'))).toBe('today');
  });
});

describe('small rules', () => {
  it('accepts IANA zones only', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });

  it('takes a date-only due time as midnight UTC', () => {
    expect(isMidnightUtc(NOV_27)).toBe(true);
    expect(isMidnightUtc(NOV_27 + 1)).toBe(false);
  });

  it('tells a deal’s origin from who created it', () => {
    expect(originOfActor('rule:01JRULE')).toBe('qualification');
    expect(originOfActor('automation:checkout_abandonment')).toBe('automation');
    expect(originOfActor('import')).toBe('import');
    expect(originOfActor('01JUSER')).toBe('manual');
    expect(originOfActor(null)).toBe('manual');
  });
});
