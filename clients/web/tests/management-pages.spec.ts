import { describe, expect, it } from 'vitest'
import {
  coordinate,
  ipList,
  lotEdit,
  managementCatalogues,
  operatorScope,
  parseConfig,
  receiptLines,
  transferInput,
} from '../src/views/managementPages'
import { catalogues, productSale } from '../src/views/catalogue'
import { dictionaryKeys } from '../src/i18n'
import { configOf, configTypes, valuesOf } from '../src/lib/deviceConfig'

describe('management forms', () => {
  it('reads a device configuration as a JSON object only', () => {
    expect(parseConfig('{"type": "camera_io"}')).toEqual({ type: 'camera_io' })
    expect(parseConfig('')).toEqual({})
    expect(parseConfig('[1]')).toBeNull()
    expect(parseConfig('{oops')).toBeNull()
    expect(ipList(' 10.0.0.1, 10.0.0.2\n10.0.0.3 ')).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3'])
  })

  it('transfers a pass as the same product from now to its end', () => {
    const now = new Date('2026-12-06T02:00:00Z')
    const row = { id: '7', product: { id: '3' }, endsAt: '2027-02-06T16:00:00Z' }
    expect(transferInput(row, { vehicleId: '9' }, now)).toEqual({
      productId: '3',
      vehicleId: '9',
      startsAt: '2026-12-06T02:00:00.000Z',
      endsAt: '2027-02-06T16:00:00.000Z',
    })
    const transfer = managementCatalogues.passes.actions!.find((a) => a.name === 'transfer')!
    expect(transfer.then!(row)).toMatchObject({ variables: { id: '7', input: { status: 'CANCELLED' } } })
  })

  it('sends a quota only for a product sold online', () => {
    expect(productSale({ soldOnline: true, quota: 20 })).toEqual({ soldOnline: true, quota: 20 })
    expect(productSale({ soldOnline: true, quota: 0 })).toEqual({ soldOnline: true, quota: null })
    expect(productSale({ soldOnline: false, quota: 20 })).toEqual({ soldOnline: false, quota: null })
  })

  it('asks for both coordinates or neither', () => {
    expect(coordinate('')).toBeNull()
    expect(coordinate(31.23)).toBe(31.23)
    expect(lotEdit.check!({ latitude: 31.2, longitude: null })).toBe('manage.bothCoordinates')
    expect(lotEdit.check!({ latitude: 31.2, longitude: 121.4 })).toBeNull()
    expect(lotEdit.check!({ latitude: null, longitude: null })).toBeNull()
  })

  it('gives a new operator the scope chosen', () => {
    expect(operatorScope({ scopeLevel: 'LOT', agentId: '1', customerId: '2', lotIds: ['5'] })).toEqual({
      level: 'LOT',
      agentId: '1',
      customerId: '2',
      lotIds: ['5'],
    })
  })

  it('prints the booth receipt from the payment', () => {
    const lines = receiptLines(
      { order: { outTradeNo: 'P1', channel: 'CASH', amountFen: 600, paidAt: null }, gateOpened: true },
      { plate: '京A55555' },
    )
    expect(lines.map(([k]) => k)).toEqual([
      'field.plate',
      'booth.amount',
      'booth.channel',
      'booth.order',
      'booth.paidAt',
      'booth.gateOpened',
    ])
    expect(lines[1][1]).toBe('¥6.00')
  })

  it('has both languages for every key the management forms name', () => {
    const keys = new Set(dictionaryKeys.zh)
    const english = new Set(dictionaryKeys.en)
    for (const catalogue of Object.values(catalogues)) {
      for (const spec of [catalogue.create, catalogue.edit]) {
        for (const f of spec?.fields ?? []) expect(keys.has(f.label) && english.has(f.label), f.label).toBe(true)
      }
      for (const a of catalogue.actions ?? []) expect(keys.has(a.label) && english.has(a.label), a.label).toBe(true)
    }
  })
})

describe('device config form from the JSON schema', () => {
  // A cut of the API's deviceConfigSchema (pydantic's JSON Schema of the DeviceConfig union).
  const SCHEMA = {
    $defs: {
      HeartbeatMode: { enum: ['auto', 'comet', 'normal', 'off'], type: 'string' },
      VzenithCameraConfig: {
        properties: {
          heartbeat: { $ref: '#/$defs/HeartbeatMode', default: 'auto' },
          io_output: { anyOf: [{ maximum: 3, minimum: 0, type: 'integer' }, { type: 'null' }], default: 0 },
          speaker: { default: false, type: 'boolean' },
          serial: { maxLength: 64, minLength: 1, type: 'string' },
          offline_after_s: { default: 120.0, maximum: 86400, minimum: 20.0, type: 'number' },
          type: { const: 'vzenith', default: 'vzenith', type: 'string' },
        },
        required: ['serial'],
        type: 'object',
      },
      SnmpConfig: {
        properties: {
          type: { const: 'snmp', default: 'snmp', type: 'string' },
          host: { type: 'string' },
          password: { default: '', format: 'password', type: 'string' },
          oids: { type: 'object', patternProperties: {} },
        },
        required: ['host'],
        type: 'object',
      },
    },
    discriminator: { propertyName: 'type' },
    oneOf: [{ $ref: '#/$defs/VzenithCameraConfig' }, { $ref: '#/$defs/SnmpConfig' }],
  }

  it('reads each type with its fields: enums, nullable numbers with bounds, booleans, required marks', () => {
    const [vz, snmp] = configTypes(SCHEMA)
    expect(vz.type).toBe('vzenith')
    expect(vz.fields.map((f) => [f.name, f.kind, f.required])).toEqual([
      ['heartbeat', 'enum', false],
      ['io_output', 'integer', false],
      ['speaker', 'boolean', false],
      ['serial', 'text', true],
      ['offline_after_s', 'number', false],
    ])
    expect(vz.fields[0].options).toEqual(['auto', 'comet', 'normal', 'off'])
    expect(vz.fields[1]).toMatchObject({ nullable: true, min: 0, max: 3, default: 0 })
    expect(snmp.fields.map((f) => f.kind)).toEqual(['text', 'password', 'json'])
  })

  it('maps a config to values and back, writing only what differs from the defaults', () => {
    const [vz, snmp] = configTypes(SCHEMA)
    const config = { type: 'vzenith', serial: 'VZ-1', heartbeat: 'comet', io_output: null }
    const values = valuesOf(vz, config)
    expect(values).toEqual({ heartbeat: 'comet', io_output: null, speaker: false, serial: 'VZ-1', offline_after_s: 120 })
    expect(configOf(vz, values)).toEqual(config)
    expect(configOf(vz, { ...values, serial: ' VZ-2 ', heartbeat: 'auto', io_output: 0 })).toEqual({ type: 'vzenith', serial: 'VZ-2' })
    expect(valuesOf(vz, {}).serial).toBe('')
    const withOids = { type: 'snmp', host: '10.0.0.9', oids: { temp: '1.3.6.1.4.1' } }
    expect(configOf(snmp, valuesOf(snmp, withOids))).toEqual(withOids)
  })

  it('takes the config form\'s object as it is', () => {
    expect(parseConfig({ type: 'vzenith', serial: 'A' })).toEqual({ type: 'vzenith', serial: 'A' })
  })
})
