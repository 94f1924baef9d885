import { offsetMinutes, wallTimeAt } from '../calendar/domain/time-zone.js';
import {
  icalMailto as mailto,
  escapeIcalParam as param,
  escapeIcalText as text,
} from '../kernel/escape/icalendar.js';

/** A meeting to invite people to; times are instants shown in `timeZone`. */
export interface Invitation {
  uid: string;
  /** Increases with each update of the same meeting (RFC 5545 SEQUENCE). */
  sequence: number;
  start: Date;
  end: Date;
  timeZone: string;
  summary: string;
  description?: string;
  location?: string;
  organizer: { name: string; email: string };
  attendees: { name: string; email: string; role?: string }[];
  stamp: Date;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function localStamp(instant: Date, zone: string): string {
  const w = wallTimeAt(instant, zone);
  return `${pad(w.year, 4)}${pad(w.month)}${pad(w.day)}T${pad(w.hour)}${pad(w.minute)}${pad(w.second)}`;
}

function utcStamp(instant: Date): string {
  return instant
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const m = Math.abs(minutes);
  return `${sign}${pad(Math.floor(m / 60))}${pad(m % 60)}`;
}

/** Folds a content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8 sequence. */
function fold(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch);
    if (octets + size > (out.length === 0 ? 75 : 74)) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

/** The instants in [from, to) at which `zone` changes its offset, found by bisection. */
function transitions(
  zone: string,
  from: number,
  to: number,
): { at: number; before: number; after: number }[] {
  const found: { at: number; before: number; after: number }[] = [];
  const day = 86_400_000;
  for (let t = from; t < to; t += day) {
    const a = offsetMinutes(new Date(t), zone);
    const b = offsetMinutes(new Date(t + day), zone);
    if (a === b) continue;
    let lo = t;
    let hi = t + day;
    while (hi - lo > 60_000) {
      const mid = Math.floor((lo + hi) / 2 / 60_000) * 60_000;
      if (offsetMinutes(new Date(mid), zone) === a) lo = mid;
      else hi = mid;
    }
    found.push({ at: hi, before: a, after: b });
  }
  return found;
}

/**
 * The VTIMEZONE of `zone` around `around`: each offset change of that year and the next as its
 * own STANDARD or DAYLIGHT observance, so any RFC 5545 reader converts the event's local times
 * exactly as this runtime's time-zone data does.
 */
function vtimezone(zone: string, around: Date): string[] {
  const year = around.getUTCFullYear();
  const from = Date.UTC(year - 1, 0, 1);
  const to = Date.UTC(year + 2, 0, 1);
  const changes = transitions(zone, from, to);
  const lines = ['BEGIN:VTIMEZONE', `TZID:${zone}`];
  if (changes.length === 0) {
    const offset = offsetText(offsetMinutes(around, zone));
    lines.push('BEGIN:STANDARD', 'DTSTART:19700101T000000', `TZOFFSETFROM:${offset}`, `TZOFFSETTO:${offset}`);
    lines.push('END:STANDARD');
  }
  for (const c of changes) {
    const kind = c.after > c.before ? 'DAYLIGHT' : 'STANDARD';
    // DTSTART is the local time, in the offset before the change, at which the change happens.
    const dtstart = utcStamp(new Date(c.at + c.before * 60_000)).replace('Z', '');
    lines.push(
      `BEGIN:${kind}`,
      `DTSTART:${dtstart}`,
      `TZOFFSETFROM:${offsetText(c.before)}`,
      `TZOFFSETTO:${offsetText(c.after)}`,
      `END:${kind}`,
    );
  }
  lines.push('END:VTIMEZONE');
  return lines;
}

/** An RFC 5545 `METHOD:REQUEST` invitation with the meeting's local times and their VTIMEZONE. */
export function buildInvitation(inv: Invitation): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Baton//Checkpoints//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:REQUEST',
    ...vtimezone(inv.timeZone, inv.start),
    'BEGIN:VEVENT',
    `UID:${inv.uid}`,
    `SEQUENCE:${inv.sequence}`,
    `DTSTAMP:${utcStamp(inv.stamp)}`,
    `DTSTART;TZID=${inv.timeZone}:${localStamp(inv.start, inv.timeZone)}`,
    `DTEND;TZID=${inv.timeZone}:${localStamp(inv.end, inv.timeZone)}`,
    `SUMMARY:${text(inv.summary)}`,
    ...(inv.description ? [`DESCRIPTION:${text(inv.description)}`] : []),
    ...(inv.location ? [`LOCATION:${text(inv.location)}`] : []),
    `ORGANIZER;CN=${param(inv.organizer.name)}:${mailto(inv.organizer.email)}`,
    ...inv.attendees.map(
      (a) =>
        `ATTENDEE;CN=${param(a.name)};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:${mailto(a.email)}`,
    ),
    'STATUS:CONFIRMED',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
