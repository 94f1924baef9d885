// Money as people type and read it, in the organisation's locale; stored as integer minor units.
// Pure: no React, no DOM, only `Intl`, so the same functions are property-tested in Node
// (`test/money.test.ts`) and run in the browser.

/** What `parseMoney` answers: minor units, or why the text is not an amount. */
export type ParsedMoney = { ok: true; minor: number } | { ok: false; reason: string };

/** The marks a locale writes numbers with, derived from `Intl` rather than listed by hand. */
interface LocaleMarks {
  decimal: string;
  /** Characters read as the grouping mark (the locale's own, and what people type for it). */
  groups: Set<string>;
  minus: Set<string>;
  /** The locale's own digits (e.g. Arabic-Indic), mapped to 0–9. */
  digits: Map<string, string>;
  /** Size of the group nearest the decimal mark (3), and of the ones before it (3; 2 in en-IN). */
  primary: number;
  secondary: number;
}

const SPACES = [' ', '\u00a0', '\u202f', '\u2009'];
const APOSTROPHES = ["'", '\u2019'];
/** Direction marks `Intl` puts around numbers and currency signs in some locales. */
const INVISIBLE = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const marksCache = new Map<string, LocaleMarks>();

function marksOf(locale: string): LocaleMarks {
  const cached = marksCache.get(locale);
  if (cached) return cached;
  const parts = new Intl.NumberFormat(locale).formatToParts(-1234567890.5);
  const decimal = parts.find((p) => p.type === 'decimal')?.value ?? '.';
  const group = parts.find((p) => p.type === 'group')?.value ?? ',';
  const minus = parts.find((p) => p.type === 'minusSign')?.value ?? '-';
  const sizes = parts.filter((p) => p.type === 'integer').map((p) => p.value.length);
  const primary = sizes.at(-1) ?? 3;
  const secondary = sizes.length > 2 ? (sizes.at(-2) ?? primary) : primary;
  // People type a plain space for a narrow no-break one, and ' for ’: read them as the locale's mark.
  const groups = new Set(
    SPACES.includes(group) ? SPACES : APOSTROPHES.includes(group) ? APOSTROPHES : [group],
  );
  const plain = new Intl.NumberFormat(locale, { useGrouping: false });
  const digits = new Map<string, string>();
  for (let d = 0; d <= 9; d += 1) digits.set(plain.format(d), String(d));
  const marks: LocaleMarks = {
    decimal,
    groups,
    minus: new Set([minus, '-', '\u2212']),
    digits,
    primary,
    secondary,
  };
  marksCache.set(locale, marks);
  return marks;
}

/**
 * How many minor-unit digits a currency has, as `Intl` knows it: 2 for EUR, 0 for JPY, 3 for KWD.
 *
 * Example: `currencyDigits('KWD')` → `3`.
 */
export function currencyDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2
    );
  } catch {
    return 2;
  }
}

/** The text a currency is written with in a locale (`€`, `EUR`, `US$`…), to be read past. */
function currencyTexts(currency: string, locale: string): string[] {
  const texts = new Set([currency]);
  for (const currencyDisplay of ['symbol', 'narrowSymbol', 'code'] as const) {
    try {
      const parts = new Intl.NumberFormat(locale, {
        style: 'currency',
        currency,
        currencyDisplay,
      }).formatToParts(1);
      for (const p of parts) if (p.type === 'currency') texts.add(p.value);
    } catch {
      // An unknown code: only the code itself is read past.
    }
  }
  // Longest first, so `US$` goes before `$`.
  return [...texts].sort((a, b) => b.length - a.length);
}

/**
 * Reads an amount typed in `locale` as integer minor units of `currency`, or says why it is not
 * one. Accepts the locale's decimal mark and grouping (groups where the locale puts them), its
 * digits and minus sign, and the currency's symbol or code around the number; refuses more
 * decimals than the currency has, a second decimal mark, and grouping marks in the wrong places
 * (`1,5` in en-GB is not read as 15).
 *
 * Example: `parseMoney('1.234,56', 'de-DE', 'EUR')` → `{ ok: true, minor: 123456 }`;
 * `parseMoney('245.505', 'en-GB', 'EUR')` → `{ ok: false, reason: 'EUR has 2 decimal places…' }`.
 */
