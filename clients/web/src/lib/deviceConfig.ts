// A device configuration form generated from the API's `deviceConfigSchema` (pydantic's JSON Schema of
// hardware/registry.py's DeviceConfig: a union discriminated by `type`). Each config type becomes a list of fields
// (text, number, switch, select for an enum, a nullable number that may be left blank) with its required marks and
// bounds; the values map to the config both ways. Only what differs from a field's default is written (the API
// fills in the rest), so the JSON view shows the short config an expert would write. A property the form cannot
// draw (an object such as SNMP's `oids`) is kept from the config as it was and edited in the JSON view.

export type Json = Record<string, unknown>

export interface ConfigField {
  name: string
  kind: 'text' | 'password' | 'integer' | 'number' | 'boolean' | 'enum' | 'json'
  required: boolean
  nullable: boolean // a number that may be left blank (null: not wired)
  options: string[]
  min?: number
  max?: number
  default?: unknown
}

export interface ConfigType {
  type: string
  fields: ConfigField[]
}

const obj = (value: unknown): Json => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {})

function resolve(schema: Json, node: Json): Json {
  const ref = typeof node.$ref === 'string' ? node.$ref : ''
  if (!ref.startsWith('#/$defs/')) return node
  return obj(obj(schema.$defs)[ref.slice('#/$defs/'.length)])
}

function fieldOf(schema: Json, name: string, raw: Json, required: boolean): ConfigField {
  let node = resolve(schema, raw)
  let nullable = false
  const anyOf = Array.isArray(raw.anyOf) ? raw.anyOf.map(obj) : []
  if (anyOf.length) {
    nullable = anyOf.some((a) => a.type === 'null')
    node = resolve(schema, anyOf.find((a) => a.type !== 'null') ?? {})
  }
  const base = { name, required, nullable, options: [] as string[], default: raw.default }
  const bounds = {
    min: typeof node.minimum === 'number' ? node.minimum : typeof node.exclusiveMinimum === 'number' ? node.exclusiveMinimum : undefined,
    max: typeof node.maximum === 'number' ? node.maximum : undefined,
  }
  if (Array.isArray(node.enum)) return { ...base, kind: 'enum', options: node.enum.map(String) }
  if (node.type === 'boolean') return { ...base, kind: 'boolean' }
  if (node.type === 'integer') return { ...base, kind: 'integer', ...bounds }
  if (node.type === 'number') return { ...base, kind: 'number', ...bounds }
  if (node.type === 'string') return { ...base, kind: node.format === 'password' ? 'password' : 'text' }
  return { ...base, kind: 'json' }
}

/** Every config type of the schema with its fields, in the schema's order (`type` itself left out). */
export function configTypes(schema: Json): ConfigType[] {
  const variants = Array.isArray(schema.oneOf) ? schema.oneOf.map((v) => resolve(schema, obj(v))) : []
  return variants.map((variant) => {
    const props = obj(variant.properties)
    const required = new Set(Array.isArray(variant.required) ? variant.required.map(String) : [])
    const type = String(obj(props.type).const ?? obj(props.type).default ?? '')
    const fields = Object.entries(props)
      .filter(([name]) => name !== 'type')
      .map(([name, raw]) => fieldOf(schema, name, obj(raw), required.has(name)))
    return { type, fields }
  })
}

/** The form's values for ``config``: its own values, else each field's default (blank for a required text). */
export function valuesOf(spec: ConfigType, config: Json): Json {
  const out: Json = {}
  for (const f of spec.fields) {
    if (f.name in config) out[f.name] = config[f.name]
    else if (f.default !== undefined) out[f.name] = f.default
    else out[f.name] = f.kind === 'boolean' ? false : f.kind === 'json' ? undefined : f.nullable || f.kind === 'integer' || f.kind === 'number' ? null : ''
  }
  return out
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)

/** The config the values describe: its type, the required fields and every value that is not the default. */
export function configOf(spec: ConfigType, values: Json): Json {
  const out: Json = { type: spec.type }
  for (const f of spec.fields) {
    let value = values[f.name]
    if (f.kind === 'json') {
      if (value !== undefined) out[f.name] = value
      continue
    }
    if (typeof value === 'string' && (f.kind === 'text' || f.kind === 'password')) value = value.trim()
    if (value === '' || value === undefined) value = null
    if (value === null && !f.nullable && !f.required) continue // left blank: the default applies
    if (f.required || !same(value, f.default)) out[f.name] = value
  }
  return out
}
