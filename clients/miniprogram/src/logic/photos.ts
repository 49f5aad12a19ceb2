// Photos of a fault report: how many a ticket takes (POST /api/faults/{id}/photos keeps at most 9, as many as
// WeChat's chooseImage picks at once) and what an upload's answer means.

export const MAX_FAULT_PHOTOS = 9

/** The photos chosen so far plus the new picks, in order, without repeats, at most MAX_FAULT_PHOTOS. */
export function addPhotos(chosen: readonly string[], picked: readonly string[]): string[] {
  const all = [...chosen]
  for (const path of picked) if (!all.includes(path)) all.push(path)
  return all.slice(0, MAX_FAULT_PHOTOS)
}

/** How many more photos chooseImage may pick (at least 0). */
export function photosLeft(chosen: readonly string[]): number {
  return Math.max(0, MAX_FAULT_PHOTOS - chosen.length)
}

export type UploadOutcome = { ok: true; ref: string } | { ok: false; code: string | null }

/** An upload's answer: uni.uploadFile gives the body as text (mp-weixin) or already parsed (some H5 paths). */
export function uploadOutcome(statusCode: number, data: unknown): UploadOutcome {
  let body: unknown = data
  if (typeof data === 'string') {
    try {
      body = JSON.parse(data)
    } catch {
      body = null
    }
  }
  const record = (body ?? {}) as { photo?: { ref?: unknown }; error?: { code?: unknown } }
  if ((statusCode === 200 || statusCode === 201) && typeof record.photo?.ref === 'string') {
    return { ok: true, ref: record.photo.ref }
  }
  const code = record.error?.code
  return { ok: false, code: typeof code === 'string' ? code : statusCode === 401 ? 'UNAUTHENTICATED' : null }
}
