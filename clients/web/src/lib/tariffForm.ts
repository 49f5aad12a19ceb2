// The tariff editor's form and the tariff JSON document (parking/tariffs/document.py), both ways.
// The form edits the small class's rule (every lot's base), the other classes as "like small × n%" or a label,
// free time, first period, periods and holiday periods, caps, the holiday calendar, the new-energy overlay and
// exemptions; whatever it does not show (rounding, second caps, another class's own rule) is carried over from
// the document untouched.
// Money is yuan in the form and integer fen in the document. The server validates; nothing is checked here.

export type Json = Record<string, unknown>

export interface PeriodForm {
  name: string
  start: string // "HH:MM"
  end: string
  flat: boolean // priced per occurrence (夜间按次) rather than per unit
  unitMinutes: number
  unitYuan: number
  flatYuan: number
}

export interface ClassForm {
  key: string
  label: string
  sameAs: string // '' when the class has its own rule (kept from the document, edited as JSON)
  multiplierPercent: number
}

export interface TariffForm {
  name: string
  timezone: string
  kind: 'timed' | 'per_entry'
  freeMinutes: number
  freeMode: 'charge_from_start' | 'free_part_free'
  freeFirst24hOnly: boolean
  firstPeriod: boolean
  firstMinutes: number
  firstYuan: number
  firstFirst24hOnly: boolean
  periods: PeriodForm[]
  partialUnit: 'whole' | 'drop'
  caps: boolean
  capBasis: 'rolling_24h' | 'calendar_day'
  capYuan: number[] // one per successive day; the last repeats
  perEntryYuan: number
  chargeEach24h: boolean
  classes: ClassForm[]
  exemptDefault: boolean // no exemptions in the document: the server's default list applies
  exempt: { kind: string; reason: string }[]
  // 节假日时段: other periods on holidays (weekend days and the calendar's holidays, make-up workdays excepted).
  holidayPeriods: boolean
  holidays: PeriodForm[]
  calendarHolidays: string[] // "YYYY-MM-DD"
  calendarWorkdays: string[]
  weekendDays: number[] // 0 = Monday
  // 新能源: extra free minutes once per stay and a discount for the listed plate colours.
  newEnergy: boolean
  neExtraFreeMinutes: number
  neDiscountPercent: number
  nePlateColors: string[]
}

/** The plate colours of new-energy vehicles in the document (parking.tenancy.enums.PlateColor values). */
export const NEW_ENERGY_COLORS_DEFAULT = ['green', 'yellow_green']
const WEEKEND_DEFAULT = [5, 6]

const BASE_CLASS = 'small'

const fen = (yuan: number): number => Math.round(Number(yuan) * 100)
const yuanOf = (value: unknown): number => (typeof value === 'number' ? value / 100 : 0)
const hhmm = (value: unknown): string => String(value ?? '00:00').slice(0, 5)
const obj = (value: unknown): Json => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {})

/** A new lot's starting point: 15 free minutes, 2 yuan an hour all day, 20 yuan a day at most. */
export function defaultDocument(effectiveFrom: string): Json {
  return {
    name: '临时车收费',
    effective_from: effectiveFrom,
    timezone: 'Asia/Shanghai',
    classes: {
      small: {
        rule: {
          kind: 'timed',
          free: { minutes: 15 },
          periods: [{ name: '全天', start: '00:00', end: '00:00', unit_minutes: 60, unit_price_fen: 200 }],
          caps: { basis: 'rolling_24h', daily_fen: [2000] },
        },
      },
    },
  }
}

function periodForm(p: Json): PeriodForm {
  const flat = typeof p.flat_fen === 'number'
  return {
    name: String(p.name ?? ''),
    start: hhmm(p.start),
    end: hhmm(p.end),
    flat,
    unitMinutes: typeof p.unit_minutes === 'number' ? p.unit_minutes : 60,
    unitYuan: yuanOf(p.unit_price_fen),
    flatYuan: yuanOf(p.flat_fen),
  }
}

