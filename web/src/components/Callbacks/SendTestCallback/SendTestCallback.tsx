import type { SendTestCallbackMutation, SendTestCallbackMutationVariables } from 'types/graphql'

import { useMutation, type TypedDocumentNode } from '@redwoodjs/web'

export const SEND_TEST_CALLBACK: TypedDocumentNode<SendTestCallbackMutation, SendTestCallbackMutationVariables> = gql`
  mutation SendTestCallbackMutation {
    sendTestCallback {
      outcome
      url
      auth
      secretId
      batchId
      recipient
      existingRecipient
      httpStatus
      responseBody
      error
      durationMs
      summary
      callbackEvent {
        id
        verdict
        processingState
      }
      rejection {
        id
        reason
        reasonText
        host
        forwardedProto
        forwardedHost
      }
    }
  }
`

type Result = SendTestCallbackMutation['sendTestCallback']

const TONE: Record<Result['outcome'], string> = {
  ACCEPTED: 'border-emerald-300 bg-emerald-50 text-emerald-900',
  REFUSED: 'border-rose-300 bg-rose-50 text-rose-900',
  FAILED: 'border-amber-300 bg-amber-50 text-amber-900',
  UNREACHABLE: 'border-rose-300 bg-rose-50 text-rose-900',
}

export function headline(r: Result): string {
  switch (r.outcome) {
    case 'ACCEPTED':
      return `✓ Accepted (${r.httpStatus})`
    case 'REFUSED':
      return `✗ Refused (401): ${r.rejection?.reasonText ?? 'authentication failed'}`
    case 'FAILED':
      return `✗ Answered ${r.httpStatus}`
    case 'UNREACHABLE':
      return `✗ Unreachable: ${r.error}`
  }
}

export const TestCallbackOutcome = ({ result }: { result: Result }) => (
  <div role="status" className={`mb-4 rounded border p-3 text-sm ${TONE[result.outcome]}`}>
    <p className="font-semibold">{headline(result)}</p>
    <p className="mt-1">{result.summary}</p>
    <p className="mt-1 text-xs opacity-80">
      {result.existingRecipient ? 'A repeat of the latest report for' : 'A report for a made-up batch'}{' '}
      {result.recipient} (batch {result.batchId}), posted to <span className="font-mono">{result.url}</span> with{' '}
      {result.auth}
      {result.secretId ? ` (secret ${result.secretId})` : ''} in {result.durationMs} ms.
    </p>
    {result.responseBody && (
      <pre className="mt-1 overflow-x-auto whitespace-pre-wrap break-all rounded bg-white/60 p-2 text-xs">
        {result.responseBody}
      </pre>
    )}
  </div>
)

/** "Send a test callback": signs a report like Sinch, posts it to SINCH_CALLBACK_URL over HTTP, and shows what happened. */
const SendTestCallback = ({ onResult }: { onResult: (result: Result) => void }) => {
  const [send, { loading }] = useMutation(SEND_TEST_CALLBACK, {
    refetchQueries: ['CallbackEventsQuery', 'CallbackRejectionsQuery'],
    onCompleted: ({ sendTestCallback }) => onResult(sendTestCallback),
    onError: (error) =>
      onResult({
        __typename: 'TestCallbackResult',
        outcome: 'UNREACHABLE',
        url: '',
        auth: '',
        secretId: null,
        batchId: '',
        recipient: '',
        existingRecipient: false,
        httpStatus: null,
        responseBody: null,
        error: `the desk could not send it: ${error.message}`,
        durationMs: 0,
        summary: `The desk could not send a test callback: ${error.message}`,
        callbackEvent: null,
        rejection: null,
      }),
  })
  return (
    <button
      type="button"
      disabled={loading}
      onClick={() => send()}
      title="Signs a delivery report like Sinch and posts it to SINCH_CALLBACK_URL (through ngrok or your proxy), then shows what the desk answered and recorded"
      className="rounded border border-indigo-300 bg-white px-3 py-1 text-sm font-medium text-indigo-800 hover:bg-indigo-50 disabled:opacity-60"
    >
      {loading ? 'Sending…' : 'Send a test callback'}
    </button>
  )
}

export default SendTestCallback
