// What a scanned QR code holds: a signed parking code (its URL ends in /m/c/<payload>, docs/codes.md) or a lane's
// code (the lane's qr_token, bare or as /m/l/<token>).
export type Scanned = { kind: 'code'; payload: string } | { kind: 'lane'; token: string } | { kind: 'unknown' }

const TOKEN = /^[A-Za-z0-9_-]{8,64}$/
const PAYLOAD = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+){2,}$/

export function parseScanned(raw: string): Scanned {
  const text = raw.trim()
  const code = /\/m\/(?:#\/)?c\/([^/?#\s]+)/.exec(text)
  if (code) return { kind: 'code', payload: decodeURIComponent(code[1]) }
  const lane = /\/m\/(?:#\/)?l\/([^/?#\s]+)/.exec(text)
  if (lane) return { kind: 'lane', token: decodeURIComponent(lane[1]) }
  if (PAYLOAD.test(text)) return { kind: 'code', payload: text }
  if (TOKEN.test(text)) return { kind: 'lane', token: text }
  return { kind: 'unknown' }
}
