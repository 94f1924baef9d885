import type { Readable } from 'node:stream';
import { csvFile } from '../kernel/csv/write-csv.js';
import type { MetricAnswer } from './use-cases/compute-metric.js';

/** The columns of a metric's rows: the group column (unless grouped by none), then the metric's. */
export function metricColumns(answer: Pick<MetricAnswer, 'by' | 'metric'>): string[] {
  return [...(answer.by === 'none' ? [] : [answer.by]), ...answer.metric.columns.map((c) => c.name)];
}

/** A metric's rows as a CSV file (UTF-8 with a byte-order mark), one column per `metricColumns`. */
export function metricCsv(answer: MetricAnswer): Readable {
  const columns = metricColumns(answer);
  async function* rows() {
    for (const row of answer.rows) yield columns.map((c) => row[c] ?? null);
  }
  return csvFile(columns, rows());
}
