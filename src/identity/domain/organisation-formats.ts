import type { ErrorDetail } from '../../kernel/errors.js';

/** How an organisation's screens write money, dates and numbers. */
export interface OrganisationFormats {
  /** BCP 47, e.g. `en-GB`. */
  locale: string;
  /** ISO 4217, e.g. `EUR`. */
  currency: string;
  /**
   * `#rrggbb` the client portal is drawn in (docs/decisions/0011-portal-page-served-by-the-spa.md);
   * null for Baton's own colour. Left as it is when absent from a change.
   */
  brand_color?: string | null;
}

/** What an organisation gets until an admin says otherwise. */
export const DEFAULT_FORMATS: OrganisationFormats = { locale: 'en-GB', currency: 'EUR' };

/**
 * Checks formats an admin asks for and answers them in canonical spelling (`de-de` → `de-DE`),
 * or every problem at once. A locale must be one the runtime's `Intl` formats in (not merely
 * well-formed: `xx-YY` is refused); a currency must be an ISO 4217 code `Intl` knows.
 *
 * Example: `checkFormats({ locale: 'de-de', currency: 'EUR' })` →
 * `{ ok: true, formats: { locale: 'de-DE', currency: 'EUR' } }`.
 */
export function checkFormats(
  input: OrganisationFormats,
): { ok: true; formats: OrganisationFormats } | { ok: false; issues: ErrorDetail[] } {
  const issues: ErrorDetail[] = [];
  const locale = knownLocale(input.locale);
  if (!locale) {
    issues.push({
      path: '/locale',
      message: `${JSON.stringify(input.locale)} is not a locale this server knows; use a BCP 47 tag such as en-GB or de-DE`,
    });
  }
  const currency = input.currency.trim().toUpperCase();
  if (!Intl.supportedValuesOf('currency').includes(currency)) {
    issues.push({
      path: '/currency',
      message: `${JSON.stringify(input.currency)} is not an ISO 4217 currency code; use one such as EUR, GBP or USD`,
    });
  }
  const brand = input.brand_color;
  if (brand !== undefined && brand !== null && !/^#[0-9a-fA-F]{6}$/.test(brand)) {
    issues.push({
      path: '/brand_color',
      message: `${JSON.stringify(brand)} is not a colour; use six hex digits such as #1c5d99`,
    });
  }
  if (!locale || issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    formats: {
      locale,
      currency,
      ...(brand === undefined ? {} : { brand_color: brand?.toLowerCase() ?? null }),
    },
  };
}

/** The canonical spelling of a locale `Intl` formats in, or undefined. */
function knownLocale(tag: string): string | undefined {
  try {
    return Intl.NumberFormat.supportedLocalesOf([tag.trim()])[0];
  } catch {
    // A malformed tag (`en_GB`) throws rather than answering "not supported".
    return undefined;
  }
}
