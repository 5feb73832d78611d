import { ConversationCallbackWebhooks, SmsCallbackWebhooks } from '@sinch/sdk-core'

import {
  computeSinchSignature,
  describeSignatureFailure,
  signSinchCallback,
  verifySinchSignature,
} from '../sinchSignature'

// Vectors A1 and A2 of docs/sinch-protocol.md#callback-authentication.
const A1 = {
  secret: 'deliverytrack-secret',
  nonce: '01JNONCE0000000000000000AA',
  timestamp: '1740823200',
  body: '{"type":"recipient_delivery_report_sms","batch_id":"01HZX0TESTBATCH0000000001","recipient":"46701234567","code":401,"status":"Dispatched","at":"2025-03-01T10:00:00.123Z","client_reference":"order-42"}',
  signature: 'p1XI/SK9OlUAwOce2v8Ky0vUo5ysbKEZLUzfOWyIDUQ=',
}
const A2 = {
  secret: 'conv-webhook-secret',
  nonce: '01JNONCE0000000000000000BB',
  timestamp: '1740823202',
  body: '{"app_id":"01APPID0000000000000000000","accepted_time":"2025-03-01T10:00:01.000Z","event_time":"2025-03-01T10:00:02.000Z","project_id":"proj-1","message_delivery_report":{"message_id":"01MSGID0000000000000000000","conversation_id":"","status":"DELIVERED","channel_identity":{"channel":"WHATSAPP","identity":"46701234567","app_id":""},"contact_id":"","metadata":"order-42","processing_mode":"DISPATCH"},"message_metadata":"order-42"}',
  signature: 'xC15Abhyq5hgsw0uQ0X7DS4pjL4V+FU/8fFpYBnpoh8=',
}

const headersFor = (v: typeof A1, overrides: Record<string, string | undefined> = {}) => {
  const headers: Record<string, string | undefined> = {
    'x-sinch-webhook-signature': v.signature,
    'x-sinch-webhook-signature-nonce': v.nonce,
    'x-sinch-webhook-signature-timestamp': v.timestamp,
    'x-sinch-webhook-signature-algorithm': 'HmacSHA256',
    ...overrides,
  }
  return headers
}

const verify = (
  v: typeof A1,
  overrides: Record<string, string | undefined> = {},
  extra: Partial<Parameters<typeof verifySinchSignature>[0]> = {}
) =>
  verifySinchSignature({
    headers: headersFor(v, overrides),
    rawBody: v.body,
    secrets: [{ id: 'current', secret: v.secret }],
    toleranceSeconds: 300,
    nowMs: Number(v.timestamp) * 1000 + 5_000,
    ...extra,
  })

describe('computeSinchSignature', () => {
  it.each([
    ['A1 SMS recipient report', A1],
    ['A2 Conversation delivery report', A2],
  ])('reproduces vector %s', (_name, v) => {
    expect(computeSinchSignature(v.secret, v.body, v.nonce, v.timestamp)).toBe(v.signature)
  })
})

