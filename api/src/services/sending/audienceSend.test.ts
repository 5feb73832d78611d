/**
 * Audience sends against the sandbox over real HTTP: chunking, templates
 * filled by Sinch's parameters, the review (dry run, cost), resuming after a
 * crash mid-submission, two submitters never sending a chunk twice, 429s,
 * scheduling and cancelling.
 */
import zlib from 'node:zlib'

import { createSinchSandbox, type SinchSandbox } from 'sandbox/server'
import { callResolver } from 'testing/callResolver'
import { listenLive } from 'testing/liveNotifications'
import { signInAs } from 'testing/staff'

import { config, resetConfigForTests } from 'src/lib/config'
import { db } from 'src/lib/db'
import { createSinchSmsClient } from 'src/lib/sinch/client'

import { reviewAudienceSend, sendToAudience } from './audienceSend'
import { cancelMessage } from './cancel'
import { claimChunks, submitDueChunks } from './chunkSubmitter'

// Real HTTP and up to 1,000 recipients on a loaded machine.
jest.setTimeout(60_000)

beforeEach(() => signInAs('sender'))

const ENV = ['SINCH_SANDBOX_URL', 'SINCH_CALLBACK_URL', 'SEND_CHUNK_SIZE', 'SMS_PRICE_PER_PART'] as const
const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]))
let sandbox: SinchSandbox

function useSandbox(s: SinchSandbox) {
  process.env.SINCH_SANDBOX_URL = s.url
  resetConfigForTests()
}

beforeAll(async () => {
  // Nothing listens on the callback URL: the sandbox gives up after one try.
  sandbox = await createSinchSandbox({ callbackSecret: 'unused', stepDelayMs: 5, maxAttempts: 1 })
  process.env.SINCH_CALLBACK_URL = 'http://127.0.0.1:9/api/sinchCallbacks'
  process.env.SEND_CHUNK_SIZE = '100'
  process.env.SMS_PRICE_PER_PART = '0.05'
  useSandbox(sandbox)
})
beforeEach(() => {
  sandbox.batches.clear()
  sandbox.sentSms.length = 0
})
afterAll(async () => {
  await sandbox.close()
  for (const k of ENV) {
    if (saved[k] === undefined) delete process.env[k]
    else process.env[k] = saved[k]
  }
  resetConfigForTests()
})

/** The i-th number of the test audience: Swedish mobiles, +46 70 120 00 00 onwards. */
const num = (i: number) => `+467012${String(i).padStart(5, '0')}`

/** A CSV of `rows` people, with a header. */
function csv(rows: number, extra: string[] = []) {
  const lines = ['phone,name,date']
  for (let i = 0; i < rows; i++) lines.push(`${num(i)},Person ${i},Tue ${1 + (i % 28)} March`)
  return [...lines, ...extra].join('\n')
}

const TEMPLATE = 'Hi ((name)), your appointment is on ((date)).'
const input = (over: Record<string, unknown> = {}) => ({
  body: TEMPLATE,
  source: 'CSV' as const,
  csv: csv(250),
  ...over,
})

async function send(over: Record<string, unknown> = {}) {
  const review = await callResolver(reviewAudienceSend, { input: input(over) })
  return callResolver(sendToAudience, { input: input(over), expectedRecipients: review.recipients })
}

const refsAtSinch = () => [...sandbox.batches.values()].map((b) => b.batch.client_reference as string)

