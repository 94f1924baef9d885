/**
 * Benchmark (2): packet readiness validation against the raw compiled Ajv validator of the same
 * schema, on the same valid packet, in the same process.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { loadBuiltinPlaybooks } from '../src/playbooks/builtin/load-builtins.js';
import { createPacketValidator } from '../src/playbooks/domain/packet-validator.js';
import { userDirectory } from '../src/playbooks/domain/user-directory.js';
import { EXAMPLE_PACKETS } from '../test/support/example-packets.js';
import type { Figure } from './support/figure.js';

function opsPerSecond(work: () => void, ms = 1000): number {
  for (let i = 0; i < 2000; i++) work();
  let n = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    for (let i = 0; i < 200; i++) work();
    n += 200;
  }
  return n / (ms / 1000);
}

export function benchReadiness(): Figure[] {
  const playbook = loadBuiltinPlaybooks().find((p) => p.playbook.key === 'professional-services')!.playbook;
  const transition = playbook.transitions[0]!;
  const validator = createPacketValidator(transition);
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv);
  const raw = ajv.compile(structuredClone(validator.completeSchema));
  const packet = EXAMPLE_PACKETS['professional-services']!['sales-to-delivery']!;
  const NO_USERS = userDirectory([]); // the transition has no user field
  if (!raw(packet) || !validator.checkReadiness(packet, NO_USERS).ready)
    throw new Error('the example packet must be valid');
  const baseline = opsPerSecond(() => raw(packet));
  const ours = opsPerSecond(() => validator.checkReadiness(packet, NO_USERS));
  return [
    {
      name: 'readiness checks/s (valid packet)',
      value: ours,
      unit: 'ops/s',
      baseline,
      ratio: ours / baseline,
      goal: '≥ 0.8× raw Ajv',
    },
  ];
}
