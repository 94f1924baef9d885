import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addBusinessDays,
  addBusinessMinutes,
  addCalendarDays,
  type BusinessCalendar,
  businessMinutesBetween,
  calendarIssues,
  defaultCalendar,
} from './business-calendar.js';
import { dueAt, parseDueExpression } from './due-expression.js';
import { instantOf, offsetMinutes, wallTimeAt } from './time-zone.js';

const ny = defaultCalendar('America/New_York');
const berlin = defaultCalendar('Europe/Berlin');
const iso = (d: Date) => d.toISOString();
const due = (text: string, anchor: string, c: BusinessCalendar) => {
  const parsed = parseDueExpression(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return iso(dueAt(parsed.value, new Date(anchor), c));
};

describe('time zones', () => {
  it('knows the offsets on both sides of DST in New York and Berlin', () => {
    expect(offsetMinutes(new Date('2026-03-08T06:59:00Z'), 'America/New_York')).toBe(-300);
    expect(offsetMinutes(new Date('2026-03-08T07:00:00Z'), 'America/New_York')).toBe(-240);
    expect(offsetMinutes(new Date('2026-03-29T00:59:00Z'), 'Europe/Berlin')).toBe(60);
    expect(offsetMinutes(new Date('2026-03-29T01:00:00Z'), 'Europe/Berlin')).toBe(120);
  });

  it('reads the same wall time as Intl at any instant, across DST changes and odd historical offsets', () => {
    // The wall time is computed from an offset kept per UTC hour; Intl itself is the reference.
    const zones = [
      'America/New_York',
      'Europe/Berlin',
      'Australia/Lord_Howe', // half-hour DST
      'Asia/Kathmandu', // +05:45
      'America/St_Johns', // -03:30, DST at local midnight in past years
      'Africa/Monrovia', // -00:44:30 until 1972
      'Pacific/Apia', // skipped a whole day in 2011
      'UTC',
    ];
    const formats = new Map<string, Intl.DateTimeFormat>();
    const format = (zone: string) =>
      formats.get(zone) ??
      formats
        .set(
          zone,
          new Intl.DateTimeFormat('en-US', {
            timeZone: zone,
            hourCycle: 'h23',
            year: 'numeric',
            month: 'numeric',
            day: 'numeric',
            hour: 'numeric',
            minute: 'numeric',
            second: 'numeric',
          }),
        )
        .get(zone)!;
    const reference = (instant: number, zone: string) => {
      const parts = Object.fromEntries(
        format(zone)
          .formatToParts(instant)
          .filter((p) => p.type !== 'literal')
          .map((p) => [p.type, Number(p.value)]),
      );
      return { ...parts, hour: (parts.hour ?? 0) % 24 };
    };
    // Instants near the zones' changes (on the minute, around the hour) and anywhere at all.
    const near = fc
      .tuple(
        fc.integer({
          min: Date.parse('1960-01-01T00:00:00Z') / 3_600_000,
          max: Date.parse('2040-01-01T00:00:00Z') / 3_600_000,
        }),
        fc.integer({ min: -2 * 60, max: 2 * 60 }),
        fc.integer({ min: 0, max: 59_999 }),
      )
      .map(([hour, minute, ms]) => hour * 3_600_000 + minute * 60_000 + ms);
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.oneof(near, fc.integer({ min: 0, max: 2 ** 41 })),
        (zone, t) => {
          expect(wallTimeAt(new Date(t), zone)).toEqual(reference(t, zone));
        },
      ),
      { numRuns: 3000 },
    );
    // Every hour of DST-change days, minute by minute, in both directions.
    for (const [zone, day] of [
      ['America/New_York', '2026-03-08'],
      ['America/New_York', '2026-11-01'],
      ['Australia/Lord_Howe', '2026-04-05'],
      ['Australia/Lord_Howe', '2026-10-04'],
    ] as const) {
      const start = Date.parse(`${day}T00:00:00Z`) - 24 * 3_600_000;
      for (let t = start; t < start + 48 * 3_600_000; t += 60_000)
        expect(wallTimeAt(new Date(t), zone)).toEqual(reference(t, zone));
    }
  });

  it('moves a wall time skipped by spring-forward past the gap and takes the first of a repeated one', () => {
    const at = (zone: string, day: number, month: number, hour: number, minute: number) =>
      iso(instantOf({ year: 2026, month, day, hour, minute }, zone));
    expect(at('America/New_York', 8, 3, 2, 30)).toBe('2026-03-08T07:30:00.000Z'); // 03:30 EDT
    expect(at('America/New_York', 1, 11, 1, 30)).toBe('2026-11-01T05:30:00.000Z'); // 01:30 EDT, first
    expect(at('Europe/Berlin', 29, 3, 2, 30)).toBe('2026-03-29T01:30:00.000Z'); // 03:30 CEST
    expect(at('Europe/Berlin', 25, 10, 2, 30)).toBe('2026-10-25T00:30:00.000Z'); // 02:30 CEST, first
  });
});

