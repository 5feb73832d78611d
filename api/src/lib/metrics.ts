/**
 * This instance's Prometheus metrics (prom-client), served on their own port
 * by src/lib/metricsServer.ts when METRICS_PORT is set; without it nothing is
 * recorded (the helpers below return at once). README "Monitoring" lists
 * every series and what it means.
 *
 * The request paths only increment counters and observe histograms here
 * (synchronous, no I/O, label values from small fixed sets); the figures
 * about the whole desk (overdue recipients, unmatched reports, the alarm) are
 * read from Postgres at scrape time by src/services/deskHealth.
 */
import client from 'prom-client'

export const registry = new client.Registry()

let enabled = false

/** Starts recording (src/lib/metricsServer.ts, when METRICS_PORT is set), Node's process metrics included. */
export function enableMetrics() {
  if (enabled) return
  enabled = true
  client.collectDefaultMetrics({ register: registry })
}

const registers = [registry]

/** A counter of this instance's registry (labels: a small fixed set of values each). */
function counter<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []) {
  return new client.Counter<L>({ name, help, labelNames, registers })
}

/** A histogram of this instance's registry. */
function histogram<L extends string = never>(
  name: string,
  help: string,
  buckets: number[],
  labelNames: readonly L[] = []
) {
  return new client.Histogram<L>({ name, help, buckets, labelNames, registers })
}

export const callbacksTotal = counter(
  'desk_callbacks_total',
  'Callbacks answered by /sinchCallbacks, by kind (sms_report, sms_reply, …, or "unparsed"), verdict (accepted, duplicate, ignored, rejected, refused, failed) and HTTP status',
  ['kind', 'verdict', 'status']
)

export const callbackStoreSeconds = histogram(
  'desk_callback_store_seconds',
  'Time to store an authenticated callback (parse, group commit, answer ready), in seconds',
  [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]
)

export const callbacksRefusedTotal = counter(
  'desk_callbacks_refused_total',
  'Callbacks refused before storing, by reason (signature_mismatch, nonce_replay, timestamp_out_of_window, token_mismatch, body_too_large, wrong_content_type, wrong_method, …)',
  ['reason']
)

export const groupCommitBatchSize = histogram(
  'desk_group_commit_batch_size',
  'Delivery-report callbacks stored per group commit',
  [1, 2, 4, 8, 16, 32, 64]
)

export const databaseUnavailableTotal = counter(
  'desk_database_unavailable_responses_total',
  'Requests answered 503 because the database was unreachable or too slow (Sinch retries them), by route',
  ['route']
)

export const sinchRequestsTotal = counter(
  'desk_sinch_requests_total',
  'Calls to Sinch APIs, by endpoint (method and path with ids as :id) and HTTP status (or timeout, unreachable)',
  ['endpoint', 'status']
)

export const sinchRequestSeconds = histogram(
  'desk_sinch_request_seconds',
  'Latency of calls to Sinch APIs, by endpoint, in seconds',
  [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  ['endpoint']
)

export const sinchRateLimitedTotal = counter(
  'desk_sinch_rate_limited_total',
  'HTTP 429 answers received from Sinch APIs, by endpoint',
  ['endpoint']
)

export const reconcileRecipientsTotal = counter(
  'desk_reconcile_recipients_total',
  "Recipients checked with Sinch's delivery report API by this instance, by outcome (checked, changed, gave_up, failed)",
  ['outcome']
)

export const retentionPrunedTotal = counter(
  'desk_retention_pruned_rows_total',
  'Rows deleted by retention pruning in this instance, by table',
  ['table']
)

/** For retention pruning: count rows it deleted from `table`. */
export function countRetentionPruned(table: string, rows: number) {
  if (enabled && rows > 0) retentionPrunedTotal.inc({ table }, rows)
}

/** For reconciliation passes: what a pass (or an on-demand check) did. */
export function countReconcileOutcomes(summary: { checked: number; changed: number; gaveUp: number; failed: number }) {
  if (!enabled) return
  if (summary.checked > 0) reconcileRecipientsTotal.inc({ outcome: 'checked' }, summary.checked)
  if (summary.changed > 0) reconcileRecipientsTotal.inc({ outcome: 'changed' }, summary.changed)
  if (summary.gaveUp > 0) reconcileRecipientsTotal.inc({ outcome: 'gave_up' }, summary.gaveUp)
  if (summary.failed > 0) reconcileRecipientsTotal.inc({ outcome: 'failed' }, summary.failed)
}

/** Path words of Sinch's SMS, Conversation and OAuth2 APIs; any other segment is an id (plan, batch, number). */
const SINCH_PATH_WORDS = new Set([
  'xms',
  'v1',
  'batches',
  'delivery_report',
  'delivery_reports',
  'dry_run',
  'inbounds',
  'projects',
  'messages:send',
  'messages',
  'oauth2',
  'token',
  'apps',
  'contacts',
  'conversations',
])
const endpointCache = new Map<string, string>()

/** `POST /xms/v1/:id/batches` for `POST https://…/xms/v1/<plan>/batches`: bounded label values. */
export function sinchEndpoint(method: string, url: string): string {
  let path: string
  try {
    path = new URL(url).pathname
  } catch {
    return `${method} ?`
  }
  const key = `${method} ${path}`
  let endpoint = endpointCache.get(key)
  if (endpoint === undefined) {
    endpoint = `${method} ${path
      .split('/')
      .map((segment) => (segment === '' || SINCH_PATH_WORDS.has(segment) ? segment : ':id'))
      .join('/')}`
    if (endpointCache.size < 1000) endpointCache.set(key, endpoint)
  }
  return endpoint
}

/** One finished call to Sinch: its status (a number, or timeout / unreachable) and how long it took. */
export function observeSinchRequest(endpoint: string, status: number | 'timeout' | 'unreachable', seconds: number) {
  if (!enabled) return
  sinchRequestsTotal.inc({ endpoint, status: String(status) })
  sinchRequestSeconds.observe({ endpoint }, seconds)
  if (status === 429) sinchRateLimitedTotal.inc({ endpoint })
}

/** A callback answered: its kind, verdict and HTTP status. */
export function countCallback(kind: string, verdict: string, status: number) {
  if (!enabled) return
  callbacksTotal.inc({ kind, verdict, status })
}

/** A callback refused before anything was stored (401, 405, 413, 415): also counted as verdict "refused". */
export function countRefusedCallback(reason: string, status: number) {
  if (!enabled) return
  callbacksRefusedTotal.inc({ reason })
  callbacksTotal.inc({ kind: 'unparsed', verdict: 'refused', status })
}

/** A callback stored and answered 200, `seconds` after it was parsed. */
export function observeCallbackStore(seconds: number) {
  if (enabled) callbackStoreSeconds.observe(seconds)
}

/** A 503 answered because the database was unavailable. */
export function countDatabaseUnavailable(route: string) {
  if (enabled) databaseUnavailableTotal.inc({ route })
}

/** One group commit of `size` callbacks. */
export function observeGroupCommitBatch(size: number) {
  if (enabled) groupCommitBatchSize.observe(size)
}
