import type { ReactNode } from 'react';

/**
 * A wide table that scrolls sideways inside itself on a narrow screen, the page staying the
 * screen's width. The region is focusable and named, so a keyboard can scroll it even where the
 * table holds nothing focusable (a viewer's read-only grid). It is positioned, so what its table
 * positions (visually hidden labels) is clipped with it rather than widening the page.
 */
export function GridScroll({
  label,
  minWidth,
  children,
}: {
  label: string;
  minWidth: number;
  children: ReactNode;
}) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls must be reachable by keyboard (axe: scrollable-region-focusable)
    <section className="table-scroll" aria-label={label} tabIndex={0} style={{ position: 'relative' }}>
      <div style={{ minWidth }}>{children}</div>
    </section>
  );
}