describe('review', () => {
  scenario(
    'counts, problems with their lines, a filled preview, parts from the dry run and a cost; stores no message',
    async () => {
      await db.optOut.create({ data: { phoneNumber: num(3), source: 'STAFF' } })
      const before = await db.message.count()
      const review = await callResolver(reviewAudienceSend, {
        input: input({ csv: csv(10, ['not-a-number,Bad,Mon 1 May', `${num(1)},Again,Wed`, ',Empty,Thu']) }),
      })
      expect(review).toMatchObject({
        recipients: 9,
        duplicatesRemoved: 1,
        invalidCount: 2,
        optedOutCount: 1,
        missing: [],
        placeholders: ['name', 'date'],
        ourParts: 9,
        sinchParts: 9,
        parts: 9,
        partsNote: null,
        chunks: 1,
        currency: 'EUR',
      })
      expect(review.estimatedCost).toBeCloseTo(0.45)
      expect(review.invalid.map((p) => p.line)).toEqual([12, 14])
      expect(review.optedOut[0]).toMatchObject({ line: 5, input: num(3) })
      expect(review.preview[0]).toEqual({
        phoneNumber: num(0),
        text: 'Hi Person 0, your appointment is on Tue 1 March.',
        parts: 1,
        encoding: 'GSM-7',
      })
      expect(await db.message.count()).toBe(before)
      expect(sandbox.batches.size).toBe(0)
    }
  )

  scenario('a placeholder without a value is an error until a default covers it', async () => {
    const file = `phone,name\n${num(0)},Ann\n${num(1)},`
    const review = await callResolver(reviewAudienceSend, { input: input({ csv: file }) })
    expect(review.missing).toEqual([
      { name: 'date', rows: 2 },
      { name: 'name', rows: 1 },
    ])
    await expect(callResolver(sendToAudience, { input: input({ csv: file }), expectedRecipients: 0 })).rejects.toThrow(
      /No value for \(\(date\)\) in 2 rows/
    )
    const defaults = [
      { name: 'name', value: 'there' },
      { name: 'date', value: 'Monday' },
    ]
    const ok = await callResolver(reviewAudienceSend, { input: input({ csv: file, defaults }) })
    expect(ok.preview.map((p) => p.text)).toEqual([
      'Hi Ann, your appointment is on Monday.',
      'Hi there, your appointment is on Monday.',
    ])
  })

  scenario("falls back to our own count, and says so, when Sinch's dry run cannot be had", async () => {
    const saved = process.env.SINCH_SANDBOX_URL
    process.env.SINCH_SANDBOX_URL = 'http://127.0.0.1:9'
    resetConfigForTests()
    try {
      const review = await callResolver(reviewAudienceSend, { input: input({ csv: csv(3) }) })
      expect(review.sinchParts).toBeNull()
      expect(review.parts).toBe(3)
      expect(review.partsNote).toMatch(/dry run was not available.*the count is ours/)
    } finally {
      process.env.SINCH_SANDBOX_URL = saved
      resetConfigForTests()
    }
  })
})

describe('the uploaded file', () => {
  scenario('travels gzip-compressed; a broken encoding is a clear error and nothing is stored', async () => {
    const pack = (b: Buffer) => zlib.gzipSync(b).toString('base64')
    const ok = await callResolver(reviewAudienceSend, {
      input: input({ csv: null, csvGzip: pack(Buffer.from(csv(3), 'utf8')) }),
    })
    expect(ok.recipients).toBe(3)
    const latin1 = Buffer.from(`phone,name,date\n${num(0)},\xc5sa,Mon`, 'latin1')
    await expect(
      callResolver(sendToAudience, { input: input({ csv: null, csvGzip: pack(latin1) }), expectedRecipients: 1 })
    ).rejects.toThrow(/not valid UTF-8/)
    await expect(
      callResolver(reviewAudienceSend, { input: input({ csv: null, csvGzip: 'bm90IGd6aXA=' }) })
    ).rejects.toThrow(/could not be unpacked/)
    // 13 MB unpacked, in rows csv-parse reads (each under its 64 kB record bound): refused at 12 MB as it streams.
    const huge = pack(Buffer.from(`phone,note\n${`1,${'a'.repeat(60_000)}\n`.repeat(230)}`))
    await expect(callResolver(reviewAudienceSend, { input: input({ csv: null, csvGzip: huge }) })).rejects.toThrow(
      /larger than/
    )
    expect(await db.message.count()).toBe(0)
    // Each refused review replaced the user's last draft and then dropped its own, rows written before the refusal too.
    expect(await db.sendDraft.count()).toBe(0)
    expect(await db.sendDraftRecipient.count()).toBe(0)
  })

  scenario(
    'a file of several opt-out batches (1,000 rows each) is read to its end, gzip-compressed or not',
    async () => {
      const pack = (text: string) => zlib.gzipSync(Buffer.from(text, 'utf8')).toString('base64')
      const file = csv(1234, ['not-a-number,Bad,Mon'])
      const plain = await callResolver(reviewAudienceSend, { input: input({ csv: file }) })
      expect(plain).toMatchObject({ recipients: 1234, invalidCount: 1, chunks: 13, sinchParts: 1234 })
      const packed = await callResolver(reviewAudienceSend, { input: input({ csv: null, csvGzip: pack(file) }) })
      expect(packed).toMatchObject({ recipients: 1234, invalidCount: 1, chunks: 13, sinchParts: 1234 })
      expect(packed.invalid[0].line).toBe(1236)
    }
  )

  scenario('a quoted value spanning lines keeps the line numbers right', async () => {
    const file = `phone,name,date\n${num(0)},"Ann\nof two lines",Mon\nnot-a-number,Bo,Tue\n\n${num(1)},Cy,Wed\nbad,Di,Thu`
    const review = await callResolver(reviewAudienceSend, { input: input({ csv: file }) })
    expect(review.recipients).toBe(2)
    expect(review.invalid.map((p) => p.line)).toEqual([4, 7])
  })

  scenario('a file without a number column is refused in words', async () => {
    await expect(callResolver(reviewAudienceSend, { input: input({ csv: 'name,date\nAnn,Mon' }) })).rejects.toThrow(
      /No column of the file holds phone numbers/
    )
  })
})

