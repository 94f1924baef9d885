import fc from 'fast-check';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../src/kernel/escape/html.js';
import { escapeMarkdown, escapeMarkdownLines } from '../src/kernel/escape/markdown.js';
import { chatText as escapeSlack } from '../src/notifications/chat-text.js';
import { buildInvitation } from '../src/notifications/ics.js';

/** Text rich in every character a markup gives meaning to, mixed with ordinary text. */
const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc
    .array(
      fc.constantFrom(
        ...'<>&"\'\\`*_[]()!#+-=.)|~$:/ \t\n\r1a'.split(''),
        '<script>',
        '&lt;',
        '&#60;',
        '](javascript:alert(1))',
        '[x]: http://e.test',
        '![i](x)',
        '```',
        '~~~',
        '    ',
        '1. ',
        '10) ',
        '---',
        '===',
        '> ',
        '<!channel>',
        '<http://e.test|click>',
        'BEGIN:VEVENT',
        'END:VCALENDAR',
        ';,',
        '\\n',
        '\u0000',
        '\u0085',
        '\u2028',
      ),
      { maxLength: 30 },
    )
    .map((parts) => parts.join('')),
);

/** Reads escaped Markdown back the way a renderer does for plain text: escapes and entities. */
function readMarkdown(escaped: string): string {
  return escaped.replace(/\\([\s\S])|&(amp|lt|gt);/g, (_m, c: string | undefined, e: string | undefined) =>
    c !== undefined ? c : ({ amp: '&', lt: '<', gt: '>' } as Record<string, string>)[e as string]!,
  );
}

/**
 * True when nothing in `escaped` can start Markdown syntax: every character that CommonMark or
 * GitHub's flavour gives meaning to inside a line is backslash-escaped, HTML's are entities, and
 * the line neither starts with a block marker nor with the spaces of an indented block.
 */
function isInertMarkdown(escaped: string): boolean {
  if (/[\r\n]/.test(escaped) || escaped !== escaped.trim()) return false;
  if (/^(?:[-+=>]|\d{1,9}[.)])/.test(escaped)) return false;
  let i = 0;
  while (i < escaped.length) {
    const c = escaped[i]!;
    if (c === '\\') {
      if (i + 1 >= escaped.length) return false; // a trailing backslash is a hard line break
      i += 2;
    } else if (c === '&') {
      const entity = /^&(amp|lt|gt);/.exec(escaped.slice(i));
      if (!entity) return false;
      i += entity[0].length;
    } else if ('<>`*_[]|~$#'.includes(c)) {
      return false;
    } else {
      i += 1;
    }
  }
  return true;
}

describe('Markdown escaping', () => {
  it('can open nothing, and reads back as the same words on one line', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const escaped = escapeMarkdown(text);
        expect(isInertMarkdown(escaped), JSON.stringify(escaped)).toBe(true);
        expect(readMarkdown(escaped)).toBe(text.replace(/\r\n|\r|\n/g, ' ').trim());
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps the lines of a block, each one inert', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const lines = escapeMarkdownLines(text);
        expect(lines).toHaveLength(text.split(/\r\n|\r|\n/).length);
        for (const line of lines) expect(isInertMarkdown(line), JSON.stringify(line)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('leaves ordinary words, dates and hyphens readable', () => {
    expect(escapeMarkdown('Sam Seller, e-mail 2026-01-05.')).toBe('Sam Seller, e-mail 2026-01-05.');
    expect(escapeMarkdown('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(escapeMarkdown('[click](javascript:x) **bold** # no')).toBe(
      '\\[click\\](javascript:x) \\*\\*bold\\*\\* \\# no',
    );
    expect(escapeMarkdown('1. first\n- second')).toBe('1\\. first - second');
  });
});

describe('HTML escaping', () => {
  it('can open no tag, attribute or entity, and reads back as the same characters', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const escaped = escapeHtml(text);
        expect(escaped).not.toMatch(/[<>"']/);
        expect(escaped.replace(/&(amp|lt|gt|quot|#39);/g, '')).not.toContain('&');
        const back = escaped.replace(
          /&(amp|lt|gt|quot|#39);/g,
          (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!,
        );
        expect(back).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('Slack message escaping', () => {
  it('can open no link, mention or entity, and reads back as the same characters', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const escaped = escapeSlack(text);
        expect(escaped).not.toMatch(/[<>]/);
        expect(escaped.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
        expect(
          escaped.replace(/&(amp|lt|gt);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>' })[e]!),
        ).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('iCalendar escaping', () => {
  it('keeps any text inside its own property: one event, the same properties, the same words', () => {
    const plain = (s: string) => s.replace(/\r\n|\r/g, '\n').replace(/(?![\t\n])\p{Cc}/gu, ' ');
    fc.assert(
      fc.property(hostile, hostile, hostile, hostile, (summary, description, location, name) => {
        const ics = buildInvitation({
          uid: 'c-1@baton',
          sequence: 1,
          start: new Date('2026-03-02T09:00:00Z'),
          end: new Date('2026-03-02T10:00:00Z'),
          timeZone: 'Europe/Berlin',
          summary,
          description,
          location,
          organizer: { name, email: 'olive@acme.test' },
          attendees: [{ name: `${name}"x`, email: 'sam@acme.test\r\nATTENDEE:mailto:evil@e.test' }],
          stamp: new Date('2026-03-01T00:00:00Z'),
        });
        for (const line of ics.split('\r\n').slice(0, -1)) {
          expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
          expect(line).not.toMatch(/[\r\n]/);
        }
        const calendar = new ICAL.Component(ICAL.parse(ics));
        expect(calendar.getAllSubcomponents('vevent')).toHaveLength(1);
        const event = calendar.getFirstSubcomponent('vevent')!;
        const names = event.getAllProperties().map((p) => p.name);
        expect(names.filter((n) => n === 'attendee')).toHaveLength(1);
        expect(names.filter((n) => !['attendee'].includes(n)).sort()).toEqual(
          [
            'uid',
            'sequence',
            'dtstamp',
            'dtstart',
            'dtend',
            'summary',
            ...(description ? ['description'] : []),
            ...(location ? ['location'] : []),
            'organizer',
            'status',
          ].sort(),
        );
        expect(event.getFirstPropertyValue('summary')).toBe(plain(summary));
        if (description) expect(event.getFirstPropertyValue('description')).toBe(plain(description));
        if (location) expect(event.getFirstPropertyValue('location')).toBe(plain(location));
        expect(event.getFirstProperty('attendee')!.getFirstValue()).toBe(
          'mailto:sam@acme.testATTENDEE:mailto:evil@e.test',
        );
      }),
      { numRuns: 500 },
    );
  });
});