function periodDoc(p: PeriodForm): Json {
  const base = { name: p.name, start: p.start, end: p.end }
  return p.flat
    ? { ...base, flat_fen: fen(p.flatYuan) }
    : { ...base, unit_minutes: Number(p.unitMinutes), unit_price_fen: fen(p.unitYuan) }
}

const sameList = (a: unknown[], b: unknown[]): boolean => a.length === b.length && a.every((x, i) => x === b[i])
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : [])

export function formFromDocument(doc: Json): TariffForm {
  const classes = obj(doc.classes)
  const rule = obj(obj(classes[BASE_CLASS]).rule)
  const perEntry = rule.kind === 'per_entry' || (rule.kind === undefined && 'price_fen' in rule)
  const free = obj(rule.free)
  const first = rule.first_period ? obj(rule.first_period) : null
  const caps = rule.caps ? obj(rule.caps) : null
  const exempt = doc.exempt
  const calendar = obj(doc.calendar)
  const ne = doc.new_energy ? obj(doc.new_energy) : null
  return {
    name: String(doc.name ?? ''),
    timezone: String(doc.timezone ?? 'Asia/Shanghai'),
    kind: perEntry ? 'per_entry' : 'timed',
    freeMinutes: Number(free.minutes ?? 0),
    freeMode: free.mode === 'free_part_free' ? 'free_part_free' : 'charge_from_start',
    freeFirst24hOnly: free.first_24h_only !== false,
    firstPeriod: first !== null,
    firstMinutes: Number(first?.minutes ?? 60),
    firstYuan: yuanOf(first?.price_fen),
    firstFirst24hOnly: first?.first_24h_only !== false,
    periods: Array.isArray(rule.periods) ? rule.periods.map((p) => periodForm(obj(p))) : [],
    partialUnit: rule.partial_unit === 'drop' ? 'drop' : 'whole',
    caps: caps !== null,
    capBasis: caps?.basis === 'calendar_day' ? 'calendar_day' : 'rolling_24h',
    capYuan: Array.isArray(caps?.daily_fen) ? caps.daily_fen.map(yuanOf) : [],
    perEntryYuan: yuanOf(rule.price_fen),
    chargeEach24h: rule.charge_each_24h === true,
    classes: Object.entries(classes)
      .filter(([key]) => key !== BASE_CLASS)
      .map(([key, value]) => {
        const c = obj(value)
        return {
          key,
          label: String(c.label ?? ''),
          sameAs: c.rule ? '' : String(c.same_as ?? BASE_CLASS),
          multiplierPercent: Number(c.multiplier_percent ?? 100),
        }
      }),
    // Left out of the document: the server's default list of exemptions (its own wording), shown as such.
    exemptDefault: exempt === undefined,
    exempt:
      exempt === undefined
        ? []
        : Array.isArray(exempt)
          ? exempt.map((kind) => ({ kind: String(kind), reason: '' }))
          : Object.entries(obj(exempt)).map(([kind, reason]) => ({ kind, reason: String(reason) })),
    holidayPeriods: Array.isArray(rule.holiday_periods),
    holidays: Array.isArray(rule.holiday_periods) ? rule.holiday_periods.map((p) => periodForm(obj(p))) : [],
    calendarHolidays: strings(calendar.holidays),
    calendarWorkdays: strings(calendar.workdays),
    weekendDays: Array.isArray(calendar.weekend_days) ? calendar.weekend_days.map(Number) : [...WEEKEND_DEFAULT],
    newEnergy: ne !== null,
    neExtraFreeMinutes: Number(ne?.extra_free_minutes ?? 0),
    neDiscountPercent: Number(ne?.discount_percent ?? 0),
    nePlateColors: Array.isArray(ne?.plate_colors) ? ne.plate_colors.map(String) : [...NEW_ENERGY_COLORS_DEFAULT],
  }
}

