/**
 * The api's configuration, read from the environment once and validated with
 * zod. A missing or malformed variable fails start-up with a message naming
 * the variable and how to fix it (see .env.example for every variable).
 */
import crypto from 'node:crypto'

import { z } from 'zod'

import { SNIFFABLE_MEDIA_TYPES } from './mediaTypes'
import {
  SANDBOX_API_TOKEN,
  SANDBOX_CALLBACK_SECRET,
  SANDBOX_CONVERSATION_APP_ID,
  SANDBOX_KEY_ID,
  SANDBOX_KEY_SECRET,
  SANDBOX_PROJECT_ID,
  SANDBOX_SERVICE_PLAN_ID,
} from './sandboxCredentials'

export const SINCH_REGIONS = ['us', 'eu', 'au', 'br', 'ca'] as const
export type SinchRegion = (typeof SINCH_REGIONS)[number]

/** Conversation API regions (docs/sinch-protocol.md#conversation-api): the app's region, or 404. */
export const CONVERSATION_REGIONS = ['us', 'eu', 'br'] as const
export type ConversationRegion = (typeof CONVERSATION_REGIONS)[number]

const DAY_MS = 86_400_000

const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined))

const url = (hint: string) =>
  z
    .string()
    .trim()
    .refine((v) => {
      try {
        return ['http:', 'https:'].includes(new URL(v).protocol)
      } catch {
        return false
      }
    }, `must be an http(s) URL, ${hint}`)

const intInRange = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback)

/** A comma-separated list of reply keywords, compared trimmed and case-insensitively. */
const keywordList = (fallback: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) =>
      (v || fallback)
        .split(',')
        .map((k) => k.trim().toUpperCase())
        .filter(Boolean)
    )
    .refine((list) => list.length > 0, 'lists no keyword: give comma-separated words such as STOP,UNSUBSCRIBE')

/** `true`/`false` (also 1/0, yes/no), or unset. */
const optionalBoolean = z
  .string()
  .trim()
  .toLowerCase()
  .optional()
  .transform((v) => (v ? v : undefined))
  .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no']).optional())
  .transform((v) => (v === undefined ? undefined : ['true', '1', 'yes'].includes(v)))