export function parseMoney(text: string, locale: string, currency: string): ParsedMoney {
  const marks = marksOf(locale);
  const digits = currencyDigits(currency);
  let rest = text.replace(INVISIBLE, '');
  for (const sign of currencyTexts(currency, locale)) rest = rest.split(sign).join('');
  rest = rest.trim();
  let negative = false;
  const first = rest.charAt(0);
  if (marks.minus.has(first)) {
    negative = true;
    rest = rest.slice(1).trim();
  }
  let number = '';
  const decimals: number[] = [];
  const groups: number[] = [];
  for (const ch of rest) {
    const digit = /[0-9]/.test(ch) ? ch : marks.digits.get(ch);
    if (digit !== undefined) number += digit;
    else if (ch === marks.decimal) {
      decimals.push(number.length);
      number += '.';
    } else if (marks.groups.has(ch)) {
      groups.push(number.length);
      number += ',';
    } else return { ok: false, reason: `“${ch}” is not part of an amount` };
  }
  if (!/[0-9]/.test(number))
    return { ok: false, reason: `Enter an amount, e.g. ${example(locale, currency)}` };
  if (decimals.length > 1) {
    return { ok: false, reason: `Only one decimal mark (“${marks.decimal}”) may be used` };
  }
  const [whole = '', fraction = ''] = number.split('.');
  if (fraction.includes(',')) {
    return { ok: false, reason: `A grouping mark cannot follow the decimal mark “${marks.decimal}”` };
  }
  if (whole.includes(',') && !wellGrouped(whole.split(','), marks)) {
    return {
      ok: false,
      reason: `Grouping marks go between groups of ${marks.primary} digits; the decimal mark is “${marks.decimal}” (e.g. ${example(locale, currency)})`,
    };
  }
  if (fraction.length > digits) {
    return {
      ok: false,
      reason:
        digits === 0
          ? `${currency} has no decimal places`
          : `${currency} has ${digits} decimal place${digits === 1 ? '' : 's'}; this has ${fraction.length}`,
    };
  }
  const minorText = (whole.replaceAll(',', '') + fraction.padEnd(digits, '0')).replace(/^0+(?=\d)/, '');
  const minor = Number(minorText);
  if (!Number.isSafeInteger(minor)) return { ok: false, reason: 'The amount is too large' };
  return { ok: true, minor: negative && minor !== 0 ? -minor : minor };
}

/** Groups as the locale puts them: the last one full, the middle ones full, the first not longer. */
function wellGrouped(groups: string[], marks: LocaleMarks): boolean {
  const sizes = new Set([marks.primary, marks.secondary]);
  const last = groups.length - 1;
  return groups.every((g, i) => {
    if (i === last) return g.length === marks.primary;
    if (i === 0) return g.length >= 1 && g.length <= Math.max(marks.primary, marks.secondary);
    return sizes.has(g.length);
  });
}

/** The exact decimal text of an amount of minor units (no float division: `1005` → `"10.05"`). */
function decimalText(minor: number, digits: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = String(Math.abs(minor)).padStart(digits + 1, '0');
  return digits === 0 ? `${sign}${abs}` : `${sign}${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
}

// `Intl.NumberFormat#format` takes a decimal string exactly (ES2023); TypeScript's lib types lag.
type DecimalFormat = { format(value: string): string };

/**
 * An amount with its currency as people of `locale` read it.
 *
 * Example: `formatMoney(123456, 'EUR', 'de-DE')` → `"1.234,56 €"`; `formatMoney(1500, 'JPY', 'en-GB')` → `"JP¥1,500"`.
 */
export function formatMoney(minor: number, currency: string, locale: string): string {
  const digits = currencyDigits(currency);
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency }) as unknown as DecimalFormat;
  return format.format(decimalText(minor, digits));
}

/**
 * The number alone, grouped and with the currency's decimals, as a money input shows it when not
 * being edited (the currency sits beside it). `parseMoney` reads it back.
 *
 * Example: `formatAmount(24550, 'EUR', 'en-GB')` → `"245.50"`.
 */
export function formatAmount(minor: number, currency: string, locale: string): string {
  const digits = currencyDigits(currency);
  const format = new Intl.NumberFormat(locale, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }) as unknown as DecimalFormat;
  return format.format(decimalText(minor, digits));
}

function example(locale: string, currency: string): string {
  return formatAmount(123456 * 10 ** Math.max(0, currencyDigits(currency) - 2), currency, locale);
}

/**
 * Every ISO 4217 currency the browser knows, named in `locale`, for a select.
 *
 * Example: `currencyOptions('en-GB')[0]` → `{ value: 'AED', label: 'AED · UAE Dirham' }`.
 */
export function currencyOptions(locale: string): { value: string; label: string }[] {
  const names = new Intl.DisplayNames([locale], { type: 'currency' });
  return Intl.supportedValuesOf('currency').map((code) => ({
    value: code,
    label: `${code} · ${names.of(code) ?? code}`,
  }));
}
