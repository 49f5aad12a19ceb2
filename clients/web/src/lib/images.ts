// Lane pictures come from GET /api/images/{ref} with the operator's token; an <img> cannot send the header, so
// the bytes are fetched and shown from a blob URL. Refs are content hashes (their bytes never change), so a
// few recent ones are kept to make stepping back and forth through a queue instant. A records page shows three
// pictures a row: they are fetched a few at a time (the rest wait their turn), not fifty at once.
import { auth } from '../stores/auth'
import { watchResponse } from '../stores/session'

const KEEP = 200
const PARALLEL = 4
const cache = new Map<string, Promise<string>>()
let running = 0
const waiting: (() => void)[] = []

/** Runs `work` when fewer than PARALLEL fetches are in flight, in the order asked. */
async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  if (running >= PARALLEL) await new Promise<void>((go) => waiting.push(go))
  running += 1
  try {
    return await work()
  } finally {
    running -= 1
    waiting.shift()?.()
  }
}

export function imageUrl(ref: string): string {
  return `/api/images/${ref.split('/').map(encodeURIComponent).join('/')}`
}

async function fetchBlobUrl(ref: string): Promise<string> {
  const headers: Record<string, string> = auth.token ? { Authorization: `Bearer ${auth.token}` } : {}
  const response = await fetch(imageUrl(ref), { headers })
  watchResponse(response)
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
  const loading = inTurn(() => fetchBlobUrl(ref))
  loading.catch(() => cache.delete(ref))
  cache.set(ref, loading)
  while (cache.size > KEEP) {
    const [oldest, url] = cache.entries().next().value as [string, Promise<string>]
    cache.delete(oldest)
    void url.then((u) => URL.revokeObjectURL(u), () => undefined)
  }
  return loading
}