const envSchema = z
  .object({
    NODE_ENV: optionalString,
    LOG_LEVEL: optionalString,
    ALLOW_UNSAFE_PRODUCTION: optionalString,
    SESSION_MAX_AGE_HOURS: z.coerce
      .number()
      .positive('must be more than 0 hours')
      .max(168, 'must be at most 168 hours (7 days): a stolen cookie must stop working within a week')
      .default(168),
    SESSION_COOKIE_SECURE: optionalBoolean,
    SIGN_IN_MAX_FAILURES_PER_ACCOUNT: intInRange(1, 1000, 5),
    SIGN_IN_MAX_FAILURES_PER_ADDRESS: intInRange(1, 100_000, 20),
    SIGN_IN_LOCKOUT_MINUTES: intInRange(1, 1440, 15),
    CALLBACK_REJECTIONS_PER_ADDRESS_PER_HOUR: intInRange(1, 100_000, 100),
    TRUST_PROXY: optionalString,
    DATABASE_URL: z
      .string({ required_error: 'is required: a postgresql:// URL (yarn db start runs a local one)' })
      .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL'),
    SESSION_SECRET: z
      .string({
        required_error:
          'is required: it encrypts staff session cookies. Run `yarn rw g secret` and put SESSION_SECRET=<output> in .env (yarn start does this for you on a development machine)',
      })
      .min(32, 'must be at least 32 characters: use the output of `yarn rw g secret`')
      .refine(
        (v) => !v.startsWith('replace-with'),
        'is still the placeholder from .env.example: use the output of `yarn rw g secret`'
      ),
    SINCH_REGION: z.enum(SINCH_REGIONS).default('us'),
    SINCH_SERVICE_PLAN_ID: optionalString,
    SINCH_API_TOKEN: optionalString,
    SINCH_PROJECT_ID: optionalString,
    SINCH_KEY_ID: optionalString,
    SINCH_KEY_SECRET: optionalString,
    SINCH_SMS_BASE_URL: optionalString.pipe(url('e.g. https://eu.sms.api.sinch.com').optional()),
    SINCH_AUTH_URL: optionalString.pipe(url('e.g. https://auth.sinch.com/oauth2/token').optional()),
    SINCH_SANDBOX_URL: url('e.g. http://127.0.0.1:8912').default('http://127.0.0.1:8912'),
    SINCH_FROM: optionalString,
    SINCH_CONVERSATION_APP_ID: optionalString,
    SINCH_CONVERSATION_REGION: z.enum(CONVERSATION_REGIONS).default('us'),
    SINCH_CONVERSATION_BASE_URL: optionalString.pipe(url('e.g. https://eu.conversation.api.sinch.com').optional()),
    SINCH_DELIVERY_REPORT: z.enum(['per_recipient', 'per_recipient_final']).default('per_recipient'),
    // MMS (mt_media) exists only on plans Sinch enabled it for (US/CA): docs/sinch-protocol.md#media.
    SINCH_MMS_ENABLED: optionalBoolean,
    SINCH_REQUEST_TIMEOUT_MS: intInRange(100, 120_000, 10_000),
    SINCH_CALLBACK_URL: url(
      'the public URL Sinch posts reports to, e.g. https://<id>.ngrok-free.app/sinchCallbacks'
    ).default('http://127.0.0.1:8911/sinchCallbacks'),
    SINCH_CALLBACK_AUTH: z.enum(['hmac', 'token', 'basic', 'none']).default('hmac'),
    SINCH_CALLBACK_SECRETS: optionalString,
    SINCH_CALLBACK_TOKEN: optionalString,
    SINCH_CALLBACK_BASIC: optionalString,
    SINCH_CALLBACK_TOLERANCE_SECONDS: intInRange(1, 86_400, 300),
    SINCH_CALLBACK_MAX_BODY_BYTES: intInRange(1024, 10 * 1024 * 1024, 256 * 1024),
    SINCH_CALLBACK_MAX_UNMATCHED_REPORTS: intInRange(1, 1_000_000, 1000),
    RECONCILE_AFTER_MINUTES: z.coerce.number().positive('must be more than 0 minutes').max(10_080).default(15),
    RECONCILE_MAX_ATTEMPTS: intInRange(1, 100, 3),
    RECONCILE_INTERVAL_SECONDS: intInRange(0, 86_400, 60),
    PHONE_DEFAULT_REGION: z
      .string()
      .trim()
      .regex(/^[A-Z]{2}$/, 'must be a two-letter ISO country code such as US or SE')
      .default('US'),
    OPT_OUT_KEYWORDS: keywordList('STOP,STOPP,UNSUBSCRIBE,END,CANCEL'),
    OPT_IN_KEYWORDS: keywordList('START,UNSTOP'),
    // Operations (README "Monitoring"): metrics port, readiness, the stalled-delivery alarm.
    METRICS_PORT: intInRange(0, 65_535, 0),
    METRICS_HOST: z.string().trim().min(1).default('127.0.0.1'),
    READINESS_TIMEOUT_MS: intInRange(50, 30_000, 1000),
    API_SHUTDOWN_DRAIN_MS: intInRange(0, 300_000, 0),
    ALARM_STALL_MINUTES: z.coerce.number().positive('must be more than 0 minutes').max(1440).default(10),
    ALARM_REFUSED_SHARE: z.coerce.number().gt(0).max(1).default(0.2),
    ALARM_REFUSED_MIN: intInRange(1, 1_000_000, 5),
    ALARM_POLL_SECONDS: intInRange(1, 3600, 30),
    // Retention of what outsiders make us store (src/services/retention, README "Storage and retention").
    RETENTION_CALLBACK_DAYS: z.coerce.number().positive('must be more than 0 days').max(3650).default(30),
    RETENTION_UNMATCHED_DAYS: z.coerce.number().positive('must be more than 0 days').max(3650).default(14),
    RETENTION_INTERVAL_SECONDS: intInRange(0, 86_400, 300),
    RETENTION_BATCH_SIZE: intInRange(10, 10_000, 500),
    // Media in conversations (src/services/media, README "Media").
    RETENTION_MEDIA_DAYS: z.coerce.number().positive('must be more than 0 days').max(3650).default(30),
    MEDIA_MAX_BYTES: intInRange(1024, 100 * 1024 * 1024, 16 * 1024 * 1024),
    // A base64 upload must fit the api's 4 MiB request limit (src/server.ts): 3,000,000 bytes are 4,000,000 in base64.
    MEDIA_UPLOAD_MAX_BYTES: intInRange(1024, 3_000_000, 3_000_000),
    MEDIA_ALLOWED_TYPES: optionalString,
    MEDIA_FETCH_ALLOWED_HOSTS: optionalString,
    MEDIA_FETCH_INTERVAL_SECONDS: intInRange(0, 3600, 5),
    MEDIA_FETCH_MAX_ATTEMPTS: intInRange(1, 20, 5),
    MEDIA_FETCH_RETRY_SECONDS: z.coerce.number().positive().max(86_400).default(30),
    MEDIA_FETCH_TIMEOUT_MS: intInRange(100, 600_000, 30_000),
    MEDIA_URL_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
    MEDIA_URL_TTL_SECONDS: intInRange(60, 7 * 86_400, 3600),
    MEDIA_PUBLIC_BASE_URL: optionalString.pipe(url('e.g. https://desk.example.com/api').optional()),
    // Live updates (README "Live updates"): open event streams per staff user and per api instance.
    LIVE_MAX_STREAMS_PER_USER: intInRange(1, 1000, 20),
    LIVE_MAX_STREAMS: intInRange(1, 100_000, 2000),
    // Audience sends (README "Audience sends"): chunks, their submission, review prices.
    SEND_CHUNK_SIZE: intInRange(1, 1000, 1000),
    SEND_CHUNK_CONCURRENCY: intInRange(1, 64, 4),
    SEND_CHUNK_MAX_ATTEMPTS: intInRange(1, 100, 8),
    SEND_CHUNK_LEASE_SECONDS: intInRange(5, 3600, 120),
    SEND_CHUNK_POLL_MS: intInRange(0, 600_000, 1000),
    SEND_MAX_AUDIENCE: intInRange(1, 1_000_000, 100_000),
    SMS_PRICE_PER_PART: z.coerce.number().min(0).max(1000).default(0),
    SMS_PRICE_CURRENCY: z
      .string()
      .trim()
      .regex(/^[A-Z]{3}$/, 'must be a three-letter currency code such as EUR')
      .default('EUR'),
    SMS_PRICE_BY_PREFIX: optionalString,
  })
  .superRefine((env, ctx) => {
    const planMode = env.SINCH_SERVICE_PLAN_ID || env.SINCH_API_TOKEN
    if (planMode && !(env.SINCH_SERVICE_PLAN_ID && env.SINCH_API_TOKEN)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.SINCH_SERVICE_PLAN_ID ? 'SINCH_API_TOKEN' : 'SINCH_SERVICE_PLAN_ID'],
        message: 'is required together with the other: set both SINCH_SERVICE_PLAN_ID and SINCH_API_TOKEN, or neither',
      })
    }
    const keys = ['SINCH_PROJECT_ID', 'SINCH_KEY_ID', 'SINCH_KEY_SECRET'] as const
    if (!planMode && keys.some((k) => env[k])) {
      for (const k of keys.filter((k) => !env[k])) {
        ctx.addIssue({
          code: 'custom',
          path: [k],
          message: 'is required for OAuth2: set SINCH_PROJECT_ID, SINCH_KEY_ID and SINCH_KEY_SECRET together',
        })
      }
    }
    if (env.SINCH_CALLBACK_AUTH === 'token' && (!env.SINCH_CALLBACK_TOKEN || env.SINCH_CALLBACK_TOKEN.length < 24)) {
      ctx.addIssue({
        code: 'custom',
        path: ['SINCH_CALLBACK_TOKEN'],
        message: 'must be at least 24 random characters when SINCH_CALLBACK_AUTH=token (openssl rand -hex 24)',
      })
    }
    if (env.SINCH_CALLBACK_AUTH === 'basic' && !/^[^:]+:.{12,}$/.test(env.SINCH_CALLBACK_BASIC ?? '')) {
      ctx.addIssue({
        code: 'custom',
        path: ['SINCH_CALLBACK_BASIC'],
        message: 'must be user:password with a password of 12 or more characters when SINCH_CALLBACK_AUTH=basic',
      })
    }
    if (env.SINCH_CONVERSATION_APP_ID) {
      for (const k of keys.filter((k) => !env[k])) {
        ctx.addIssue({
          code: 'custom',
          path: [k],
          message:
            'is required for WhatsApp (SINCH_CONVERSATION_APP_ID is set): the Conversation API uses OAuth2 with a project access key',
        })
      }
    }
    const both = env.OPT_OUT_KEYWORDS.filter((k) => env.OPT_IN_KEYWORDS.includes(k))
    if (both.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['OPT_IN_KEYWORDS'],
        message: `must not repeat an opt-out keyword (${both.join(', ')} is in both lists)`,
      })
    }
    // A used nonce is remembered by its callback-log row: the log must outlive
    // every timestamp that could still pass the window (signed up to the
    // tolerance before receipt or after it), or pruning would re-open a replay.
    if (env.RETENTION_CALLBACK_DAYS * 86_400 <= 2 * env.SINCH_CALLBACK_TOLERANCE_SECONDS) {
      ctx.addIssue({
        code: 'custom',
        path: ['RETENTION_CALLBACK_DAYS'],
        message: `must be longer than twice SINCH_CALLBACK_TOLERANCE_SECONDS (${env.SINCH_CALLBACK_TOLERANCE_SECONDS} s): the callback log remembers used signature nonces`,
      })
    }
    if (env.SMS_PRICE_BY_PREFIX) {
      try {
        parsePriceByPrefix(env.SMS_PRICE_BY_PREFIX)
      } catch (e) {
        ctx.addIssue({ code: 'custom', path: ['SMS_PRICE_BY_PREFIX'], message: (e as Error).message })
      }
    }
    if (env.SINCH_CALLBACK_SECRETS) {
      try {
        parseSecrets(env.SINCH_CALLBACK_SECRETS)
      } catch (e) {
        ctx.addIssue({ code: 'custom', path: ['SINCH_CALLBACK_SECRETS'], message: (e as Error).message })
      }
    }
  })

