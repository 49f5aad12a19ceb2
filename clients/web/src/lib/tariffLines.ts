// How a quote line reads in the dashboard: its units and rate, and its clock times in the lot's time zone.

interface RatedLine {
  units: number
  unitMinutes: number
  rateFen: number
  repeat: number
}

type Translate = (key: string) => string

/** The catalogue's text with its {name} parameters filled in. */
function fill(text: string, params: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole))
}

/** "3 × 30分钟 @ ¥2.00" for unit lines; "" for lines without units (free time, caps, flat charges). */
export function lineRate(line: RatedLine, t: Translate): string {
  if (line.units <= 0 || line.unitMinutes <= 0) return ''
  const rate = (line.rateFen / 100).toFixed(2)
  const text = fill(t('tariffEd.unitsRate'), { units: line.units, minutes: line.unitMinutes, rate })
  return line.repeat > 1 ? `${text} ${fill(t('tariffEd.repeat'), { n: line.repeat })}` : text
}

/** "03-10 09:00–11:30": the API sends times in the lot's own offset, so the text is read as sent, not converted
 * to the browser's zone. The end's date is left out when it is the start's. */
export function clockSpan(startAt: string, endAt: string): string {
  const part = (iso: string) => ({ day: iso.slice(5, 10), time: iso.slice(11, 16) })
  const a = part(startAt)
  const b = part(endAt)
  return `${a.day} ${a.time}–${b.day === a.day ? '' : `${b.day} `}${b.time}`
}