describe('business time', () => {
  it('carries business hours over a weekend that is also the DST change (New York, March)', () => {
    // Friday 16:00 EST + 2 business hours = Monday 10:00 EDT.
    expect(due('2 business hours after accepted', '2026-03-06T21:00:00Z', ny)).toBe(
      '2026-03-09T14:00:00.000Z',
    );
  });

  it('carries 48 business hours over holidays and the DST change (Berlin, Easter 2026)', () => {
    // Friday 27 March 15:00 CET. 48 working hours of 8 a day: Friday 2, Mon–Fri 40, Monday 6.
    expect(due('48 business hours after contract_signed', '2026-03-27T14:00:00Z', berlin)).toBe(
      '2026-04-06T13:00:00.000Z', // Monday 6 April 15:00 CEST
    );
    const easter: BusinessCalendar = {
      ...berlin,
      holidays: [
        { date: '2026-04-03', name: 'Good Friday' },
        { date: '2026-04-06', name: 'Easter Monday' },
      ],
    };
    expect(due('48 business hours after contract_signed', '2026-03-27T14:00:00Z', easter)).toBe(
      '2026-04-08T13:00:00.000Z', // Good Friday and Easter Monday skipped: Wednesday 8 April 15:00
    );
  });

  it('counts a working window that contains the DST change as 7 or 9 hours', () => {
    const night: BusinessCalendar = { ...ny, workingDays: [7], dayStart: '00:00', dayEnd: '04:00' };
    const from = instantOf({ year: 2026, month: 3, day: 8, hour: 0, minute: 0 }, ny.timeZone);
    const to = instantOf({ year: 2026, month: 3, day: 8, hour: 4, minute: 0 }, ny.timeZone);
    expect(businessMinutesBetween(night, from, to)).toBe(180);
    const fall = instantOf({ year: 2026, month: 11, day: 1, hour: 0, minute: 0 }, ny.timeZone);
    const fallEnd = instantOf({ year: 2026, month: 11, day: 1, hour: 4, minute: 0 }, ny.timeZone);
    expect(businessMinutesBetween(night, fall, fallEnd)).toBe(300);
  });

  it('keeps the local time of day for business days, across a weekend and a DST change', () => {
    // Friday 23 October 15:00 CEST + 2 business days = Tuesday 27 October 15:00 CET.
    expect(iso(addBusinessDays(berlin, new Date('2026-10-23T13:00:00Z'), 2))).toBe(
      '2026-10-27T14:00:00.000Z',
    );
    // Out of hours (Saturday 20:00): clamped to the end of the window.
    expect(iso(addBusinessDays(berlin, new Date('2026-10-24T18:00:00Z'), 1))).toBe(
      '2026-10-26T16:00:00.000Z',
    );
  });

  it('counts calendar days on the wall clock and hours on the stopwatch (New York, November)', () => {
    expect(due('1 days after kickoff', '2026-10-31T13:00:00Z', ny)).toBe('2026-11-01T14:00:00.000Z');
    expect(due('24 hours after kickoff', '2026-10-31T13:00:00Z', ny)).toBe('2026-11-01T13:00:00.000Z');
    expect(iso(addCalendarDays('Europe/Berlin', new Date('2026-03-28T08:00:00Z'), 1))).toBe(
      '2026-03-29T07:00:00.000Z',
    );
  });

  it('goes backwards for "before" and at the anchor for a bare "before"', () => {
    expect(due('24 hours before first_visit', '2026-03-10T14:00:00Z', ny)).toBe('2026-03-09T14:00:00.000Z');
    // Monday 10:00 EDT minus 2 business hours = Friday 16:00 EST.
    expect(due('2 business hours before first_visit', '2026-03-09T14:00:00Z', ny)).toBe(
      '2026-03-06T21:00:00.000Z',
    );
    expect(due('before child_arrives', '2026-03-10T14:00:00Z', ny)).toBe('2026-03-10T14:00:00.000Z');
  });

  it('answers the working time it added, wherever it starts (three zones, any date in 2026)', () => {
    const zones = ['America/New_York', 'Europe/Berlin', 'Australia/Sydney'];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2026-12-31T00:00:00Z') }),
        fc.integer({ min: 1, max: 6000 }),
        (zone, t, minutes) => {
          const c: BusinessCalendar = { ...defaultCalendar(zone), holidays: [{ date: '2026-04-06' }] };
          const from = new Date(Math.floor(t / 60_000) * 60_000);
          const to = addBusinessMinutes(c, from, minutes);
          expect(businessMinutesBetween(c, from, to)).toBe(minutes);
          expect(
            iso(addBusinessMinutes(c, to, -minutes)) <= iso(from) ||
              businessMinutesBetween(c, addBusinessMinutes(c, to, -minutes), from) === 0,
          ).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('lists every problem of a calendar at once', () => {
    const issues = calendarIssues({
      timeZone: 'Mars/Olympus',
      workingDays: [0, 1, 1],
      dayStart: '18:00',
      dayEnd: '09:00',
      holidays: [{ date: '2026-13-01' }],
    });
    expect(issues.map((i) => i.path)).toEqual([
      '/time_zone',
      '/working_days/0',
      '/working_days',
      '/day_end',
      '/holidays/0/date',
    ]);
  });

  it('refuses due expressions that do not follow the grammar', () => {
    expect(parseDueExpression('soonish').ok).toBe(false);
    expect(parseDueExpression('2 business weeks after accepted').ok).toBe(false);
    expect(parseDueExpression('72 hours after child_arrived')).toEqual({
      ok: true,
      value: { anchor: 'child_arrived', direction: 'after', amount: 72, unit: 'hours', business: false },
    });
  });
});