/** `+46=0.04,+1=0.0079`: a price per part by number prefix, longest prefix first. */
export function parsePriceByPrefix(raw: string | undefined): { prefix: string; perPart: number }[] {
  if (!raw) return []
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const m = /^(\+\d{1,6})=(\d+(?:\.\d+)?)$/.exec(entry)
      if (!m) throw new Error(`has "${entry}": write +<digits>=<price>, e.g. +46=0.04`)
      return { prefix: m[1], perPart: Number(m[2]) }
    })
    .sort((a, b) => b.prefix.length - a.prefix.length)
}

export type CallbackSecret = { id: string; secret: string }

/**
 * `SINCH_CALLBACK_SECRETS` is a comma-separated list, newest first, of
 * `secret` or `id=secret`. Several at once is how a secret is rotated: both
 * verify during the overlap. An id without one is a fingerprint of the secret
 * (the first 8 hex digits of its SHA-256), so logs can say which one matched.
 */
export function parseSecrets(raw: string): CallbackSecret[] {
  const entries = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  if (entries.length === 0) throw new Error('lists no secret')
  return entries.map((entry) => {
    const eq = entry.indexOf('=')
    const [id, secret] = eq > 0 ? [entry.slice(0, eq), entry.slice(eq + 1)] : [undefined, entry]
    if (secret.length < 8) throw new Error('has a secret shorter than 8 characters')
    return { id: id ?? secretFingerprint(secret), secret }
  })
}

