import { describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import MoneyDialog from '../src/components/MoneyDialog.vue'
import { inFlight } from '../src/lib/inFlight'

describe('inFlight', () => {
  it('runs one submission at a time and drops the presses made while it is in flight', async () => {
    const submitting = inFlight()
    let answer: (value: string) => void = () => undefined
    let calls = 0
    const work = () => {
      calls += 1
      return new Promise<string>((resolve) => (answer = resolve))
    }
    const first = submitting.run('refund:1', work)
    expect(submitting.is('refund:1')).toBe(true)
    expect(submitting.is('refund:2')).toBe(false)
    expect(await submitting.run('refund:1', work)).toBeUndefined()
    expect(await submitting.run('refund:2', work)).toBeUndefined()
    expect(calls).toBe(1)
    answer('done')
    expect(await first).toBe('done')
    expect(submitting.busy.value).toBeNull()
    // Free again once the answer is back, also after a failure.
    const failing = submitting.run('x', () => Promise.reject(new Error('refused')))
    await expect(failing).rejects.toThrow('refused')
    expect(submitting.busy.value).toBeNull()
  })
})

describe('MoneyDialog', () => {
  it('sends nothing while the request is in flight: the button is disabled and an Enter is dropped', async () => {
    const wrapper = mount(MoneyDialog, {
      props: { modelValue: false, title: '申请退款' },
      global: { plugins: [ElementPlus] },
      attachTo: document.body,
    })
    await wrapper.setProps({ modelValue: true })
    await flushPromises()
    const input = (name: string) => document.body.querySelector(`input[name=${name}]`) as HTMLInputElement
    input('amount').value = '2.5'
    input('amount').dispatchEvent(new Event('input'))
    input('reason').value = '重复收费'
    input('reason').dispatchEvent(new Event('input'))
    await flushPromises()
    const form = document.body.querySelector('[data-test=money-form]') as HTMLFormElement
    form.dispatchEvent(new Event('submit'))
    expect(wrapper.emitted('submit')).toEqual([[{ amountFen: 250, reason: '重复收费' }]])
    // The parent's request is in flight: a second Enter or click sends nothing.
    await wrapper.setProps({ busy: true })
    form.dispatchEvent(new Event('submit'))
    const button = document.body.querySelector('[data-test=money-submit]') as HTMLButtonElement
    expect(button.disabled).toBe(true)
    expect(wrapper.emitted('submit')).toHaveLength(1)
    // The answer came back and the parent closed the dialog: an Enter landing while it fades out sends nothing.
    await wrapper.setProps({ busy: false, modelValue: false })
    form.dispatchEvent(new Event('submit'))
    expect(wrapper.emitted('submit')).toHaveLength(1)
    wrapper.unmount()
  }, 20_000)
})
