// Files the API serves to a signed-in operator (a parking code's QR as SVG, the printable PDF sheet) need the bearer
// token, which an <img> or a link cannot send: they are fetched as blobs and shown or saved from an object URL.
import { auth } from '../stores/auth'
import { watchResponse } from '../stores/session'

export const codeSvgUrl = (id: string) => `/api/codes/${encodeURIComponent(id)}.svg`

/** The sheet of these codes, in the order given. */
export const codeSheetUrl = (ids: readonly string[]) => `/api/codes/sheet.pdf?ids=${ids.map(encodeURIComponent).join(',')}`

export async function fetchBlob(url: string): Promise<Blob> {
  const headers: Record<string, string> = auth.token ? { Authorization: `Bearer ${auth.token}` } : {}
  const response = await fetch(url, { headers })
  watchResponse(response)
  if (!response.ok) throw new Error(`${response.status} ${response.statusText}`)
  return response.blob()
}

/** Hands a blob to the browser as a download named `filename`. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
