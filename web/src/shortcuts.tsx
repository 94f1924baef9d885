import { ActionIcon, Button, Group, Kbd, Modal, Stack, Table, Text } from '@mantine/core';
import { type ReactNode, useEffect, useRef, useSyncExternalStore } from 'react';
import { useNavigate } from 'react-router';
import { SearchDialog } from './search.js';

/**
 * Keyboard shortcuts: a few everywhere (search, this list, "go to"), and those a page offers
 * while it is shown (a handoff's actions, when the API allows them). None fires while the user
 * types in a field or while a dialog is open; an action's shortcut opens the same dialog its button
 * does, so nothing is done by one key alone.
 */

/** A shortcut a page offers: its key, what it does in words, and what it runs. */
export interface PageShortcut {
  key: string;
  label: string;
  run: () => void;
}

/** Where the "go to" shortcuts (`g` then a letter) lead. */
const GO_TO: Record<string, { to: string; label: string }> = {
  i: { to: '/', label: 'Go to the inbox' },
  c: { to: '/checkpoints', label: 'Go to my checkpoints' },
  a: { to: '/accounts', label: 'Go to accounts' },
  p: { to: '/playbooks', label: 'Go to playbooks' },
};

/** The keys of a handoff's actions, each offered only when the handoff's `actions` allow it. */
export const HANDOFF_KEYS = {
  accept: { key: 'a', label: 'Accept the packet' },
  reject: { key: 'r', label: 'Reject the packet, with a reason' },
  ask: { key: 'q', label: 'Ask the sending team a question' },
  edit: { key: 'e', label: 'Edit the packet (to its first field)' },
  submit: { key: 's', label: 'Submit the packet' },
  withdraw: { key: 'w', label: 'Withdraw the handoff' },
} as const;

// The shortcuts' state lives outside React's tree so the header, the page and the dialogs share
// it without a provider wrapped around the layout.
type Open = 'search' | 'help' | null;
let open: Open = null;
let pageShortcuts: PageShortcut[] = [];
const listeners = new Set<() => void>();
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};
const setOpen = (next: Open) => {
  open = next;
  for (const listener of listeners) listener();
};

/** Opens the search dialog (the header's Search button, `/`, Ctrl+K or ⌘K). */
export function openSearch(): void {
  setOpen('search');
}

/**
 * Offers `shortcuts` while the calling page is shown. The list may change each render (each
 * action's availability comes from the API); the latest one is used.
 *
 * @example usePageShortcuts(actions.accept.allowed ? [{ key: 'a', label: 'Accept', run: askToAccept }] : []);
 */
export function usePageShortcuts(shortcuts: PageShortcut[]): void {
  const latest = useRef(shortcuts);
  latest.current = shortcuts;
  useEffect(() => {
    pageShortcuts = latest.current;
  });
  useEffect(
    () => () => {
      pageShortcuts = [];
    },
    [],
  );
}

/** True while the user types: the key belongs to the field. */
function typing(target: EventTarget | null): boolean {
  return (
    target instanceof Element &&
    (target.closest('input, textarea, select, [contenteditable]:not([contenteditable="false"])') !== null ||
      ['textbox', 'combobox', 'searchbox'].includes(target.getAttribute('role') ?? ''))
  );
}

/** True while a dialog of the page is open: its keys are its own. */
function dialogOpen(): boolean {
  return document.querySelector('[role="dialog"], [aria-modal="true"]') !== null;
}

/** The header's search button, which names its shortcuts; on a phone, a magnifier alone. */
export function SearchButton() {
  return (
    <>
      <Button
        variant="default"
        size="compact-md"
        visibleFrom="sm"
        onClick={openSearch}
        aria-keyshortcuts="/ Control+K Meta+K"
        rightSection={
          <Kbd size="xs" aria-hidden>
            /
          </Kbd>
        }
      >
        Search
      </Button>
      <ActionIcon
        variant="default"
        size="lg"
        hiddenFrom="sm"
        onClick={openSearch}
        aria-label="Search"
        aria-keyshortcuts="/ Control+K Meta+K"
      >
        <svg
          width="18"
          height="18"
          viewBox="0 0 24 24"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          aria-hidden="true"
        >
          <circle cx="11" cy="11" r="7" />
          <path d="m20 20-3.5-3.5" />
        </svg>
      </ActionIcon>
    </>
  );
}

