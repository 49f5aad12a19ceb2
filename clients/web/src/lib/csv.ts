// CSV per RFC 4180, with a BOM so Excel opens Chinese text correctly, and a guard against formula injection.

export interface CsvColumn<T> {
  label: string
  value: (row: T) => string | number | boolean | null | undefined
}

function cell(raw: string | number | boolean | null | undefined): string {
  let text = raw === null || raw === undefined ? '' : String(raw)
  // A cell starting with = + - @ would run as a formula in a spreadsheet; prefix it with a quote.
  if (/^[=+\-@]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function toCsv<T>(rows: readonly T[], columns: readonly CsvColumn<T>[]): string {
  const lines = [columns.map((c) => cell(c.label)).join(',')]
  for (const row of rows) lines.push(columns.map((c) => cell(c.value(row))).join(','))
  return '\ufeff' + lines.join('\r\n') + '\r\n'
}

export function downloadCsv(filename: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: 'text/csv;charset=utf-8' }))
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  a.click()
  URL.revokeObjectURL(url)
}
