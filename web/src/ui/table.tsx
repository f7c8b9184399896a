import type { ReactNode } from 'react';
import { Cell, Column, Row, Table, TableBody, TableHeader } from 'react-aria-components';
import { Empty } from './feedback.tsx';

export interface ColumnDef<T> {
  id: string;
  title: string;
  render: (row: T) => ReactNode;
  isRowHeader?: boolean;
}

/**
 * An accessible data grid (React Aria Table: arrow keys move between cells, Enter opens a row
 * when `onOpen` is given).
 */
export function DataTable<T>(props: {
  label: string;
  columns: readonly ColumnDef<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  onOpen?: (row: T) => void;
  empty?: ReactNode;
}) {
  if (props.rows.length === 0) return <Empty>{props.empty ?? 'Nothing to show.'}</Empty>;
  const byKey = new Map(props.rows.map((row) => [props.rowKey(row), row]));
  const first = props.columns.find((c) => c.isRowHeader) ?? props.columns[0];
  return (
    <div className="table-wrap">
      <Table
        aria-label={props.label}
        onRowAction={
          props.onOpen
            ? (key) => {
                const row = byKey.get(String(key));
                if (row !== undefined) props.onOpen?.(row);
              }
            : undefined
        }
      >
        <TableHeader columns={props.columns}>
          {(column) => (
            <Column id={column.id} isRowHeader={column === first}>
              {column.title}
            </Column>
          )}
        </TableHeader>
        <TableBody items={props.rows.map((row) => ({ key: props.rowKey(row), row }))}>
          {(item) => (
            <Row id={item.key} columns={props.columns}>
              {(column) => <Cell>{column.render(item.row)}</Cell>}
            </Row>
          )}
        </TableBody>
      </Table>
    </div>
  );
}
