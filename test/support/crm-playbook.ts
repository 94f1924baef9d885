/**
 * A small playbook whose `inbound` section maps CRM deals (Salesforce and Pipedrive fields) into its
 * sales-to-operations draft, for the inbound tests. `senderTeam` other than `sales` makes a variant
 * keyed `crm-intake-<team>` (a team the test organisation may lack: its draft cannot be opened).
 * Test support only.
 */
export function crmPlaybook(senderTeam = 'sales'): string {
  return `key: crm-intake${senderTeam === 'sales' ? '' : `-${senderTeam}`}
name: CRM intake
stages:
  - { key: sold, name: Sold }
  - { key: delivering, name: Delivering }
transitions:
  - key: sales-to-operations
    name: Sales to operations
    from: sold
    to: delivering
    sender_team: ${senderTeam}
    receiver_team: operations
    rejection_reasons:
      - { code: incomplete, label: Incomplete }
    sections:
      - key: deal
        title: Deal
        fields:
          - { key: contract_value, type: money, label: Contract value, currency: USD }
          - { key: close_date, type: date, label: Close date }
          - { key: probability, type: number, label: Probability, max: 100 }
          - { key: summary, type: text, label: Summary, required: true }
inbound:
  transition: sales-to-operations
  fields:
    - { to: engagement.name, maps_from: [salesforce.Name, pipedrive.data.title] }
    - { to: packet.deal.contract_value, maps_from: [salesforce.Amount, pipedrive.data.value] }
    - { to: packet.deal.close_date, maps_from: [salesforce.CloseDate, pipedrive.data.expected_close_date] }
    - { to: packet.deal.probability, maps_from: [salesforce.Probability, pipedrive.data.title] }
    - { to: engagement.contract_signed_at, maps_from: [pipedrive.data.won_time] }
`;
}