export function secretFingerprint(secret: string): string {
  return `sha256:${crypto.createHash('sha256').update(secret, 'utf8').digest('hex').slice(0, 8)}`
}

export type SinchCredentials =
  | { mode: 'apiToken'; servicePlanId: string; apiToken: string }
  | { mode: 'oauth2'; projectId: string; keyId: string; keySecret: string }

export type AppConfig = {
  sandbox: boolean
  sinch: {
    region: SinchRegion
    credentials: SinchCredentials
    smsBaseUrl: string
    authUrl: string
    from?: string
    deliveryReport: 'per_recipient' | 'per_recipient_final'
    requestTimeoutMs: number
    /** Staff may send pictures as MMS (mt_media batches): only when Sinch enabled MMS for the plan. */
    mmsEnabled: boolean
  }
  /**
   * The Conversation API (WhatsApp), or null when it is not configured (real
   * SMS credentials without SINCH_CONVERSATION_APP_ID). Without credentials
   * it is the sandbox's, reached by the same client.
   */
  conversation: {
    region: ConversationRegion
    baseUrl: string
    authUrl: string
    appId: string
    projectId: string
    keyId: string
    keySecret: string
    requestTimeoutMs: number
  } | null
  callbacks: {
    url: string
    auth: 'hmac' | 'token' | 'basic' | 'none'
    secrets: CallbackSecret[]
    token?: string
    basic?: { user: string; password: string }
    toleranceSeconds: number
    maxBodyBytes: number
    /** How many reports for unknown recipients one callback may store (the rest are counted, not stored). */
    maxUnmatchedReports: number
  }
  phoneDefaultRegion: string
  /** Asking Sinch about recipients whose report never came (src/services/reconciliation). */
  reconcile: {
    /** A non-final recipient is stuck after this long without news, and checks are this far apart. */
    afterMs: number
    /** After this many checks, a recipient with no final status ends Unknown. */
    maxAttempts: number
    /** How often the api looks for stuck recipients; 0: never (yarn rw exec reconcile still does). */
    intervalMs: number
  }
  /** Health, metrics and the stalled-delivery alarm (README "Monitoring"). */
  operations: {
    /** The Prometheus endpoint's own port (0: no endpoint) and the address it listens on. */
    metricsPort: number
    metricsHost: string
    /** /readyz fails when the database does not answer within this. */
    readinessTimeoutMs: number
    /** On SIGTERM, how long /readyz answers 503 (while serving) before the server closes. */
    shutdownDrainMs: number
    alarm: {
      /** Messages in flight and no callback stored for this long: delivery has stalled. */
      stallMs: number
      /** Refused callbacks above this share of all callbacks in the window (and at least refusedMin). */
      refusedShare: number
      refusedMin: number
      /** How often each instance checks (and pushes a change to staff screens); answers are cached for half of it. */
      pollSeconds: number
    }
  }
  /** Live updates pushed to browsers (src/lib/live). */
  live: {
    /** Open event streams one user may hold on one api instance (tabs); more are answered 429. */
    maxStreamsPerUser: number
    /** Open event streams on one api instance, everyone together. */
    maxStreams: number
  }
  /** Upper-case reply keywords that opt a number out of, or back into, messages. */
  optOutKeywords: string[]
  optInKeywords: string[]
  /** How long what outsiders make us store is kept (src/services/retention). */
  retention: {
    /** The callback log (raw bodies and headers): events older than this are deleted. */
    callbackMs: number
    /** Reports that never found their message (recipientId null) are deleted after this. */
    unmatchedMs: number
    /**
     * UNMATCHED and FAILED callbacks stay re-processable at least this long:
     * the longer of the two above.
     */
    reprocessableMs: number
    /** How often the api prunes; 0: never (yarn rw exec prune still does). */
    intervalMs: number
    /** Rows per DELETE. */
    batchSize: number
  }
  /** Media in conversations (src/services/media, README "Media"). */
  media: {
    /** Largest file fetched from Sinch (enforced while streaming). */
    maxBytes: number
    /** Largest file staff may upload. */
    uploadMaxBytes: number
    /** MIME types we keep, as found in the bytes (src/lib/mediaTypes.ts). */
    allowedTypes: string[]
    /** Hosts media is fetched from (`*.example.com` matches subdomains): nothing else is ever fetched. */
    fetchAllowedHosts: string[]
    /** Plain http is allowed only for the sandbox (on this machine). */
    allowHttp: boolean
    fetchIntervalMs: number
    fetchMaxAttempts: number
    /** First retry after this; each later one waits twice as long. */
    fetchRetryMs: number
    fetchTimeoutMs: number
    /** Signs the expiring URLs Sinch fetches our outbound files from. */
    urlSecret: string
    urlTtlMs: number
    /** Where Sinch reaches /mediaPublic (defaults to SINCH_CALLBACK_URL's directory). */
    publicBaseUrl: string
    /** Stored copies are deleted after this (the row stays, marked PRUNED). */
    retentionMs: number
  }
  /** Audience sends: chunking, background submission, review (src/services/sending). */
  send: {
    /** Recipients per Sinch batch (Sinch's limit is 1,000). */
    chunkSize: number
    /** Chunks one api instance submits at once. */
    concurrency: number
    /** Attempts of a chunk that Sinch did not answer (timeouts, 5xx) before it is Failed; 429s do not count. */
    maxAttempts: number
    /** A chunk claimed this long ago and still not recorded is taken over (its submitter crashed). */
    leaseMs: number
    /** How often each instance looks for chunks to submit; 0: only right after a send. */
    pollMs: number
    /** The most recipients one send may have. */
    maxAudience: number
    /** The review's cost estimate: a price per SMS part, by longest matching prefix, else the default. */
    price: { perPart: number; currency: string; byPrefix: { prefix: string; perPart: number }[] }
  }
  /** Staff sessions (dbAuth cookies). */
  session: {
    /** A session ends this long after sign-in, whatever the cookie says (checked server-side). */
    maxAgeMs: number
    /**
     * The cookie's Secure flag. Production: from SESSION_COOKIE_SECURE
     * (default true), never from request headers. Elsewhere undefined: the
     * auth function decides per request (plain HTTP to localhost in dev).
     */
    cookieSecure: boolean | undefined
  }
  /** Sign-in throttling (src/services/signInAttempts). */
  signIn: {
    maxFailuresPerAccount: number
    maxFailuresPerAddress: number
    lockoutMs: number
  }
  /** CallbackRejection rows per client address and hour; the rest are only counted. */
  callbackRejectionsPerAddressPerHour: number
  /**
   * fastify's trustProxy: whether X-Forwarded-For names the client (the
   * address sign-in throttling and refused-callback limits count by).
   * false: the connection's address; true: any proxy; a number: that many
   * hops; else a comma-separated list of proxy addresses or CIDRs.
   */
  trustProxy: boolean | number | string
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration (see .env.example):\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(source)
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'} ${i.message}`))
  }
  const env = parsed.data
  if (env.NODE_ENV === 'production') {
    const problems = refusedInProduction(env)
    if (problems.length > 0) throw new ConfigError(problems)
  }
  const credentials: SinchCredentials | undefined =
    env.SINCH_SERVICE_PLAN_ID && env.SINCH_API_TOKEN
      ? { mode: 'apiToken', servicePlanId: env.SINCH_SERVICE_PLAN_ID, apiToken: env.SINCH_API_TOKEN }
      : env.SINCH_PROJECT_ID && env.SINCH_KEY_ID && env.SINCH_KEY_SECRET
        ? { mode: 'oauth2', projectId: env.SINCH_PROJECT_ID, keyId: env.SINCH_KEY_ID, keySecret: env.SINCH_KEY_SECRET }
        : undefined
  const sandbox = !credentials

  const secrets = env.SINCH_CALLBACK_SECRETS
    ? parseSecrets(env.SINCH_CALLBACK_SECRETS)
    : sandbox
      ? [{ id: 'sandbox', secret: SANDBOX_CALLBACK_SECRET }]
      : []
  if (env.SINCH_CALLBACK_AUTH === 'hmac' && secrets.length === 0) {
    throw new ConfigError([
      'SINCH_CALLBACK_SECRETS is required when SINCH_CALLBACK_AUTH=hmac with real Sinch credentials: ask Sinch to enable HMAC for the service plan and set the secret here, or choose SINCH_CALLBACK_AUTH=token',
    ])
  }

  const regionHost = (oauth: boolean) => `https://${oauth ? 'zt.' : ''}${env.SINCH_REGION}.sms.api.sinch.com`
  const smsBaseUrl = sandbox
    ? env.SINCH_SANDBOX_URL
    : (env.SINCH_SMS_BASE_URL ?? regionHost(credentials.mode === 'oauth2'))
  const authUrl = sandbox
    ? `${env.SINCH_SANDBOX_URL.replace(/\/$/, '')}/oauth2/token`
    : (env.SINCH_AUTH_URL ?? 'https://auth.sinch.com/oauth2/token')

  const conversation: AppConfig['conversation'] = sandbox
    ? {
        region: env.SINCH_CONVERSATION_REGION,
        baseUrl: env.SINCH_SANDBOX_URL.replace(/\/$/, ''),
        authUrl,
        appId: SANDBOX_CONVERSATION_APP_ID,
        projectId: SANDBOX_PROJECT_ID,
        keyId: SANDBOX_KEY_ID,
        keySecret: SANDBOX_KEY_SECRET,
        requestTimeoutMs: env.SINCH_REQUEST_TIMEOUT_MS,
      }
    : env.SINCH_CONVERSATION_APP_ID && env.SINCH_PROJECT_ID && env.SINCH_KEY_ID && env.SINCH_KEY_SECRET
      ? {
          region: env.SINCH_CONVERSATION_REGION,
          baseUrl: (
            env.SINCH_CONVERSATION_BASE_URL ?? `https://${env.SINCH_CONVERSATION_REGION}.conversation.api.sinch.com`
          ).replace(/\/$/, ''),
          authUrl: env.SINCH_AUTH_URL ?? 'https://auth.sinch.com/oauth2/token',
          appId: env.SINCH_CONVERSATION_APP_ID,
          projectId: env.SINCH_PROJECT_ID,
          keyId: env.SINCH_KEY_ID,
          keySecret: env.SINCH_KEY_SECRET,
          requestTimeoutMs: env.SINCH_REQUEST_TIMEOUT_MS,
        }
      : null

  const [basicUser, ...basicRest] = (env.SINCH_CALLBACK_BASIC ?? '').split(':')
  return {
    sandbox,
    sinch: {
      region: env.SINCH_REGION,
      credentials: credentials ?? {
        mode: 'apiToken',
        servicePlanId: SANDBOX_SERVICE_PLAN_ID,
        apiToken: SANDBOX_API_TOKEN,
      },
      smsBaseUrl: smsBaseUrl.replace(/\/$/, ''),
      authUrl,
      from: env.SINCH_FROM,
      deliveryReport: env.SINCH_DELIVERY_REPORT,
      requestTimeoutMs: env.SINCH_REQUEST_TIMEOUT_MS,
      mmsEnabled: env.SINCH_MMS_ENABLED ?? false,
    },
    conversation,
    callbacks: {
      url: env.SINCH_CALLBACK_URL,
      auth: env.SINCH_CALLBACK_AUTH,
      secrets,
      token: env.SINCH_CALLBACK_TOKEN,
      basic: env.SINCH_CALLBACK_BASIC ? { user: basicUser, password: basicRest.join(':') } : undefined,
      toleranceSeconds: env.SINCH_CALLBACK_TOLERANCE_SECONDS,
      maxBodyBytes: env.SINCH_CALLBACK_MAX_BODY_BYTES,
      maxUnmatchedReports: env.SINCH_CALLBACK_MAX_UNMATCHED_REPORTS,
    },
    phoneDefaultRegion: env.PHONE_DEFAULT_REGION,
    reconcile: {
      afterMs: Math.round(env.RECONCILE_AFTER_MINUTES * 60_000),
      maxAttempts: env.RECONCILE_MAX_ATTEMPTS,
      intervalMs: env.RECONCILE_INTERVAL_SECONDS * 1000,
    },
    operations: {
      metricsPort: env.METRICS_PORT,
      metricsHost: env.METRICS_HOST,
      readinessTimeoutMs: env.READINESS_TIMEOUT_MS,
      shutdownDrainMs: env.API_SHUTDOWN_DRAIN_MS,
      alarm: {
        stallMs: Math.round(env.ALARM_STALL_MINUTES * 60_000),
        refusedShare: env.ALARM_REFUSED_SHARE,
        refusedMin: env.ALARM_REFUSED_MIN,
        pollSeconds: env.ALARM_POLL_SECONDS,
      },
    },
    live: { maxStreamsPerUser: env.LIVE_MAX_STREAMS_PER_USER, maxStreams: env.LIVE_MAX_STREAMS },
    optOutKeywords: env.OPT_OUT_KEYWORDS,
    optInKeywords: env.OPT_IN_KEYWORDS,
    retention: {
      callbackMs: Math.round(env.RETENTION_CALLBACK_DAYS * DAY_MS),
      unmatchedMs: Math.round(env.RETENTION_UNMATCHED_DAYS * DAY_MS),
      reprocessableMs: Math.round(Math.max(env.RETENTION_CALLBACK_DAYS, env.RETENTION_UNMATCHED_DAYS) * DAY_MS),
      intervalMs: env.RETENTION_INTERVAL_SECONDS * 1000,
      batchSize: env.RETENTION_BATCH_SIZE,
    },
    media: mediaConfig(env, sandbox),
    send: {
      chunkSize: env.SEND_CHUNK_SIZE,
      concurrency: env.SEND_CHUNK_CONCURRENCY,
      maxAttempts: env.SEND_CHUNK_MAX_ATTEMPTS,
      leaseMs: env.SEND_CHUNK_LEASE_SECONDS * 1000,
      pollMs: env.SEND_CHUNK_POLL_MS,
      maxAudience: env.SEND_MAX_AUDIENCE,
      price: {
        perPart: env.SMS_PRICE_PER_PART,
        currency: env.SMS_PRICE_CURRENCY,
        byPrefix: parsePriceByPrefix(env.SMS_PRICE_BY_PREFIX),
      },
    },
    session: {
      maxAgeMs: Math.round(env.SESSION_MAX_AGE_HOURS * 3_600_000),
      cookieSecure: env.NODE_ENV === 'production' ? (env.SESSION_COOKIE_SECURE ?? true) : env.SESSION_COOKIE_SECURE,
    },
    signIn: {
      maxFailuresPerAccount: env.SIGN_IN_MAX_FAILURES_PER_ACCOUNT,
      maxFailuresPerAddress: env.SIGN_IN_MAX_FAILURES_PER_ADDRESS,
      lockoutMs: env.SIGN_IN_LOCKOUT_MINUTES * 60_000,
    },
    callbackRejectionsPerAddressPerHour: env.CALLBACK_REJECTIONS_PER_ADDRESS_PER_HOUR,
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
  }
}

