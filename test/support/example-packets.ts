import type { Packet } from '../../src/playbooks/domain/playbook.js';

/**
 * The people the example packets name in `user` fields. A packet is only ready when each is an
 * active user of the organisation, so test organisations have them as users: viewers in no team,
 * so they are never told about a handoff nor allowed to act on one.
 */
export const EXAMPLE_USERS: readonly { email: string; name: string; role: 'viewer'; teams: string[] }[] = [
  { email: 'jordan.miles@lender.example', name: 'Jordan Miles', role: 'viewer', teams: [] },
  { email: 'grace.hopper@vendor.example', name: 'Grace Hopper', role: 'viewer', teams: [] },
];

/**
 * One complete, realistic packet per built-in transition, keyed by playbook key then transition key.
 * The tests prove each is ready (load-builtins.test.ts); the tests and the bench fill handoffs with them.
 *
 * Example: `EXAMPLE_PACKETS['professional-services']?.['sales-to-delivery']`.
 */
export const EXAMPLE_PACKETS: Readonly<Record<string, Readonly<Record<string, Packet>>>> = {
  'security-integrator': {
    'sales-to-operations': {
      scope: {
        system_types: ['video', 'access_control'],
        sold_scope:
          'Replace 42 analogue cameras with IP cameras on a new VMS, and add card access to 12 doors at the Riverside distribution centre.',
        buildable_scope_confirmed: true,
        drawings_reference: 'SharePoint > Projects > 24-117 Riverside > Drawings rev C',
        bill_of_materials: [
          {
            part_number: 'AXIS-P3265-LVE',
            description: 'Outdoor dome camera',
            manufacturer: 'Axis',
            quantity: 30,
          },
          {
            part_number: 'AXIS-P1465-LE',
            description: 'Bullet camera, loading dock',
            manufacturer: 'Axis',
            quantity: 12,
          },
          {
            part_number: 'HID-SIG20',
            description: 'Signo 20 card reader',
            manufacturer: 'HID',
            quantity: 12,
            unit_price: { amount_minor: 31500, currency: 'USD' },
          },
        ],
        has_existing_system: true,
        existing_system_details:
          'Legacy DVRs (Hikvision DS-7316) in the security office; footage must be kept 30 days after cut-over, then the DVRs are removed.',
        in_scope: [
          '42 IP cameras installed and aimed',
          'VMS server and licences',
          '12 doors with card readers',
        ],
        out_of_scope: ['New conduit runs outside the warehouse', 'Central station monitoring'],
      },
      site: {
        site_address: '1200 Riverside Drive, Building B, Sacramento CA 95811',
        infrastructure_needs:
          'Two new 24-port PoE+ switches in IDF-2; customer IT to provide a VLAN and 50 static IPs.',
        site_access:
          'Weekdays 6 am-4 pm, badges from the front desk, forklift traffic training required on day one.',
        site_contact: { name: 'Luis Ortega', role: 'Facilities manager', phone: '+1 916 555 0142' },
        dependencies: [{ dependency: 'VLAN and IP range', owner: 'Customer IT', needed_by: '2025-03-10' }],
        readiness_checks: { site_visited: true, power_confirmed: true, permits_identified: true },
      },
      expectations: {
        decision_maker: {
          name: 'Dana Whitfield',
          role: 'VP Operations',
          email: 'dana.whitfield@riverside.example',
        },
        communication_plan:
          'Weekly status e-mail on Fridays to Dana and Luis; call within 2 hours for any outage.',
        success_metrics:
          'Every dock door covered by a camera with 30 days of retention, and zero propped-door alarms unanswered.',
        target_completion: '2025-04-30',
        verbal_commitments: [
          {
            text: 'Rep said we would train night-shift supervisors on site.',
            made_by: 'Chris Patel',
            in_contract: false,
          },
        ],
      },
      financials: {
        contract_value: { amount_minor: 18450000, currency: 'USD' },
        contract_signed_on: '2025-02-14',
        margin_target: 32,
        change_order_policy:
          'Changes above $500 need a signed change order before work starts; time and materials at $125/hour.',
        billing_triggers: [
          { milestone: 'Deposit at signing', amount: { amount_minor: 5535000, currency: 'USD' } },
          {
            milestone: 'Cameras installed',
            amount: { amount_minor: 7380000, currency: 'USD' },
            expected_on: '2025-04-04',
          },
          { milestone: 'System acceptance', amount: { amount_minor: 5535000, currency: 'USD' } },
        ],
        payment_terms: 'Net 30',
      },
      summary: {
        summary:
          'Riverside is replacing a failing DVR system after a theft at the dock. They care most about dock coverage and fast response. Watch the forklift traffic and the night-shift training promise.',
        sales_at_kickoff: true,
      },
    },
    'operations-to-service': {
      documentation: {
        as_built_location: 'SharePoint > Projects > 24-117 Riverside > As-built rev F (2025-04-28)',
        network_map_location: 'SharePoint > Projects > 24-117 Riverside > Network > VLAN 40 map.pdf',
      },
      inventory: {
        devices: [
          {
            device: 'Camera DOCK-01',
            model: 'Axis P1465-LE',
            serial_number: 'ACCC8EF12345',
            location: 'Dock door 1',
            ip_address: '10.40.0.11',
            firmware_version: '11.8.64',
            installed_on: '2025-03-21',
          },
          {
            device: 'Reader FRONT-IN',
            model: 'HID Signo 20',
            location: 'Front entrance',
            firmware_version: '1.2.0',
          },
        ],
      },
      access: {
        credentials_location: 'Vault > Customers > Riverside > VMS and ACS admin',
        credentials_handed_over: {
          stored_securely: true,
          default_passwords_changed: true,
          customer_admin_confirmed: true,
        },
      },
      warranty: {
        warranty_terms:
          'One year labour, manufacturer parts warranty (Axis 5 years, HID lifetime on readers).',
        warranty_expires_on: '2026-04-30',
        service_agreement: 'preventive',
        service_agreement_value: { amount_minor: 960000, currency: 'USD' },
        response_time: '4 hours on-site for critical failures',
      },
      open_items: {
        punch_list: [{ item: 'Re-aim DOCK-07 after racking move', owner: 'service', due_on: '2025-05-15' }],
        training_delivered: true,
        training_notes:
          'Day and night supervisors trained on playback and export; night shift asked for a refresher on door alarms.',
      },
      continuity: {
        service_lead: {
          name: 'Priya Raman',
          role: 'Service account manager',
          email: 'priya.raman@integrator.example',
        },
        service_lead_introduced: true,
      },
    },
  },
  'professional-services': {
    'sales-to-delivery': {
      goal: {
        client_goal:
          '"We want to close the books in five days instead of twelve, without hiring another accountant."',
        success_metric: 'Month-end close in 5 working days by the end of Q3',
      },
      scope: {
        in_scope: [
          'Map the current close process',
          'Automate bank reconciliations',
          'Train the finance team',
        ],
        out_of_scope: ['ERP migration', 'Payroll process changes'],
      },
      people: {
        buyer: {
          name: 'Maria Gonzalez',
          role: 'CFO, signed the SOW and owns the budget',
          email: 'maria@northwind.example',
        },
        champion: {
          name: 'Tom Becker',
          role: 'Controller, runs the close every month',
          email: 'tom@northwind.example',
        },
      },
      promises: {
        promises: [
          {
            text: 'We will join their first close as observers at no extra cost.',
            made_by: 'Alex Kim',
            in_contract: false,
          },
        ],
        surprises:
          'Tom was sceptical of the last consultants and will test us early; their auditor visits in August.',
      },
      success: {
        ultimate_objective: 'A five-day close every month, run by the current team.',
        earliest_signal: 'Bank reconciliations done automatically on day one of the close.',
        minimum_outcome: 'A seven-day close with reconciliations automated.',
        early_win: 'By week four, the daily cash report builds itself before 9 am.',
      },
    },
  },
  'residential-care-intake': {
    'admissions-to-care': {
      child: {
        preferred_name: 'Jay',
        date_of_birth: '2013-06-02',
        arrival_date: '2025-03-03',
        placing_worker: { name: 'Renee Collins', role: 'County caseworker', phone: '+1 555 0100' },
      },
      medical: {
        medications: [{ medication: 'Methylphenidate', dose: '10 mg', schedule: 'With breakfast' }],
        allergies: 'Peanuts (carries an EpiPen).',
        conditions: 'ADHD, managed with medication; mild asthma.',
      },
      behaviour: {
        triggers: 'Raised voices and being touched from behind; bedtime transitions.',
        situations_to_avoid: 'Room changes without warning; being singled out in front of other children.',
      },
      history: {
        education: 'Year 6 at Lincoln Elementary; reading support twice a week.',
        trauma_background: 'Removed from home after neglect; two prior placements ended abruptly.',
      },
      strengths: {
        strengths: 'Kind to younger children, loves building things.',
        what_makes_them_smile: 'Lego, dogs and being asked for help.',
      },
      handoff: {
        handoff_meeting_held: true,
        meeting_date: '2025-02-28',
        surprise_factor:
          'Jay has nighttime anxiety and sleeps with the light on; he will not eat anything with sauce on it.',
      },
    },
  },
  'field-service-first-visit': {
    'estimate-to-operations': {
      client: { client: { name: 'Helen Park', phone: '+1 415 555 0199', email: 'helen.park@example.com' } },
      address: {
        service_address: '742 Valencia Street, Apt 3, San Francisco CA 94110',
        entry_method: 'lockbox',
        entry_notes: 'Lockbox on the side gate; street parking only.',
      },
      scope: {
        rooms: ['Kitchen', 'Living room', '2 bedrooms', '2 bathrooms'],
        square_footage: 1400,
        bathrooms: 2,
        has_stairs: true,
        add_ons: ['Inside oven'],
      },
      products: { products: 'eco_only' },
      household: {
        has_pets: true,
        pets: 'One friendly dog; keep the back door closed.',
        has_children: false,
      },
      timing: {
        first_visit_date: '2025-03-12',
        arrival_window: 'morning',
        recurring: true,
        frequency: 'biweekly',
      },
      pricing: { quoted_price: { amount_minor: 24000, currency: 'USD' } },
    },
  },
  'mortgage-concierge': {
    'loan-officer-to-concierge': {
      borrowers: {
        primary_borrower: { name: 'Sam Lee', email: 'sam.lee@example.com', phone: '+1 555 0123' },
      },
      loan: {
        loan_amount: { amount_minor: 42000000, currency: 'USD' },
        loan_type: 'conventional',
        purpose: 'purchase',
        target_close_date: '2025-05-30',
        rate_locked: false,
      },
      history: {
        history_notes:
          "First-time buyers relocating for a new job starting in June; gift funds from parents for part of the down payment; nervous about the process after a friend's deal fell through.",
        documents_received: ['Two years of W-2s', 'Last two bank statements'],
      },
      introduction: {
        intro_email_sent: true,
        communication_preferences: ['text', 'email'],
        concierge: 'jordan.miles@lender.example',
      },
    },
  },
  'implementation-to-success': {
    'implementation-to-success': {
      stakeholders: {
        sentiment: [
          {
            stakeholder: { name: 'Ava Thompson', role: 'COO' },
            sentiment: 'positive',
            notes: 'Wants the quarterly review.',
          },
          {
            stakeholder: { name: 'Ben Carter', role: 'IT lead' },
            sentiment: 'concerned',
            notes: 'SSO delays hurt.',
          },
        ],
      },
      goals: {
        executive_goals:
          'Cut ticket handling time by 30 percent this year and consolidate three help desks into one.',
      },
      configuration: {
        configuration_details:
          'SSO through Okta, three queues, custom SLA policy for VIP accounts, Salesforce sync every 15 minutes.',
        workarounds: [
          {
            workaround: 'Nightly CSV export for the finance team',
            reason: 'Billing API not licensed',
            permanent: false,
          },
        ],
      },
      open_items: {
        open_items: [
          {
            item: 'Extra reporting dashboard built for the COO',
            kind: 'scope_creep',
            billed: false,
            estimated_value: { amount_minor: 450000, currency: 'USD' },
          },
        ],
      },
      adoption: {
        operators_trained: { admins_trained: true, end_users_trained: true, documentation_delivered: true },
        adoption_risks: 'The EMEA team joined late and has logged in rarely; their manager is lukewarm.',
      },
      transition: {
        debrief_held: true,
        debrief_date: '2025-06-12',
        success_manager: 'grace.hopper@vendor.example',
        inquiry_redirect_agreed: true,
      },
    },
  },
};
