// Subscribe messages: which template ids are asked for, and that only mp-weixin asks (H5 sends nothing).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { installUni } from './uni-stub'
import { askForNotices, noticeTemplates } from '@/api/subscribe'
import { acceptedIds, subscribeIds } from '@/logic/subscribe'

declare const process: { env: Record<string, string | undefined> }

describe('subscribe ids', () => {
  it('keeps non-empty ids once each, in order, at most three (WeChat limit)', () => {
    expect(subscribeIds(['A', '', ' B ', 'A', 'C', 'D'])).toEqual(['A', 'B', 'C'])
    expect(subscribeIds([])).toEqual([])
  })
  it('reads the accepted ids from WeChat answer', () => {
    const answer = { errMsg: 'requestSubscribeMessage:ok', A: 'accept', B: 'reject', C: 'ban' }
    expect(acceptedIds(['A', 'B', 'C', 'D'], answer)).toEqual(['A'])
  })
})

describe('in H5', () => {
  beforeEach(() => void installUni())
  it('asks nothing and sends no request', async () => {
    const { requests, uni } = installUni()
    const ask = vi.fn()
    Object.assign(uni, { requestSubscribeMessage: ask })
    expect(await noticeTemplates('7')).toEqual([])
    expect(await askForNotices(['A'])).toEqual([])
    expect(requests).toEqual([])
    expect(ask).not.toHaveBeenCalled()
  })
})

describe('in mp-weixin', () => {
  beforeEach(() => {
    process.env.UNI_PLATFORM = 'mp-weixin'
  })
  afterEach(() => {
    delete process.env.UNI_PLATFORM
  })

  it("reads a lot's templates from subscribeTemplates", async () => {
    const { requests } = installUni(() => ({
      statusCode: 200,
      data: { data: { subscribeTemplates: ['TPL_PAID', 'TPL_ENTRY', 'TPL_PAID'] } },
    }))
    expect(await noticeTemplates('7')).toEqual(['TPL_PAID', 'TPL_ENTRY'])
    const sent = requests[0].data as { query: string; variables: Record<string, unknown> }
    expect(sent.query).toContain('subscribeTemplates(lotId: $lotId)')
    expect(sent.variables).toEqual({ lotId: '7' })
  })

  it("asks every lot's templates without a lot, and nothing when the server fails", async () => {
    const { requests } = installUni(() => ({ statusCode: 200, data: { data: { subscribeTemplates: ['E'] } } }))
    expect(await noticeTemplates()).toEqual(['E'])
    expect((requests[0].data as { variables: unknown }).variables).toEqual({})
    installUni(() => new Error('offline'))
    expect(await noticeTemplates()).toEqual([])
  })

  it("shows WeChat's sheet with the ids and answers the accepted ones", async () => {
    const { uni } = installUni()
    const ask = vi.fn((o: { tmplIds: string[]; success: (r: unknown) => void }) =>
      o.success({ errMsg: 'requestSubscribeMessage:ok', P: 'accept', E: 'reject' }),
    )
    Object.assign(uni, { requestSubscribeMessage: ask })
    expect(await askForNotices(['P', 'E', 'P'])).toEqual(['P'])
    expect(ask.mock.calls[0][0].tmplIds).toEqual(['P', 'E'])
  })

  it('does not ask with no template, and a refused sheet is no consent', async () => {
    const { uni } = installUni()
    const ask = vi.fn((o: { fail: (e: unknown) => void }) => o.fail({ errMsg: 'requestSubscribeMessage:fail' }))
    Object.assign(uni, { requestSubscribeMessage: ask })
    expect(await askForNotices([])).toEqual([])
    expect(ask).not.toHaveBeenCalled()
    expect(await askForNotices(['P'])).toEqual([])
    expect(ask).toHaveBeenCalledOnce()
  })
})
