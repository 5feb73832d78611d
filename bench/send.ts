/**
 * A 1,000-recipient send end to end: the sendMessage mutation (logged in) on
 * the built api, the Sinch sandbox (api/sandbox, as `yarn
 * sandbox` runs it) accepting the batch and playing Queued, Dispatched and a
 * final report per recipient as signed callbacks to /sinchCallbacks.
 *
 * Timed from the moment the mutation is sent:
 *   - persisted: the message and all its recipients are committed (polled)
 *   - answered: the mutation returned (batch accepted by the sandbox, batch id stored)
 *   - all final: every recipient has a final status (polled)
 *
 * The sandbox plays the last step of a recipient at most 2.9 × the step delay
 * after accepting the batch, so all-final minus answered minus that is how
 * far ingestion lagged behind the reports.
 */
import { withClient } from './lib'
import { graphql, type Session } from './queries'

const SEND = /* GraphQL */ `
  mutation BenchSend($input: SendMessageInput!) {
    sendMessage(input: $input) {
      message {
        id
        submitState
        submitError
        recipientCount
      }
      invalid {
        input
        reason
      }
    }
  }
`

/** Swedish mobile numbers; none ending in 777 (the sandbox never finalises those). */
export function sendNumbers(count: number): string[] {
  const numbers: string[] = []
  for (let i = 0; numbers.length < count; i++) {
    const n = `+4676${String(1_000_000 + i).padStart(7, '0')}`
    if (!n.endsWith('777')) numbers.push(n)
  }
  return numbers
}

export type SendFigures = {
  recipients: number
  stepDelayMs: number
  persistedMs: number
  answeredMs: number
  firstReportMs: number | null
  allFinalMs: number | null
  /** all final − answered − the sandbox's latest possible last step (2.9 × step delay). */
  lagAfterLastReportMs: number | null
  final: number
  reportsStored: number
  callbackEvents: Record<string, number>
  sandboxRetries: number
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export async function runSend(opts: {
  apiUrl: string
  session: Session
  databaseUrl: string
  recipients: number
  stepDelayMs: number
  sandboxRetries: () => number
  timeoutMs?: number
}): Promise<SendFigures> {
  const body = `Benchmark send ${new Date().toISOString()}`
  const numbers = sendNumbers(opts.recipients)
  return withClient(opts.databaseUrl, async (client) => {
    const retriesBefore = opts.sandboxRetries()
    const started = performance.now()
    const elapsed = () => Math.round(performance.now() - started)

    // Persisted: the recipients are created with the message in one transaction.
    let persistedMs: number | null = null
    let answered = false
    const persisted = (async () => {
      while (persistedMs === null) {
        const afterAnswer = answered
        const { rows } = await client.query(
          `SELECT count(r.id)::int AS n FROM "Message" m JOIN "MessageRecipient" r ON r."messageId" = m.id WHERE m.body = $1`,
          [body]
        )
        if (rows[0].n >= numbers.length) persistedMs = elapsed()
        else if (afterAnswer)
          throw new Error(
            `the mutation answered but only ${rows[0].n} recipients are stored`
          )
        else await sleep(5)
      }
    })()
    persisted.catch(() => undefined)
    let result
    try {
      result = await graphql<{
        sendMessage: {
          message: {
            id: string
            submitState: string
            submitError: string | null
          } | null
          invalid: { input: string; reason: string }[]
        }
      }>(opts.apiUrl, opts.session, SEND, {
        input: {
          body,
          recipients: numbers.join('\n'),
          clientReference: 'bench-send',
        },
      })
    } finally {
      answered = true
    }
    const answeredMs = elapsed()
    const message = result.data.sendMessage.message
    if (!message)
      throw new Error(
        `sendMessage refused recipients: ${JSON.stringify(result.data.sendMessage.invalid.slice(0, 3))}`
      )
    if (message.submitState !== 'SUBMITTED')
      throw new Error(
        `the sandbox did not accept the batch: ${message.submitState} ${message.submitError}`
      )
    await persisted

    let firstReportMs: number | null = null
    let allFinalMs: number | null = null
    let final = 0
    const deadline = Date.now() + (opts.timeoutMs ?? 120_000)
    while (allFinalMs === null && Date.now() < deadline) {
      const { rows } = await client.query(
        `SELECT count(*) FILTER (WHERE "statusRank" >= 1)::int AS reported, count(*) FILTER (WHERE "statusRank" = 3)::int AS final
           FROM "MessageRecipient" WHERE "messageId" = $1`,
        [message.id]
      )
      final = rows[0].final
      if (firstReportMs === null && rows[0].reported > 0)
        firstReportMs = elapsed()
      if (final === numbers.length) allFinalMs = elapsed()
      else await sleep(20)
    }
    // Let repeated reports (numbers ending 333 get each report twice) land before counting.
    await sleep(1500)
    const reports = await client.query(
      `SELECT count(*)::int AS n FROM "SmsStatusUpdate" u JOIN "MessageRecipient" r ON r.id = u."recipientId" WHERE r."messageId" = $1`,
      [message.id]
    )
    const events = await client.query(
      `SELECT verdict || '/' || "processingState" AS k, count(*)::int AS n FROM "CallbackEvent" e
        WHERE e."batchId" = (SELECT "sinchBatchId" FROM "Message" WHERE id = $1) GROUP BY 1 ORDER BY 1`,
      [message.id]
    )
    return {
      recipients: numbers.length,
      stepDelayMs: opts.stepDelayMs,
      persistedMs: persistedMs!,
      answeredMs,
      firstReportMs,
      allFinalMs,
      lagAfterLastReportMs:
        allFinalMs === null
          ? null
          : Math.max(
              0,
              Math.round(allFinalMs - answeredMs - 2.9 * opts.stepDelayMs)
            ),
      final,
      reportsStored: reports.rows[0].n,
      callbackEvents: Object.fromEntries(events.rows.map((r) => [r.k, r.n])),
      sandboxRetries: opts.sandboxRetries() - retriesBefore,
    }
  })
}

export function sendMarkdown(f: SendFigures): string[] {
  const s = (ms: number | null) =>
    ms === null ? 'never (timed out)' : `${(ms / 1000).toFixed(2)} s`
  return [
    `\`sendMessage\` with ${f.recipients.toLocaleString('en')} recipients through the Sinch sandbox (step delay ${f.stepDelayMs} ms: Queued, Dispatched and the final report per recipient arrive 1, 1.8 and 2.6 step delays after acceptance, + up to 0.3 of jitter), reports delivered as signed callbacks to the same api. Times from the moment the mutation is sent.`,
    ``,
    `| milestone | time |`,
    `|---|---:|`,
    `| all ${f.recipients.toLocaleString('en')} recipients persisted | ${s(f.persistedMs)} |`,
    `| mutation answered (batch accepted, batch id stored) | ${s(f.answeredMs)} |`,
    `| first report stored | ${s(f.firstReportMs)} |`,
    `| all recipients final (${f.final} of ${f.recipients}) | ${s(f.allFinalMs)} |`,
    `| lag behind the sandbox's last report (all final − answered − 2.9 × step delay) | ${s(f.lagAfterLastReportMs)} |`,
    ``,
    `Reports stored: ${f.reportsStored}; callback events: ${Object.entries(
      f.callbackEvents
    )
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}; callbacks the sandbox had to retry: ${f.sandboxRetries}.`,
  ]
}