function ruleDoc(form: TariffForm, previous: Json): Json {
  const free = { minutes: Number(form.freeMinutes), mode: form.freeMode, first_24h_only: form.freeFirst24hOnly }
  if (form.kind === 'per_entry') {
    const keep = previous.kind === 'per_entry' || 'price_fen' in previous ? previous : {}
    return { ...keep, kind: 'per_entry', free, price_fen: fen(form.perEntryYuan), charge_each_24h: form.chargeEach24h }
  }
  const keep = previous.kind === 'per_entry' || 'price_fen' in previous ? {} : { ...previous }
  delete keep.first_period
  delete keep.caps
  delete keep.holiday_periods
  const rule: Json = {
    ...keep,
    kind: 'timed',
    free,
    periods: form.periods.map(periodDoc),
    partial_unit: form.partialUnit,
  }
  if (form.firstPeriod) {
    rule.first_period = {
      minutes: Number(form.firstMinutes),
      price_fen: fen(form.firstYuan),
      first_24h_only: form.firstFirst24hOnly,
    }
  }
  if (form.holidayPeriods) rule.holiday_periods = form.holidays.map(periodDoc)
  if (form.caps) rule.caps = { ...obj(previous.caps), basis: form.capBasis, daily_fen: form.capYuan.map(fen) }
  return rule
}

/** The document the form describes, on top of ``base`` (the document it was loaded from) for what it hides. */
export function documentFromForm(form: TariffForm, base: Json): Json {
  const before = obj(base.classes)
  const classes: Json = { [BASE_CLASS]: { ...obj(before[BASE_CLASS]), rule: ruleDoc(form, obj(obj(before[BASE_CLASS]).rule)) } }
  for (const c of form.classes) {
    if (!c.key) continue
    const previous = obj(before[c.key])
    const entry: Json = c.sameAs
      ? { same_as: c.sameAs, multiplier_percent: Number(c.multiplierPercent) }
      : { rule: previous.rule ?? null, multiplier_percent: Number(c.multiplierPercent) }
    if (c.label) entry.label = c.label
    classes[c.key] = entry
  }
  const doc: Json = { ...base, name: form.name, timezone: form.timezone, classes }
  if (form.exemptDefault) delete doc.exempt
  else doc.exempt = Object.fromEntries(form.exempt.map((e) => [e.kind, e.reason]))
  // The calendar is written when the document had one or the form sets anything but the defaults.
  const calendar: Json = { ...obj(base.calendar) }
  const set = (key: string, value: unknown[], empty: unknown[]) => {
    if (key in calendar || !sameList(value, empty)) calendar[key] = value
  }
  set('holidays', [...form.calendarHolidays].sort(), [])
  set('workdays', [...form.calendarWorkdays].sort(), [])
  set('weekend_days', [...form.weekendDays].sort((a, b) => a - b), WEEKEND_DEFAULT)
  if ('calendar' in base || Object.keys(calendar).length) doc.calendar = calendar
  if (form.newEnergy) {
    // Like the calendar: a key the document left out stays out while the form holds its default.
    const ne: Json = { ...obj(base.new_energy) }
    const put = (key: string, value: unknown, fallback: unknown) => {
      if (key in ne || JSON.stringify(value) !== JSON.stringify(fallback)) ne[key] = value
    }
    put('extra_free_minutes', Number(form.neExtraFreeMinutes), 0)
    put('discount_percent', Number(form.neDiscountPercent), 0)
    put('plate_colors', [...form.nePlateColors], NEW_ENERGY_COLORS_DEFAULT)
    doc.new_energy = ne
  } else delete doc.new_energy
  return doc
}

/** Stay lengths the fee curve is drawn at: every half hour up to ``hours`` (at most 100 points). */
export function curveMinutes(hours: number): number[] {
  const step = Math.max(30, Math.ceil((hours * 60) / 100 / 30) * 30)
  const out: number[] = []
  for (let m = step; m <= hours * 60; m += step) out.push(m)
  return out
}