describe('confirming a review', () => {
  scenario(
    'stores what was reviewed, once; a number that opted out since is caught and nothing is stored',
    async () => {
      const review = await callResolver(reviewAudienceSend, { input: input({ csv: csv(250) }) })
      expect(review.draftId).toBeTruthy()
      const message = await callResolver(sendToAudience, { draftId: review.draftId, expectedRecipients: 250 })
      const stored = await db.message.findUniqueOrThrow({
        where: { id: message.id },
        include: { chunks: { orderBy: { index: 'asc' } } },
      })
      expect(stored).toMatchObject({ recipientCount: 250, chunkCount: 3, parameterNames: ['name', 'date'] })
      expect(stored.chunks.map((c) => c.recipientCount)).toEqual([100, 100, 50])
      const r = await db.messageRecipient.findFirstOrThrow({ where: { messageId: message.id, phoneNumber: num(101) } })
      expect(r).toMatchObject({ chunkIndex: 1, filledText: 'Hi Person 101, your appointment is on Tue 18 March.' })
      await expect(callResolver(sendToAudience, { draftId: review.draftId, expectedRecipients: 250 })).rejects.toThrow(
        /no longer kept/
      )

      const again = await callResolver(reviewAudienceSend, { input: input({ csv: csv(5) }) })
      await db.optOut.create({ data: { phoneNumber: num(2), source: 'STAFF' } })
      await expect(callResolver(sendToAudience, { draftId: again.draftId, expectedRecipients: 5 })).rejects.toThrow(
        /1 of the reviewed numbers opted out since the review/
      )
      expect(await db.message.count()).toBe(1)
    }
  )
})

