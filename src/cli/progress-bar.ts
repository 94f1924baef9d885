/**
 * A bar of 30 cells with the percentage and the count done, for work counted in items (e.g.
 * `baton seed-demo --handoffs N`): redrawn in place on a terminal, a line per tenth on a pipe.
 *
 * Example: `const bar = countBar(5000, 'handoffs', process.stderr); bar.update(1000); bar.done();`
 */
export function countBar(total: number, unit: string, out: NodeJS.WriteStream | null) {
  const tty = !!out?.isTTY;
  let lastTenth = -1;
  const started = Date.now();
  return {
    update(done: number) {
      if (!out) return;
      const share = total === 0 ? 1 : Math.min(1, done / total);
      const cells = Math.round(share * 30);
      const seconds = ((Date.now() - started) / 1000).toFixed(0);
      const line = `[${'#'.repeat(cells)}${'.'.repeat(30 - cells)}] ${String(Math.round(share * 100)).padStart(3)}% ${done.toLocaleString('en')} of ${total.toLocaleString('en')} ${unit} (${seconds} s)`;
      if (tty) out.write(`\r${line}`);
      else {
        const tenth = Math.floor(share * 10);
        if (tenth !== lastTenth) out.write(`${line}\n`);
        lastTenth = tenth;
      }
    },
    done() {
      if (tty) out?.write('\n');
    },
  };
}
