import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currencyDigits, formatAmount, formatMoney, parseMoney } from '../web/src/money.js';

const LOCALES = ['en-GB', 'en-US', 'de-DE', 'fr-FR', 'en-IN', 'de-CH', 'sv-SE', 'es-ES', 'ja-JP', 'ar-EG'];
/** One currency for each minor-unit count there is: none, two, three. */
const CURRENCIES = ['JPY', 'EUR', 'KWD', 'GBP', 'INR', 'CHF', 'BHD', 'KRW'];
const amounts = fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
const locales = fc.constantFrom(...LOCALES);
const currencies = fc.constantFrom(...CURRENCIES);
const anyCurrency = fc.constantFrom(...Intl.supportedValuesOf('currency'));

describe('money parse and format', () => {
  it('covers currencies with 0, 2 and 3 minor digits', () => {
    expect(new Set(CURRENCIES.map(currencyDigits))).toEqual(new Set([0, 2, 3]));
  });

  it('reads back every amount it formats, with or without the currency', () => {
    fc.assert(
      fc.property(amounts, fc.oneof(currencies, anyCurrency), locales, (minor, currency, locale) => {
        expect(parseMoney(formatMoney(minor, currency, locale), locale, currency)).toEqual({
          ok: true,
          minor,
        });
        expect(parseMoney(formatAmount(minor, currency, locale), locale, currency)).toEqual({
          ok: true,
          minor,
        });
      }),
      { numRuns: 3000 },
    );
  });

  it('reads an amount typed without grouping, in the locale’s decimal mark', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 12 }), currencies, locales, (minor, currency, locale) => {
        const digits = currencyDigits(currency);
        const decimal =
          new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
        const text = String(minor).padStart(digits + 1, '0');
        const typed = digits === 0 ? text : `${text.slice(0, -digits)}${decimal}${text.slice(-digits)}`;
        expect(parseMoney(typed, locale, currency)).toEqual({ ok: true, minor });
      }),
    );
  });

  it('refuses more decimals than the currency has', () => {
    fc.assert(
      fc.property(currencies, locales, fc.integer({ min: 1, max: 3 }), (currency, locale, extra) => {
        const digits = currencyDigits(currency);
        const decimal =
          new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
        const parsed = parseMoney(`12${decimal}${'5'.repeat(digits + extra)}`, locale, currency);
        expect(parsed.ok).toBe(false);
      }),
    );
  });

  it('keeps each keystroke of 245.50 meaning what was typed', () => {
    const typed = ['2', '24', '245', '245.', '245.5', '245.50'];
    expect(typed.map((t) => parseMoney(t, 'en-GB', 'EUR'))).toEqual(
      [200, 2400, 24500, 24500, 24550, 24550].map((minor) => ({ ok: true, minor })),
    );
  });

  it('reads the organisation’s marks and refuses the other convention', () => {
    expect(parseMoney('1.234,56', 'de-DE', 'EUR')).toEqual({ ok: true, minor: 123456 });
    expect(parseMoney('1 234,56', 'fr-FR', 'EUR')).toEqual({ ok: true, minor: 123456 });
    expect(parseMoney('12,34,567.89', 'en-IN', 'INR')).toEqual({ ok: true, minor: 123456789 });
    expect(parseMoney("1'234.50", 'de-CH', 'CHF')).toEqual({ ok: true, minor: 123450 });
    expect(parseMoney('€1,234.56', 'en-GB', 'EUR')).toEqual({ ok: true, minor: 123456 });
    expect(parseMoney('1234.56', 'de-DE', 'EUR').ok).toBe(false);
    expect(parseMoney('1,5', 'en-GB', 'EUR').ok).toBe(false);
    expect(parseMoney('12,34,5', 'en-GB', 'EUR').ok).toBe(false);
    expect(parseMoney('1.2.3', 'en-GB', 'EUR')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/one decimal mark/),
    });
    expect(parseMoney('12a', 'en-GB', 'EUR')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/“a”/),
    });
    expect(parseMoney('', 'en-GB', 'EUR').ok).toBe(false);
    expect(parseMoney('1500.5', 'en-GB', 'JPY')).toEqual({ ok: false, reason: 'JPY has no decimal places' });
    expect(parseMoney('-12.5', 'en-GB', 'EUR')).toEqual({ ok: true, minor: -1250 });
  });

  it('formats in the locale', () => {
    expect(formatMoney(123456, 'EUR', 'de-DE')).toBe('1.234,56\u00a0€');
    expect(formatAmount(24550, 'EUR', 'en-GB')).toBe('245.50');
    expect(formatAmount(1234500, 'KWD', 'en-GB')).toBe('1,234.500');
    expect(formatMoney(Number.MAX_SAFE_INTEGER, 'EUR', 'en-GB')).toBe('€90,071,992,547,409.91');
  });
});
