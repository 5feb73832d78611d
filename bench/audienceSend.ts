/**
 * A send to a 100,000-row spreadsheet through the served api and the Sinch
 * sandbox (README "Audience sends"): the CSV (gzip + base64, as the browser
 * sends it) reviewed, then confirmed, then every chunk submitted by the api's
 * background submitter. The sandbox holds every report back (a step delay of
 * ten minutes) so that what is timed is the send, not the 300,000 callbacks
 * that follow it.
 *
 *   - review: reviewAudienceSend answered (parse, validate, opt-outs, fill, one dry run per chunk, the draft kept)
 *   - stored: sendToAudience answered (the draft confirmed: message, recipients and chunks committed)
 *   - submitted: every chunk SUBMITTED (polled), from the answer to sendToAudience
 *   - the api's RSS: before, and the peak sampled every 100 ms during all of it
 *
 * The same steps for 1,000 rows, in the same run, are the reference the ratios
 * are taken against (the machine is shared: absolute times move ±40 %).
 */
import fs from 'node:fs'
import zlib from 'node:zlib'

import { withClient } from './lib'
import { graphql, type Session } from './queries'
import { sendNumbers } from './send'

const REVIEW = /* GraphQL */ `
  query BenchReview($input: AudienceSendInput!) {
    reviewAudienceSend(input: $input) {
      recipients
      invalidCount
      parts
      sinchParts
      chunks
      draftId
    }
  }
`
const SEND = /* GraphQL */ `
  mutation BenchAudienceSend($draftId: String!, $expectedRecipients: Int!) {
    sendToAudience(draftId: $draftId, expectedRecipients: $expectedRecipients) {
      id
      chunkCount
    }
  }
`

export type AudienceFigures = {
  rows: number
  csvBytes: number
  uploadBytes: number
  reviewMs: number
  storedMs: number
  submittedMs: number
  chunks: number
  rssBeforeMiB: number
  rssPeakMiB: number
  /** The peak while each step ran. */
  rssPeakByStepMiB: { review: number; stored: number; submitted: number }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
  return Math.round(kb / 1024)
}

export async function runAudienceSend(opts: {
  apiUrl: string
  session: Session
  databaseUrl: string
  rows: number
  apiPid: number
  timeoutMs?: number
}): Promise<AudienceFigures> {
  const numbers = sendNumbers(opts.rows)
  const csv = ['phone,name,date', ...numbers.map((n, i) => `${n},Person ${i},Tue ${1 + (i % 28)} March`)].join('\n')
  const csvGzip = zlib.gzipSync(Buffer.from(csv, 'utf8')).toString('base64')
  const input = { body: `Hi ((name)), your appointment is on ((date)). Bench ${Date.now()}`, source: 'CSV', csvGzip }
  const rssBeforeMiB = rssMiB(opts.apiPid)
  let rssPeakMiB = rssBeforeMiB
  const byStep = { review: rssBeforeMiB, stored: 0, submitted: 0 }
  let step: keyof typeof byStep = 'review'
  const sample = () => {
    const rss = rssMiB(opts.apiPid)
    rssPeakMiB = Math.max(rssPeakMiB, rss)
    byStep[step] = Math.max(byStep[step], rss)
  }
  const sampler = setInterval(sample, 100)
  try {
    const t0 = performance.now()
    const review = await graphql<{ reviewAudienceSend: { recipients: number; chunks: number; draftId: string } }>(
      opts.apiUrl,
      opts.session,
      REVIEW,
      { input }
    )
    const reviewMs = Math.round(performance.now() - t0)
    sample()
    step = 'stored'
    if (review.data.reviewAudienceSend.recipients !== opts.rows)
      throw new Error(`the review counted ${review.data.reviewAudienceSend.recipients} recipients, not ${opts.rows}`)
    const t1 = performance.now()
    const sent = await graphql<{ sendToAudience: { id: string; chunkCount: number } }>(
      opts.apiUrl,
      opts.session,
      SEND,
      {
        draftId: review.data.reviewAudienceSend.draftId,
        expectedRecipients: opts.rows,
      }
    )
    const storedMs = Math.round(performance.now() - t1)
    sample()
    step = 'submitted'
    const { id, chunkCount } = sent.data.sendToAudience
    let submittedMs = -1
    await withClient(opts.databaseUrl, async (client) => {
      const deadline = Date.now() + (opts.timeoutMs ?? 300_000)
      while (Date.now() < deadline) {
        const { rows } = await client.query(
          `SELECT count(*) FILTER (WHERE state = 'SUBMITTED')::int AS done FROM "MessageChunk" WHERE "messageId" = $1`,
          [id]
        )
        if (rows[0].done === chunkCount) {
          submittedMs = Math.round(performance.now() - t1)
          return
        }
        await sleep(20)
      }
      throw new Error('not every chunk was submitted in time')
    })
    return {
      rows: opts.rows,
      csvBytes: Buffer.byteLength(csv),
      uploadBytes: csvGzip.length,
      reviewMs,
      storedMs,
      submittedMs,
      chunks: chunkCount,
      rssBeforeMiB,
      rssPeakMiB: Math.max(rssPeakMiB, rssMiB(opts.apiPid)),
      rssPeakByStepMiB: byStep,
    }
  } finally {
    clearInterval(sampler)
  }
}

export function audienceMarkdown(big: AudienceFigures, reference: AudienceFigures): string[] {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`
  const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(1)} ×` : '—')
  const peaks = (f: AudienceFigures) =>
    `${f.rssPeakByStepMiB.review} / ${f.rssPeakByStepMiB.stored} / ${f.rssPeakByStepMiB.submitted} MiB`
  return [
    `A send to a ${big.rows.toLocaleString('en')}-row CSV (${(big.csvBytes / 2 ** 20).toFixed(1)} MiB, uploaded gzip + base64 as ${(big.uploadBytes / 2 ** 10).toFixed(0)} KiB) through the served api and the sandbox, template with two placeholders, ${big.chunks} chunks; the same for ${reference.rows.toLocaleString('en')} rows as the reference.`,
    ``,
    `| step | ${reference.rows.toLocaleString('en')} rows | ${big.rows.toLocaleString('en')} rows | ratio | target (issue 18) |`,
    `|---|---:|---:|---:|---:|`,
    `| review (parse, validate, fill, dry run per chunk) | ${s(reference.reviewMs)} | ${s(big.reviewMs)} | ${ratio(big.reviewMs, reference.reviewMs)} | ≤ 10 s |`,
    `| confirmed and stored | ${s(reference.storedMs)} | ${s(big.storedMs)} | ${ratio(big.storedMs, reference.storedMs)} | ≤ 5 s |`,
    `| all chunks submitted to the sandbox (from the confirmation) | ${s(reference.submittedMs)} | ${s(big.submittedMs)} | ${ratio(big.submittedMs, reference.submittedMs)} | ≤ 60 s |`,
    `| api RSS before → peak | ${reference.rssBeforeMiB} → ${reference.rssPeakMiB} MiB | ${big.rssBeforeMiB} → ${big.rssPeakMiB} MiB | | < 300 MiB |`,
    `| api RSS peak during the review / storing / submission | ${peaks(reference)} | ${peaks(big)} | | |`,
  ]
}
