/**
 * A small playbook whose packet names people: a `user` field and a `user` column, each tied to a
 * team. Test support only.
 */
export const STAFFING_PLAYBOOK = `key: staffing
version: 1
name: Staffing
stages:
  - { key: won, name: Won }
  - { key: staffed, name: Staffed }
transitions:
  - key: won-to-staffed
    name: Staffing
    from: won
    to: staffed
    sender_team: sales
    receiver_team: operations
    rejection_reasons:
      - { code: understaffed, label: Not enough people named }
    sections:
      - key: team
        title: Team
        fields:
          - { key: lead, type: user, label: Delivery lead, required: true, team: operations }
          - { key: sponsor, type: user, label: Internal sponsor }
          - key: shadows
            type: table
            label: Shadows
            columns:
              - { key: who, type: user, label: Who, required: true, team: service }
`;
