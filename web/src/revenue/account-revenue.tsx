import { Button, Select, SimpleGrid, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { api } from '../api.js';
import { GridScroll } from '../closeout/grid-scroll.js';
import { fieldError, Section } from '../closeout/records.js';
import { monthLabel } from '../format.js';
import { currencyOptions, formatMoney, parseMoney } from '../money.js';
import { EmptyState, ErrorNote } from '../parts.js';
import { useSession } from '../session.js';
import type { AccountRevenue, RevenueRecord } from '../types.js';

const KIND_LABEL: Record<RevenueRecord['kind'], string> = {
  starting: 'Starting',
  expansion: 'Expansion',
  contraction: 'Contraction',
  churn: 'Churn',
};
const KINDS = Object.entries(KIND_LABEL).map(([value, label]) => ({ value, label }));

/** This month, `YYYY-MM`, the add form starts with. */
const thisMonth = () => new Date().toISOString().slice(0, 7);

/**
 * The account's recurring revenue: per month and currency (never added across currencies) what it
 * started with, gained, lost and ended with, in the organisation's money format; the records
 * behind those sums; and, for those who may change records, adding one and removing one.
 */
export function AccountRevenueSection({ accountId, canEdit }: { accountId: string; canEdit: boolean }) {
  const { organisation } = useSession();
  const locale = organisation.locale;
  const client = useQueryClient();
  const key = ['revenue', accountId];
  const query = useQuery({
    queryKey: key,
    queryFn: () => api<AccountRevenue>('GET', `/accounts/${accountId}/revenue`),
  });
  const refresh = () => client.invalidateQueries({ queryKey: key });
  const [period, setPeriod] = useState(thisMonth);
  const [kind, setKind] = useState<RevenueRecord['kind']>('starting');
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState(organisation.currency);
  const [note, setNote] = useState('');
  const options = useMemo(() => currencyOptions(locale), [locale]);
  const parsed = amount.trim() === '' ? null : parseMoney(amount, locale, currency);
  const add = useMutation({
    mutationFn: () =>
      api('POST', '/revenue-records', {
        records: [
          {
            account_id: accountId,
            period,
            kind,
            amount_minor: parsed?.ok ? parsed.minor : -1,
            currency,
            ...(note.trim() ? { note: note.trim() } : {}),
          },
        ],
      }),
    onSuccess: async () => {
      setAmount('');
      setNote('');
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => api('DELETE', `/revenue-records/${id}`),
    onSuccess: refresh,
  });
  const money = (minor: number, code: string) => formatMoney(minor, code, locale);
  const amountError =
    parsed && !parsed.ok ? parsed.reason : (fieldError(add.error, '/records/0/amount_minor') ?? undefined);
  const data = query.data;
  return (
    <Section id="revenue" title="Revenue">
      <ErrorNote error={query.error ?? remove.error} />
      {data?.periods.length ? (
        <>
          <GridScroll minWidth={720} label="Revenue by month (scrolls sideways)">
            <Table aria-label="Revenue by month">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Month</Table.Th>
                  <Table.Th scope="col">Starting</Table.Th>
                  <Table.Th scope="col">Expansion</Table.Th>
                  <Table.Th scope="col">Contraction</Table.Th>
                  <Table.Th scope="col">Churn</Table.Th>
                  <Table.Th scope="col">Ending</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.periods.map((p) => (
                  <Table.Tr key={`${p.period}-${p.currency}`} data-testid="revenue-period">
                    <Table.Th scope="row" fw={600}>
                      {monthLabel(p.period)}
                      <Text span size="xs" c="dimmed">
                        {' '}
                        {p.currency}
                      </Text>
                    </Table.Th>
                    <Table.Td>{money(p.starting_minor, p.currency)}</Table.Td>
                    <Table.Td>{money(p.expansion_minor, p.currency)}</Table.Td>
                    <Table.Td>{money(p.contraction_minor, p.currency)}</Table.Td>
                    <Table.Td>{money(p.churn_minor, p.currency)}</Table.Td>
                    <Table.Td fw={600}>{money(p.ending_minor, p.currency)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </GridScroll>
          <GridScroll minWidth={600} label="Revenue records (scrolls sideways)">
            <Table aria-label="Revenue records" mt="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Month</Table.Th>
                  <Table.Th scope="col">Kind</Table.Th>
                  <Table.Th scope="col">Amount</Table.Th>
                  <Table.Th scope="col">Note</Table.Th>
                  {canEdit ? <Table.Th scope="col">Change</Table.Th> : null}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.records.map((r) => (
                  <Table.Tr key={r.id}>
                    <Table.Td>{monthLabel(r.period)}</Table.Td>
                    <Table.Td>{KIND_LABEL[r.kind]}</Table.Td>
                    <Table.Td data-testid="revenue-amount">{money(r.amount_minor, r.currency)}</Table.Td>
                    <Table.Td>{r.note ?? ''}</Table.Td>
                    {canEdit ? (
                      <Table.Td>
                        <Button
                          size="xs"
                          variant="subtle"
                          loading={remove.isPending && remove.variables === r.id}
                          onClick={() => remove.mutate(r.id)}
                        >
                          Remove
                          <VisuallyHidden component="span">
                            : {KIND_LABEL[r.kind]} {monthLabel(r.period)} {money(r.amount_minor, r.currency)}
                          </VisuallyHidden>
                        </Button>
                      </Table.Td>
                    ) : null}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </GridScroll>
        </>
      ) : data ? (
        <EmptyState title="No revenue recorded">
          The account's recurring revenue by month: what it started with, expanded, contracted and churned.
        </EmptyState>
      ) : null}
      {canEdit ? (
        <form
          aria-label="Record revenue"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            add.mutate();
          }}
        >
          <SimpleGrid cols={{ base: 1, sm: 3 }} mt="sm">
            <TextInput
              label="Month"
              type="month"
              required
              value={period}
              onChange={(e) => setPeriod(e.currentTarget.value)}
              error={fieldError(add.error, '/records/0/period')}
            />
            <Select
              label="Kind"
              data={KINDS}
              allowDeselect={false}
              value={kind}
              onChange={(v) => v && setKind(v as RevenueRecord['kind'])}
            />
            <TextInput
              label="Amount"
              required
              inputMode="decimal"
              value={amount}
              onChange={(e) => setAmount(e.currentTarget.value)}
              error={amountError}
            />
            <Select
              label="Currency"
              data={options}
              searchable
              allowDeselect={false}
              value={currency}
              onChange={(v) => v && setCurrency(v)}
            />
            <TextInput label="Note" value={note} onChange={(e) => setNote(e.currentTarget.value)} />
          </SimpleGrid>
          <ErrorNote error={add.error && !amountError ? add.error : null} />
          <Button type="submit" mt="sm" loading={add.isPending}>
            Record revenue
          </Button>
        </form>
      ) : null}
    </Section>
  );
}
