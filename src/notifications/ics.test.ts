import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { buildInvitation } from './ics.js';

/** Parses an invitation the way a calendar client does: its VTIMEZONE, then the event. */
function readBack(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  for (const tz of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent')!);
  return { calendar, event };
}

const invite = (zone: string, start: string, minutes = 60) =>
  buildInvitation({
    uid: 'kickoff-1@baton',
    sequence: 2,
    start: new Date(start),
    end: new Date(Date.parse(start) + minutes * 60_000),
    timeZone: zone,
    summary: 'Kickoff; scope, promises',
    description: 'Line one\nLine two',
    organizer: { name: 'Olive "Ops"', email: 'olive@acme.test' },
    attendees: [{ name: 'Sam Seller', email: 'sam@acme.test' }],
    stamp: new Date('2026-03-01T00:00:00Z'),
  });

describe('iCalendar invitations', () => {
  it.each([
    // An event on the day Berlin moves its clocks forward, after the change.
    ['Europe/Berlin', '2026-03-29T08:00:00.000Z', '2026-03-29T10:00:00'],
    // Sydney leaves daylight time on 5 April 2026; the event is the morning after.
    ['Australia/Sydney', '2026-04-05T23:30:00.000Z', '2026-04-06T09:30:00'],
    // New York, the Monday after the autumn change.
    ['America/New_York', '2026-11-02T14:00:00.000Z', '2026-11-02T09:00:00'],
    // A zone without DST.
    ['Asia/Tokyo', '2026-07-01T00:00:00.000Z', '2026-07-01T09:00:00'],
  ])('reads back in %s at the right local time and instant', (zone, start, local) => {
    const ics = invite(zone, start);
    const { calendar, event } = readBack(ics);
    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(event.startDate.zone?.tzid).toBe(zone);
    expect(event.startDate.toString()).toBe(local);
    expect(event.startDate.toJSDate().toISOString()).toBe(start);
    expect(event.endDate.toJSDate().getTime() - event.startDate.toJSDate().getTime()).toBe(3_600_000);
    expect(event.summary).toBe('Kickoff; scope, promises');
    expect(event.description).toBe('Line one\nLine two');
    expect(event.uid).toBe('kickoff-1@baton');
    expect(event.sequence).toBe(2);
  });

  it('writes CRLF lines of at most 75 octets', () => {
    const ics = invite('Europe/Berlin', '2026-06-01T08:00:00.000Z');
    expect(ics.endsWith('\r\n')).toBe(true);
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(ics.split('\r\n').filter((l) => l.startsWith('BEGIN:'))[0]).toBe('BEGIN:VCALENDAR');
  });
});
