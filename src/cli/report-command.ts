import { type Command, Option } from 'commander';
import type { Deps } from '../kernel/context.js';
import { metricColumns, metricCsv } from '../metrics/metric-csv.js';
import { computeMetric, type MetricAnswer } from '../metrics/use-cases/compute-metric.js';
import { principalFor } from './import-command.js';

type WithDeps = <T>(work: (deps: Deps) => Promise<T>, options?: { readOnly?: boolean }) => Promise<T>;

interface ReportOptions {
  from?: string;
  to?: string;
  team?: string;
  playbook?: string;
  sender?: string;
  by?: string;
  org: string;
  as: string;
  format: 'table' | 'csv' | 'json';
}

/**
 * `baton report <metric>`: one metric of an organisation (docs/metrics.md), read from the database
 * as a user of it (their role applies), printed as a table, CSV or JSON: the rows
 * `GET /api/v1/metrics/{key}` answers for the same filters. Bad filters exit 1 naming each.
 */
export function registerReportCommand(program: Command, withDeps: WithDeps): void {
  program
    .command('report')
    .description(
      'Print a metric (see docs/metrics.md; GET /api/v1/metrics lists them) as a table, CSV or JSON: the same rows the API answers',
    )
    .argument('<metric>', 'the metric key, e.g. first_pass_rate, cycle_times, review_gaps')
    .option('--from <month>', 'first month counted, YYYY-MM (inclusive)')
    .option('--to <month>', 'last month counted, YYYY-MM (inclusive)')
    .option('--team <team>', 'a team (id or key): handoffs it sends or receives')
    .option('--playbook <id>', 'a playbook version id')
    .option('--sender <user>', 'a sender (user id or e-mail address)')
    .option('--by <dimension>', 'group by period, team, sender, playbook or none')
    .requiredOption('--org <slug>', 'the organisation')
    .requiredOption('--as <email>', 'the user the report is read as (their role applies)')
    .addOption(
      new Option('--format <format>', 'how to print it').choices(['table', 'csv', 'json']).default('table'),
    )
    .action(async (metric: string, opts: ReportOptions) => {
      await withDeps(
        async (deps) => {
          const principal = await principalFor(deps, opts.org, opts.as);
          const answer = await computeMetric(deps, principal, metric, opts);
          if (opts.format === 'json') process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
          else if (opts.format === 'csv') {
            for await (const chunk of metricCsv(answer)) process.stdout.write(chunk);
          } else process.stdout.write(table(answer));
        },
        { readOnly: true },
      );
    });
}

/** A number as the table shows it: at most four decimals; null as a dash. */
function tableCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'number') return String(Number(value.toFixed(4)));
  return value;
}

/** The rows under a title line, in aligned columns (numbers to the right). */
function table(answer: MetricAnswer): string {
  const columns = metricColumns(answer);
  const cells = answer.rows.map((row) => columns.map((c) => tableCell(row[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const numeric = columns.map((c) => answer.rows.some((r) => typeof r[c] === 'number'));
  const line = (values: string[]) =>
    values
      .map((v, i) => (numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const f = answer.filters;
  const period = f.from || f.to ? `${f.from ?? '…'} to ${f.to ?? '…'}` : 'all months';
  return [
    `${answer.metric.title} (${period}${answer.by === 'none' ? '' : `, by ${answer.by}`})`,
    line(columns),
    ...cells.map(line),
    ...(cells.length ? [] : ['(no rows)']),
    '',
  ].join('\n');
}