function mediaConfig(env: z.infer<typeof envSchema>, sandbox: boolean): AppConfig['media'] {
  const list = (raw: string | undefined) =>
    (raw ?? '')
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean)
  const allowedTypes = env.MEDIA_ALLOWED_TYPES ? list(env.MEDIA_ALLOWED_TYPES) : [...SNIFFABLE_MEDIA_TYPES]
  const unknown = allowedTypes.filter((t) => !(SNIFFABLE_MEDIA_TYPES as readonly string[]).includes(t))
  if (unknown.length > 0)
    throw new ConfigError([
      `MEDIA_ALLOWED_TYPES names ${unknown.join(', ')}: only types the desk recognises in the bytes can be allowed (${SNIFFABLE_MEDIA_TYPES.join(', ')})`,
    ])
  const sandboxHost = new URL(env.SINCH_SANDBOX_URL).hostname.toLowerCase()
  const fetchAllowedHosts = env.MEDIA_FETCH_ALLOWED_HOSTS
    ? list(env.MEDIA_FETCH_ALLOWED_HOSTS)
    : sandbox
      ? [sandboxHost]
      : ['*.sinch.com']
  const callbackUrl = new URL(env.SINCH_CALLBACK_URL)
  const directory = callbackUrl.pathname.replace(/\/[^/]*$/, '')
  return {
    maxBytes: env.MEDIA_MAX_BYTES,
    uploadMaxBytes: env.MEDIA_UPLOAD_MAX_BYTES,
    allowedTypes,
    fetchAllowedHosts,
    allowHttp: sandbox,
    fetchIntervalMs: env.MEDIA_FETCH_INTERVAL_SECONDS * 1000,
    fetchMaxAttempts: env.MEDIA_FETCH_MAX_ATTEMPTS,
    fetchRetryMs: Math.round(env.MEDIA_FETCH_RETRY_SECONDS * 1000),
    fetchTimeoutMs: env.MEDIA_FETCH_TIMEOUT_MS,
    urlSecret:
      env.MEDIA_URL_SECRET ??
      crypto.createHmac('sha256', env.SESSION_SECRET).update('delivery-desk media URLs').digest('hex'),
    urlTtlMs: env.MEDIA_URL_TTL_SECONDS * 1000,
    publicBaseUrl: (env.MEDIA_PUBLIC_BASE_URL ?? `${callbackUrl.origin}${directory}`).replace(/\/$/, ''),
    retentionMs: Math.round(env.RETENTION_MEDIA_DAYS * DAY_MS),
  }
}

