// Asking the driver to accept the lots' notification templates (入场通知, 缴费成功) in mp-weixin, where WeChat
// needs that consent before it delivers a subscribe message. The template ids are lot settings, read from the
// public `subscribeTemplates` query. WeChat shows its consent sheet only from a tap, so pages fetch the ids when
// they open (noticeTemplates) and ask in the tap handler before anything else awaits (askForNotices). In H5 (a
// browser: no WeChat, no subscribe messages) both are no-ops and send nothing.
import { graphql } from '@/gql'
import { acceptedIds, subscribeIds } from '@/logic/subscribe'
import { gql } from './graphql'
import { platform } from './platform'

const SubscribeTemplatesDocument = graphql(`
  query MpSubscribeTemplates($lotId: ID) {
    subscribeTemplates(lotId: $lotId)
  }
`)

/** The templates to ask for: a lot's (before paying a stay there) or every lot's (after binding a plate). */
export async function noticeTemplates(lotId?: string): Promise<string[]> {
  if (platform() !== 'mp-weixin') return []
  try {
    const { subscribeTemplates } = await gql(SubscribeTemplatesDocument, { lotId: lotId || undefined })
    return subscribeIds(subscribeTemplates)
  } catch {
    return [] // notifications are a courtesy: never block binding or paying on them
  }
}

/** Show WeChat's consent sheet for these templates; the accepted ids (always [] in H5 or with none to ask). */
export function askForNotices(ids: readonly string[]): Promise<string[]> {
  const tmplIds = subscribeIds(ids)
  if (platform() !== 'mp-weixin' || tmplIds.length === 0) return Promise.resolve([])
  return new Promise((resolve) => {
    uni.requestSubscribeMessage({
      tmplIds,
      success: (answer) => resolve(acceptedIds(tmplIds, answer as unknown as Record<string, unknown>)),
      fail: () => resolve([]),
    })
  })
}
