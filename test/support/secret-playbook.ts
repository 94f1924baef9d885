/**
 * A small valid playbook whose one transition (`sales-to-ops`) carries a `secret` field,
 * `access.admin_password`, beside a text field `basics.goal`. Test support only.
 */
export const SECRET_PLAYBOOK = `key: site-access
version: 1
name: Site access
stages:
  - key: sales
    name: Sales
  - key: ops
    name: Operations
transitions:
  - key: sales-to-ops
    name: Sales to ops
    from: sales
    to: ops
    sender_team: sales
    receiver_team: operations
    sections:
      - key: basics
        title: Basics
        fields:
          - key: goal
            type: text
            label: Goal
            required: true
      - key: access
        title: Access
        fields:
          - key: admin_password
            type: secret
            label: Controller admin password
            required: true
    rejection_reasons:
      - code: unclear
        label: Unclear
`;