describe('verifySinchSignature', () => {
  it('accepts both vectors inside the window and says which secret matched', () => {
    expect(verify(A1)).toEqual({ ok: true, secretId: 'current', nonce: A1.nonce, timestamp: 1740823200 })
    expect(verify(A2)).toMatchObject({ ok: true, secretId: 'current' })
  })

  it('rejects a tampered body', () => {
    const result = verifySinchSignature({
      headers: headersFor(A1),
      rawBody: A1.body.replace('Dispatched', 'Delivered'),
      secrets: [{ id: 'current', secret: A1.secret }],
      toleranceSeconds: 300,
      nowMs: Number(A1.timestamp) * 1000,
    })
    expect(result).toEqual({ ok: false, reason: 'signature_mismatch', triedSecretIds: ['current'] })
  })

  it('rejects the body re-serialised with whitespace (bytes are what is signed)', () => {
    const reformatted = JSON.stringify(JSON.parse(A1.body), null, 1)
    const result = verifySinchSignature({
      headers: headersFor(A1),
      rawBody: reformatted,
      secrets: [{ id: 'current', secret: A1.secret }],
      toleranceSeconds: 300,
      nowMs: Number(A1.timestamp) * 1000,
    })
    expect(result.ok).toBe(false)
  })

  it('rejects a wrong secret and names the secrets tried, never the secret', () => {
    const result = verify(A1, {}, { secrets: [{ id: 'sha256:deadbeef', secret: 'not-the-secret' }] })
    expect(result).toEqual({ ok: false, reason: 'signature_mismatch', triedSecretIds: ['sha256:deadbeef'] })
    if (!result.ok) expect(describeSignatureFailure(result)).not.toContain('not-the-secret')
  })

  it('verifies with any of several secrets during a rotation', () => {
    const result = verify(
      A1,
      {},
      {
        secrets: [
          { id: 'new', secret: 'the-new-secret-value' },
          { id: 'old', secret: A1.secret },
        ],
      }
    )
    expect(result).toMatchObject({ ok: true, secretId: 'old' })
  })

  it.each([
    'x-sinch-webhook-signature',
    'x-sinch-webhook-signature-nonce',
    'x-sinch-webhook-signature-timestamp',
    'x-sinch-webhook-signature-algorithm',
  ])('rejects a request without %s', (header) => {
    expect(verify(A1, { [header]: undefined })).toEqual({ ok: false, reason: 'missing_header', header })
  })

  it('reads header names case-insensitively and the first of repeated values', () => {
    const result = verifySinchSignature({
      headers: {
        'X-Sinch-Webhook-Signature': [A1.signature, 'other'],
        'X-SINCH-WEBHOOK-SIGNATURE-NONCE': A1.nonce,
        'x-sinch-webhook-signature-timestamp': A1.timestamp,
        'x-sinch-webhook-signature-algorithm': 'HmacSHA256',
      },
      rawBody: A1.body,
      secrets: [{ id: 'current', secret: A1.secret }],
      toleranceSeconds: 300,
      nowMs: Number(A1.timestamp) * 1000,
    })
    expect(result.ok).toBe(true)
  })

  it.each(['HmacSHA1', 'HmacSHA512', 'hmacsha256', 'none'])('rejects algorithm %s', (algorithm) => {
    expect(verify(A1, { 'x-sinch-webhook-signature-algorithm': algorithm })).toEqual({
      ok: false,
      reason: 'unsupported_algorithm',
      algorithm,
    })
  })

  it('rejects stale and future timestamps outside the window, with the skew', () => {
    const stale = verify(A1, {}, { nowMs: (Number(A1.timestamp) + 301) * 1000 })
    expect(stale).toEqual({ ok: false, reason: 'timestamp_out_of_window', skewSeconds: 301, toleranceSeconds: 300 })
    const future = verify(A1, {}, { nowMs: (Number(A1.timestamp) - 400) * 1000 })
    expect(future).toEqual({ ok: false, reason: 'timestamp_out_of_window', skewSeconds: -400, toleranceSeconds: 300 })
    if (!future.ok) expect(describeSignatureFailure(future)).toBe('timestamp 400s in the future (window ±300s)')
    expect(verify(A1, {}, { nowMs: (Number(A1.timestamp) + 300) * 1000 }).ok).toBe(true)
  })

  it.each([
    ['a millisecond timestamp-like value with letters', 'x-sinch-webhook-signature-timestamp', '17408232O0'],
    ['a non-base64 signature', 'x-sinch-webhook-signature', 'not base64!'],
    ['a hex signature', 'x-sinch-webhook-signature', 'a'.repeat(64)],
    ['a nonce with spaces', 'x-sinch-webhook-signature-nonce', 'a nonce'],
  ])('rejects %s as malformed', (_name, header, value) => {
    expect(verify(A1, { [header]: value })).toEqual({ ok: false, reason: 'malformed_header', header })
  })

  it('refuses to verify when no secret is configured', () => {
    expect(verify(A1, {}, { secrets: [] })).toEqual({ ok: false, reason: 'no_secret_configured' })
  })

  it('verifies what signSinchCallback produces', () => {
    const body = '{"type":"mo_text"}'
    const headers = signSinchCallback('a-secret-for-tests', body)
    expect(
      verifySinchSignature({
        headers,
        rawBody: body,
        secrets: [{ id: 'x', secret: 'a-secret-for-tests' }],
        toleranceSeconds: 300,
      }).ok
    ).toBe(true)
  })
})

describe('agreement with the official @sinch/sdk-core 1.4.0 validator', () => {
  // The SDK has no time window, so only signature agreement is compared.
  const sdkSms = (v: typeof A1, body: string, headers = headersFor(v)) =>
    new SmsCallbackWebhooks(v.secret).validateAuthenticationHeader(headers as never, body)
  const ours = (v: typeof A1, body: string, headers = headersFor(v)) =>
    verifySinchSignature({
      headers,
      rawBody: body,
      secrets: [{ id: 'k', secret: v.secret }],
      toleranceSeconds: 300,
      nowMs: Number(v.timestamp) * 1000,
    }).ok

  it('agrees on both vectors (SMS and Conversation validators)', () => {
    expect(sdkSms(A1, A1.body)).toBe(true)
    expect(ours(A1, A1.body)).toBe(true)
    expect(
      new ConversationCallbackWebhooks(A2.secret).validateAuthenticationHeader(headersFor(A2) as never, A2.body)
    ).toBe(true)
    expect(ours(A2, A2.body)).toBe(true)
  })

  it('agrees on a tampered body and a wrong signature', () => {
    const tampered = A1.body.replace('46701234567', '46701234568')
    expect([sdkSms(A1, tampered), ours(A1, tampered)]).toEqual([false, false])
    const wrong = headersFor(A1, {
      'x-sinch-webhook-signature': computeSinchSignature('other', A1.body, A1.nonce, A1.timestamp),
    })
    expect([sdkSms(A1, A1.body, wrong), ours(A1, A1.body, wrong)]).toEqual([false, false])
  })

  it('is stricter where the SDK is loose: an unsupported algorithm header', () => {
    const headers = headersFor(A1, { 'x-sinch-webhook-signature-algorithm': 'HmacSHA1' })
    expect(sdkSms(A1, A1.body, headers)).toBe(true)
    expect(ours(A1, A1.body, headers)).toBe(false)
  })

  it('agrees on many random bodies, nonces and secrets', () => {
    for (let i = 0; i < 200; i++) {
      const secret = `secret-${i}-${Math.random().toString(36)}`
      const body = JSON.stringify({ type: 'recipient_delivery_report_sms', n: i, s: 'ünïcødé ✓' })
      const headers = signSinchCallback(secret, body)
      const v = { ...A1, secret, timestamp: headers['x-sinch-webhook-signature-timestamp'] }
      const flip = i % 2 === 1
      const sent = flip ? body.replace('✓', '✗') : body
      const sdk = new SmsCallbackWebhooks(secret).validateAuthenticationHeader(headers as never, sent)
      const ourResult = ours(v, sent, headers)
      expect(ourResult).toBe(sdk)
      expect(ourResult).toBe(!flip)
    }
  })
})