describe('chunked send', () => {
  scenario(
    '250 recipients become 3 chunks, stored before submission, each a batch with its own reference',
    async () => {
      const message = await send()
      const chunks = await db.messageChunk.findMany({ where: { messageId: message.id }, orderBy: { index: 'asc' } })
      expect(chunks.map((c) => [c.index, c.clientReference, c.recipientCount, c.state])).toEqual([
        [0, `${message.id}.0`, 100, 'PENDING'],
        [1, `${message.id}.1`, 100, 'PENDING'],
        [2, `${message.id}.2`, 50, 'PENDING'],
      ])
      expect(sandbox.batches.size).toBe(0)

      expect(await submitDueChunks()).toBe(3)

      expect(refsAtSinch().sort()).toEqual(chunks.map((c) => c.clientReference).sort())
      expect([...sandbox.batches.values()].map((b) => b.batch.to.length).sort()).toEqual([100, 100, 50])
      const stored = await db.message.findUniqueOrThrow({ where: { id: message.id }, include: { chunks: true } })
      expect(stored.submitState).toBe('SUBMITTED')
      expect(stored.chunks.every((c) => c.state === 'SUBMITTED' && c.sinchBatchId)).toBe(true)
    }
  )

  scenario('the template goes to Sinch as ${name} with parameters, and each recipient got its own text', async () => {
    const message = await send({ csv: csv(3) })
    await submitDueChunks()
    const [entry] = [...sandbox.batches.values()]
    expect(entry.batch.body).toBe('Hi ${name}, your appointment is on ${date}.')
    expect(entry.batch.parameters).toEqual({
      name: { [num(0)]: 'Person 0', [num(1)]: 'Person 1', [num(2)]: 'Person 2' },
      date: { [num(0)]: 'Tue 1 March', [num(1)]: 'Tue 2 March', [num(2)]: 'Tue 3 March' },
    })
    expect(sandbox.sentSms.map((s) => s.body)).toContain('Hi Person 1, your appointment is on Tue 2 March.')
    const r = await db.messageRecipient.findFirstOrThrow({ where: { messageId: message.id, phoneNumber: num(1) } })
    expect(r).toMatchObject({ filledText: 'Hi Person 1, your appointment is on Tue 2 March.', parts: 1, chunkIndex: 0 })
  })

  scenario(
    'a crash after a chunk reached Sinch: the next submitter adopts that batch, sends the rest once',
    async () => {
      const message = await send()
      // A submitter claimed chunk 0, Sinch took its batch, and the process died before recording it.
      const [claimed] = await claimChunks(1)
      await createSinchSmsClient(config().sinch).sendBatch({
        to: [num(0)],
        body: 'x',
        client_reference: claimed.clientReference,
      })
      await db.messageChunk.update({ where: { id: claimed.id }, data: { claimedAt: new Date(Date.now() - 3600_000) } })

      await submitDueChunks()

      const refs = refsAtSinch()
      expect(refs).toHaveLength(3)
      expect(new Set(refs).size).toBe(3)
      const chunk0 = await db.messageChunk.findUniqueOrThrow({ where: { id: claimed.id } })
      expect(chunk0.state).toBe('SUBMITTED')
      expect(chunk0.sinchBatchId).toBe(
        [...sandbox.batches.values()].find((b) => b.batch.client_reference === claimed.clientReference)!.batch.id
      )
      expect((await db.message.findUniqueOrThrow({ where: { id: message.id } })).submitState).toBe('SUBMITTED')
    }
  )

  scenario('a claim that has not expired is left alone (its submitter may still be at work)', async () => {
    await send()
    await claimChunks(1)
    expect(await submitDueChunks()).toBe(2)
    expect(refsAtSinch()).toHaveLength(2)
  })

  scenario('two submitters at once never submit a chunk twice', async () => {
    await send({ csv: csv(1000), body: 'Hello ((name))' })
    const [a, b] = await Promise.all([submitDueChunks({ concurrency: 3 }), submitDueChunks({ concurrency: 3 })])
    expect(a + b).toBe(10)
    const refs = refsAtSinch()
    expect(refs).toHaveLength(10)
    expect(new Set(refs).size).toBe(10)
  })
})

