/**
 * The desk's health as a whole, read from Postgres so that every api instance
 * says the same: the stalled-delivery alarm (a staff banner through the
 * `deliveryAlarm` query, a metric, a warn line in the log) and the desk-wide
 * gauges of README "Monitoring" (recipients in flight and overdue, unmatched
 * reports, refused callbacks).
 *
 * The alarm fires when
 * - recipients are in flight, their message went out at least
 *   ALARM_STALL_MINUTES ago, and no callback has been stored for that long
 *   (reports stopped arriving: a tunnel or proxy down, a wrong callback URL);
 * - or callbacks refused for authentication in that window are at least
 *   ALARM_REFUSED_MIN and exceed ALARM_REFUSED_SHARE of all callbacks (a wrong
 *   secret, a proxy rewriting the body).
 *
 * One round trip of small, indexed queries, cached per instance for half the
 * staff screens' polling interval, so browsers and scrapes cost a query every
 * few seconds at most.
 */
import { Gauge } from 'prom-client'
import type { QueryResolvers } from 'types/graphql'

import { config } from 'src/lib/config'
import { db } from 'src/lib/db'
import { notifyLive } from 'src/lib/live/notifyLive'
import { logger } from 'src/lib/logger'
import { registry } from 'src/lib/metrics'

/** Recipients waiting for a report: not final and not DELIVERED on WhatsApp (only READ may follow). */
export const IN_FLIGHT_STATUSES = ['Pending', 'Queued', 'Dispatched', 'QUEUED_ON_CHANNEL', 'SWITCHING_CHANNEL']
/** Messages submitted longer ago than this are reconciliation's business, not the alarm's. */
const IN_FLIGHT_HORIZON_HOURS = 24
/** The refused share is taken over at most this many of the latest stored callbacks (bounded cost). */
const SHARE_SAMPLE = 10_000

export type DeskHealth = {
  checkedAt: Date
  inFlight: number
  /** In flight, and their message went out at least the stall window ago. */
  waitingLong: number
  lastCallbackAt: Date | null
  /** Recipients reconciliation would check now (RECONCILE_AFTER_MINUTES without news). */
  overdue: number
  /** Stored reports that match no recipient yet. */
  unmatchedReports: number
  refusedInWindow: number
  storedInWindow: number
  refusedReasons: { reason: string; count: number }[]
  stalled: boolean
  refusedTooMany: boolean
}

type Row = {
  in_flight: number
  waiting_long: number
  last_callback_at: Date | null
  overdue: number
  unmatched: number
  refused: number
  stored: number
  reasons: { reason: string; count: number }[] | null
}

/** The desk's health now, uncached (tests; everything else goes through `deskHealth`). */
export async function queryDeskHealth(): Promise<DeskHealth> {
  const { alarm } = config().operations
  const { afterMs, maxAttempts } = config().reconcile
  const stallSeconds = alarm.stallMs / 1000
  const [row] = await db.$queryRaw<Row[]>`
    WITH inflight AS (
      SELECT m."submittedAt", greatest(m."submittedAt", r."statusAt", r."lastReconcileAt") AS "lastNews",
             m.channel, r."reconcileAttempts"
        FROM "MessageRecipient" r JOIN "Message" m ON m.id = r."messageId"
       WHERE r.status = ANY(${IN_FLIGHT_STATUSES}::text[]) AND m."submitState" = 'SUBMITTED'
         AND m."submittedAt" > now() - make_interval(hours => ${IN_FLIGHT_HORIZON_HOURS}::int)
    ), recent AS (
      SELECT "receivedAt" FROM "CallbackEvent" ORDER BY id DESC LIMIT ${SHARE_SAMPLE}::int
    ), refused AS (
      SELECT reason, count(*)::int AS count FROM "CallbackRejection"
       WHERE "receivedAt" > now() - make_interval(secs => ${stallSeconds}::float8)
       GROUP BY reason
    )
    SELECT (SELECT count(*)::int FROM inflight) AS in_flight,
           (SELECT count(*)::int FROM inflight
             WHERE "submittedAt" <= now() - make_interval(secs => ${stallSeconds}::float8)) AS waiting_long,
           (SELECT "receivedAt" FROM recent LIMIT 1) AS last_callback_at,
           (SELECT count(*)::int FROM inflight
             WHERE channel = 'SMS' AND "reconcileAttempts" < ${maxAttempts}::int
               AND "lastNews" <= now() - make_interval(secs => ${afterMs / 1000}::float8)) AS overdue,
           (SELECT count(*)::int FROM "SmsStatusUpdate" WHERE "recipientId" IS NULL) AS unmatched,
           (SELECT coalesce(sum(count), 0)::int FROM refused) AS refused,
           (SELECT count(*)::int FROM recent
             WHERE "receivedAt" > now() - make_interval(secs => ${stallSeconds}::float8)) AS stored,
           (SELECT json_agg(json_build_object('reason', reason, 'count', count) ORDER BY count DESC) FROM refused) AS reasons,
           now() AS now`
  const now = (row as Row & { now: Date }).now
  const quietFor = row.last_callback_at ? now.getTime() - row.last_callback_at.getTime() : Infinity
  const total = row.refused + row.stored
  return {
    checkedAt: now,
    inFlight: row.in_flight,
    waitingLong: row.waiting_long,
    lastCallbackAt: row.last_callback_at,
    overdue: row.overdue,
    unmatchedReports: row.unmatched,
    refusedInWindow: row.refused,
    storedInWindow: row.stored,
    refusedReasons: row.reasons ?? [],
    stalled: row.waiting_long > 0 && quietFor >= alarm.stallMs,
    refusedTooMany: row.refused >= alarm.refusedMin && total > 0 && row.refused / total > alarm.refusedShare,
  }
}

