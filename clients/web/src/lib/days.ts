// Calendar days as the API's Date strings (YYYY-MM-DD), counted in the lot's calendar (lib/lotTime).

import { addDays, lotDay } from './lotTime'

/** The lot's day `offset` days from the instant `now` (negative: earlier). */
export function dayFrom(now: Date, offset: number): string {
  return addDays(lotDay(now), offset)
}
