import { describe, expect, it } from 'vitest'
import { checkPlate, foldPlate, NO_PLATE } from '../src/lib/plate'

// The same cases as parking/plates.py's rules: what the API accepts here is accepted there, and the canonical
// form is the one the API stores.
describe('plate input', () => {
  it('accepts every kind of issued plate in its canonical form', () => {
    const plates = ['京A12345', '粤BD12345', '粤B12345D', '京A1234警', '川A1234学', '鲁B1234挂', '沪A1234领', '粤Z1234港', '粤Z1234澳', '使014578']
    for (const plate of plates) expect(checkPlate(plate)).toEqual({ ok: true, plate })
  })

  it('folds what people type: lower case, separators, full width, I and O in the serial', () => {
    expect(checkPlate('京a·12345')).toEqual({ ok: true, plate: '京A12345' })
    expect(checkPlate(' 京 A-1234５ ')).toEqual({ ok: true, plate: '京A12345' })
    expect(checkPlate('京AI23O5')).toEqual({ ok: true, plate: '京A12305' })
    expect(foldPlate('ｊｉｎ a.1')).toBe('JINA1')
  })

  it('reads the no-plate words as the no-plate marker', () => {
    expect(checkPlate('无牌')).toEqual({ ok: true, plate: NO_PLATE })
    expect(checkPlate('none')).toEqual({ ok: true, plate: NO_PLATE })
  })

  it('says what is wrong with what is not a plate', () => {
    expect(checkPlate('')).toEqual({ ok: false, problem: 'required' })
    expect(checkPlate('   ')).toEqual({ ok: false, problem: 'required' })
    expect(checkPlate('京A1234')).toEqual({ ok: false, problem: 'too_short' })
    expect(checkPlate('京A12345X9')).toEqual({ ok: false, problem: 'too_long' })
    expect(checkPlate('not a plate')).toEqual({ ok: false, problem: 'too_long' })
    // The authority letter is never I or O, and X is no province.
    expect(checkPlate('京I12345')).toEqual({ ok: false, problem: 'not_a_plate' })
    expect(checkPlate('XA12345')).toEqual({ ok: false, problem: 'not_a_plate' })
    expect(checkPlate('京AD1234X')).toEqual({ ok: false, problem: 'not_a_plate' })
  })
})
