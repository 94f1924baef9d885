/**
 * A small playbook whose packet points at the engagement's files: a required `file` field for the
 * as-built drawings. Test support only.
 */
export const CLOSEOUT_FILES_PLAYBOOK = `key: closeout-files
version: 1
name: Closeout with drawings
stages:
  - { key: delivered, name: Delivered }
  - { key: serviced, name: In service }
transitions:
  - key: delivery-to-service
    name: Delivery to service
    from: delivered
    to: serviced
    sender_team: operations
    receiver_team: service
    rejection_reasons:
      - { code: no_drawings, label: Drawings missing }
    sections:
      - key: closeout
        title: Closeout
        fields:
          - { key: as_built, type: file, label: As-built drawings, required: true }
          - { key: network_map, type: file, label: Network map }
`;
