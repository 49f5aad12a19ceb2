import { describe, expect, it } from 'vitest'
import { createCorrectionQueue, queueCommandFor, type CorrectionTask } from '../src/stores/corrections'

function task(id: string, cameraPlate: string, candidates: string[]): CorrectionTask {
  return {
    id,
    lotId: '1',
    laneEventId: `e${id}`,
    sessionId: `s${id}`,
    status: 'OPEN',
    imageRef: '',
    cropRef: '',
    cameraPlate,
    plate: '',
    reason: 'disagreement',
    detail: '',
    createdAt: '2026-11-21T10:00:00Z',
    candidates: candidates.map((plate, i) => ({ plate, sources: ['rapidocr'], confidence: 0.9 - i / 10 })),
    readings: [],
  }
}

describe('correction queue keys', () => {
  it('maps digits to candidates, J/K to tasks, Enter to resolve and P to the plate field', () => {
    expect(queueCommandFor({ key: '1' })).toEqual({ kind: 'pick', index: 0 })
    expect(queueCommandFor({ key: '9' })).toEqual({ kind: 'pick', index: 8 })
    expect(queueCommandFor({ key: 'J' })).toEqual({ kind: 'next' })
    expect(queueCommandFor({ key: 'ArrowUp' })).toEqual({ kind: 'prev' })
    expect(queueCommandFor({ key: 'Enter' })).toEqual({ kind: 'resolve' })
    expect(queueCommandFor({ key: 'p' })).toEqual({ kind: 'type' })
  })

  it('leaves digits typed into the plate field, modified keys and Enter on a button alone', () => {
    const input = document.createElement('input')
    expect(queueCommandFor({ key: '3', target: input })).toBeNull()
    expect(queueCommandFor({ key: 'Enter', target: input })).toBeNull()
    expect(queueCommandFor({ key: 'Enter', target: document.createElement('button') })).toBeNull()
    expect(queueCommandFor({ key: '3', ctrlKey: true })).toBeNull()
    expect(queueCommandFor({ key: '0' })).toBeNull()
  })
})

describe('correction queue', () => {
  it('starts on the oldest task with the camera plate to edit, and picks candidates into the plate field', () => {
    const q = createCorrectionQueue()
    q.setTasks([task('1', '京A12345', ['京A12345', '京A12845']), task('2', '沪B1', [])])
    expect(q.selected.value?.id).toBe('1')
    expect(q.state.draft).toBe('京A12345')
    expect(q.pick(1)).toBe(true)
    expect(q.state.draft).toBe('京A12845')
    expect(q.check.value).toEqual({ ok: true, plate: '京A12845' })
    // No fourth candidate: nothing changes.
    expect(q.pick(3)).toBe(false)
    expect(q.state.draft).toBe('京A12845')
  })

  it('moves round the queue and starts each task from its camera plate', () => {
    const q = createCorrectionQueue()
    q.setTasks([task('1', '京A12345', []), task('2', '沪B12345', []), task('3', '粤C12345', [])])
    q.move(1)
    expect([q.selected.value?.id, q.state.draft]).toEqual(['2', '沪B12345'])
    q.move(-1)
    q.move(-1)
    expect(q.selected.value?.id).toBe('3')
  })

  it('drops a resolved task and goes on with the next one, and keeps its place when the list is refreshed', () => {
    const q = createCorrectionQueue()
    q.setTasks([task('1', '京A12345', []), task('2', '沪B12345', []), task('3', '粤C12345', [])])
    q.select('2')
    q.state.draft = '沪B12346'
    q.setTasks([task('2', '沪B12345', []), task('3', '粤C12345', []), task('4', '苏D12345', [])])
    // Refreshed while typing: same task, the typed plate stays.
    expect([q.selected.value?.id, q.state.draft]).toEqual(['2', '沪B12346'])
    q.remove('2')
    expect([q.selected.value?.id, q.state.draft]).toEqual(['3', '粤C12345'])
    q.remove('4')
    expect(q.selected.value?.id).toBe('3')
    q.remove('3')
    expect(q.selected.value).toBeNull()
    expect(q.state.draft).toBe('')
  })

  it('flags a typed plate that is not one', () => {
    const q = createCorrectionQueue()
    q.setTasks([task('1', '京A12345', [])])
    q.state.draft = '京A1234'
    expect(q.check.value).toEqual({ ok: false, problem: 'too_short' })
  })
})