/** What each refusal reason of the callback diagnostics usually means (README "Monitoring"). */
const CAUSES: Record<string, string> = {
  signature_mismatch:
    'Signatures do not match: the secret in SINCH_CALLBACK_SECRETS differs from the one Sinch signs with, or a proxy rewrites the body.',
  missing_header:
    'Signature headers are missing: HMAC is not enabled for the service plan at Sinch, or a proxy strips the x-sinch-webhook-* headers.',
  malformed_header: 'Signature headers are malformed: a proxy may be rewriting the x-sinch-webhook-* headers.',
  timestamp_out_of_window: "Signature timestamps are out of the accepted window: this server's clock is wrong.",
  unsupported_algorithm: 'Callbacks are signed with an algorithm the desk does not accept.',
  no_secret_configured: 'No callback secret is configured (SINCH_CALLBACK_SECRETS).',
  nonce_replay: 'Callbacks repeat used nonces: something replays requests.',
  token_missing:
    'Callbacks arrive without the token: a proxy drops the query string, or Sinch has another callback URL.',
  token_mismatch: 'The callback token does not match SINCH_CALLBACK_TOKEN.',
  basic_missing: 'Callbacks arrive without Basic credentials: a proxy strips the Authorization header.',
  basic_mismatch: 'The Basic credentials do not match SINCH_CALLBACK_BASIC.',
}

export type DeliveryAlarmView = {
  active: boolean
  stalled: boolean
  refusedTooMany: boolean
  summary: string | null
  causes: string[]
  inFlight: number
  lastCallbackAt: Date | null
  refusedShare: number | null
  checkAgainSeconds: number
}

export function describeAlarm(health: DeskHealth): DeliveryAlarmView {
  const { alarm } = config().operations
  const seconds = Math.round(alarm.stallMs / 1000)
  const windowText = seconds < 120 ? `${seconds} seconds` : `${Math.round((seconds / 60) * 10) / 10} minutes`
  const total = health.refusedInWindow + health.storedInWindow
  const refusedShare = total > 0 ? health.refusedInWindow / total : null
  const parts: string[] = []
  if (health.stalled) {
    parts.push(
      `${health.waitingLong} recipient${health.waitingLong === 1 ? ' is' : 's are'} waiting for delivery reports, and no callback has been stored for ${windowText} or more.`
    )
  }
  if (health.refusedTooMany) {
    parts.push(
      `${health.refusedInWindow} of the last ${total} callbacks (${Math.round((refusedShare ?? 0) * 100)} %) were refused.`
    )
  }
  const causes = health.refusedReasons.map((r) => CAUSES[r.reason] ?? `Callbacks refused: ${r.reason}.`)
  if (health.stalled && health.refusedInWindow === 0) {
    causes.push(
      'No callback reaches the desk: the tunnel or proxy in front of /sinchCallbacks may be down, or Sinch has another callback URL than SINCH_CALLBACK_URL.'
    )
  }
  return {
    active: health.stalled || health.refusedTooMany,
    stalled: health.stalled,
    refusedTooMany: health.refusedTooMany,
    summary: parts.length > 0 ? parts.join(' ') : null,
    causes: health.stalled || health.refusedTooMany ? [...new Set(causes)] : [],
    inFlight: health.inFlight,
    lastCallbackAt: health.lastCallbackAt,
    refusedShare,
    checkAgainSeconds: alarm.pollSeconds,
  }
}

let cached: { at: number; value: Promise<DeskHealth> } | undefined

/** The desk's health, at most half a polling interval old (and one query at a time per instance). */
export function deskHealth(): Promise<DeskHealth> {
  const maxAgeMs = Math.min(15_000, (config().operations.alarm.pollSeconds * 1000) / 2)
  if (!cached || Date.now() - cached.at > maxAgeMs) {
    const value = queryDeskHealth()
    cached = { at: Date.now(), value }
    value.catch(() => {
      if (cached?.value === value) cached = undefined
    })
  }
  return cached.value
}

