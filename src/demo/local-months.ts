/**
 * The local month (`YYYY-MM`) of instants in one time zone, by a table of month boundaries worked
 * out once with Intl, so a million instants cost a binary search each instead of a date format.
 *
 * Example: `localMonths('Europe/London', from, to).of(Date.parse('2026-03-31T23:30:00Z'))` is
 * `'2026-04'` (British Summer Time).
 */
export function localMonths(timeZone: string, fromMs: number, toMs: number) {
  const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' });
  const monthAt = (ms: number) => {
    const parts = format.formatToParts(new Date(ms));
    return `${parts.find((p) => p.type === 'year')!.value}-${parts.find((p) => p.type === 'month')!.value}`;
  };
  const starts: number[] = [];
  const labels: string[] = [];
  const first = new Date(fromMs - 40 * 86_400_000);
  let y = first.getUTCFullYear();
  let m = first.getUTCMonth();
  const end = toMs + 40 * 86_400_000;
  labels.push(monthAt(first.getTime()));
  starts.push(Number.NEGATIVE_INFINITY);
  for (;;) {
    m += 1;
    if (m === 12) {
      m = 0;
      y += 1;
    }
    const utcStart = Date.UTC(y, m, 1);
    if (utcStart > end) break;
    // Local midnight is within 14 hours of UTC midnight either way; zones move in 15 minutes.
    let lo = utcStart - 15 * 3_600_000;
    let hi = utcStart + 15 * 3_600_000;
    const label = monthAt(hi);
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 2 / 60_000) * 60_000;
      if (monthAt(mid) === label) hi = mid;
      else lo = mid;
    }
    starts.push(hi);
    labels.push(label);
  }
  return {
    of(ms: number): string {
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid]! <= ms) lo = mid;
        else hi = mid - 1;
      }
      if (ms < fromMs - 30 * 86_400_000 || ms > end) return monthAt(ms);
      return labels[lo]!;
    },
  };
}