/** Listens for the shortcuts and holds the search and help dialogs; mounted once, in the layout. */
export function KeyboardShortcuts() {
  const navigate = useNavigate();
  const current = useSyncExternalStore(subscribe, () => open);
  useEffect(() => {
    let goPressedAt = 0;
    const onKey = (event: KeyboardEvent) => {
      // While the search or this list is open (even before its dialog is drawn), keys are theirs.
      if (event.defaultPrevented || event.isComposing || event.repeat || open !== null) return;
      const withModifier = event.ctrlKey || event.metaKey;
      if (withModifier && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'k') {
        // Ctrl+K works from a field too (it types nothing there), but not over another dialog.
        if (!dialogOpen()) {
          event.preventDefault();
          openSearch();
        }
        return;
      }
      if (withModifier || event.altKey || typing(event.target) || dialogOpen()) return;
      const { key } = event;
      if (goPressedAt && Date.now() - goPressedAt < 1500) {
        goPressedAt = 0;
        const go = GO_TO[key];
        if (go) {
          event.preventDefault();
          navigate(go.to);
        }
        return;
      }
      if (key === 'g') {
        goPressedAt = Date.now();
        return;
      }
      if (key === '/') {
        event.preventDefault();
        openSearch();
      } else if (key === '?') {
        event.preventDefault();
        setOpen('help');
      } else {
        const shortcut = pageShortcuts.find((s) => s.key === key);
        if (shortcut) {
          event.preventDefault();
          shortcut.run();
        }
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [navigate]);
  return (
    <>
      <SearchDialog opened={current === 'search'} onClose={() => setOpen(null)} />
      <ShortcutsDialog opened={current === 'help'} onClose={() => setOpen(null)} />
    </>
  );
}

/** Keys as they are pressed: `chord` together (Ctrl and K), else one after the other (g, then i). */
function Keys({ keys, chord = false }: { keys: string[]; chord?: boolean }) {
  return (
    <Group gap={4} wrap="nowrap" component="span">
      {keys.map((k, i) => (
        <Group key={k} gap={4} wrap="nowrap" component="span">
          {i > 0 && !chord ? (
            <Text span size="xs" c="dimmed">
              then
            </Text>
          ) : null}
          <Kbd>{k}</Kbd>
        </Group>
      ))}
    </Group>
  );
}

/** The list of every shortcut (`?`); the page's own are marked when they are offered now. */
function ShortcutsDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const offered = new Set(pageShortcuts.map((s) => s.key));
  const anywhere: { keys: ReactNode; label: string }[] = [
    {
      keys: (
        <Group gap={8} component="span">
          <Keys keys={['/']} />
          <Text span size="xs" c="dimmed">
            or
          </Text>
          <Keys keys={['Ctrl', 'K']} chord />
          <Text span size="xs" c="dimmed">
            or
          </Text>
          <Keys keys={['⌘', 'K']} chord />
        </Group>
      ),
      label: 'Search handoffs, accounts, engagements and people',
    },
    { keys: <Keys keys={['?']} />, label: 'Show this list' },
    ...Object.entries(GO_TO).map(([letter, go]) => ({
      keys: <Keys keys={['g', letter]} />,
      label: go.label,
    })),
  ];
  return (
    <Modal opened={opened} onClose={onClose} title="Keyboard shortcuts" size="lg">
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          Shortcuts do nothing while you type in a field or while a dialog is open. An action's key opens the
          same dialog as its button.
        </Text>
        <Table captionSide="top" verticalSpacing={6}>
          <Table.Caption>Anywhere</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Keys</Table.Th>
              <Table.Th scope="col">What it does</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {anywhere.map((row) => (
              <Table.Tr key={row.label}>
                <Table.Td>{row.keys}</Table.Td>
                <Table.Td>{row.label}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Table captionSide="top" verticalSpacing={6}>
          <Table.Caption>On a handoff, when you may take the action</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Key</Table.Th>
              <Table.Th scope="col">What it does</Table.Th>
              <Table.Th scope="col">Here</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {Object.values(HANDOFF_KEYS).map((s) => (
              <Table.Tr key={s.key}>
                <Table.Td>
                  <Keys keys={[s.key]} />
                </Table.Td>
                <Table.Td>{s.label}</Table.Td>
                <Table.Td>
                  <Text size="sm" c={offered.has(s.key) ? undefined : 'dimmed'}>
                    {offered.has(s.key) ? 'Available' : 'Not now'}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Modal>
  );
}
