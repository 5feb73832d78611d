/** Sinch SMS REST API (xms v1) shapes we use: docs/sinch-protocol.md#sms-rest-api. */

export type DeliveryReportMode = 'none' | 'summary' | 'full' | 'per_recipient' | 'per_recipient_final'

export type SendBatchRequest = {
  to: string[]
  from?: string
  body: string
  type?: 'mt_text'
  delivery_report?: DeliveryReportMode
  callback_url?: string
  client_reference?: string
  /** Scheduled: Sinch holds the batch until then (ISO-8601, UTC). */
  send_at?: string
  expire_at?: string
  /** Per-recipient values for ${name} in the body: { name: { "+4670…": "Ann", default?: "…" } }. */
  parameters?: BatchParameters
}

export type BatchParameters = Record<string, Record<string, string>>

/** POST /batches/dry_run: what a batch would cost, nothing sent (docs/sinch-protocol.md#dry-run). */
export type DryRunResult = {
  number_of_recipients: number
  number_of_messages: number
  per_recipient?: { recipient: string; number_of_parts: number; body: string; encoding: string }[]
}

/** An MMS (docs/sinch-protocol.md#media): Sinch fetches the file from body.url. */
export type MediaBody = { url: string; message?: string; subject?: string }

export type SendMediaBatchRequest = Omit<SendBatchRequest, 'body' | 'type'> & {
  type?: 'mt_media'
  body: MediaBody
  strict_validation?: boolean
}

export type MediaBatch = SendMediaBatchRequest & {
  id: string
  type: 'mt_media'
  canceled: boolean
  created_at: string
  modified_at: string
}

export type Batch = SendBatchRequest & {
  id: string
  type: 'mt_text'
  canceled: boolean
  created_at: string
  modified_at: string
}

export type BatchList = { count: number; page: number; page_size: number; batches: Batch[] }

export type ListBatchesQuery = {
  page?: number
  page_size?: number
  client_reference?: string
  start_date?: string
  end_date?: string
}

export type RecipientDeliveryReport = {
  type: 'recipient_delivery_report_sms'
  batch_id: string
  recipient: string
  code: number
  status: string
  at: string
  operator_status_at?: string
  client_reference?: string
}

export type BatchDeliveryReport = {
  type: 'delivery_report_sms'
  batch_id: string
  client_reference?: string
  total_message_count: number
  statuses: { code: number; status: string; count: number; recipients?: string[] }[]
}

export type SinchErrorBody = { code: string; text: string }
