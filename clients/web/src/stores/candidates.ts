// Fuzzy-match candidates for an exit without an entry: the open stays whose plates look most like the
// plate read at the exit (misreads are usually one or two characters), best first.

export interface OpenStay {
  id: string
  plate: string
  entryAt: string
}

/** Levenshtein distance between two plates (short strings; the plain dynamic programme is plenty). */
export function plateDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]
    prev[0] = i
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1))
      diag = up
    }
  }
  return prev[b.length]
}

/** Up to `limit` stays within `maxDistance` edits of `plate`, closest first, then the longest inside. */
export function rankCandidates(plate: string, stays: readonly OpenStay[], limit = 9, maxDistance = 3): OpenStay[] {
  return stays
    .map((s) => ({ s, d: plateDistance(plate.toUpperCase(), s.plate.toUpperCase()) }))
    .filter((x) => x.d <= maxDistance)
    .sort((x, y) => x.d - y.d || (x.s.entryAt < y.s.entryAt ? -1 : x.s.entryAt > y.s.entryAt ? 1 : 0))
    .slice(0, limit)
    .map((x) => x.s)
}
