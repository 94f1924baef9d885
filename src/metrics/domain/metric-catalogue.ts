import type { Dimension } from './metric-filters.js';

/** A column of a metric's rows: its name and what it holds. */
export interface MetricColumn {
  name: string;
  unit: 'count' | 'rate' | 'hours' | 'mean' | 'score' | 'text';
  description: string;
}

/** A metric as the catalogue lists it (docs/metrics.md defines each in words and formula). */
export interface MetricDefinition {
  key: string;
  title: string;
  /** The unit of its headline figure. */
  unit: 'count' | 'rate' | 'hours' | 'mean' | 'score';
  definition: string;
  /** What its rows can be grouped by; the first is the default. */
  dimensions: Dimension[];
  /** The columns of a row, after the group column. */
  columns: MetricColumn[];
}

const ALL: Dimension[] = ['none', 'period', 'team', 'sender', 'playbook'];
const c = (name: string, unit: MetricColumn['unit'], description: string): MetricColumn => ({
  name,
  unit,
  description,
});

/** Every metric, in the order the catalogue lists them. */
export const METRICS: readonly MetricDefinition[] = [
  {
    key: 'cycle_times',
    title: 'Cycle times',
    unit: 'hours',
    definition:
      'For each stage (contract signed → first submitted, first submitted → accepted, accepted → kickoff), over the handoffs first submitted in the period that have both ends of the stage: how many, and the nearest-rank median and 90th percentile of its hours (the value at rank ceil(p·n) of the n ordered values).',
    dimensions: ALL,
    columns: [
      c('stage', 'text', 'signed_to_submitted | submitted_to_accepted | accepted_to_kickoff'),
      c('count', 'count', 'Handoffs with both ends of the stage'),
      c('median_hours', 'hours', 'Nearest-rank median (p = 0.5) of whole hours'),
      c('p90_hours', 'hours', 'Nearest-rank 90th percentile (p = 0.9) of whole hours'),
    ],
  },
  {
    key: 'first_pass_rate',
    title: 'First-pass acceptance rate',
    unit: 'rate',
    definition:
      'Of the handoffs first submitted in the period, those accepted without any rejection ÷ those decided (accepted, or rejected at least once); null when none was decided.',
    dimensions: ALL,
    columns: [
      c('submitted', 'count', 'Handoffs first submitted in the period'),
      c('accepted', 'count', 'Of them, accepted by now'),
      c('decided', 'count', 'Of them, accepted or rejected at least once'),
      c('first_pass', 'count', 'Of them, accepted with no rejection'),
      c('rate', 'rate', 'first_pass ÷ decided'),
    ],
  },
  {
    key: 'rejections_by_reason',
    title: 'Rejections by reason',
    unit: 'count',
    definition: 'Rejections made in the period, counted by their reason, most frequent first.',
    dimensions: ALL,
    columns: [c('reason', 'text', 'The rejection reason key'), c('count', 'count', 'Rejections')],
  },
  {
    key: 'question_rounds',
    title: 'Clarification rounds per handoff',
    unit: 'mean',
    definition:
      'Of the handoffs first submitted in the period: how many, their clarification rounds (revisions during which at least one question was asked) in all, and the mean per handoff.',
    dimensions: ALL,
    columns: [
      c('handoffs', 'count', 'Handoffs first submitted in the period'),
      c('rounds', 'count', 'Their clarification rounds, summed'),
      c('mean_rounds', 'mean', 'rounds ÷ handoffs'),
    ],
  },
  {
    key: 'question_rounds_distribution',
    title: 'Clarification rounds, distribution',
    unit: 'count',
    definition:
      'Of the handoffs first submitted in the period, how many took each number of clarification rounds (0, 1, 2, …).',
    dimensions: ALL,
    columns: [
      c('rounds', 'count', 'Clarification rounds'),
      c('handoffs', 'count', 'Handoffs that took that many'),
    ],
  },
  {
    key: 'sla_compliance',
    title: 'SLA compliance',
    unit: 'rate',
    definition:
      'Of the checkpoints due in the period that were done or went overdue: done by their due time ÷ (on time + late). Open checkpoints not yet due and waived ones that never went overdue are not counted.',
    dimensions: ALL,
    columns: [
      c('on_time', 'count', 'Done by their due time'),
      c('late', 'count', 'Done late, or went overdue'),
      c('rate', 'rate', 'on_time ÷ (on_time + late)'),
    ],
  },
  {
    key: 'on_time_completion',
    title: 'On-time completion',
    unit: 'rate',
    definition:
      'Of the handoffs first submitted in the period and since closed: those none of whose required checkpoints was late ÷ those closed.',
    dimensions: ALL,
    columns: [
      c('closed', 'count', 'Handoffs closed'),
      c('on_time', 'count', 'Of them, with no required checkpoint late'),
      c('rate', 'rate', 'on_time ÷ closed'),
    ],
  },
  {
    key: 'review_gaps',
    title: '72-hour review gaps by field',
    unit: 'rate',
    definition:
      "Comparisons made by follow-up reviews in the period, by playbook version and packet field: how many, how many found the client's experience differed from the packet (a gap), and gaps ÷ comparisons; worst first.",
    dimensions: ALL,
    columns: [
      c('playbook_id', 'text', 'The playbook version'),
      c('playbook_key', 'text', 'Its key'),
      c('field', 'text', 'The packet field compared, section.field'),
      c('reviews', 'count', 'Comparisons of the field'),
      c('gaps', 'count', 'Comparisons that found a gap'),
      c('gap_rate', 'rate', 'gaps ÷ reviews'),
    ],
  },
  {
    key: 'confirmation_change_rate',
    title: 'Confirmation-call change rate',
    unit: 'rate',
    definition:
      'Of the confirmation calls due in the period and done: those where an answer changed something ÷ those done.',
    dimensions: ALL,
    columns: [
      c('calls', 'count', 'Confirmation calls done'),
      c('changed', 'count', 'Of them, where an answer changed something'),
      c('rate', 'rate', 'changed ÷ calls'),
    ],
  },
  {
    key: 'promise_kept_rate',
    title: 'Promise-kept rate',
    unit: 'rate',
    definition:
      'Of the promises made in the period: kept ÷ (kept + broken + renegotiated). Open promises are shown but not counted; null when none is settled.',
    dimensions: ALL,
    columns: [
      c('kept', 'count', 'Kept'),
      c('broken', 'count', 'Broken'),
      c('renegotiated', 'count', 'Renegotiated'),
      c('open', 'count', 'Still open'),
      c('rate', 'rate', 'kept ÷ (kept + broken + renegotiated)'),
    ],
  },
  {
    key: 'csat_nps',
    title: 'CSAT and NPS',
    unit: 'score',
    definition:
      'Surveys answered in the period: the mean CSAT, and NPS = % promoters (9–10) − % detractors (0–6), −100 to 100. The team, sender and playbook filters keep the surveys of engagements with a handoff that matches them.',
    dimensions: ['none', 'period'],
    columns: [
      c('responses', 'count', 'Surveys answered'),
      c('csat', 'mean', 'Mean CSAT'),
      c('promoters', 'count', 'NPS answers 9–10'),
      c('passives', 'count', 'NPS answers 7–8'),
      c('detractors', 'count', 'NPS answers 0–6'),
      c('nps', 'score', '100 × (promoters − detractors) ÷ responses'),
    ],
  },
  {
    key: 'sender_scorecards',
    title: 'Sender scorecards',
    unit: 'rate',
    definition:
      "Per sender (who first submitted the handoff), over the handoffs first submitted in the period: how many, the first-pass rate, the questions receivers raised on them; the gaps follow-up reviews in the period found in the sender's handoffs; and the mean of the receivers' 30-day ratings (satisfaction checks due in the period).",
    dimensions: ['sender'],
    columns: [
      c('name', 'text', "The sender's name"),
      c('submitted', 'count', 'Handoffs first submitted'),
      c('decided', 'count', 'Of them, accepted or rejected at least once'),
      c('first_pass_rate', 'rate', 'Accepted with no rejection ÷ decided'),
      c('questions', 'count', 'Questions raised on them'),
      c('gaps', 'count', 'Gaps found by follow-up reviews'),
      c('ratings', 'count', '30-day ratings given'),
      c('rating', 'mean', "Mean of the receivers' 30-day ratings"),
    ],
  },
  {
    key: 'funnel',
    title: 'Lifecycle funnel',
    unit: 'count',
    definition:
      'Handoffs drafted in the period, and how many of them have by now been submitted, accepted, kicked off (their kickoff meeting held) and closed.',
    dimensions: ALL,
    columns: [
      c('drafted', 'count', 'Handoffs drafted in the period'),
      c('submitted', 'count', 'Of them, submitted'),
      c('accepted', 'count', 'Of them, accepted'),
      c('kicked_off', 'count', 'Of them, kicked off'),
      c('closed', 'count', 'Of them, closed'),
    ],
  },
  {
    key: 'retention_by_quality',
    title: 'Retention beside handoff quality',
    unit: 'rate',
    definition:
      "Accounts with revenue records in the period, split by whether every one of their decided handoffs was clean (accepted with no rejection, no gap found by a follow-up review), per currency: starting revenue (starting records of the period's first month), expansion, contraction and churn, NRR = (starting + expansion − contraction − churn) ÷ starting and GRR = (starting − contraction − churn) ÷ starting, null when starting is 0.",
    dimensions: ['none'],
    columns: [
      c('quality', 'text', 'clean | not_clean'),
      c('currency', 'text', 'ISO 4217 code'),
      c('accounts', 'count', 'Accounts with revenue records in the period'),
      c('starting_minor', 'count', "Starting revenue of the period's first month, minor units"),
      c('expansion_minor', 'count', 'Expansion, minor units'),
      c('contraction_minor', 'count', 'Contraction, minor units'),
      c('churn_minor', 'count', 'Churn, minor units'),
      c('nrr', 'rate', 'Net revenue retention'),
      c('grr', 'rate', 'Gross revenue retention'),
    ],
  },
];

/** The definition of a metric, by key, or undefined. */
export function metricNamed(key: string): MetricDefinition | undefined {
  return METRICS.find((m) => m.key === key);
}
