import { Select, SimpleGrid, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { CONTACT_ROLES } from '../../../src/accounts/domain/contact-role.js';
import { ApiError, api } from '../api.js';
import type { Contact } from '../types.js';
import { RecordForm } from './record-form.js';

/** What each contact role is called on screen. */
export const CONTACT_ROLE_LABEL: Record<Contact['role'], string> = {
  buyer: 'Buyer',
  champion: 'Champion',
  decision_maker: 'Decision maker',
  operator: 'Operator',
  sponsor: 'Sponsor',
  other: 'Other',
};

/** Adds a contact to an account, or edits the one given. */
export function ContactForm({
  accountId,
  contact,
  onDone,
  onCancel,
}: {
  accountId: string;
  contact?: Contact;
  onDone: (saved: Contact) => void;
  onCancel: () => void;
}) {
  const client = useQueryClient();
  const [name, setName] = useState(contact?.name ?? '');
  const [role, setRole] = useState<Contact['role'] | null>(contact?.role ?? null);
  const [title, setTitle] = useState(contact?.title ?? '');
  const [email, setEmail] = useState(contact?.email ?? '');
  const [phone, setPhone] = useState(contact?.phone ?? '');
  const save = useMutation({
    mutationFn: () => {
      const fields = {
        name: name.trim(),
        role: role ?? 'other',
        title: title.trim() || null,
        email: email.trim() || null,
        phone: phone.trim() || null,
      };
      return contact
        ? api<Contact>('PATCH', `/contacts/${contact.id}`, fields)
        : api<Contact>('POST', '/contacts', { account_id: accountId, ...fields });
    },
    onSuccess: async (saved) => {
      await client.invalidateQueries({ queryKey: ['contacts', accountId] });
      onDone(saved);
    },
  });
  const error = save.error instanceof ApiError ? save.error : null;
  return (
    <RecordForm
      onSubmit={() => save.mutate()}
      onCancel={onCancel}
      error={save.error}
      failed="The contact was not saved"
      saving={save.isPending}
      ready={!!name.trim() && !!role}
      submit={contact ? 'Save contact' : 'Add contact'}
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          label="Name"
          required
          data-autofocus
          maxLength={300}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={error?.forPath('/name')}
        />
        <Select
          label="Role in the deal"
          required
          allowDeselect={false}
          data={CONTACT_ROLES.map((r) => ({ value: r, label: CONTACT_ROLE_LABEL[r] }))}
          value={role}
          onChange={(v) => setRole(v as Contact['role'] | null)}
          error={error?.forPath('/role')}
        />
        <TextInput
          label="Job title"
          maxLength={200}
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
          error={error?.forPath('/title')}
        />
        <TextInput
          label="E-mail"
          type="email"
          maxLength={254}
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          error={error?.forPath('/email')}
        />
        <TextInput
          label="Phone"
          type="tel"
          maxLength={50}
          value={phone}
          onChange={(e) => setPhone(e.currentTarget.value)}
          error={error?.forPath('/phone')}
        />
      </SimpleGrid>
    </RecordForm>
  );
}