describe('429 from Sinch', () => {
  scenario('chunks refused with 429 wait for Retry-After and are then sent, each once', async () => {
    const limited = await createSinchSandbox({
      callbackSecret: 'unused',
      stepDelayMs: 5,
      maxAttempts: 1,
      maxBatchesPerSecond: 2,
    })
    useSandbox(limited)
    const live = await listenLive()
    try {
      const message = await send({ csv: csv(500) })
      await live.clear()
      const refusedFrom = Date.now()
      await submitDueChunks({ concurrency: 5 })
      const waiting = await db.messageChunk.findMany({ where: { messageId: message.id, state: 'PENDING' } })
      expect(waiting.length).toBeGreaterThan(0)
      // The page shows Sinch's last answer: each chunk put back announces the message, as each one submitted does.
      expect(await live.naming(message.id)).toBe(5)
      expect(waiting[0].error).toMatch(/429 too_many_requests/)
      // The sandbox says Retry-After: 1, counted from the refusal (a moment after refusedFrom; on a loaded machine the
      // check below may come later than that second); a 429 is not an attempt.
      expect(waiting.every((c) => c.nextAttemptAt.getTime() >= refusedFrom + 1000 && c.attempts === 0)).toBe(true)
      for (let i = 0; i < 20; i++) {
        const left = await db.messageChunk.count({ where: { messageId: message.id, state: { not: 'SUBMITTED' } } })
        if (left === 0) break
        await new Promise((r) => setTimeout(r, 300))
        await submitDueChunks({ concurrency: 5 })
      }
      const refs = [...limited.batches.values()].map((b) => b.batch.client_reference)
      expect(refs).toHaveLength(5)
      expect(new Set(refs).size).toBe(5)
      expect((await db.message.findUniqueOrThrow({ where: { id: message.id } })).submitState).toBe('SUBMITTED')
    } finally {
      await live.end()
      await limited.close()
      useSandbox(sandbox)
    }
  })
})

describe('scheduling and cancel', () => {
  scenario(
    'a scheduled send is held by Sinch until send_at; cancelled, its batches are cancelled and its recipients end Cancelled',
    async () => {
      const sendAt = new Date(Date.now() + 3600_000)
      const message = await send({ sendAt: sendAt.toISOString() })
      await submitDueChunks()
      const held = [...sandbox.batches.values()]
      expect(held).toHaveLength(3)
      expect(held.every((b) => b.batch.send_at === sendAt.toISOString())).toBe(true)
      expect(sandbox.sentSms).toHaveLength(0)

      const cancelled = await callResolver(cancelMessage, { id: message.id })
      expect(cancelled.cancelledAt).toBeTruthy()
      expect(held.every((b) => b.batch.canceled === true)).toBe(true)
      expect(await db.messageChunk.count({ where: { messageId: message.id, state: 'CANCELLED' } })).toBe(3)
      const statuses = await db.messageRecipient.groupBy({
        by: ['status'],
        where: { messageId: message.id },
        _count: true,
      })
      expect(statuses).toEqual([{ status: 'Cancelled', _count: 250 }])
      expect(await db.auditEvent.count({ where: { action: 'message_cancelled', targetId: message.id } })).toBe(1)
      await expect(callResolver(cancelMessage, { id: message.id })).rejects.toThrow(/already cancelled/)
    }
  )

  scenario('cancelled before its chunks were submitted: nothing reaches Sinch', async () => {
    const message = await send({ sendAt: new Date(Date.now() + 3600_000).toISOString() })
    await callResolver(cancelMessage, { id: message.id })
    expect(await submitDueChunks()).toBe(0)
    expect(sandbox.batches.size).toBe(0)
  })

  scenario('a message sent now cannot be cancelled', async () => {
    const message = await send({ csv: csv(2) })
    await expect(callResolver(cancelMessage, { id: message.id })).rejects.toThrow(/Only a scheduled message/)
  })
})

// Message and MessageRecipient have no live trigger: each writer announces itself (src/lib/live/notifyLive.ts).
describe('live notifications', () => {
  scenario('storing a reviewed send, each chunk recorded, and cancelling each announce the message once', async () => {
    const live = await listenLive()
    try {
      const review = await callResolver(reviewAudienceSend, { input: input({ csv: csv(5) }) })
      const fromReview = await callResolver(sendToAudience, { draftId: review.draftId, expectedRecipients: 5 })
      expect(await live.naming(fromReview.id)).toBe(1)

      const message = await send({ sendAt: new Date(Date.now() + 3600_000).toISOString() })
      expect(await live.naming(message.id)).toBe(1)
      await live.clear()
      expect(await submitDueChunks()).toBe(4)
      expect(await live.naming(message.id)).toBe(3)
      await live.clear()
      await callResolver(cancelMessage, { id: message.id })
      // The recipients Cancelled, then the chunks Sinch answered for (the page counts cancelled chunks).
      expect(await live.naming(message.id)).toBe(2)
    } finally {
      await live.end()
    }
  })
})
