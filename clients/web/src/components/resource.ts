// What a list page needs to know about one resource: its query, how to read the page out of the
// answer, its columns (also the CSV columns), its filters and optionally a create form.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import type { FormSpec } from './form'

export type Cell = string | number | boolean | null | undefined
export type Row = Record<string, unknown>

export interface Column {
  key: string
  label: string
  value?: (row: Row) => Cell
  /** Element Plus tag type for status-like cells. */
  tag?: (row: Row) => 'success' | 'warning' | 'danger' | 'info' | 'primary'
  width?: number
  /** Pictures shown in the cell (lazy thumbnails that enlarge on click); `value` is what the CSV says. */
  images?: (row: Row) => { ref: string; alt: string }[]
}

export interface FilterField {
  name: string
  label: string
  kind: 'text' | 'lot' | 'device' | 'merchant' | 'template' | 'select' | 'datetimerange' | 'bool'
  options?: readonly string[]
  /** Shown for an option instead of the value itself (e.g. translated enum names). */
  optionLabel?: (value: string) => string
  /** For a range: the filter keys receiving start and end. */
  range?: [string, string]
}

export interface Page {
  items: Row[]
  pageInfo: { hasNextPage: boolean; endCursor?: string | null }
}

export interface Resource {
  title: string
  document: TypedDocumentNode<any, any>
  page: (data: Record<string, unknown>) => Page
  columns: Column[]
  filters?: FilterField[]
  /** False for queries without a `filter` argument. */
  hasFilter?: boolean
  /** True for queries whose filters are top-level arguments (e.g. `deviceRefusals(serial:, atFrom:)`). */
  flatFilter?: boolean
  /** The create dialog (ResourceForm.vue), shown to operators holding its permission. */
  create?: FormSpec
}

/** The variables of a list query: only filled-in filters are sent (an empty filter means "all"). */
export function listVariables(
  values: Record<string, unknown>,
  filters: readonly FilterField[],
  after: string | null,
  first = 50,
  hasFilter = true,
  flat = false,
): Record<string, unknown> {
  const filter: Record<string, unknown> = {}
  for (const f of filters) {
    const v = values[f.name]
    if (v === '' || v === null || v === undefined) continue
    if (f.kind === 'datetimerange' && f.range) {
      const [from, to] = v as [Date | string, Date | string]
      if (from) filter[f.range[0]] = new Date(from).toISOString()
      if (to) filter[f.range[1]] = new Date(to).toISOString()
    } else filter[f.name] = v
  }
  const vars: Record<string, unknown> = { first, after }
  if (flat) Object.assign(vars, filter)
  else if (hasFilter) vars.filter = Object.keys(filter).length ? filter : null
  return vars
}

/** A cell's display text: the column's own formatter, else the field as is. */
export function cellText(column: Column, row: Row): Cell {
  if (column.value) return column.value(row)
  const v = row[column.key]
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : (v as Cell)
}
