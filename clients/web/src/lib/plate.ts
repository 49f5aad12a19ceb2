// Plate input checks, the same rules as parking/plates.py (GA 36) so the operator learns of a typo before the
// API refuses it; the API stays the judge and its INVALID answer is shown as well.

const PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼'
// I and O are never issued: they read as 1 and 0.
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ'
const DIGITS = '0123456789'
const NEW_ENERGY = 'ABCDEFGHJK'

export const NO_PLATE = '无牌车'
// What cameras and people write for a vehicle without a plate, after folding.
const NO_PLATE_SENTINELS = new Set(['无', '无牌', '无牌车', '无车牌', '未识别', '车牌', 'NOPLATE', 'NONE', 'UNKNOWN', 'NULL'])

const P = `[${PROVINCES}]`
const L = `[${LETTERS}]`
const S = `[${LETTERS}${DIGITS}]`
const E = `[${NEW_ENERGY}]`
const GRAMMAR = new RegExp(
  '^(?:' +
    [
      `${P}${L}${S}{5}`, // 京A12345
      `${P}${L}${E}${S}[${DIGITS}]{4}`, // 粤BD12345
      `${P}${L}[${DIGITS}]{5}${E}`, // 粤B12345D
      `${P}${L}${S}{4}[警学挂领]`, // 京A1234警
      `粤Z${S}{4}[港澳]`, // 粤Z1234港
      `使[${DIGITS}]{6}`, // 使014578
    ].join('|') +
    ')$',
)
const SEPARATORS = /[\s·•・\-_.]/g

export type PlateProblem = 'required' | 'too_short' | 'too_long' | 'not_a_plate'
export type PlateCheck = { ok: true; plate: string } | { ok: false; problem: PlateProblem }

/** Full-width folded, separators removed, upper-cased; not validated. */
export function foldPlate(raw: string): string {
  return raw.normalize('NFKC').replace(SEPARATORS, '').toUpperCase()
}

/** The canonical plate for what a person typed, or why it is not one. Unlike a camera's empty field, an empty
 * input is a slip, not "no plate" (the API refuses it too). */
export function checkPlate(raw: string): PlateCheck {
  if (!raw.trim()) return { ok: false, problem: 'required' }
  let text = foldPlate(raw)
  if (NO_PLATE_SENTINELS.has(text)) return { ok: true, plate: NO_PLATE }
  const length = [...text].length
  if (length > 8) return { ok: false, problem: 'too_long' }
  if (length < 7) return { ok: false, problem: 'too_short' }
  const chars = [...text]
  // I and O in the serial are the digits misread as letters.
  text = chars.slice(0, 2).join('') + chars.slice(2).join('').replace(/I/g, '1').replace(/O/g, '0')
  return GRAMMAR.test(text) ? { ok: true, plate: text } : { ok: false, problem: 'not_a_plate' }
}
