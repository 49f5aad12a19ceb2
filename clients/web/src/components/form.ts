// A create or edit dialog described as data (ResourceForm.vue draws it), row actions of a list page, and the
// small conversions between form values and mutation inputs (yuan to fen, dates to ISO, blanks to null).
import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import type { Row } from './resource'
import type { EnumName } from '../lib/enums'

export type Values = Record<string, unknown>

export interface FormField {
  name: string
  label: string
  kind:
    | 'text'
    | 'textarea'
    | 'number'
    | 'money'
    | 'select'
    | 'datetime'
    | 'switch'
    | 'lot'
    | 'agent'
    | 'customer'
    | 'device'
    | 'permissions'
    | 'lots'
    | 'merchant'
    | 'template'
    | 'lane'
    | 'time'
    | 'owner'
    | 'vehicle'
    | 'product'
    | 'role'
    | 'password'
    | 'permissionTree'
    | 'coordinate'
    | 'deviceConfig' // a device configuration, as a form drawn from deviceConfigSchema or as JSON
  options?: readonly string[]
  /** Shown for an option instead of the value itself (e.g. a translated enum name). */
  optionLabel?: (value: string) => string
  /** The GraphQL enum of a select (lib/enums.ts): its values and labels unless options/optionLabel say otherwise. */
  enum?: EnumName
  required?: boolean
  min?: number
  max?: number
  /** Shown (and required) only while this holds for the form's values, e.g. a field of one coupon kind. */
  visible?: (values: Values) => boolean
}

export interface FormSpec {
  title: string
  perm: string
  fields: FormField[]
  document: TypedDocumentNode<any, any>
  /** The mutation's variables from the form's values (and the row being edited). */
  variables: (values: Values, row?: Row) => Record<string, unknown>
  /** The values the dialog opens with; an edit form takes them from its row. */
  initial?: (row?: Row) => Values
  /** A live sentence under the fields saying what the values mean (a coupon template in words). */
  preview?: (values: Values) => string
  /** An i18n key saying why the values cannot be sent (checked before the mutation), or null. */
  check?: (values: Values) => string | null
  /** A secret in the success payload to show once (a new API key); null when there is none. */
  reveal?: (payload: Record<string, unknown>) => string | null
}

export interface RowAction {
  name: string
  label: string
  perm: string
  document: TypedDocumentNode<any, any>
  /** `answer` is the prompt's text, `values` the action's own form's values (see `form`). */
  variables: (row: Row, answer?: string, values?: Values) => Record<string, unknown>
  /** Fields asked in a dialog before the action runs (a renewal's periods and method). */
  form?: FormField[]
  formInitial?: (row: Row) => Values
  /** A second mutation sent once the first succeeded (a transfer cancels the old pass after the new one exists). */
  then?: (row: Row) => { document: TypedDocumentNode<any, any>; variables: Record<string, unknown> }
  /** i18n key of a text asked before the action runs (a void's reason), passed to variables as `answer`. */
  prompt?: string
  /** i18n key of the question asked before the action runs. */
  confirm?: string
  /** Fetches what the action needs to know first (what a stay owes now); the row it answers goes to the rest. */
  load?: (row: Row) => Promise<Row>
  /** Said after the question for this row (the amount the booth takes). */
  confirmDetail?: (row: Row) => string
  danger?: boolean
  /** Lines of a printable receipt for the success payload (the booth's cash or wallet payment). */
  receipt?: (payload: Record<string, unknown>, row: Row) => [string, string][]
  /** Rows the action does not apply to (e.g. a key already revoked). */
  hidden?: (row: Row) => boolean
}

/** What a list page can do beyond listing: a create form, an edit form per row, other row actions. */
export interface Catalogue {
  create?: FormSpec
  edit?: FormSpec
  actions?: RowAction[]
}

const BLANK: Record<FormField['kind'], unknown> = {
  text: '',
  textarea: '',
  number: 0,
  money: 0,
  select: '',
  datetime: null,
  switch: false,
  lot: null,
  agent: null,
  customer: null,
  device: null,
  permissions: [],
  lots: [],
  merchant: null,
  template: null,
  lane: null,
  time: '',
  owner: null,
  vehicle: null,
  product: null,
  role: null,
  password: '',
  permissionTree: [],
  coordinate: null,
  deviceConfig: {},
}

/** Every field's blank value, overridden by the initial values given. */
export function formValues(fields: readonly FormField[], initial: Values = {}): Values {
  const values: Values = {}
  for (const f of fields) {
    const blank = BLANK[f.kind]
    values[f.name] = f.name in initial ? initial[f.name] : Array.isArray(blank) ? [] : blank
  }
  return values
}

/** Whether a field is shown for these values (fields without a condition always are). */
export function shown(field: FormField, values: Values): boolean {
  return field.visible ? field.visible(values) : true
}

/** The required fields shown and left empty, in form order. */
export function missingFields(fields: readonly FormField[], values: Values): FormField[] {
  return fields.filter((f) => {
    if (!f.required || !shown(f, values)) return false
    const v = values[f.name]
    return v === null || v === undefined || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && !v.length)
  })
}

/** Yuan typed in a form to whole fen (0.1 + 0.2 yuan is 30 fen, not 30.000000000000004). */
export function fen(yuan: unknown): number {
  return Math.round(Number(yuan ?? 0) * 100)
}

/** A trimmed string, or null when blank (an optional input left out). */
export function textOrNull(value: unknown): string | null {
  if (value === null || value === undefined) return null
  const s = String(value).trim()
  return s ? s : null
}

/** A picked date as an ISO instant, or null when none was picked. */
export function isoOrNull(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null
  const d = value instanceof Date ? value : new Date(String(value))
  return Number.isNaN(d.getTime()) ? null : d.toISOString()
}
