/**
 * Worker thread of an audience send's review from an uploaded CSV
 * (services/sending/audienceScreenerWorker.ts starts it, one per review):
 * unpacks and parses the file, screens every row (numbers, duplicates, the
 * template filled, parts), and hands back what the api stores and sends as
 * bytes: the draft's rows a batch at a time, and each chunk's dry-run
 * request. The opt-outs are asked of the api (it has the database). No
 * configuration of its own: what it needs comes in its ScreenerSetup. Only
 * relative imports, so that it also runs from the TypeScript sources (the
 * api's tests load it through tsx).
 */
import { parentPort, workerData } from 'node:worker_threads'

import { draftRowsJson, dryRunBatcher, pricePerPart } from '../lib/audienceBatches'
import type { ScreenerAnswer, ScreenerMessage, ScreenerSetup } from '../lib/audienceScreenerProtocol'
import { AudienceInputError, csvAudience, screenAudience, unpackCsv } from '../lib/audienceScreening'

const port = parentPort
if (!port) throw new Error('src/workers/audienceScreener runs as a worker thread only')

// One question at a time: screening waits for each answer before it goes on.
let answered: ((answer: ScreenerAnswer) => void) | null = null
port.on('message', (answer: ScreenerAnswer) => {
  const resolve = answered
  answered = null
  resolve?.(answer)
})

function ask(message: ScreenerMessage, transfer: ArrayBuffer[] = []): Promise<ScreenerAnswer> {
  return new Promise((resolve) => {
    answered = resolve
    port!.postMessage(message, transfer)
  })
}

async function main() {
  const setup = workerData as ScreenerSetup
  const utf8 = new TextEncoder()
  const templated = setup.placeholders.length > 0
  let ourParts = 0
  let cost = 0
  const dryRuns = setup.dryRun
    ? dryRunBatcher(setup.dryRun, async (request) => {
        await ask({ type: 'dryRun', request }, [request.buffer as ArrayBuffer])
      })
    : null
  try {
    const rows = csvAudience(
      setup.csv.gzipBase64 !== undefined ? unpackCsv(setup.csv.gzipBase64) : (setup.csv.text ?? ''),
      setup.numberColumn,
      setup.maxAudience
    )
    const screened = await screenAudience(rows, setup.body, setup.placeholders, setup.defaults, {
      region: setup.region,
      keep: setup.keep,
      preview: setup.preview,
      optedOutAmong: async (numbers) => {
        const answer = await ask({ type: 'optOuts', numbers })
        if (answer.type !== 'optOuts') throw new Error(`asked for opt-outs, answered ${answer.type}`)
        return new Map(answer.found)
      },
      onRecipients: async (recipients, position, complete) => {
        for (const r of recipients) {
          ourParts += r.parts
          cost += r.parts * pricePerPart(r.phoneNumber, setup.price)
        }
        const draftRows = utf8.encode(draftRowsJson(recipients, templated))
        await ask({ type: 'draftRows', draftRows, position }, [draftRows.buffer as ArrayBuffer])
        // Once a row lacked a value the send cannot be confirmed: no more dry runs.
        if (complete) await dryRuns?.add(recipients)
      },
    })
    await dryRuns?.flush()
    port!.postMessage({ type: 'done', screened, ourParts, cost } satisfies ScreenerMessage)
  } catch (error) {
    const message = (error as Error)?.message ?? String(error)
    port!.postMessage(
      (error instanceof AudienceInputError
        ? { type: 'refused', message }
        : { type: 'failed', message }) satisfies ScreenerMessage
    )
  }
}

void main()