export const deliveryAlarm: QueryResolvers['deliveryAlarm'] = async () => describeAlarm(await deskHealth())

// --- Metrics: read at scrape time (src/lib/metricsServer.ts) -----------------

let gaugesRegistered = false

/** Registers the desk-wide gauges; they query (through the cache) when Prometheus scrapes. */
export function registerDeskGauges(): Gauge[] {
  if (gaugesRegistered) return []
  gaugesRegistered = true
  const gauge = (name: string, help: string, read: (h: DeskHealth) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        try {
          this.set(read(await deskHealth()))
        } catch (error) {
          logger.debug({ err: error }, 'desk health unavailable for a metrics scrape')
        }
      },
    })
  const gauges = [
    gauge('desk_recipients_in_flight', 'Recipients (whole desk) waiting for a delivery report', (h) => h.inFlight),
    gauge(
      'desk_recipients_overdue',
      'Reconciliation backlog (whole desk): recipients without news for RECONCILE_AFTER_MINUTES',
      (h) => h.overdue
    ),
    gauge(
      'desk_reports_unmatched',
      'Stored delivery reports that match no recipient yet (whole desk)',
      (h) => h.unmatchedReports
    ),
    gauge(
      'desk_last_callback_age_seconds',
      'Seconds since the newest stored callback (whole desk; -1 when none was ever stored)',
      (h) => (h.lastCallbackAt ? (h.checkedAt.getTime() - h.lastCallbackAt.getTime()) / 1000 : -1)
    ),
    gauge(
      'desk_callbacks_refused_in_window',
      'Callbacks refused for authentication in the last ALARM_STALL_MINUTES (whole desk)',
      (h) => h.refusedInWindow
    ),
    new Gauge({
      name: 'desk_delivery_alarm',
      help: 'The stalled-delivery alarm (whole desk): 1 while the condition holds, by condition (stalled, refused_share)',
      labelNames: ['condition'],
      registers: [registry],
      async collect() {
        try {
          const health = await deskHealth()
          this.set({ condition: 'stalled' }, health.stalled ? 1 : 0)
          this.set({ condition: 'refused_share' }, health.refusedTooMany ? 1 : 0)
        } catch (error) {
          logger.debug({ err: error }, 'desk health unavailable for a metrics scrape')
        }
      },
    }),
  ]
  return gauges
}

// --- The warn line: each instance checks every polling interval -----------------

let watch: NodeJS.Timeout | undefined
let lastLogged: { active: boolean; at: number } = { active: false, at: 0 }
/** The alarm's state at this instance's previous check, to announce changes to browsers. */
let lastState: string | undefined
const REPEAT_WARN_MS = 10 * 60_000

/** Logs at warn when the alarm starts (and every 10 minutes while it lasts), at info when it clears. */
export async function checkAlarmAndLog(): Promise<DeliveryAlarmView> {
  const view = describeAlarm(await deskHealth())
  // The alarm changes with time passing, which no write announces: when this instance sees it change, it tells
  // every browser (README "Live updates", topic `alarm`) instead of every tab asking every ALARM_POLL_SECONDS.
  const state = JSON.stringify([view.active, view.stalled, view.refusedTooMany])
  if (lastState !== undefined && state !== lastState) {
    await notifyLive(db, { alarm: true })
  }
  lastState = state
  if (view.active && (!lastLogged.active || Date.now() - lastLogged.at >= REPEAT_WARN_MS)) {
    logger.warn(
      { alarm: { stalled: view.stalled, refusedTooMany: view.refusedTooMany }, causes: view.causes },
      `delivery alarm: ${view.summary}`
    )
    lastLogged = { active: true, at: Date.now() }
  } else if (!view.active && lastLogged.active) {
    logger.info('delivery alarm cleared: callbacks are arriving and being accepted again')
    lastLogged = { active: false, at: Date.now() }
  }
  return view
}

export function startAlarmWatch() {
  if (watch) return
  const everyMs = Math.max(5_000, config().operations.alarm.pollSeconds * 1000)
  watch = setInterval(() => {
    checkAlarmAndLog().catch((error) => logger.debug({ err: error }, 'delivery alarm check failed'))
  }, everyMs)
  watch.unref()
}

/** Forgets the cached health, and unless only the cache, what the watch saw (tests). */
export function resetAlarmWatchForTests(what: 'cache' | 'all' = 'all') {
  cached = undefined
  if (what === 'cache') return
  lastState = undefined
  lastLogged = { active: false, at: 0 }
}

export function stopAlarmWatch() {
  if (watch) clearInterval(watch)
  watch = undefined
}
