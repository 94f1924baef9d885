import { Box, Loader, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { MAX_SEARCH_TEXT } from '../../src/search/domain/search-text.js';
import { api } from './api.js';
import { STATE_LABEL } from './format.js';
import { ErrorNote } from './parts.js';
import type { HandoffState, SearchResults } from './types.js';

/** One result as the list shows it, and where Enter takes the user. */
interface Option {
  id: string;
  label: string;
  detail: string;
  href: string;
}

interface Group {
  kind: string;
  options: Option[];
}

/** The results, grouped by kind in the order people look for them; empty kinds left out. */
function groupsOf(results: SearchResults | undefined): Group[] {
  if (!results) return [];
  const groups: Group[] = [
    {
      kind: 'Handoffs',
      options: results.handoffs.map((h) => ({
        id: `search-handoff-${h.id}`,
        label: h.title,
        detail: `${STATE_LABEL[h.state as HandoffState] ?? h.state} · ${h.sending_team} → ${h.receiving_team}`,
        href: `/handoffs/${h.id}`,
      })),
    },
    {
      kind: 'Accounts',
      options: results.accounts.map((a) => ({
        id: `search-account-${a.id}`,
        label: a.name,
        detail: 'Account',
        href: `/accounts/${a.id}`,
      })),
    },
    {
      kind: 'Engagements',
      options: results.engagements.map((e) => ({
        id: `search-engagement-${e.id}`,
        label: e.name,
        detail: [e.account_name, e.stage].filter(Boolean).join(' · '),
        href: `/engagements/${e.id}`,
      })),
    },
    {
      kind: 'People',
      // A contact opens their account's page, where contacts are kept; a user of the
      // organisation has no page of their own, so Enter writes to them.
      options: results.people.map((p) => ({
        id: `search-${p.kind}-${p.id}`,
        label: p.name,
        detail:
          p.kind === 'contact'
            ? [p.detail, p.account_name, p.email].filter(Boolean).join(' · ')
            : [`Colleague (${p.detail})`, p.email].filter(Boolean).join(' · '),
        href: p.kind === 'contact' ? `/accounts/${p.account_id}` : `mailto:${p.email}`,
      })),
    },
  ];
  return groups.filter((g) => g.options.length > 0);
}

/**
 * The search dialog: one field, results grouped by kind as the user types. The field is a
 * combobox that owns the listbox of results: ↑ and ↓ move through them, Enter opens the one
 * chosen, Escape closes.
 */
export function SearchDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const navigate = useNavigate();
  const [text, setText] = useState('');
  const [query] = useDebouncedValue(text.trim(), 150);
  // The option chosen with the arrow keys, for the query it was chosen in (a new answer starts at the top).
  const [chosen, setChosen] = useState({ query: '', index: 0 });
  const results = useQuery({
    queryKey: ['search', query],
    queryFn: () => api<SearchResults>('GET', `/search?q=${encodeURIComponent(query)}`),
    enabled: opened && query.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  const groups = useMemo(() => (query ? groupsOf(results.data) : []), [query, results.data]);
  const options = groups.flatMap((g) => g.options);
  const active = chosen.query === query && chosen.index < options.length ? chosen.index : 0;
  const setActive = (index: number) => setChosen({ query, index });
  useEffect(() => {
    if (!opened) setText('');
  }, [opened]);
  // Letters typed right after `/`, before the dialog has put the cursor in the field, are the
  // search's too ("/harbor" typed in one go finds Harbor).
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!opened) return;
    const early = (event: globalThis.KeyboardEvent) => {
      if (document.activeElement === field.current || event.key.length !== 1) return;
      if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      event.preventDefault();
      setText((typed) => (typed + event.key).slice(0, MAX_SEARCH_TEXT));
      field.current?.focus();
    };
    document.addEventListener('keydown', early);
    return () => document.removeEventListener('keydown', early);
  }, [opened]);

  const choose = (option: Option | undefined) => {
    if (!option) return;
    onClose();
    if (option.href.startsWith('mailto:')) window.location.href = option.href;
    else navigate(option.href);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!options.length) return;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((active + step + options.length) % options.length);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      choose(options[active]);
    }
  };
  useEffect(() => {
    document.getElementById(options[active]?.id ?? '')?.scrollIntoView({ block: 'nearest' });
  }, [active, options]);

  const expanded = options.length > 0;
  const waiting = results.isFetching && query.length > 0;
  return (
    <Modal opened={opened} onClose={onClose} title="Search" size="lg" yOffset="8vh">
      <Stack gap="sm">
        <TextInput
          data-autofocus
          ref={field}
          label="Handoffs, accounts, engagements and people"
          placeholder="Type a name, a title or an e-mail address"
          value={text}
          maxLength={MAX_SEARCH_TEXT}
          onChange={(e) => setText(e.currentTarget.value)}
          onKeyDown={onKeyDown}
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={expanded ? 'search-results' : undefined}
          aria-activedescendant={expanded ? options[active]?.id : undefined}
          autoComplete="off"
          rightSection={waiting ? <Loader size="xs" aria-hidden /> : null}
        />
        <ErrorNote error={results.error} />
        <Text size="sm" c="dimmed" role="status">
          {!query
            ? 'Enter opens the result chosen with ↑ and ↓.'
            : results.isPending
              ? 'Searching…'
              : options.length === 0
                ? `Nothing matches “${query}”.`
                : `${options.length} result${options.length > 1 ? 's' : ''}.`}
        </Text>
        {expanded ? (
          <Box role="listbox" id="search-results" aria-label="Search results" className="search-results">
            {groups.map((group) => (
              // biome-ignore lint/a11y/useSemanticElements: a group of a listbox's options; a fieldset groups a form's fields
              <div key={group.kind} role="group" aria-label={group.kind}>
                <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="xs" pt="xs" aria-hidden>
                  {group.kind}
                </Text>
                {group.options.map((option) => {
                  const index = options.indexOf(option);
                  return (
                    // biome-ignore lint/a11y/useKeyWithClickEvents: the keys are the field's (aria-activedescendant); the option never has the focus
                    <div
                      key={option.id}
                      id={option.id}
                      role="option"
                      tabIndex={-1}
                      aria-selected={index === active}
                      className="search-option"
                      onMouseEnter={() => setActive(index)}
                      // Keep the focus in the field, so typing goes on after a click elsewhere.
                      onMouseDown={(e) => e.preventDefault()}
                      onClick={() => choose(option)}
                    >
                      <Text size="sm" fw={600} truncate>
                        {option.label}
                      </Text>
                      {option.detail ? (
                        <Text size="xs" c="dimmed" truncate>
                          {option.detail}
                        </Text>
                      ) : null}
                    </div>
                  );
                })}
              </div>
            ))}
          </Box>
        ) : null}
      </Stack>
    </Modal>
  );
}