function parseTrustProxy(raw: string | undefined): boolean | number | string {
  if (!raw || /^(false|0|no)$/i.test(raw)) return false
  if (/^(true|yes)$/i.test(raw)) return true
  if (/^\d+$/.test(raw)) return Number(raw)
  return raw
}

/**
 * What NODE_ENV=production refuses to start with, by the name that
 * ALLOW_UNSAFE_PRODUCTION takes to allow it anyway (comma-separated).
 */
export const UNSAFE_PRODUCTION_CHECKS = [
  'sandbox',
  'callback-auth-none',
  'weak-callback-secret',
  'placeholder-session-secret',
  'verbose-logging',
] as const
export type UnsafeProductionCheck = (typeof UNSAFE_PRODUCTION_CHECKS)[number]

/** Callback secrets (HMAC secrets, token, Basic password) must be at least this long in production. */
export const MIN_PRODUCTION_CALLBACK_SECRET_LENGTH = 32

/**
 * Session secrets published in this repository (.env.example, the api's Jest
 * setup): whoever has read them can forge cookies. Placeholder-looking values
 * ("replace-…", "your-…", "changeme-…") and one repeated character count too.
 */
const KNOWN_PLACEHOLDER_SESSION_SECRETS = new Set([
  'replace-with-output-of-yarn-rw-g-secret',
  'jest-only-session-secret-not-used-for-anything-real',
])

