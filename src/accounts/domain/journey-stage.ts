/**
 * The stage an engagement moves to when an accepted handoff brings it to `target`, or `undefined`
 * when it stays: along the playbook's stages it only moves forward, so accepting an early handoff
 * after a later one leaves it where it is. A stage the playbook does not know (typed by hand, or
 * of another journey) gives way to the journey's.
 *
 * Example: `stageAfter('sales', 'operations', ['sales', 'operations', 'service'])` is
 * `'operations'`; `stageAfter('service', 'operations', …)` is `undefined`.
 */
export function stageAfter(
  current: string | null,
  target: string,
  stages: readonly string[],
): string | undefined {
  const to = stages.indexOf(target);
  if (to === -1 || current === target) return undefined;
  const from = current === null ? -1 : stages.indexOf(current);
  return from === -1 || to > from ? target : undefined;
}
