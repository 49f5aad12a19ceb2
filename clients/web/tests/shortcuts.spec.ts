import { describe, expect, it } from 'vitest'
import { commandFor } from '../src/stores/shortcuts'

describe('console shortcuts', () => {
  it('maps keys to commands', () => {
    expect(commandFor({ key: 'j' })).toEqual({ kind: 'next' })
    expect(commandFor({ key: 'ArrowUp' })).toEqual({ kind: 'prev' })
    expect(commandFor({ key: 'A' })).toEqual({ kind: 'acknowledge' })
    expect(commandFor({ key: 'o' })).toEqual({ kind: 'open' })
    expect(commandFor({ key: 'w' })).toEqual({ kind: 'waive' })
    expect(commandFor({ key: '3' })).toEqual({ kind: 'pick', index: 2 })
    expect(commandFor({ key: '/' })).toEqual({ kind: 'filter' })
  })

  it('leaves typing, modified keys and other keys alone', () => {
    const input = document.createElement('input')
    expect(commandFor({ key: 'o', target: input })).toBeNull()
    expect(commandFor({ key: 'o', ctrlKey: true })).toBeNull()
    expect(commandFor({ key: '0' })).toBeNull()
    expect(commandFor({ key: 'x' })).toBeNull()
  })
})
