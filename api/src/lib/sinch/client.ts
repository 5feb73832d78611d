/**
 * A typed client for Sinch's SMS REST API over fetch. The sandbox is reached
 * through this same code: only the base URL and credentials differ.
 */
import type { AppConfig } from 'src/lib/config'

import { readSmsErrorBody, sinchRequest, type HttpMethod } from './http'
import { createOAuthTokenFetcher, type TokenFetcher } from './oauth'
import type {
  MediaBatch,
  SendMediaBatchRequest,
  Batch,
  BatchDeliveryReport,
  BatchList,
  DryRunResult,
  ListBatchesQuery,
  RecipientDeliveryReport,
  SendBatchRequest,
} from './types'

export type SinchSmsClient = ReturnType<typeof createSinchSmsClient>

/** A lookup by client_reference reads at most this many pages of 100 (the filter makes one the rule). */
const MAX_LOOKUP_PAGES = 20

export function createSinchSmsClient(sinch: AppConfig['sinch']) {
  const { credentials } = sinch
  const pathId = credentials.mode === 'apiToken' ? credentials.servicePlanId : credentials.projectId
  const base = `${sinch.smsBaseUrl}/xms/v1/${encodeURIComponent(pathId)}`
  const tokens: TokenFetcher | undefined =
    credentials.mode === 'oauth2'
      ? createOAuthTokenFetcher({
          authUrl: sinch.authUrl,
          keyId: credentials.keyId,
          keySecret: credentials.keySecret,
          timeoutMs: sinch.requestTimeoutMs,
        })
      : undefined

  async function authorization(): Promise<string> {
    return `Bearer ${tokens ? await tokens.token() : (credentials as { apiToken: string }).apiToken}`
  }

  const request = <T>(operation: string, method: HttpMethod, path: string, body?: unknown) =>
    sinchRequest<T>({
      operation,
      url: `${base}${path}`,
      method,
      body,
      authorization,
      tokens,
      timeoutMs: sinch.requestTimeoutMs,
      readError: readSmsErrorBody,
    })

  const query = (q: Record<string, string | number | undefined>) => {
    const params = new URLSearchParams()
    for (const [k, v] of Object.entries(q)) if (v !== undefined) params.set(k, String(v))
    const s = params.toString()
    return s ? `?${s}` : ''
  }

  const listBatches = (q: ListBatchesQuery = {}) => request<BatchList>('the batch list', 'GET', `/batches${query(q)}`)

  /**
   * The batch sent with this client_reference since `since`, if any. Sinch's
   * batch list covers only the last 24 hours unless start_date says otherwise
   * (docs/sinch-protocol.md#listing-batches), so the caller passes its own
   * record of when the first attempt was made; every page is read.
   */
  async function findBatchByClientReference(clientReference: string, since: Date): Promise<Batch | null> {
    const pageSize = 100
    for (let page = 0; page < MAX_LOOKUP_PAGES; page++) {
      const list = await listBatches({
        client_reference: clientReference,
        start_date: since.toISOString(),
        page,
        page_size: pageSize,
      })
      const found = list.batches.find((b) => b.client_reference === clientReference)
      if (found) return found
      if (list.batches.length === 0 || (page + 1) * pageSize >= list.count) return null
    }
    return null
  }

  return {
    sendBatch: (batch: SendBatchRequest) =>
      request<Batch>('the batch', 'POST', '/batches', { type: 'mt_text', ...batch }),
    sendMediaBatch: (batch: SendMediaBatchRequest) =>
      request<MediaBatch>('the MMS batch', 'POST', '/batches', { ...batch, type: 'mt_media' }),
    /** Cancels a batch that has not gone yet (scheduled): Sinch answers it with canceled: true. */
    cancelBatch: (batchId: string) =>
      request<Batch>(`the cancellation of ${batchId}`, 'DELETE', `/batches/${encodeURIComponent(batchId)}`),
    /** Counts recipients and parts (after parameters are filled); nothing is sent. */
    dryRun: (batch: SendBatchRequest, opts: { perRecipient?: number } = {}) =>
      request<DryRunResult>(
        'the dry run',
        'POST',
        `/batches/dry_run${query({
          per_recipient: opts.perRecipient ? 'true' : undefined,
          number_of_recipients: opts.perRecipient,
        })}`,
        { type: 'mt_text', ...batch }
      ),
    /**
     * dryRun with the request already serialised (UTF-8 JSON of a SendBatchRequest of type mt_text): an
     * audience's dry runs are built as bytes where its file is screened (lib/audienceBatches.ts).
     */
    dryRunRequest: (json: Uint8Array) => request<DryRunResult>('the dry run', 'POST', '/batches/dry_run', json),
    getBatch: (batchId: string) => request<Batch>(`batch ${batchId}`, 'GET', `/batches/${encodeURIComponent(batchId)}`),
    listBatches,
    findBatchByClientReference,
    getBatchDeliveryReport: (batchId: string, opts: { type?: 'summary' | 'full' } = {}) =>
      request<BatchDeliveryReport>(
        `the delivery report of ${batchId}`,
        'GET',
        `/batches/${encodeURIComponent(batchId)}/delivery_report${query(opts)}`
      ),
    getRecipientDeliveryReport: (batchId: string, msisdn: string) =>
      request<RecipientDeliveryReport>(
        `the delivery report of ${batchId} for one recipient`,
        'GET',
        `/batches/${encodeURIComponent(batchId)}/delivery_report/${encodeURIComponent(msisdn.replace(/^\+/, ''))}`
      ),
  }
}

let shared: { key: AppConfig['sinch']; client: SinchSmsClient } | undefined

/** The client for the current configuration (one token cache per process). */
export function sinchSmsClient(sinch: AppConfig['sinch']): SinchSmsClient {
  if (!shared || shared.key !== sinch) shared = { key: sinch, client: createSinchSmsClient(sinch) }
  return shared.client
}
