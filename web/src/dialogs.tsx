import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { type ReactNode, useState } from 'react';

/**
 * Asks before an action that cannot be undone, in a dialog of the page (not the browser's
 * `confirm`, which blocks the page and cannot be styled, labelled or tested like the rest).
 *
 * @example
 *   <ConfirmDialog opened={asking} title="Withdraw this handoff?" confirmLabel="Withdraw handoff"
 *     onConfirm={() => act.mutate('withdraw')} onClose={() => setAsking(false)}>
 *     It cannot be resubmitted afterwards.
 *   </ConfirmDialog>
 */
export function ConfirmDialog(props: {
  opened: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  color?: string;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <Modal opened={props.opened} onClose={props.onClose} title={props.title} centered>
      <Stack>
        <Text size="sm">{props.children}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            {props.cancelLabel ?? 'Cancel'}
          </Button>
          <Button
            // red.8: Mantine's red.6 under white text is below WCAG AA contrast.
            color={props.color ?? 'red.8'}
            onClick={() => {
              props.onConfirm();
              props.onClose();
            }}
          >
            {props.confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/**
 * Asks for a written note before an action that needs one (why a promise was broken), in a
 * dialog of the page; the action waits until the note is written.
 */
export function NoteDialog(props: {
  opened: boolean;
  title: string;
  label: string;
  submitLabel: string;
  onSubmit: (note: string) => void;
  onClose: () => void;
}) {
  const [note, setNote] = useState('');
  const close = () => {
    setNote('');
    props.onClose();
  };
  return (
    <Modal opened={props.opened} onClose={close} title={props.title} centered>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!note.trim()) return;
          props.onSubmit(note.trim());
          close();
        }}
      >
        <Stack>
          <Textarea
            label={props.label}
            required
            autosize
            minRows={3}
            maxLength={10_000}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            data-autofocus
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" disabled={!note.trim()}>
              {props.submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
