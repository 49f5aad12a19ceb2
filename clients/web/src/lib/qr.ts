/** What a lane's QR code encodes: this dashboard's scan page with the lane's token. */
export function laneQrUrl(origin: string, token: string): string {
  return `${origin}/#/scan/${encodeURIComponent(token)}`
}
