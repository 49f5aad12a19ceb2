// What a list page needs to know about one resource: its query, how to read the page out of the
// answer, its columns (also the CSV columns), its filters and optionally a create form.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import type { FormSpec } from './form'
import { ENUM_VALUES, enumLabel, type EnumName } from '../lib/enums'
import { t } from '../i18n'

export type Cell = string | number | boolean | null | undefined
export type Row = Record<string, unknown>

export interface Column {
  key: string
  label: string
  value?: (row: Row) => Cell
  /** The GraphQL enum the field holds: the cell shows its label (lib/enums.ts), in the table and the CSV. */
  enum?: EnumName
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
  /** The GraphQL enum of a select: its values are the options unless `options` says which, labelled by enumLabel. */
  enum?: EnumName
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
  if (column.enum) return enumLabel(column.enum, v)
  if (typeof v === 'boolean') return t(v ? 'common.yes' : 'common.no')
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : (v as Cell)
}

/** A select filter's options and how each one reads: its own list and labels first, else its enum's. */
export function selectOptions(f: {
  options?: readonly string[]
  optionLabel?: (value: string) => string
  enum?: EnumName
}): { value: string; label: string }[] {
  const values = f.options ?? (f.enum ? ENUM_VALUES[f.enum] : [])
  const label = f.optionLabel ?? (f.enum ? (v: string) => enumLabel(f.enum as EnumName, v) : (v: string) => v)
  return values.map((value) => ({ value, label: label(value) }))
}
