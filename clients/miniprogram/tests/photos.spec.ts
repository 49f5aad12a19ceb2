// A fault report's photos: the nine-photo cap, reading an upload's answer, and the upload itself (uni.uploadFile
// with the operator's token, refusals in zh-CN from the catalogue).
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { installUni } from './uni-stub'
import { operator } from '@/stores/operator'
import { uploadFaultPhoto } from '@/api/operator'
import { addPhotos, MAX_FAULT_PHOTOS, photosLeft, uploadOutcome } from '@/logic/photos'

const paths = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `tmp/${from + i}.jpg`)

describe('choosing photos', () => {
  it('keeps the order, drops repeats and stops at nine', () => {
    expect(addPhotos(['a'], ['b', 'a', 'c'])).toEqual(['a', 'b', 'c'])
    expect(addPhotos(paths(7), paths(5, 7))).toEqual(paths(9))
    expect(photosLeft(paths(7))).toBe(2)
    expect(photosLeft(paths(MAX_FAULT_PHOTOS))).toBe(0)
  })
})

describe('an upload answer', () => {
  it('reads the text body of mp-weixin and a parsed one alike', () => {
    const ok = { photo: { ref: '2026/12/06/ab.jpg' } }
    expect(uploadOutcome(201, JSON.stringify(ok))).toEqual({ ok: true, ref: '2026/12/06/ab.jpg' })
    expect(uploadOutcome(200, ok)).toEqual({ ok: true, ref: '2026/12/06/ab.jpg' })
    expect(uploadOutcome(413, '{"error":{"code":"PHOTO_TOO_LARGE","message":"x"}}')).toEqual({ ok: false, code: 'PHOTO_TOO_LARGE' })
    expect(uploadOutcome(401, '')).toEqual({ ok: false, code: 'UNAUTHENTICATED' })
    expect(uploadOutcome(502, '<html>bad gateway</html>')).toEqual({ ok: false, code: null })
  })
})

describe('uploadFaultPhoto', () => {
  beforeEach(() => {
    installUni()
    operator.clear()
  })

  function withUpload(reply: { statusCode: number; data: string } | Error) {
    const { uni } = installUni()
    const calls: Array<Record<string, unknown>> = []
    Object.assign(uni, {
      uploadFile: vi.fn((options: Record<string, unknown> & { success: (r: unknown) => void; fail: (e: unknown) => void }) => {
        calls.push(options)
        if (reply instanceof Error) options.fail({ errMsg: reply.message })
        else options.success(reply)
      }),
    })
    operator.set({ token: 'op-1', expiresAt: Date.now() + 60_000, name: '值班员', merchantId: null, lotIds: ['3'], permissions: [] })
    return calls
  }

  it('posts the file field with the bearer token to the ticket', async () => {
    const calls = withUpload({ statusCode: 201, data: '{"photo":{"ref":"r.jpg"}}' })
    expect(await uploadFaultPhoto('12', 'blob:photo')).toBeNull()
    expect(calls[0]).toMatchObject({
      url: '/api/faults/12/photos',
      filePath: 'blob:photo',
      name: 'file',
      header: { Authorization: 'Bearer op-1' },
    })
  })

  it('says why in Chinese when refused or offline', async () => {
    withUpload({ statusCode: 415, data: '{"error":{"code":"NOT_AN_IMAGE","message":"只能上传"}}' })
    expect(await uploadFaultPhoto('12', 'x')).toBe('只能上传 JPG 或 PNG 格式的照片（NOT_AN_IMAGE）')
    withUpload({ statusCode: 409, data: '{"error":{"code":"TOO_MANY_PHOTOS","message":"x"}}' })
    expect(await uploadFaultPhoto('12', 'x')).toBe('每张工单最多上传 9 张照片（TOO_MANY_PHOTOS）')
    withUpload(new Error('timeout'))
    expect(await uploadFaultPhoto('12', 'x')).toBe('网络不可用，请稍后重试（NETWORK）')
  })
})
