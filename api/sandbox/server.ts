/**
 * A Sinch SMS sandbox that speaks Sinch's wire protocol (docs/sinch-protocol.md: SMS REST API,
 * SMS callbacks, callback authentication, retries), so the app's production client is what talks to it.
 * It is as strict as Sinch where Sinch is strict, so that a test against it fails where Sinch would
 * (docs/sinch-protocol.md#the-sandbox; what it does not implement is in the README's sandbox table).
 *
 *   POST /xms/v1/{plan}/batches                     send mt_text, mt_binary or mt_media (MMS: the sandbox fetches
 *                                                   body.url first, 400 on a bad one), 1 to 1,000 recipients (201)
 *                                                   parameters fill ${name} per recipient, send_at holds it;
 *                                                   429 beyond maxBatchesPerSecond
 *   POST /xms/v1/{plan}/batches/dry_run             parts per recipient after filling, nothing sent
 *   DELETE /xms/v1/{plan}/batches/{id}              cancel (a held batch then plays nothing)
 *   GET  /xms/v1/{plan}/batches                     list: start_date (default 24 h ago), end_date, from,
 *                                                   client_reference, page, page_size
 *   GET  /xms/v1/{plan}/batches/{id}                one batch
 *   GET  /xms/v1/{plan}/batches/{id}/delivery_report[?type=full&status=…&code=…]
 *   GET  /xms/v1/{plan}/batches/{id}/delivery_report/{msisdn}
 *   POST /oauth2/token                              client credentials
 *   POST /v1/projects/{project}/messages:send       Conversation API (WhatsApp)
 *   POST /sandbox/inbound {from, text}              a WhatsApp reply from a contact (opens its window);
 *        {from, media: photo|document|expired|oversize|wrong-type}   …with a file the sandbox serves
 *        {from, location: {latitude, longitude, title?}}, {from, choice: "…"}   other content
 *   GET  /sandbox/media/{name}?exp=…                 the files of simulated replies (expire like Sinch's)
 *   GET  /health, GET /sandbox/deliveries            for people and tests
 *   GET  /sandbox/messages                          the message log: what each recipient got (filled text)
 *
 * It plays delivery (numberPatterns.ts) as signed callbacks to the batch's
 * callback_url, honouring delivery_report, and retries like Sinch: 5xx, 429 and
 * connection errors with doubling backoff, never other 4xx. Its state is in
 * memory: it stands in for Sinch, not for us.
 *
 * WhatsApp: a Conversation webhook has no per-message callback URL (unless
 * callback_url overrides it), so delivery reports and simulated replies go to
 * conversationCallbackUrl, given at start (SANDBOX_CONVERSATION_CALLBACK_URL,
 * else SINCH_CALLBACK_URL). It keeps each contact's 24-hour window from the
 * replies it simulated and fails free text outside it (numberPatterns.ts).
 */
import crypto from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

import {
  SANDBOX_API_TOKEN,
  SANDBOX_CONVERSATION_APP_ID,
  SANDBOX_PROJECT_ID,
  SANDBOX_SERVICE_PLAN_ID,
} from '../src/lib/sandboxCredentials'
import { signSinchCallback } from '../src/lib/sinchSignature'
import { smsParts } from '../src/lib/smsParts'

import { samplePdf, samplePng } from './mediaFiles'
import {
  CONTACT_NOT_FOUND,
  conversationScenarioFor,
  scenarioFor,
  WHATSAPP_DELIVERED_READ,
  WHATSAPP_OUTSIDE_WINDOW,
  type ConversationStep,
  type Step,
} from './numberPatterns'

type Log = { info: (o: object, m: string) => void; warn: (o: object, m: string) => void }

export type SandboxOptions = {
  port?: number
  host?: string
  callbackSecret: string
  /** Time between played steps (Sinch: seconds to minutes). */
  stepDelayMs?: number
  /** First callback retry delay; doubles each time (Sinch: 5 s). */
  retryBaseMs?: number
  maxAttempts?: number
  log?: Log
  /** Where WhatsApp delivery reports and simulated replies are posted (Conversation webhook). */
  conversationCallbackUrl?: string
  /** How long after a template's delivery a simulated reply arrives (…441). */
  replyDelayMs?: number
  /** How long the links of simulated inbound files work (Sinch's are temporary too). */
  mediaUrlTtlMs?: number
  /** The size of the `oversize` file (above the api's MEDIA_MAX_BYTES, 16 MiB by default). */
  oversizeBytes?: number
  /** More batch submissions than this within one second are answered 429 (0: no limit). */
  maxBatchesPerSecond?: number
}

/** One SMS as a recipient got it, for the message log (GET /sandbox/messages). */
export type SandboxSentSms = { batchId: string; recipient: string; body: string; at: string }

export const WINDOW_MS = 24 * 3600_000
export type ConversationSent = {
  messageId: string
  identity: string
  body: Record<string, unknown>
  kind: 'text' | 'template' | 'media'
  steps: string[]
  /** A media message: what the sandbox got when it fetched the file, like Sinch does. */
  fetched?: { status: number | 'error'; bytes: number; contentType: string | null; error?: string }
}

/** Sinch's limit is the channel's; WhatsApp documents go up to 100 MB. */
const SANDBOX_MEDIA_MAX_BYTES = 100 * 1024 * 1024

type PlayedReport = { status: string; code: number; at: string; operator_status_at?: string }
type SandboxBatch = {
  batch: Record<string, unknown> & {
    id: string
    to: string[]
    client_reference?: string
    delivery_report: string
    callback_url?: string
  }
  latest: Map<string, PlayedReport>
  /** An MMS (mt_media): what the sandbox got when it fetched body.url, like Sinch does. */
  fetched?: { status: number | 'error'; bytes: number; contentType: string | null; error?: string }
  /** The text per recipient, once parameters are filled. */
  texts: Map<string, string>
}
export type DeliveryAttempt = {
  batchId: string
  url: string
  kind: string
  attempt: number
  status: number | 'error'
  body: string
}

