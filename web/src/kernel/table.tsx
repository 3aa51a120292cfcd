/**
 * The platform's table: Ant Design's Table with the defaults every list needs, so that a column
 * never collapses to one character per line (a narrow column in a wide table used to wrap
 * "GB/T 42195" or an order number per character, rows 200 px tall).
 *
 * - Cells stay on one line (`.yl-table` in styles.css) and the table sizes its columns to their
 *   content (`tableLayout="auto"`, `scroll.x = 'max-content'`): a table wider than its card
 *   scrolls inside the card instead of squeezing columns. A numeric `scroll.x` is replaced.
 * - A column marked `ellipsis` is clipped at its `width` (else 240 px) with the full text in a
 *   tooltip; any other column of plain text is clipped at 360 px the same way, so one long
 *   note cannot stretch a row off the screen.
 * - A column whose text should wrap (a long explanation) says `className: 'yl-wrap'` and gets
 *   a `width`.
 *
 * Drop-in: `import { Table } from '../../kernel/table'` (Table.Summary etc. are Ant Design's).
 */
import { Table as AntTable, Tooltip, type TableProps } from 'antd';
import type { ColumnGroupType, ColumnType } from 'antd/es/table';
import { isValidElement, useMemo, type ReactNode } from 'react';

const PLAIN_MAX = 360;
const ELLIPSIS_DEFAULT = 240;
/** A CJK character is about 14 px at the table's font size: shorter text needs no tooltip. */
const CHAR_PX = 14;

type Col<T> = ColumnGroupType<T> | ColumnType<T>;

function textOf(node: unknown): string | null {
  if (typeof node === 'string') return node;
  if (typeof node === 'number') return String(node);
  return null;
}

/** One line, at most `max` px wide, the whole text in a tooltip when it may not fit. */
export function Clip({ text, max, children }: { text: string | null; max: number; children?: ReactNode }) {
  const body = (
    <span className="yl-clip" style={{ maxWidth: max }}>
      {children ?? text}
    </span>
  );
  return text && text.length * CHAR_PX > max - 8 ? <Tooltip title={text}>{body}</Tooltip> : body;
}

function fit<T>(col: Col<T>): Col<T> {
  if ('children' in col && col.children) return { ...col, children: col.children.map(fit) };
  const c = col as ColumnType<T>;
  const wraps = typeof c.className === 'string' && c.className.includes('yl-wrap');
  if (wraps) return c;
  const ellipsis = !!c.ellipsis;
  const max = ellipsis ? (typeof c.width === 'number' ? Math.max(c.width - 16, 48) : ELLIPSIS_DEFAULT) : PLAIN_MAX;
  const orig = c.render;
  return {
    ...c,
    ellipsis: false,
    render: (value: unknown, record: T, index: number) => {
      const node = orig ? orig(value, record, index) : (value as ReactNode);
      const text = textOf(node);
      if (text != null) return <Clip text={text} max={max} />;
      // A rendered element of a column marked ellipsis (a link, a tag): clip it, the tooltip
      // says the raw value when it is text.
      if (ellipsis && isValidElement(node))
        return (
          <Clip text={textOf(value)} max={max}>
            {node}
          </Clip>
        );
      return node as ReactNode;
    },
  } as ColumnType<T>;
}

function DataTable<T extends object>(props: TableProps<T>) {
  const { columns, scroll, className, ...rest } = props;
  const fitted = useMemo(() => columns?.map((c) => fit(c as Col<T>)), [columns]);
  return (
    <AntTable<T>
      tableLayout="auto"
      {...rest}
      className={className ? `yl-table ${className}` : 'yl-table'}
      columns={fitted}
      scroll={{ ...scroll, x: 'max-content' }}
    />
  );
}

export const Table = Object.assign(DataTable, {
  Summary: AntTable.Summary,
  Column: AntTable.Column,
  ColumnGroup: AntTable.ColumnGroup,
  SELECTION_COLUMN: AntTable.SELECTION_COLUMN,
  EXPAND_COLUMN: AntTable.EXPAND_COLUMN,
  SELECTION_ALL: AntTable.SELECTION_ALL,
  SELECTION_INVERT: AntTable.SELECTION_INVERT,
  SELECTION_NONE: AntTable.SELECTION_NONE,
});
