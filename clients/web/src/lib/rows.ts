// Live updates for list pages: a pushed object replaces the fields it carries on the row with its id.

/** Copy `patch`'s fields onto the row with the same id; false when no row shows it (another page, filtered out). */
export function patchRow(rows: Record<string, unknown>[], patch: { id: string } & Record<string, unknown>): boolean {
  const row = rows.find((r) => String(r.id) === String(patch.id))
  if (!row) return false
  for (const [key, value] of Object.entries(patch)) if (key !== '__typename' && value !== undefined) row[key] = value
  return true
}
