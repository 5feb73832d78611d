/**
 * What screening an audience hands on, built where the screening runs (the
 * api, or the CSV worker thread: src/workers/audienceScreener.ts): the
 * draft's rows as the JSON its INSERT reads, Sinch's dry-run requests as the
 * bytes sent, and the estimate's parts and cost. Pure; relative imports only.
 */
import type { ScreenedRecipient } from './audienceScreening'
import { toSinchBody } from './smsTemplate'

/** The draft's rows of a batch: [{ p: number, a: values, t: filled text, n: parts }] (jsonb_to_recordset). */
export function draftRowsJson(recipients: ScreenedRecipient[], templated: boolean): string {
  return JSON.stringify(
    recipients.map((r) => ({ p: r.phoneNumber, a: r.parameters, t: templated ? r.filledText : null, n: r.parts }))
  )
}

export type PriceTable = { perPart: number; byPrefix: { prefix: string; perPart: number }[] }

/** The price of one part to `phoneNumber`: the longest matching prefix's (byPrefix is longest first), else the default. */
export const pricePerPart = (phoneNumber: string, price: PriceTable) =>
  price.byPrefix.find((p) => phoneNumber.startsWith(p.prefix))?.perPart ?? price.perPart

/** How a chunk's dry-run request looks apart from its recipients. */
export type DryRunShape = {
  body: string
  placeholders: string[]
  defaults: Record<string, string>
  from: string | null
  callbackUrl: string
  chunkSize: number
}

/**
 * Builds one dry-run request per chunk (chunkSize recipients) as recipients
 * are added, and hands each over as the UTF-8 JSON Sinch is sent (a
 * SendBatchRequest of type mt_text: its numbers and, per placeholder, each
 * number's value and the default). `emit` is awaited: the caller decides how
 * many are in flight.
 */
export function dryRunBatcher(shape: DryRunShape, emit: (request: Uint8Array) => Promise<void>) {
  const templated = shape.placeholders.length > 0
  const utf8 = new TextEncoder()
  let to: string[] = []
  let values: Record<string, Record<string, string>> = {}
  const start = () => {
    to = []
    values = Object.fromEntries(shape.placeholders.map((name) => [name, {} as Record<string, string>]))
  }
  start()
  const flush = async () => {
    if (to.length === 0) return
    for (const name of shape.placeholders)
      if (shape.defaults[name] !== undefined) values[name].default = shape.defaults[name]
    const request = utf8.encode(
      JSON.stringify({
        type: 'mt_text',
        to,
        body: templated ? toSinchBody(shape.body) : shape.body,
        ...(shape.from ? { from: shape.from } : {}),
        ...(templated ? { parameters: values } : {}),
        callback_url: shape.callbackUrl,
      })
    )
    start()
    await emit(request)
  }
  return {
    async add(recipients: ScreenedRecipient[]) {
      for (const r of recipients) {
        to.push(r.phoneNumber)
        if (r.parameters) for (const name of shape.placeholders) values[name][r.phoneNumber] = r.parameters[name]
        if (to.length >= shape.chunkSize) await flush()
      }
    },
    /** The last, partial chunk. */
    flush,
  }
}
