// WeChat subscribe messages (订阅消息): WeChat delivers a notification only after the driver accepted its
// template in the mini-program, once per acceptance, and asks for at most three templates at a time.
export const MAX_SUBSCRIBE_TEMPLATES = 3

/** The template ids to ask for: non-empty, each once, in the server's order, at most three. */
export function subscribeIds(ids: readonly string[]): string[] {
  return [...new Set(ids.map((id) => id.trim()).filter(Boolean))].slice(0, MAX_SUBSCRIBE_TEMPLATES)
}

/** Which ids the driver accepted, from wx.requestSubscribeMessage's answer (`{ [id]: 'accept' | 'reject' | … }`). */
export function acceptedIds(ids: readonly string[], answer: Record<string, unknown>): string[] {
  return ids.filter((id) => answer[id] === 'accept')
}
