// Lot names for tables whose rows carry only a lotId: fetched once per signed-in operator, on first use.
import { reactive } from 'vue'
import { client } from '../graphql/client'
import { LotOptionsDocument } from '../graphql/operations'
import { auth } from './auth'

const names = reactive<Record<string, string>>({})
let loadedFor: string | null = null

async function load(): Promise<void> {
  const r = await client.query(LotOptionsDocument, {}, { requestPolicy: 'network-only' }).toPromise()
  for (const lot of r.data?.lots.items ?? []) names[lot.id] = lot.name
}

/** The lot's name (the id until the names have arrived); the first call for an operator starts the fetch. */
export function lotName(id: unknown): string {
  if (loadedFor !== auth.token) {
    loadedFor = auth.token
    for (const key of Object.keys(names)) delete names[key]
    void load()
  }
  const key = String(id ?? '')
  return names[key] ?? key
}