const MSISDN = /^\+?\d{6,15}$/
/** A Sinch group id (ULID-like). The sandbox has no groups: every one is unknown, as an unknown group is at Sinch. */
const GROUP_ID = /^[0-9A-Z]{26}$/
const MAX_RECIPIENTS = 1000
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
const HEX = /^(?:[0-9a-fA-F]{2})*$/
/** A binary SMS carries at most 140 bytes of body and UDH together. */
const MAX_BINARY_BYTES = 140
/** Sinch's batch list looks back this far unless start_date says otherwise. */
const DEFAULT_LIST_WINDOW_MS = 24 * 3600_000
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const PARAMETER = /\$\{([^}]+)\}/g

type Parameters = Record<string, Record<string, string>>

/** parameters as Sinch takes them: { name: { msisdn | "default": string } }, or a reason it is not. */
function readParameters(value: unknown): Parameters | string {
  if (value === undefined) return {}
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return "'parameters' must be an object"
  const out: Parameters = {}
  for (const [name, values] of Object.entries(value)) {
    if (typeof values !== 'object' || values === null || Array.isArray(values))
      return `'parameters.${name}' must be an object of recipient to value`
    out[name] = {}
    for (const [key, v] of Object.entries(values)) {
      if (typeof v !== 'string') return `'parameters.${name}.${key}' must be a string`
      out[name][key === 'default' ? key : key.replace(/^\+/, '')] = v
    }
  }
  return out
}

/**
 * The body one recipient gets: each ${name} from parameters (the recipient's
 * value, else the default). A ${name} with neither is refused: what Sinch
 * does then is not documented, so the sandbox fails where Sinch might
 * (docs/sinch-protocol.md#parameters). An unknown ${name} stays as written.
 */
function fillBody(body: string, parameters: Parameters, msisdn: string): { text: string } | { missing: string } {
  let missing: string | undefined
  const text = body.replace(PARAMETER, (whole, name: string) => {
    const values = parameters[name]
    if (!values) return whole
    const v = values[msisdn] ?? values.default
    if (v === undefined) missing ??= name
    return v ?? whole
  })
  return missing ? { missing } : { text }
}

function ulid(): string {
  let time = Date.now()
  let out = ''
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[time % 32] + out
    time = Math.floor(time / 32)
  }
  for (const byte of crypto.randomBytes(16)) out += CROCKFORD[byte % 32]
  return out
}

const silent: Log = { info: () => {}, warn: () => {} }

/** An ISO-8601 query parameter as epoch ms: the fallback when absent, null when malformed. */
function dateParam(value: string | null, fallback: number): number | null {
  if (value === null || value === '') return fallback
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? null : ms
}

/** A comma-separated query parameter (Sinch's lists: status, code, from), or null when absent. */
function listParam(value: string | null): string[] | null {
  if (value === null || value === '') return null
  return value
    .split(',')
    .map((v) => v.trim().replace(/^\+/, ''))
    .filter(Boolean)
}

