// The tariff validation's problems (parking/tariffs/validation.py and pydantic's messages: a field path and an
// English reason) in the dashboard's language: the path as the form's names (小型车 · 节假日时段 第2条 · 开始) and
// the reason from a table of the validator's sentences. A reason not in the table is shown as sent.
import { yuan } from './format'

type T = (key: string) => string

interface Pattern {
  re: RegExp
  key: string
  fen?: boolean // the numbers are fen: shown in yuan
}

// Order matters: the first match wins.
const REASONS: Pattern[] = [
  { re: /^at least one period is required$/, key: 'tariffProblem.noPeriods' },
  { re: /^duplicate period name '(.*)'$/, key: 'tariffProblem.duplicateName' },
  { re: /^period bounds must be whole minutes$/, key: 'tariffProblem.wholeMinutes' },
  { re: /^give either unit_minutes with unit_price_fen, or flat_fen$/, key: 'tariffProblem.unitOrFlat' },
  { re: /^unit_minutes and unit_price_fen go together$/, key: 'tariffProblem.unitOrFlat' },
  { re: /^periods overlap at (\d\d:\d\d)$/, key: 'tariffProblem.overlap' },
  { re: /^periods leave a gap at (\d\d:\d\d)$/, key: 'tariffProblem.gap' },
  { re: /^cap (\d+) is below a unit price (\d+)$/, key: 'tariffProblem.capBelowUnit', fen: true },
  { re: /^cap (\d+) is below the first period (\d+)$/, key: 'tariffProblem.capBelowFirst', fen: true },
  { re: /^escalating caps must not decrease$/, key: 'tariffProblem.capsDecrease' },
  { re: /^no unit-priced period '(.*)'$/, key: 'tariffProblem.noUnitPeriod' },
  { re: /^hourly rate is not a whole fen$/, key: 'tariffProblem.hourlyFen' },
  { re: /^more than 24 hours$/, key: 'tariffProblem.over24h' },
  { re: /^only meaningful with full_day_hours$/, key: 'tariffProblem.onlyWithFullDay' },
  { re: /^caps without daily_fen or full_day_hours$/, key: 'tariffProblem.capsEmpty' },
  { re: /^second_caps needs caps$/, key: 'tariffProblem.secondCaps' },
  { re: /^must differ from caps\.basis/, key: 'tariffProblem.secondBasis' },
  { re: /^give a rule or same_as, not both$/, key: 'tariffProblem.ruleAndSameAs' },
  { re: /^give a rule or same_as$/, key: 'tariffProblem.ruleOrSameAs' },
  { re: /^same_as forms a cycle$/, key: 'tariffProblem.cycle' },
  { re: /^class (\S+) has no rule$/, key: 'tariffProblem.classNoRule' },
  { re: /^free time must be under 24 hours$/, key: 'tariffProblem.freeUnder24h' },
  { re: /^first period must be under 24 hours$/, key: 'tariffProblem.firstUnder24h' },
  { re: /^unknown time zone '(.*)'$/, key: 'tariffProblem.timezone' },
  { re: /^at least one vehicle class is required$/, key: 'tariffProblem.noClasses' },
  { re: /^small is required/, key: 'tariffProblem.smallRequired' },
  { re: /^(\d{4}-\d\d-\d\d) is both a holiday and a make-up workday$/, key: 'tariffProblem.holidayAndWorkday' },
  { re: /^an exemption needs a reason$/, key: 'tariffProblem.exemptReason' },
  // pydantic
  { re: /^Field required$/, key: 'tariffProblem.required' },
  { re: /^Extra inputs are not permitted$/, key: 'tariffProblem.extra' },
  { re: /^Input should be greater than or equal to (-?[\d.]+)$/, key: 'tariffProblem.atLeast' },
  { re: /^Input should be greater than (-?[\d.]+)$/, key: 'tariffProblem.above' },
  { re: /^Input should be less than or equal to (-?[\d.]+)$/, key: 'tariffProblem.atMost' },
  { re: /^Input should be less than (-?[\d.]+)$/, key: 'tariffProblem.below' },
  { re: /^Input should be a valid integer/, key: 'tariffProblem.integer' },
  { re: /^Input should be a valid number/, key: 'tariffProblem.number' },
  { re: /^Input should be a valid boolean/, key: 'tariffProblem.boolean' },
  { re: /^Input should be a valid date/, key: 'tariffProblem.date' },
  { re: /^Input should be a valid time/, key: 'tariffProblem.time' },
  { re: /^Input should be a valid datetime|^Input should have timezone info/, key: 'tariffProblem.datetime' },
  { re: /^Input should be a valid (list|array)/, key: 'tariffProblem.list' },
  { re: /^Input should be a valid (dictionary|object)/, key: 'tariffProblem.object' },
  { re: /^Input should be a valid string/, key: 'tariffProblem.string' },
  { re: /^String should have at least (\d+) characters?$/, key: 'tariffProblem.minLength' },
  { re: /^String should have at most (\d+) characters?$/, key: 'tariffProblem.maxLength' },
  { re: /^Input should be (('[^']*'(, | or )?)+)$/, key: 'tariffProblem.oneOf' },
]

/** The reason in words of the locale, numbers and names filled in. */
export function problemReason(reason: string, t: T): string {
  for (const { re, key, fen } of REASONS) {
    const m = re.exec(reason)
    if (!m) continue
    let text = t(key)
    m.slice(1).forEach((value, i) => {
      const shown = fen && /^\d+$/.test(value) ? yuan(Number(value)) : value
      text = text.replace(`{${i + 1}}`, shown ?? '')
    })
    return text
  }
  return reason
}

const FIELDS = new Set([
  'periods', 'holiday_periods', 'name', 'start', 'end', 'unit_minutes', 'unit_price_fen', 'flat_fen', 'free',
  'minutes', 'mode', 'first_24h_only', 'first_period', 'price_fen', 'caps', 'second_caps', 'daily_fen', 'basis',
  'full_day_hours', 'full_day_rate_period', 'same_as', 'multiplier_percent', 'label', 'calendar', 'holidays',
  'workdays', 'weekend_days', 'new_energy', 'extra_free_minutes', 'discount_percent', 'plate_colors', 'exempt',
  'timezone', 'effective_from', 'classes', 'rounding', 'partial_unit', 'charge_each_24h', 'kind', 'version',
])

/** ``classes.small.rule.holiday_periods[1].start`` as 小型车 · 节假日时段 第2条 · 开始. */
export function problemPath(path: string, t: T): string {
  const parts: string[] = []
  const tokens = path.match(/[^.[\]]+|\[\d+\]/g) ?? []
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]
    const prev = tokens[i - 1]
    if (token.startsWith('[')) {
      // "第2条" belongs to the list before it: 节假日时段 第2条.
      const nth = t('tariffProblem.nth').replace('{n}', String(Number(token.slice(1, -1)) + 1))
      if (parts.length) parts[parts.length - 1] += ` ${nth}`
      else parts.push(nth)
    } else if (token === 'rule' || token === '(document)') {
      continue
    } else if (prev === 'classes') {
      const label = t(`tariffEd.class.${token}`)
      parts.push(label === `tariffEd.class.${token}` ? token : label)
    } else if (prev === 'exempt') {
      const label = t(`tariffEd.exempt.${token}`)
      parts.push(label === `tariffEd.exempt.${token}` ? token : label)
    } else if (token === 'classes' && tokens[i + 1] !== undefined) {
      continue
    } else if (FIELDS.has(token)) {
      parts.push(t(`tariffProblem.field.${token}`))
    } else {
      parts.push(token)
    }
  }
  return parts.join(' · ') || t('tariffProblem.document')
}
