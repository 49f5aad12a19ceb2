// Which target this build is: uni-app replaces process.env.UNI_PLATFORM at build time ("h5" / "mp-weixin");
// under vitest it is unset and counts as H5.
declare const process: { env: Record<string, string | undefined> }

export function platform(): 'h5' | 'mp-weixin' {
  return process.env.UNI_PLATFORM === 'mp-weixin' ? 'mp-weixin' : 'h5'
}

/** The API's origin: H5 is served by the API itself (relative URLs); mp-weixin needs an absolute one. */
export function apiBase(): string {
  const configured = import.meta.env.VITE_API_BASE
  if (configured) return configured.replace(/\/$/, '')
  return platform() === 'mp-weixin' ? 'http://127.0.0.1:8000' : ''
}
