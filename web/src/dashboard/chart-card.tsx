import { Anchor, Box, Button, Group, Menu, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type ReactNode, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { GridScroll } from '../closeout/grid-scroll.js';
import { EmptyState } from '../parts.js';
import { type Cell, csvText } from './csv.js';
import { download, legendOf, svgToPng } from './export.js';

/** A column of a chart's data: its key in the CSV file, its heading and how a cell reads on screen. */
export interface Column {
  key: string;
  label: string;
  show?: (value: Cell) => string;
  /** Where a cell leads in the app, when it names something there (a playbook). */
  href?: (value: Cell) => string;
}

/**
 * One figure of the dashboard: a titled card with its chart, the same figures as a table (a
 * toggle, for whoever reads tables better or uses a screen reader: the chart itself is one image
 * named by its title and summary), and exports of what it shows: CSV (the rows, as the API
 * answers them) and PNG (the chart as drawn). With no rows it says so instead of drawing nothing.
 *
 * @example
 *   <ChartCard name="rejections-by-reason" title="Rejections by reason" columns={cols} rows={rows}
 *     summary="Missing scope 4, Wrong contact 2">{chart}</ChartCard>
 */
export function ChartCard({
  name,
  title,
  description,
  summary,
  columns,
  rows,
  empty,
  children,
  footer,
  tableOnly = false,
}: {
  name: string;
  title: string;
  description?: string;
  summary?: string;
  columns: readonly Column[];
  rows: readonly (readonly Cell[])[];
  empty: string;
  children?: ReactNode;
  footer?: ReactNode;
  tableOnly?: boolean;
}) {
  const [asTable, setAsTable] = useState(tableOnly);
  const figure = useRef<HTMLDivElement>(null);
  const headingId = useId();
  const exportCsv = () =>
    download(
      new Blob(
        [
          csvText(
            columns.map((c) => c.key),
            rows,
          ),
        ],
        { type: 'text/csv;charset=utf-8' },
      ),
      `${name}.csv`,
    );
  const exportPng = async () => {
    const svg = figure.current?.querySelector<SVGSVGElement>('svg.recharts-surface');
    try {
      if (!svg) throw new Error('Show the chart first, then export its picture.');
      download(await svgToPng(svg, title, legendOf(figure.current!)), `${name}.png`);
    } catch (error) {
      notifications.show({
        color: 'red',
        title: 'Could not export the picture',
        message: error instanceof Error ? error.message : String(error),
      });
    }
  };
  return (
    <Paper
      withBorder
      p="md"
      radius="md"
      component="section"
      aria-labelledby={headingId}
      className="chart-card"
    >
      <Stack gap="xs" h="100%">
        <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
          <Title order={2} size="h4" id={headingId} style={{ minWidth: 0 }}>
            {title}
          </Title>
          {rows.length > 0 ? (
            <Group gap={4} wrap="nowrap">
              {tableOnly ? null : (
                <Button
                  variant="subtle"
                  size="compact-sm"
                  aria-pressed={asTable}
                  aria-label={`Show ${title} as a table`}
                  onClick={() => setAsTable((v) => !v)}
                >
                  Table
                </Button>
              )}
              <Menu position="bottom-end" withinPortal>
                <Menu.Target>
                  <Button variant="default" size="compact-sm" aria-label={`Export ${title}`}>
                    Export
                  </Button>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Item onClick={exportCsv}>CSV file</Menu.Item>
                  {tableOnly ? null : (
                    <Menu.Item onClick={exportPng} disabled={asTable}>
                      PNG picture
                    </Menu.Item>
                  )}
                </Menu.Dropdown>
              </Menu>
            </Group>
          ) : null}
        </Group>
        {description ? (
          <Text size="sm" c="dimmed" mt={-6}>
            {description}
          </Text>
        ) : null}
        {rows.length === 0 ? (
          <EmptyState title="Nothing to show yet">{empty}</EmptyState>
        ) : asTable ? (
          <DataTable title={title} columns={columns} rows={rows} />
        ) : (
          <Box
            ref={figure}
            role="img"
            aria-label={summary ? `${title}: ${summary}` : title}
            className="chart-box"
          >
            {children}
          </Box>
        )}
        {rows.length > 0 ? footer : null}
      </Stack>
    </Paper>
  );
}

/** The figures of a chart as a table that scrolls inside itself on a phone. */
export function DataTable({
  title,
  columns,
  rows,
}: {
  title: string;
  columns: readonly Column[];
  rows: readonly (readonly Cell[])[];
}) {
  // Figures line up on the right; words on the left.
  const align = columns.map((_, i) => (rows.some((row) => typeof row[i] === 'number') ? 'right' : undefined));
  return (
    <GridScroll label={`${title} (table)`} minWidth={columns.length * 110}>
      <Table striped withTableBorder aria-label={title} className="figures-table">
        <Table.Thead>
          <Table.Tr>
            {columns.map((c, i) => (
              <Table.Th key={c.key} ta={align[i]} scope="col">
                {c.label}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row, r) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows of a chart's data have no id of their own
            <Table.Tr key={r}>
              {columns.map((c, i) => (
                <Table.Td key={c.key} ta={align[i]}>
                  {c.href && row[i] !== null ? (
                    <Anchor component={Link} to={c.href(row[i] ?? null)}>
                      {c.show ? c.show(row[i] ?? null) : row[i]}
                    </Anchor>
                  ) : c.show ? (
                    c.show(row[i] ?? null)
                  ) : (
                    (row[i] ?? '—')
                  )}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </GridScroll>
  );
}
