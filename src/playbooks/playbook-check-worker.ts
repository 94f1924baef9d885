/**
 * The worker thread that checks playbook documents for `playbook-checker.ts`, so that a large
 * document never holds up the server's event loop. It answers `{ id, result }` (a `ParseResult`) or
 * `{ id, failure }` for each `{ id, source, file }`, and `{ ready: true }` once it can take work.
 * `npm start` bundles it to `dist/playbook-check-worker.mjs` beside the server.
 */
import { parentPort } from 'node:worker_threads';
import { parsePlaybook } from './domain/parse-playbook.js';

// Checking at start compiles the meta-schema and lets the YAML parser's code be optimised, so the
// first document's time limit is its own: a worker that replaces one ended for running over would
// otherwise start cold and take the next large document half as fast again.
const WARM_UP = `key: warm-up
version: 1
name: Warm-up
stages: [{ key: a, name: A }, { key: b, name: B }]
transitions:
  - key: a-to-b
    name: A to B
    from: a
    to: b
    sender_team: a
    receiver_team: b
    sections: [{ key: s, title: S, fields: [{ key: f, type: text, label: F }] }]
    rejection_reasons: [{ code: r, label: R }]
`;

interface Job {
  id: number;
  source: string;
  file: string;
}

if (parentPort) {
  const port = parentPort;
  parsePlaybook(WARM_UP, 'warm-up.yaml');
  for (let i = 0; i < 3; i++) parsePlaybook(WARM_UP.repeat(40), 'warm-up.yaml');
  port.on('message', ({ id, source, file }: Job) => {
    // A document full of YAML errors makes the parser build hundreds of thousands of Error objects;
    // their stack traces are never read and would be half the work.
    const traces = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      port.postMessage({ id, result: parsePlaybook(source, file) });
    } catch (error) {
      port.postMessage({ id, failure: error instanceof Error ? error.message : String(error) });
    } finally {
      Error.stackTraceLimit = traces;
    }
  });
  port.postMessage({ ready: true });
}
