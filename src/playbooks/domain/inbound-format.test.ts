import { describe, expect, it } from 'vitest';
import { handoverPlaybook } from '../../../test/support/handover-playbook.js';
import { parsePlaybook } from './parse-playbook.js';

describe('the inbound mapping of a playbook', () => {
  it('compiles the transition and each field with where it is read from', () => {
    const parsed = parsePlaybook(
      handoverPlaybook(
        'inbound:\n  transition: install-to-service\n  fields:\n    - { to: packet.notes.summary, maps_from: [salesforce.Description, pipedrive.data.title] }\n    - { to: account.name, maps_from: [hubspot.properties.company] }\n',
      ),
      'handover.yaml',
    );
    expect(parsed.ok && parsed.playbook.inbound).toEqual({
      transition: 'install-to-service',
      fields: [
        { to: 'packet.notes.summary', mapsFrom: ['salesforce.Description', 'pipedrive.data.title'] },
        { to: 'account.name', mapsFrom: ['hubspot.properties.company'] },
      ],
    });
  });

  it('names an unknown transition, target, field, source kind and a target filled twice', () => {
    const parsed = parsePlaybook(
      handoverPlaybook(
        [
          'inbound:',
          '  transition: sales-to-install',
          '  fields:',
          '    - { to: account.colour, maps_from: [salesforce.Name] }',
          '    - { to: engagement.name, maps_from: [zoho.Deal_Name] }',
          '    - { to: engagement.name, maps_from: [salesforce.Name] }',
          '',
        ].join('\n'),
      ),
      'handover.yaml',
    );
    const errors = parsed.ok ? [] : parsed.errors;
    const at = (path: string) => errors.find((e) => e.path === path)?.message;
    expect(at('/inbound/transition')).toContain('unknown transition "sales-to-install"');
    expect(at('/inbound/fields/0/to')).toBeDefined();
    expect(at('/inbound/fields/1/maps_from/0')).toContain('unknown source kind "zoho"');
    expect(at('/inbound/fields/2/to')).toContain('filled by /inbound/fields/1 already');
    const field = parsePlaybook(
      handoverPlaybook(
        'inbound:\n  transition: install-to-service\n  fields:\n    - { to: packet.notes.missing, maps_from: [salesforce.Name] }\n',
      ),
      'handover.yaml',
    );
    expect(field.ok ? [] : field.errors.map((e) => e.message)).toEqual([
      expect.stringContaining('has no field notes.missing'),
    ]);
  });
});
