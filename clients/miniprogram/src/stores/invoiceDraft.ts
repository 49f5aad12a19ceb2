// The payments a driver picked for one invoice (开发票 → the request form). The server's rules hold as they pick:
// one lot per invoice and at most MAX_ORDERS payments, so a mixed selection is explained instead of sent.
import { computed, reactive } from 'vue'
import { MAX_ORDERS } from '@/logic/invoice'

export interface PickedPayment {
  orderId: string
  lotId: string
  lotName: string
  amountFen: number
}

/** Why a payment was not picked: another lot's than those picked, or one too many. */
export type PickRefusal = 'otherLot' | 'tooMany'

const state = reactive<{ picked: PickedPayment[] }>({ picked: [] })

export const invoiceDraft = {
  get picked(): readonly PickedPayment[] {
    return state.picked
  },
  orderIds: computed(() => state.picked.map((p) => p.orderId)),
  totalFen: computed(() => state.picked.reduce((sum, p) => sum + p.amountFen, 0)),
  lotName: computed(() => state.picked[0]?.lotName ?? ''),
  isPicked(orderId: string): boolean {
    return state.picked.some((p) => p.orderId === orderId)
  },
  /** Pick or unpick a payment; a pick the server would refuse is not made, and its reason returned. */
  toggle(payment: PickedPayment): PickRefusal | null {
    const at = state.picked.findIndex((p) => p.orderId === payment.orderId)
    if (at >= 0) {
      state.picked.splice(at, 1)
      return null
    }
    if (state.picked.length > 0 && state.picked[0].lotId !== payment.lotId) return 'otherLot'
    if (state.picked.length >= MAX_ORDERS) return 'tooMany'
    state.picked.push({ ...payment })
    return null
  },
  clear(): void {
    state.picked = []
  },
}
