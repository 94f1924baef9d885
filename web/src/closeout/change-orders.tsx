import {
  Badge,
  Button,
  Group,
  Select,
  SimpleGrid,
  Table,
  Text,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { api } from '../api.js';
import { shortDay } from '../format.js';
import { currencyOptions, formatMoney, parseMoney } from '../money.js';
import { EmptyState, ErrorNote } from '../parts.js';
import { useSession } from '../session.js';
import type { ChangeOrder, Page } from '../types.js';
import { GridScroll } from './grid-scroll.js';
import { fieldError, Section } from './records.js';

const STATE_COLOR: Record<ChangeOrder['state'], string> = {
  identified: 'orange',
  quoted: 'blue',
  approved: 'teal',
  billed: 'green',
  declined: 'gray',
};

/** The moves each state allows, as buttons: the next step first, declining last. */
const MOVES: Record<ChangeOrder['state'], { action: string; label: string }[]> = {
  identified: [
    { action: 'quote', label: 'Quote' },
    { action: 'decline', label: 'Decline' },
  ],
  quoted: [
    { action: 'approve', label: 'Approve' },
    { action: 'decline', label: 'Decline' },
  ],
  approved: [
    { action: 'bill', label: 'Bill' },
    { action: 'decline', label: 'Decline' },
  ],
  billed: [],
  declined: [],
};

/**
 * Scope creep on the engagement: out-of-scope work asked for, the change order each became, its
 * amount in the organisation's locale, and (for those who may change records) logging one and
 * moving it along identified → quoted → approved → billed, or declining it.
 */
export function ChangeOrdersSection({ engagementId, canEdit }: { engagementId: string; canEdit: boolean }) {
  const { organisation } = useSession();
  const locale = organisation.locale;
  const client = useQueryClient();
  const key = ['change-orders', engagementId];
  const query = useQuery({
    queryKey: key,
    queryFn: () => api<Page<ChangeOrder>>('GET', `/engagements/${engagementId}/change-orders`),
  });
  const refresh = () => client.invalidateQueries({ queryKey: key });
  const [request, setRequest] = useState('');
  const [askedBy, setAskedBy] = useState('');
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState(organisation.currency);
  const options = useMemo(() => currencyOptions(locale), [locale]);
  const parsed = amount.trim() === '' ? null : parseMoney(amount, locale, currency);
  const add = useMutation({
    mutationFn: () =>
      api('POST', `/engagements/${engagementId}/change-orders`, {
        request,
        asked_by_name: askedBy,
        amount_minor: parsed?.ok ? parsed.minor : -1,
        currency,
      }),
    onSuccess: async () => {
      setRequest('');
      setAskedBy('');
      setAmount('');
      await refresh();
    },
  });
  const move = useMutation({
    mutationFn: (v: { id: string; action: string }) => api('POST', `/change-orders/${v.id}/${v.action}`, {}),
    onSuccess: refresh,
  });
  const amountError =
    parsed && !parsed.ok ? parsed.reason : (fieldError(add.error, '/amount_minor') ?? undefined);
  return (
    <Section id="change-orders" title="Change orders">
      <ErrorNote error={query.error ?? move.error} />
      {query.data?.items.length ? (
        <GridScroll minWidth={720} label="Change orders (scrolls sideways)">
          <Table aria-label="Change orders">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Asked for</Table.Th>
                <Table.Th scope="col">By</Table.Th>
                <Table.Th scope="col">Amount</Table.Th>
                <Table.Th scope="col">State</Table.Th>
                {canEdit ? <Table.Th scope="col">Actions</Table.Th> : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {query.data.items.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>
                    {c.request}
                    {c.scope_item ? (
                      <Text size="xs" c="dimmed">
                        Out of scope: {c.scope_item.description}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>{c.asked_by.name}</Table.Td>
                  <Table.Td data-testid="change-order-amount">
                    {formatMoney(c.amount_minor, c.currency, locale)}
                  </Table.Td>
                  <Table.Td>
                    <Badge color={STATE_COLOR[c.state]} variant="light">
                      {c.state}
                    </Badge>
                    <Text size="xs" c="dimmed">
                      since{' '}
                      {shortDay(
                        (
                          c.declined_at ??
                          c.billed_at ??
                          c.approved_at ??
                          c.quoted_at ??
                          c.identified_at
                        ).slice(0, 10),
                      )}
                    </Text>
                  </Table.Td>
                  {canEdit ? (
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        {MOVES[c.state].map((m) => (
                          <Button
                            key={m.action}
                            size="xs"
                            variant={m.action === 'decline' ? 'subtle' : 'light'}
                            loading={move.isPending && move.variables?.id === c.id}
                            onClick={() => move.mutate({ id: c.id, action: m.action })}
                          >
                            {m.label}
                            <VisuallyHidden component="span">: {c.request}</VisuallyHidden>
                          </Button>
                        ))}
                      </Group>
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </GridScroll>
      ) : (
        <EmptyState title="No change orders">
          Work the client asks for beyond the scope is logged here, quoted and billed.
        </EmptyState>
      )}
      {canEdit ? (
        <form
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            add.mutate();
          }}
        >
          <SimpleGrid cols={{ base: 1, sm: 2 }} mt="sm">
            <TextInput
              label="Asked for"
              required
              value={request}
              onChange={(e) => setRequest(e.currentTarget.value)}
              error={fieldError(add.error, '/request')}
            />
            <TextInput
              label="Asked by"
              required
              value={askedBy}
              onChange={(e) => setAskedBy(e.currentTarget.value)}
              error={fieldError(add.error, '/asked_by_name')}
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
          </SimpleGrid>
          <Button type="submit" mt="sm" loading={add.isPending}>
            Log out-of-scope work
          </Button>
        </form>
      ) : null}
    </Section>
  );
}
