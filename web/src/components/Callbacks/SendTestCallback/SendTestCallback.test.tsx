import { useState } from 'react'

import { fireEvent, render, screen } from '@redwoodjs/testing/web'

import SendTestCallback, { headline, TestCallbackOutcome } from './SendTestCallback'

const accepted = {
  __typename: 'TestCallbackResult' as const,
  outcome: 'ACCEPTED' as const,
  url: 'https://abc123.ngrok-free.app/sinchCallbacks',
  auth: 'hmac',
  secretId: 'current',
  batchId: '01HXBATCH',
  recipient: '+46701234567',
  existingRecipient: true,
  httpStatus: 200,
  responseBody: '{"status":"duplicate","state":"processed","stored":0}',
  error: null,
  durationMs: 84,
  summary:
    'Accepted: https://abc123.ngrok-free.app/sinchCallbacks answered 200. The desk recorded it as duplicate, processed (a repeat of a stored report: nothing changed).',
  callbackEvent: {
    __typename: 'CallbackEvent' as const,
    id: 9,
    verdict: 'DUPLICATE' as const,
    processingState: 'PROCESSED' as const,
  },
  rejection: null,
}

const Harness = () => {
  const [result, setResult] = useState<typeof accepted | null>(null)
  return (
    <>
      <SendTestCallback onResult={(r) => setResult(r as typeof accepted)} />
      {result && <TestCallbackOutcome result={result} />}
    </>
  )
}

describe('SendTestCallback', () => {
  it('sends a test callback on click and shows it accepted', async () => {
    mockGraphQLMutation('SendTestCallbackMutation', () => ({ sendTestCallback: accepted }))
    render(<Harness />)
    fireEvent.click(screen.getByRole('button', { name: 'Send a test callback' }))
    const status = await screen.findByRole('status')
    expect(status).toHaveTextContent('✓ Accepted (200)')
    expect(status).toHaveTextContent('recorded it as duplicate, processed')
    expect(status).toHaveTextContent(
      'A repeat of the latest report for +46701234567 (batch 01HXBATCH), posted to https://abc123.ngrok-free.app/sinchCallbacks with hmac (secret current) in 84 ms.'
    )
  })

  it('shows a refusal with the reason the desk recorded', async () => {
    const refused = {
      ...accepted,
      outcome: 'REFUSED' as const,
      httpStatus: 401,
      existingRecipient: false,
      callbackEvent: null,
      summary: 'Refused (401): signature matches none of the configured secrets (current).',
      rejection: {
        __typename: 'CallbackRejection' as const,
        id: 3,
        reason: 'signature_mismatch',
        reasonText: 'signature matches none of the configured secrets (current)',
        host: 'x',
        forwardedProto: 'https',
        forwardedHost: null,
      },
    }
    mockGraphQLMutation('SendTestCallbackMutation', () => ({ sendTestCallback: refused }))
    render(<Harness />)
    fireEvent.click(screen.getByRole('button', { name: 'Send a test callback' }))
    expect(
      await screen.findByText('✗ Refused (401): signature matches none of the configured secrets (current)')
    ).toBeInTheDocument()
    expect(screen.getByRole('status')).toHaveTextContent('A report for a made-up batch')
  })

  it('puts every outcome plainly', () => {
    expect(
      headline({ ...accepted, outcome: 'UNREACHABLE', httpStatus: null, error: 'fetch failed: ECONNREFUSED' })
    ).toBe('✗ Unreachable: fetch failed: ECONNREFUSED')
    expect(headline({ ...accepted, outcome: 'FAILED', httpStatus: 502 })).toBe('✗ Answered 502')
    expect(headline({ ...accepted, outcome: 'REFUSED', httpStatus: 401, rejection: null })).toBe(
      '✗ Refused (401): authentication failed'
    )
  })
})
