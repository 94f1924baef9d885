import { type Static, Type } from 'typebox';
import { Nullable, StringEnum } from '../kernel/http/schemas.js';
import { DIMENSIONS } from './domain/metric-filters.js';

const UNITS = ['count', 'rate', 'hours', 'mean', 'score'] as const;

export const MetricDefinitionSchema = Type.Object(
  {
    key: Type.String({ description: 'What to ask for: GET /metrics/{key}' }),
    title: Type.String(),
    unit: StringEnum(UNITS, { description: 'The unit of its headline figure; rates are fractions 0–1' }),
    definition: Type.String({ description: 'What it counts, in words (docs/metrics.md has the formula)' }),
    dimensions: Type.Array(StringEnum(DIMENSIONS), {
      description: 'What its rows can be grouped by (`by`); the first is the default',
    }),
    columns: Type.Array(
      Type.Object({
        name: Type.String(),
        unit: StringEnum([...UNITS, 'text'] as const),
        description: Type.String(),
      }),
      { description: 'The columns of a row, after the group column' },
    ),
  },
  { $id: 'MetricDefinition', description: 'A metric: what it counts, its unit, how it can be grouped' },
);
export type MetricDefinitionView = Static<typeof MetricDefinitionSchema>;

export const MetricCatalogueSchema = Type.Object(
  { items: Type.Array(MetricDefinitionSchema) },
  { $id: 'MetricCatalogue', description: 'Every metric Baton computes' },
);

export const MetricFiltersSchema = Type.Object(
  {
    from: Nullable(Type.String({ description: 'First month counted (YYYY-MM, inclusive)' })),
    to: Nullable(Type.String({ description: 'Last month counted (YYYY-MM, inclusive)' })),
    team: Nullable(Type.String({ description: 'A team id: handoffs it sends or receives' })),
    sender: Nullable(Type.String({ description: 'A user id: handoffs they first submitted' })),
    playbook: Nullable(Type.String({ description: 'A playbook version id' })),
  },
  { description: 'The filters the rows were computed with, records as ids' },
);

export const MetricAnswerSchema = Type.Object(
  {
    metric: MetricDefinitionSchema,
    filters: MetricFiltersSchema,
    by: StringEnum(DIMENSIONS),
    rows: Type.Array(
      Type.Record(Type.String(), Nullable(Type.Union([Type.String(), Type.Number()])), {
        description:
          'One row per group: the group column named after `by` (period, team, sender, playbook; absent for none), then the metric’s columns. Rates are 0–1 or null when nothing was counted.',
      }),
    ),
  },
  { $id: 'MetricAnswer', description: "A metric's rows for the filters" },
);
export type MetricAnswerView = Static<typeof MetricAnswerSchema>;

const text = (description: string, maxLength = 100) => Type.Optional(Type.String({ maxLength, description }));

/** The filters every metric takes; `by` only where a metric is asked for alone. */
export const MetricQuery = Type.Object(
  {
    from: text('First month (YYYY-MM, inclusive)', 7),
    to: text('Last month (YYYY-MM, inclusive)', 7),
    team: text('A team (id or key): handoffs it sends or receives'),
    sender: text('A sender (user id or e-mail address): handoffs they first submitted', 320),
    playbook: text('A playbook version id'),
    by: text('Group the rows by period, team, sender, playbook or none (the metric’s dimensions)', 10),
  },
  { additionalProperties: false },
);

export const MetricParams = Type.Object({
  key: Type.String({ maxLength: 100, description: 'The metric key, from GET /metrics' }),
});
