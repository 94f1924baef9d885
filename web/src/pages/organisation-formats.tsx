import { Button, ColorInput, Group, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { ApiError, api } from '../api.js';
import { currencyOptions, formatMoney } from '../money.js';
import { ErrorNote } from '../parts.js';
import { useSession } from '../session.js';
import type { OrganisationFormats as Formats } from '../types.js';

/** What a locale and currency look like on screen, or undefined while the locale is not one. */
function preview(locale: string, currency: string): string | undefined {
  try {
    if (Intl.NumberFormat.supportedLocalesOf([locale]).length === 0) return undefined;
    const date = new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(new Date());
    return `${formatMoney(123456789, currency, locale)} · ${date}`;
  } catch {
    return undefined;
  }
}

/**
 * The organisation's locale and default currency (admins): every screen formats and reads money,
 * dates and numbers in the locale; a money field starts at the currency.
 */
export function OrganisationFormats() {
  const { organisation } = useSession();
  const client = useQueryClient();
  const [locale, setLocale] = useState(organisation.locale);
  const [currency, setCurrency] = useState(organisation.currency);
  // The colour the client portal is drawn in; empty for Baton's own.
  const [brand, setBrand] = useState(organisation.brand_color ?? '');
  const options = useMemo(() => currencyOptions(organisation.locale), [organisation.locale]);
  const save = useMutation({
    mutationFn: () =>
      api<Formats>('PUT', '/organisation/formats', {
        locale,
        currency,
        brand_color: brand.trim() === '' ? null : brand.trim(),
      }),
    onSuccess: async (saved) => {
      setLocale(saved.locale);
      notifications.show({ color: 'green', message: `Formats saved: ${saved.locale}, ${saved.currency}.` });
      await client.invalidateQueries({ queryKey: ['session'] });
    },
  });
  const err = save.error instanceof ApiError ? save.error : null;
  const looks = preview(locale, currency);
  const changed =
    locale !== organisation.locale ||
    currency !== organisation.currency ||
    brand !== (organisation.brand_color ?? '');
  return (
    <Paper withBorder p="md" maw={640}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Stack>
          <Group align="flex-start" grow>
            <TextInput
              label="Locale"
              description="BCP 47 tag, e.g. en-GB, de-DE, fr-FR"
              value={locale}
              onChange={(e) => {
                setLocale(e.currentTarget.value);
                save.reset();
              }}
              error={err?.forPath('/locale')}
            />
            <Select
              label="Default currency"
              description="Where each money field starts"
              data={options}
              value={currency}
              searchable
              allowDeselect={false}
              onChange={(code) => {
                if (code) setCurrency(code);
                save.reset();
              }}
              error={err?.forPath('/currency')}
            />
          </Group>
          <ColorInput
            label="Brand colour"
            description="The client portal's header and buttons; empty for Baton's blue"
            format="hex"
            eyeDropperButtonProps={{ 'aria-label': 'Pick the colour from the screen' }}
            value={brand}
            onChange={(v) => {
              setBrand(v);
              save.reset();
            }}
            error={err?.forPath('/brand_color')}
            maw={280}
          />
          <Text size="sm" aria-live="polite">
            {looks ? `Amounts and dates will read: ${looks}` : 'Not a locale this browser knows.'}
          </Text>
          <Group>
            <Button type="submit" loading={save.isPending} disabled={!changed}>
              Save formats
            </Button>
          </Group>
          {save.error && !err?.errors.length ? <ErrorNote error={save.error} /> : null}
        </Stack>
      </form>
    </Paper>
  );
}