export async function createSinchSandbox(options: SandboxOptions) {
  const stepDelayMs = options.stepDelayMs ?? 1000
  const retryBaseMs = options.retryBaseMs ?? 1000
  const maxAttempts = options.maxAttempts ?? 8
  const log = options.log ?? silent
  const batches = new Map<string, SandboxBatch>()
  const oauthTokens = new Map<string, number>()
  const deliveries: DeliveryAttempt[] = []
  const conversationSent: ConversationSent[] = []
  /** Contact identity (digits) → when the sandbox last simulated a reply from it. */
  const windows = new Map<string, number>()
  const replyDelayMs = options.replyDelayMs ?? 3000
  const mediaUrlTtlMs = options.mediaUrlTtlMs ?? 3600_000
  const oversizeBytes = options.oversizeBytes ?? 17 * 1024 * 1024
  const png = samplePng()
  const pdf = samplePdf()
  let baseUrl = ''
  const timers = new Set<NodeJS.Timeout>()
  const sentSms: SandboxSentSms[] = []
  const recentBatchPosts: number[] = []
  let closed = false

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t)
      if (!closed) fn()
    }, ms)
    timers.add(t)
  }

  async function deliver(batchId: string, url: string, payload: Record<string, unknown>, attempt = 1): Promise<void> {
    const body = JSON.stringify(payload)
    let status: number | 'error' = 'error'
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'sinch-sandbox',
          ...signSinchCallback(options.callbackSecret, body),
        },
        body,
        signal: AbortSignal.timeout(10_000),
      })
      status = res.status
      await res.arrayBuffer().catch(() => undefined)
    } catch {
      status = 'error'
    }
    const kind = String(payload.type ?? ['message_delivery_report', 'message'].find((k) => k in payload) ?? 'unknown')
    deliveries.push({ batchId, url, kind, attempt, status, body })
    const retry = status === 'error' || status >= 500 || status === 429
    log.info(
      { batchId, kind: payload.type, status: payload.status, attempt, answer: status },
      'sandbox: callback delivered'
    )
    if (retry && attempt < maxAttempts && !closed) {
      const delay = retryBaseMs * 2 ** (attempt - 1)
      log.warn({ batchId, answer: status, attempt, retryInMs: delay }, 'sandbox: callback failed, retrying like Sinch')
      later(delay, () => void deliver(batchId, url, payload, attempt + 1))
    } else if (retry) {
      log.warn({ batchId, answer: status, attempt }, 'sandbox: callback given up')
    }
  }

  function summary(entry: SandboxBatch, full: boolean) {
    const buckets = new Map<string, { code: number; status: string; count: number; recipients: string[] }>()
    for (const msisdn of entry.batch.to) {
      const r = entry.latest.get(msisdn) ?? { status: 'Queued', code: 400 }
      const key = `${r.status}:${r.code}`
      const b = buckets.get(key) ?? { code: r.code, status: r.status, count: 0, recipients: [] }
      b.count++
      b.recipients.push(msisdn)
      buckets.set(key, b)
    }
    return {
      type: entry.batch.type === 'mt_media' ? 'delivery_report_mms' : 'delivery_report_sms',
      batch_id: entry.batch.id,
      ...(entry.batch.client_reference ? { client_reference: entry.batch.client_reference } : {}),
      total_message_count: entry.batch.to.length,
      statuses: [...buckets.values()].map(({ recipients, ...rest }) => (full ? { ...rest, recipients } : rest)),
    }
  }

  function play(entry: SandboxBatch) {
    const { batch } = entry
    if (batch.canceled) return
    const mode = batch.delivery_report
    let lastFinalAt = 0
    const at = new Date().toISOString()
    for (const msisdn of batch.to) {
      sentSms.push({ batchId: batch.id, recipient: msisdn, body: entry.texts.get(msisdn) ?? String(batch.body), at })
      const scenario = scenarioFor(msisdn)
      const timed = scenario.steps.map((step: Step, i) => ({
        step,
        offset: stepDelayMs * (1 + i * 0.8) + Math.random() * stepDelayMs * 0.3,
      }))
      const sendOrder =
        scenario.order === 'reversed'
          ? [...timed].reverse().map((t, i) => ({ ...t, sendAt: timed[i].offset }))
          : timed.map((t) => ({ ...t, sendAt: t.offset }))
      lastFinalAt = Math.max(lastFinalAt, ...timed.map((t) => t.offset))
      const eventAt = new Map(timed.map((t) => [t, new Date(Date.now() + t.offset)]))
      for (const t of sendOrder) {
        later(t.sendAt, () => {
          const at = eventAt.get(timed.find((x) => x.step === t.step)!)!
          const report: PlayedReport = {
            status: t.step.status,
            code: t.step.code,
            at: at.toISOString(),
            ...(t.step.code !== 400 ? { operator_status_at: new Date(at.getTime() - 200).toISOString() } : {}),
          }
          const current = entry.latest.get(msisdn)
          if (!current || current.at < report.at) entry.latest.set(msisdn, report)
          const isFinal = !['Queued', 'Dispatched'].includes(t.step.status)
          const wanted = mode === 'per_recipient' || (mode === 'per_recipient_final' && isFinal)
          if (!wanted || !batch.callback_url) return
          const payload = {
            type: batch.type === 'mt_media' ? 'recipient_delivery_report_mms' : 'recipient_delivery_report_sms',
            batch_id: batch.id,
            recipient: msisdn,
            code: report.code,
            status: report.status,
            at: report.at,
            ...(report.operator_status_at ? { operator_status_at: report.operator_status_at } : {}),
            ...(batch.client_reference ? { client_reference: batch.client_reference } : {}),
          }
          for (let copy = 0; copy < (scenario.repeat ?? 1); copy++) void deliver(batch.id, batch.callback_url, payload)
        })
      }
    }
    if ((mode === 'summary' || mode === 'full') && batch.callback_url) {
      later(
        lastFinalAt + stepDelayMs / 2,
        () => void deliver(batch.id, batch.callback_url!, summary(entry, mode === 'full'))
      )
    }
  }

  /** Plays a WhatsApp message: delivery reports, and a reply for …441. */
  async function playConversation(sent: ConversationSent, input: Record<string, unknown>, fallback: boolean) {
    const mediaUrl =
      sent.kind === 'media'
        ? (input.message as { media_message: { url: string } }).media_message.url
        : headerLink(input)
    const mediaFailure = mediaUrl ? await fetchLikeSinch(sent, mediaUrl) : null
    const url = options.conversationCallbackUrl
    const scenario = conversationScenarioFor(sent.identity)
    const windowOpen = !scenario?.windowNeverOpens && Date.now() - (windows.get(sent.identity) ?? -Infinity) < WINDOW_MS
    let steps: ConversationStep[]
    if (!sent.identity) steps = CONTACT_NOT_FOUND
    else if (sent.kind !== 'template' && !windowOpen) steps = WHATSAPP_OUTSIDE_WINDOW
    else if (mediaFailure) steps = [{ status: 'FAILED', reason: mediaFailure }]
    else if (scenario?.steps) {
      steps = [...scenario.steps]
      if (scenario.fallbackSteps) {
        steps = fallback
          ? [...steps, ...scenario.fallbackSteps]
          : scenario.steps.map((s) => (s.status === 'SWITCHING_CHANNEL' ? { ...s, status: 'FAILED' } : s))
      }
    } else steps = WHATSAPP_DELIVERED_READ
    sent.steps = steps.map((s) => s.status)
    const common = {
      app_id: String(input.app_id),
      project_id: sent.body.project_id,
      ...(typeof input.message_metadata === 'string' ? { message_metadata: input.message_metadata } : {}),
      ...(typeof input.correlation_id === 'string' ? { correlation_id: input.correlation_id } : {}),
    }
    const conversationId = `conv-${sent.identity}`
    const contactId = `contact-${sent.identity}`
    steps.forEach((step, i) => {
      later(stepDelayMs * (1 + i * 0.8), () => {
        if (!url) return
        const at = new Date().toISOString()
        void deliver(sent.messageId, url, {
          ...common,
          accepted_time: at,
          event_time: new Date(Date.now() - 100).toISOString(),
          message_delivery_report: {
            message_id: sent.messageId,
            conversation_id: conversationId,
            status: step.status,
            // No identity for a contact that does not exist: Sinch's model makes it optional.
            ...(sent.identity
              ? { channel_identity: { channel: step.channel ?? 'WHATSAPP', identity: sent.identity, app_id: '' } }
              : {}),
            contact_id: sent.identity ? contactId : String((input.recipient as { contact_id?: unknown }).contact_id),
            ...(step.reason ? { reason: step.reason } : {}),
            metadata: typeof input.message_metadata === 'string' ? input.message_metadata : '',
            processing_mode: 'CONVERSATION',
          },
        })
      })
    })
    if (sent.kind === 'template' && scenario?.replyAfterTemplate) {
      const text = scenario.replyAfterTemplate
      later(stepDelayMs * (1 + steps.length * 0.8) + replyDelayMs, () =>
        simulateInbound({
          identity: sent.identity,
          text,
          appId: String(input.app_id),
          projectId: String(sent.body.project_id),
        })
      )
    }
  }

  /**
   * Fetches an outbound media_message's URL as Sinch does before it sends:
   * an unreachable link, an error answer, a file over the limit or one that
   * is no image, video, audio or document fails the message with Sinch's
   * reason codes (docs/sinch-protocol.md#media).
   */
  async function fetchLikeSinch(sent: ConversationSent, url: string) {
    const reason = (code: string, description: string) => ({ code, description, sub_code: 'UNSPECIFIED_SUB_CODE' })
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(10_000) })
      const bytes = Buffer.from(await res.arrayBuffer())
      const contentType = res.headers.get('content-type')
      sent.fetched = { status: res.status, bytes: bytes.length, contentType }
      if (!res.ok) return reason('MEDIA_NOT_REACHABLE', `The media URL answered HTTP ${res.status}`)
      if (bytes.length > SANDBOX_MEDIA_MAX_BYTES) return reason('MEDIA_TOO_LARGE', 'The media file is too large')
      if (!contentType || /html|xml|svg|javascript/i.test(contentType))
        return reason('MEDIA_TYPE_UNSUPPORTED', `The media type ${contentType ?? '(none)'} is not supported`)
      return null
    } catch (error) {
      sent.fetched = { status: 'error', bytes: 0, contentType: null, error: (error as Error).message }
      return reason('MEDIA_NOT_REACHABLE', 'The media URL could not be fetched')
    }
  }

  /**
   * An MMS body (docs/sinch-protocol.md#media): `url` required, http(s), and
   * fetched as Sinch fetches it before sending; optional `message` and
   * `subject` strings. A string says what is wrong (a 400); else what the
   * fetch got.
   */
  async function checkMediaBody(body: unknown): Promise<string | { fetched: NonNullable<SandboxBatch['fetched']> }> {
    if (!body || typeof body !== 'object' || Array.isArray(body))
      return "'body' of mt_media must be an object with a 'url'"
    const { url, message, subject } = body as Record<string, unknown>
    if (typeof url !== 'string' || !/^https?:\/\/\S+$/i.test(url)) return "'body.url' is required: the media file's URL"
    if (message !== undefined && typeof message !== 'string') return "'body.message' must be a string"
    if (subject !== undefined && typeof subject !== 'string') return "'body.subject' must be a string"
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(10_000) })
      const bytes = Buffer.from(await res.arrayBuffer())
      const contentType = res.headers.get('content-type')
      const fetched = { status: res.status, bytes: bytes.length, contentType }
      if (!res.ok) return `The media URL answered HTTP ${res.status}`
      if (bytes.length === 0 || bytes.length > SANDBOX_MEDIA_MAX_BYTES) return 'The media file is empty or too large'
      if (!contentType || /html|xml|svg|javascript/i.test(contentType))
        return `The media type ${contentType ?? '(none)'} is not supported`
      return { fetched }
    } catch (error) {
      return `The media URL could not be fetched: ${(error as Error).message}`
    }
  }

  /** A media template's header file (`header[1]image.link`…), which Sinch fetches like a media message. */
  function headerLink(input: Record<string, unknown>): string | null {
    const parameters = (
      input.message as {
        template_message?: { channel_template?: { WHATSAPP?: { parameters?: Record<string, unknown> } } }
      }
    )?.template_message?.channel_template?.WHATSAPP?.parameters
    const link = Object.entries(parameters ?? {}).find(([k]) =>
      /^header\[1\](image|video|document)\.link$/.test(k)
    )?.[1]
    return typeof link === 'string' ? link : null
  }

  /** A link to a file the sandbox serves, valid for mediaUrlTtlMs (or already expired). */
  const mediaLink = (name: string, expired = false) =>
    `${baseUrl}/sandbox/media/${name}?exp=${expired ? Date.now() - 60_000 : Date.now() + mediaUrlTtlMs}`

  /** The contact_message of a simulated reply with a file. */
  function mediaContent(kind: string): Record<string, unknown> | null {
    switch (kind) {
      case 'photo':
        return { media_message: { url: mediaLink('parcel.png'), mime_type: 'image/png' } }
      case 'document':
        return { media_message: { url: mediaLink('delivery-note.pdf'), filename_override: 'delivery-note.pdf' } }
      case 'expired':
        return { media_message: { url: mediaLink('parcel.png', true), mime_type: 'image/png' } }
      case 'oversize':
        return { media_message: { url: mediaLink('huge.jpg'), mime_type: 'image/jpeg' } }
      case 'wrong-type':
        return { media_message: { url: mediaLink('not-a-photo.jpg'), mime_type: 'image/jpeg' } }
      default:
        return null
    }
  }

  /** GET /sandbox/media/{name}?exp=…: 403 once expired, as a signed storage link answers. */
  function serveMedia(res: http.ServerResponse, name: string, exp: number) {
    if (!Number.isFinite(exp) || exp < Date.now()) {
      res.writeHead(403, { 'Content-Type': 'application/xml' })
      return res.end('<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>')
    }
    switch (name) {
      case 'parcel.png':
        res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': png.length })
        return res.end(png)
      case 'delivery-note.pdf':
        res.writeHead(200, { 'Content-Type': 'application/pdf', 'Content-Length': pdf.length })
        return res.end(pdf)
      case 'not-a-photo.jpg':
        // HTML under an image type: only a check of the bytes catches it.
        res.writeHead(200, { 'Content-Type': 'image/jpeg' })
        return res.end('<!doctype html><title>x</title><script>alert(document.cookie)</script>')
      case 'huge.jpg': {
        // A JPEG start, then zeros, chunked (no Content-Length): only a limit applied while reading stops it.
        res.writeHead(200, { 'Content-Type': 'image/jpeg' })
        let sent = 0
        const block = Buffer.alloc(64 * 1024)
        block.set([0xff, 0xd8, 0xff, 0xe0])
        const write = () => {
          while (!res.destroyed && sent < oversizeBytes) {
            sent += block.length
            if (!res.write(block)) return void res.once('drain', write)
          }
          res.end()
        }
        return write()
      }
      default:
        res.writeHead(404, { 'Content-Type': 'text/plain' })
        return res.end('no such file')
    }
  }

  /** A WhatsApp reply (MESSAGE_INBOUND): opens (restarts) the contact's window, at Sinch as in WhatsApp. */
  function simulateInbound(r: {
    identity: string
    text: string
    content?: Record<string, unknown>
    appId?: string
    projectId?: string
  }) {
    windows.set(r.identity, Date.now())
    const url = options.conversationCallbackUrl
    const id = ulid()
    if (!url) return id
    const at = new Date().toISOString()
    const appId = r.appId ?? SANDBOX_CONVERSATION_APP_ID
    void deliver(id, url, {
      app_id: appId,
      project_id: r.projectId ?? SANDBOX_PROJECT_ID,
      accepted_time: at,
      event_time: at,
      message: {
        id,
        direction: 'TO_APP',
        contact_message: r.content ?? { text_message: { text: r.text } },
        channel_identity: { channel: 'WHATSAPP', identity: r.identity, app_id: appId },
        conversation_id: `conv-${r.identity}`,
        contact_id: `contact-${r.identity}`,
        metadata: '',
        accept_time: at,
      },
    })
    return id
  }

  /** Conversation API errors, in Google's style (not documented by Sinch; docs/sinch-protocol.md#conversation-api). */
  const conversationError = (res: http.ServerResponse, status: number, code: string, message: string) =>
    send(res, status, { error: { code: status, message, status: code, details: [] } })

  async function handleConversation(req: http.IncomingMessage, res: http.ServerResponse, projectId: string) {
    const token = req.headers.authorization?.match(/^Bearer (.+)$/)?.[1]
    const expires = token ? oauthTokens.get(token) : undefined
    if (expires === undefined || expires <= Date.now())
      return conversationError(res, 401, 'UNAUTHENTICATED', 'A valid OAuth2 bearer token is required')
    if (req.method !== 'POST')
      return conversationError(res, 405, 'METHOD_NOT_ALLOWED', `${req.method} not supported here`)
    let input: Record<string, unknown>
    try {
      input = JSON.parse(await readBody(req))
    } catch {
      return conversationError(res, 400, 'INVALID_ARGUMENT', 'Invalid JSON')
    }
    if (typeof input.app_id !== 'string' || !input.app_id)
      return conversationError(res, 400, 'INVALID_ARGUMENT', 'app_id is required')
    const recipient = (input.recipient ?? {}) as {
      contact_id?: unknown
      identified_by?: { channel_identities?: { channel?: string; identity?: string }[] }
    }
    if (recipient.contact_id !== undefined && recipient.identified_by !== undefined)
      return conversationError(res, 400, 'INVALID_ARGUMENT', 'recipient takes contact_id or identified_by, not both')
    // A contact id is a valid recipient at Sinch: the send is accepted, and an
    // unknown contact fails afterwards with CONTACT_NOT_FOUND. The sandbox knows
    // the contacts it named (contact-<number>) for numbers it has seen.
    let identity: string | null
    let identities: { channel?: string; identity?: string }[] = []
    if (recipient.contact_id !== undefined) {
      if (typeof recipient.contact_id !== 'string' || !recipient.contact_id)
        return conversationError(res, 400, 'INVALID_ARGUMENT', 'recipient.contact_id must be a non-empty string')
      const known = /^contact-(\d{6,15})$/.exec(recipient.contact_id)?.[1]
      identity = known && (windows.has(known) || conversationSent.some((c) => c.identity === known)) ? known : null
    } else {
      identities = recipient.identified_by?.channel_identities ?? []
      const whatsapp = Array.isArray(identities) ? identities.find((c) => c?.channel === 'WHATSAPP') : undefined
      if (!whatsapp || typeof whatsapp.identity !== 'string' || !MSISDN.test(whatsapp.identity)) {
        return conversationError(
          res,
          400,
          'INVALID_ARGUMENT',
          'recipient.identified_by.channel_identities needs a WHATSAPP identity (a phone number)'
        )
      }
      identity = whatsapp.identity.replace(/^\+/, '')
    }
    const message = (input.message ?? {}) as Record<string, unknown>
    const text = (message.text_message as { text?: unknown })?.text
    const template = (
      message.template_message as {
        channel_template?: { WHATSAPP?: { template_id?: unknown; language_code?: unknown } }
      }
    )?.channel_template?.WHATSAPP
    const media = message.media_message as { url?: unknown } | undefined
    let kind: 'text' | 'template' | 'media'
    if (typeof text === 'string' && text.length > 0) kind = 'text'
    else if (media) {
      if (typeof media.url !== 'string' || !/^https?:\/\//.test(media.url))
        return conversationError(res, 400, 'INVALID_ARGUMENT', 'media_message.url must be an http(s) URL')
      kind = 'media'
    } else if (template) {
      if (typeof template.template_id !== 'string' || !template.template_id)
        return conversationError(res, 400, 'INVALID_ARGUMENT', 'template_id is required')
      if (typeof template.language_code !== 'string' || !/^[a-z]{2,3}(_[A-Z]{2})?$/.test(template.language_code)) {
        return conversationError(
          res,
          400,
          'INVALID_ARGUMENT',
          'language_code is required for WhatsApp templates, in the form en_US'
        )
      }
      kind = 'template'
    } else
      return conversationError(
        res,
        400,
        'INVALID_ARGUMENT',
        'message needs a text_message, a media_message or a template_message.channel_template.WHATSAPP'
      )
    const order = Array.isArray(input.channel_priority_order) ? input.channel_priority_order : []
    const fallback = order.includes('SMS') && identities.some((c) => c?.channel === 'SMS')
    const sent: ConversationSent = {
      messageId: ulid(),
      identity: identity ?? '',
      body: { ...input, project_id: projectId },
      kind,
      steps: [],
    }
    conversationSent.push(sent)
    log.info({ messageId: sent.messageId, kind, fallback }, 'sandbox: WhatsApp message accepted')
    void playConversation(sent, input, fallback).catch((error) =>
      log.warn({ err: error, messageId: sent.messageId }, 'sandbox: could not play the message')
    )
    return send(res, 200, { message_id: sent.messageId, accepted_time: new Date().toISOString() })
  }

  const send = (res: http.ServerResponse, status: number, body?: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json' })
    res.end(body === undefined ? '' : JSON.stringify(body))
  }
  const sinchError = (res: http.ServerResponse, status: number, code: string, text: string) =>
    send(res, status, { code, text })

  function authorised(req: http.IncomingMessage, planId: string): boolean {
    const token = req.headers.authorization?.match(/^Bearer (.+)$/)?.[1]
    if (!token) return false
    if (token === SANDBOX_API_TOKEN) return planId === SANDBOX_SERVICE_PLAN_ID
    const expires = oauthTokens.get(token)
    return expires !== undefined && expires > Date.now()
  }

  async function readBody(req: http.IncomingMessage): Promise<string> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks).toString('utf8')
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://sandbox')
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent)

    if (url.pathname === '/health') return send(res, 200, { status: 'ok', batches: batches.size })
    if (url.pathname === '/sandbox/deliveries') return send(res, 200, deliveries.slice(-500))
    if (parts[0] === 'sandbox' && parts[1] === 'media' && parts.length === 3 && req.method === 'GET')
      return serveMedia(res, parts[2], Number(url.searchParams.get('exp')))
    if (url.pathname === '/sandbox/messages') return send(res, 200, sentSms.slice(-1000))
    if (url.pathname === '/sandbox/inbound' && req.method === 'POST') {
      let input: { from?: unknown; text?: unknown; media?: unknown; location?: unknown; choice?: unknown }
      try {
        input = JSON.parse(await readBody(req))
      } catch {
        return send(res, 400, { error: 'send JSON {"from": "+12025550123", "text": "Hi"}' })
      }
      if (typeof input.from !== 'string' || !MSISDN.test(input.from))
        return send(res, 400, { error: '"from" must be a phone number' })
      const identity = input.from.replace(/^\+/, '')
      let content: Record<string, unknown> | undefined
      if (input.media !== undefined) {
        content = mediaContent(String(input.media)) ?? undefined
        if (!content)
          return send(res, 400, { error: '"media" is one of photo, document, expired, oversize, wrong-type' })
      } else if (input.location !== undefined) {
        const l = input.location as { latitude?: unknown; longitude?: unknown; title?: unknown }
        if (typeof l?.latitude !== 'number' || typeof l?.longitude !== 'number')
          return send(res, 400, { error: '"location" needs numeric latitude and longitude' })
        content = {
          location_message: {
            title: typeof l.title === 'string' ? l.title : 'Shared location',
            label: '',
            coordinates: { latitude: l.latitude, longitude: l.longitude },
          },
        }
      } else if (typeof input.choice === 'string' && input.choice) {
        const answered = [...conversationSent].reverse().find((c) => c.identity === identity)
        content = { choice_response_message: { message_id: answered?.messageId ?? '', postback_data: input.choice } }
      }
      const id = simulateInbound({
        identity,
        text: typeof input.text === 'string' && input.text ? input.text : 'Hi',
        content,
      })
      return send(res, 202, {
        message_id: id,
        window_open_until: new Date(windows.get(identity)! + WINDOW_MS).toISOString(),
      })
    }
    if (url.pathname === '/oauth2/token' && req.method === 'POST') {
      const basic = req.headers.authorization?.match(/^Basic (.+)$/)?.[1]
      const [keyId, keySecret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':') : []
      const form = new URLSearchParams(await readBody(req))
      if (!keyId || !keySecret)
        return send(res, 401, { error: 'invalid_client', error_description: 'Basic key id and secret required' })
      if (form.get('grant_type') !== 'client_credentials') return send(res, 400, { error: 'unsupported_grant_type' })
      const token = crypto.randomBytes(24).toString('base64url')
      oauthTokens.set(token, Date.now() + 3600_000)
      return send(res, 200, { access_token: token, expires_in: 3600, scope: '', token_type: 'bearer' })
    }

    if (parts[0] === 'v1' && parts[1] === 'projects' && parts[3] === 'messages:send' && parts.length === 4) {
      return handleConversation(req, res, parts[2])
    }

    if (parts[0] !== 'xms' || parts[1] !== 'v1' || parts.length < 4 || parts[3] !== 'batches') {
      return sinchError(res, 404, 'not_found', `No such resource ${url.pathname}`)
    }
    const planId = parts[2]
    if (!authorised(req, planId)) return sinchError(res, 401, 'unauthorized', 'Invalid token for this service plan')
    const [, , , , batchId, sub, msisdn] = parts

    if (req.method === 'POST' && (!batchId || (batchId === 'dry_run' && !sub))) {
      const dryRun = batchId === 'dry_run'
      // Sinch answers 429 to too many outstanding requests (docs/sinch-protocol.md#rate-limits).
      const limit = options.maxBatchesPerSecond ?? 0
      if (limit > 0 && !dryRun) {
        const now = Date.now()
        while (recentBatchPosts.length > 0 && recentBatchPosts[0] <= now - 1000) recentBatchPosts.shift()
        if (recentBatchPosts.length >= limit) {
          res.setHeader('Retry-After', '1')
          return sinchError(res, 429, 'too_many_requests', 'Too many outstanding requests: slow down')
        }
        recentBatchPosts.push(now)
      }
      if (!/^application\/json/i.test(req.headers['content-type'] ?? ''))
        return sinchError(res, 415, 'unsupported_media_type', 'Content-Type must be application/json')
      let input: Record<string, unknown>
      try {
        input = JSON.parse(await readBody(req))
      } catch {
        return sinchError(res, 400, 'syntax_invalid_json', 'The JSON structure is invalid')
      }
      const to = input.to
      if (!Array.isArray(to) || to.length === 0)
        return sinchError(res, 400, 'syntax_constraint_violation', "'to' must be a non-empty list of recipients")
      if (to.length > MAX_RECIPIENTS)
        return sinchError(
          res,
          400,
          'syntax_constraint_violation',
          `'to' has ${to.length} recipients; a batch takes at most ${MAX_RECIPIENTS}`
        )
      const type = input.type ?? 'mt_text'
      if (type !== 'mt_text' && type !== 'mt_binary' && type !== 'mt_media')
        return sinchError(res, 400, 'syntax_invalid_parameter_format', `Unknown batch type ${String(type)}`)
      let fetched: SandboxBatch['fetched']
      if (type === 'mt_media') {
        const problem = await checkMediaBody(input.body)
        if (typeof problem === 'string') return sinchError(res, 400, 'syntax_constraint_violation', problem)
        fetched = problem.fetched
      } else if (typeof input.body !== 'string' || input.body.length === 0)
        return sinchError(res, 400, 'syntax_constraint_violation', "'body' is required")
      if (type === 'mt_binary' && typeof input.body === 'string') {
        if (!BASE64.test(input.body))
          return sinchError(res, 400, 'syntax_invalid_parameter_format', "'body' of mt_binary must be base64")
        if (typeof input.udh !== 'string' || !HEX.test(input.udh))
          return sinchError(res, 400, 'syntax_constraint_violation', "'udh' is required for mt_binary, hex encoded")
        const bytes = Buffer.from(input.body, 'base64').length + input.udh.length / 2
        if (bytes > MAX_BINARY_BYTES)
          return sinchError(
            res,
            400,
            'syntax_constraint_violation',
            `body and udh are ${bytes} bytes; at most ${MAX_BINARY_BYTES}`
          )
      }
      const bad = to.find((n) => typeof n !== 'string' || (!MSISDN.test(n) && !GROUP_ID.test(n)))
      if (bad !== undefined)
        return sinchError(res, 400, 'syntax_invalid_parameter_format', `Invalid MSISDN: ${String(bad)}`)
      const group = (to as string[]).find((n) => GROUP_ID.test(n))
      if (group !== undefined) return sinchError(res, 403, 'unknown_group', `Group ${group} does not exist`)
      const mode = typeof input.delivery_report === 'string' ? input.delivery_report : 'none'
      if (!['none', 'summary', 'full', 'per_recipient', 'per_recipient_final'].includes(mode)) {
        return sinchError(res, 400, 'syntax_invalid_parameter_format', `Unknown delivery_report ${mode}`)
      }
      if (mode !== 'none' && typeof input.callback_url !== 'string') {
        return sinchError(
          res,
          403,
          'missing_callback_url',
          'A delivery report was requested but no callback URL is set'
        )
      }
      const parameters = readParameters(input.parameters)
      if (typeof parameters === 'string') return sinchError(res, 400, 'syntax_invalid_parameter_format', parameters)
      const texts = new Map<string, string>()
      for (const n of to as string[]) {
        const msisdn = n.replace(/^\+/, '')
        const filled =
          type === 'mt_text' && typeof input.body === 'string'
            ? fillBody(input.body, parameters, msisdn)
            : { text: typeof input.body === 'string' ? input.body : JSON.stringify(input.body) }
        if ('missing' in filled)
          return sinchError(
            res,
            400,
            'syntax_constraint_violation',
            `No value for parameter ${filled.missing} for recipient ${msisdn}, and no default`
          )
        texts.set(msisdn, filled.text)
      }
      const sendAt = input.send_at === undefined ? null : Date.parse(String(input.send_at))
      const expireAt = input.expire_at === undefined ? null : Date.parse(String(input.expire_at))
      if (Number.isNaN(sendAt) || Number.isNaN(expireAt))
        return sinchError(res, 400, 'syntax_invalid_parameter_format', 'send_at and expire_at must be ISO-8601')
      if (sendAt !== null && expireAt !== null && expireAt <= sendAt)
        return sinchError(res, 400, 'syntax_constraint_violation', 'expire_at must be after send_at')
      if (dryRun) {
        const perRecipient = url.searchParams.get('per_recipient') === 'true'
        const shown = Number(url.searchParams.get('number_of_recipients') ?? 100)
        let messages = 0
        const details: { recipient: string; number_of_parts: number; body: string; encoding: string }[] = []
        for (const [recipient, text] of texts) {
          const counted = smsParts(text)
          messages += counted.parts
          if (perRecipient && details.length < shown)
            details.push({
              recipient,
              number_of_parts: counted.parts,
              body: text,
              encoding: counted.encoding === 'GSM-7' ? 'GSM' : 'UNICODE',
            })
        }
        return send(res, 200, {
          number_of_recipients: texts.size,
          number_of_messages: messages,
          ...(perRecipient ? { per_recipient: details } : {}),
        })
      }
      const now = new Date().toISOString()
      const batch = {
        ...input,
        id: ulid(),
        to: (to as string[]).map((n) => n.replace(/^\+/, '')),
        type,
        delivery_report: mode,
        canceled: false,
        created_at: now,
        modified_at: now,
      } as SandboxBatch['batch']
      const entry: SandboxBatch = { batch, latest: new Map(), texts, ...(fetched ? { fetched } : {}) }
      batches.set(batch.id, entry)
      log.info(
        {
          batchId: batch.id,
          type,
          recipients: batch.to.length,
          deliveryReport: mode,
          ...(type === 'mt_media' ? { mediaUrl: (input.body as { url: string }).url } : {}),
        },
        'sandbox: batch accepted'
      )
      // A scheduled batch is held until send_at (and plays nothing once cancelled).
      if (sendAt !== null && sendAt > Date.now()) later(sendAt - Date.now(), () => play(entry))
      else play(entry)
      return send(res, 201, batch)
    }

    if (req.method === 'DELETE' && batchId && !sub) {
      const entry = batches.get(batchId)
      if (!entry) return sinchError(res, 404, 'not_found', `Batch ${batchId} not found`)
      entry.batch.canceled = true
      entry.batch.modified_at = new Date().toISOString()
      log.info({ batchId }, 'sandbox: batch cancelled')
      return send(res, 200, entry.batch)
    }

    if (req.method !== 'GET') return sinchError(res, 405, 'method_not_allowed', `${req.method} not supported here`)

    if (!batchId) {
      const q = url.searchParams
      const page = Number(q.get('page') ?? 0)
      const pageSize = Number(q.get('page_size') ?? 30)
      if (!Number.isInteger(page) || page < 0 || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100)
        return sinchError(res, 400, 'syntax_invalid_parameter_format', 'page must be ≥ 0 and page_size 1 to 100')
      const now = Date.now()
      const start = dateParam(q.get('start_date'), now - DEFAULT_LIST_WINDOW_MS)
      const end = dateParam(q.get('end_date'), now)
      if (start === null || end === null)
        return sinchError(res, 400, 'syntax_invalid_parameter_format', 'start_date and end_date must be ISO-8601')
      const senders = listParam(q.get('from'))
      const ref = q.get('client_reference')
      const all = [...batches.values()]
        .map((b) => b.batch)
        .filter((b) => {
          const created = Date.parse(String(b.created_at))
          if (created < start || created > end) return false
          if (senders && !senders.includes(String(b.from ?? '').replace(/^\+/, ''))) return false
          return !ref || b.client_reference === ref
        })
        .reverse()
      return send(res, 200, {
        count: all.length,
        page,
        page_size: pageSize,
        batches: all.slice(page * pageSize, (page + 1) * pageSize),
      })
    }
    const entry = batches.get(batchId)
    if (!entry) return sinchError(res, 404, 'not_found', `Batch ${batchId} not found`)
    if (!sub) return send(res, 200, entry.batch)
    if (sub !== 'delivery_report') return sinchError(res, 404, 'not_found', `No such resource ${url.pathname}`)
    if (!msisdn) {
      const reportType = url.searchParams.get('type') ?? 'summary'
      if (reportType !== 'summary' && reportType !== 'full')
        return sinchError(res, 400, 'syntax_invalid_parameter_format', `Unknown report type ${reportType}`)
      const statuses = listParam(url.searchParams.get('status'))
      const codes = listParam(url.searchParams.get('code'))
      if (codes?.some((c) => !/^\d+$/.test(c)))
        return sinchError(res, 400, 'syntax_invalid_parameter_format', 'code must be a comma-separated list of numbers')
      const report = summary(entry, reportType === 'full')
      report.statuses = report.statuses.filter(
        (b) => (!statuses || statuses.includes(b.status)) && (!codes || codes.includes(String(b.code)))
      )
      return send(res, 200, report)
    }
    const number = msisdn.replace(/^\+/, '')
    const latest = entry.latest.get(number)
    if (!entry.batch.to.includes(number) || !latest)
      return sinchError(res, 404, 'not_found', `No delivery report for ${msisdn}`)
    return send(res, 200, {
      type: entry.batch.type === 'mt_media' ? 'recipient_delivery_report_mms' : 'recipient_delivery_report_sms',
      batch_id: batchId,
      recipient: number,
      ...latest,
      ...(entry.batch.client_reference ? { client_reference: entry.batch.client_reference } : {}),
    })
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error) => {
      log.warn({ err: error }, 'sandbox: request failed')
      if (!res.headersSent) sinchError(res, 500, 'internal_error', 'Sandbox error')
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  baseUrl = `http://${options.host ?? '127.0.0.1'}:${port}`

  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    deliveries,
    batches,
    sentSms,
    conversationSent,
    windows,
    async close() {
      closed = true
      for (const t of timers) clearTimeout(t)
      timers.clear()
      server.closeAllConnections?.()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

export type SinchSandbox = Awaited<ReturnType<typeof createSinchSandbox>>