function isPlaceholderSessionSecret(secret: string): boolean {
  const s = secret.trim().toLowerCase()
  return (
    KNOWN_PLACEHOLDER_SESSION_SECRETS.has(s) ||
    /^(replace|change|your|example|placeholder|todo|dummy)[-_ ]/.test(s) ||
    // One character repeated ("xxxx…"): long enough for zod, no secret at all.
    new Set(s).size <= 2
  )
}

function refusedInProduction(env: z.infer<typeof envSchema>): string[] {
  const allowed = new Set((env.ALLOW_UNSAFE_PRODUCTION ?? '').split(',').map((s) => s.trim()))
  const unknown = [...allowed].filter((s) => s && !(UNSAFE_PRODUCTION_CHECKS as readonly string[]).includes(s))
  const problems: string[] = unknown.map(
    (name) => `ALLOW_UNSAFE_PRODUCTION names "${name}", which is no check: use ${UNSAFE_PRODUCTION_CHECKS.join(', ')}`
  )
  const refuse = (check: UnsafeProductionCheck, variable: string, problem: string, fix: string) => {
    if (allowed.has(check)) return
    problems.push(
      `${variable} ${problem} — refused because NODE_ENV=production. Fix: ${fix}. To start anyway, add ${check} to ALLOW_UNSAFE_PRODUCTION.`
    )
  }

  const credentials =
    (env.SINCH_SERVICE_PLAN_ID && env.SINCH_API_TOKEN) ||
    (env.SINCH_PROJECT_ID && env.SINCH_KEY_ID && env.SINCH_KEY_SECRET)
  if (!credentials) {
    refuse(
      'sandbox',
      'SINCH_SERVICE_PLAN_ID',
      'is not set (nor SINCH_PROJECT_ID/SINCH_KEY_ID/SINCH_KEY_SECRET): messages would go to the built-in sandbox and reach no phone',
      'set SINCH_SERVICE_PLAN_ID and SINCH_API_TOKEN (or a project access key) from your Sinch dashboard'
    )
  }
  if (env.SINCH_CALLBACK_AUTH === 'none') {
    refuse(
      'callback-auth-none',
      'SINCH_CALLBACK_AUTH',
      'is none: anyone who finds /sinchCallbacks can change delivery statuses',
      'use hmac (ask Sinch to enable HMAC), token or basic'
    )
  }
  const weak: string[] = []
  const secrets = env.SINCH_CALLBACK_SECRETS ? parseSecrets(env.SINCH_CALLBACK_SECRETS) : []
  if (env.SINCH_CALLBACK_AUTH === 'hmac' && secrets.length === 0 && !credentials) {
    weak.push('SINCH_CALLBACK_SECRETS is unset, so the sandbox secret published in this repository verifies callbacks')
  }
  for (const { id, secret } of secrets) {
    if (secret === SANDBOX_CALLBACK_SECRET) weak.push(`secret ${id} is the sandbox secret published in this repository`)
    else if (secret.length < MIN_PRODUCTION_CALLBACK_SECRET_LENGTH) {
      weak.push(`secret ${id} has ${secret.length} characters`)
    }
  }
  if (weak.length > 0) {
    refuse(
      'weak-callback-secret',
      'SINCH_CALLBACK_SECRETS',
      `is not safe: ${weak.join('; ')}`,
      `use secrets of at least ${MIN_PRODUCTION_CALLBACK_SECRET_LENGTH} random characters (openssl rand -hex 32) and set the same in Sinch`
    )
  }
  if (
    env.SINCH_CALLBACK_AUTH === 'token' &&
    (env.SINCH_CALLBACK_TOKEN ?? '').length < MIN_PRODUCTION_CALLBACK_SECRET_LENGTH
  ) {
    refuse(
      'weak-callback-secret',
      'SINCH_CALLBACK_TOKEN',
      `is shorter than ${MIN_PRODUCTION_CALLBACK_SECRET_LENGTH} characters`,
      'use openssl rand -hex 32, in the token and in SINCH_CALLBACK_URL'
    )
  }
  const basicPassword = (env.SINCH_CALLBACK_BASIC ?? '').split(':').slice(1).join(':')
  if (env.SINCH_CALLBACK_AUTH === 'basic' && basicPassword.length < MIN_PRODUCTION_CALLBACK_SECRET_LENGTH) {
    refuse(
      'weak-callback-secret',
      'SINCH_CALLBACK_BASIC',
      `has a password shorter than ${MIN_PRODUCTION_CALLBACK_SECRET_LENGTH} characters`,
      'use user:$(openssl rand -hex 32) here and in Sinch'
    )
  }
  if (isPlaceholderSessionSecret(env.SESSION_SECRET)) {
    refuse(
      'placeholder-session-secret',
      'SESSION_SECRET',
      'is a published placeholder: anyone who knows it can forge staff sessions',
      'put the output of `yarn rw g secret` in SESSION_SECRET'
    )
  }
  if (['debug', 'trace'].includes((env.LOG_LEVEL ?? '').toLowerCase())) {
    refuse(
      'verbose-logging',
      'LOG_LEVEL',
      `is ${env.LOG_LEVEL}: requests, SQL and callback bodies (phone numbers, message text) would be logged`,
      'set LOG_LEVEL=info (or warn); note that .env.defaults sets debug for development'
    )
  }
  return problems
}

let cached: AppConfig | undefined

/** The process-wide configuration, validated on first use. */
export function config(): AppConfig {
  cached ??= loadConfig()
  return cached
}

/** Tests change the environment and call this to re-read it. */
export function resetConfigForTests() {
  cached = undefined
}
