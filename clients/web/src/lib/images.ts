// Lane pictures come from GET /api/images/{ref} with the operator's token; an <img> cannot send the header, so
// the bytes are fetched and shown from a blob URL. Refs are content hashes (their bytes never change), so a
// few recent ones are kept to make stepping back and forth through a queue instant.
import { auth } from '../stores/auth'

const KEEP = 40
const cache = new Map<string, Promise<string>>()

export function imageUrl(ref: string): string {
  return `/api/images/${ref.split('/').map(encodeURIComponent).join('/')}`
}

async function fetchBlobUrl(ref: string): Promise<string> {
  const headers: Record<string, string> = auth.token ? { Authorization: `Bearer ${auth.token}` } : {}
  const response = await fetch(imageUrl(ref), { headers })
  if (!response.ok) throw new Error(`${response.status}`)
  return URL.createObjectURL(await response.blob())
}

/** A blob URL for the stored image `ref`; rejects when the API refuses it (404 outside the caller's scope). */
export function loadImage(ref: string): Promise<string> {
  const known = cache.get(ref)
  if (known) {
    // Most recently used last, so the oldest is the first key.
    cache.delete(ref)
    cache.set(ref, known)
    return known
  }
  const loading = fetchBlobUrl(ref)
  loading.catch(() => cache.delete(ref))
  cache.set(ref, loading)
  while (cache.size > KEEP) {
    const [oldest, url] = cache.entries().next().value as [string, Promise<string>]
    cache.delete(oldest)
    void url.then((u) => URL.revokeObjectURL(u), () => undefined)
  }
  return loading
}
