/**
 * A small playbook of one transition (install → service) whose `closeout` block is given, for the
 * closeout's tests: `handoverPlaybook('closeout:\n  checklist: [no_open_punch_items]\n')`.
 */
export function handoverPlaybook(closeout: string, version = ''): string {
  return `key: handover
${version}name: Handover
stages:
  - { key: install, name: Install }
  - { key: service, name: Service }
transitions:
  - key: install-to-service
    name: Install to service
    from: install
    to: service
    sender_team: operations
    receiver_team: service
    rejection_reasons:
      - { code: incomplete, label: Incomplete }
    sections:
      - key: notes
        title: Notes
        fields:
          - { key: summary, type: text, label: Summary }
${closeout}`;
}

/** The handover playbook asking for every checklist item its records can meet. */
export const HANDOVER_PLAYBOOK = handoverPlaybook(
  'closeout:\n  checklist: [no_open_punch_items, operators_trained, service_lead_introduced, internal_debrief_held]\n',
  'version: 1\n',
);
