import { fireEvent, render, screen } from '@redwoodjs/testing/web'

import { standard as events } from 'src/components/Callbacks/CallbackEventsCell/CallbackEventsCell.mock'
import { standard as rejections } from 'src/components/Callbacks/CallbackRejectionsCell/CallbackRejectionsCell.mock'
import { standard as retention } from 'src/components/Callbacks/StorageRetentionCell/StorageRetentionCell.mock'
import { signInAs } from 'src/lib/testing/staff'

import CallbacksPage from './CallbacksPage'

// Signed in as an admin: every action is shown (roles hide some, see src/lib/permissions.ts).
beforeEach(() => signInAs('admin'))

describe('CallbacksPage', () => {
  it('shows authenticated callbacks, and refused ones under their own tab', async () => {
    mockGraphQLQuery('CallbackEventsQuery', events)
    mockGraphQLQuery('CallbackRejectionsQuery', rejections)
    mockGraphQLQuery('StorageRetentionQuery', retention)
    render(<CallbacksPage />)
    expect(await screen.findByText('Body is not valid JSON')).toBeInTheDocument()
    // How long the log keeps callbacks comes from the api's configuration.
    expect(await screen.findByTestId('storage-retention')).toHaveTextContent('Kept for 30 days')
    expect(screen.getByRole('tab', { name: 'Authenticated' })).toHaveAttribute('aria-selected', 'true')

    fireEvent.click(screen.getByRole('tab', { name: 'Refused (401)' }))
    expect(await screen.findByText('timestamp 412s in the past (window ±300s)')).toBeInTheDocument()
    expect(screen.getByRole('tab', { name: 'Refused (401)' })).toHaveAttribute('aria-selected', 'true')
    expect(screen.queryByText('Body is not valid JSON')).not.toBeInTheDocument()
  })

  it('sends a test callback and shows the outcome above the log', async () => {
    mockGraphQLQuery('CallbackEventsQuery', events)
    mockGraphQLMutation('SendTestCallbackMutation', () => ({
      sendTestCallback: {
        __typename: 'TestCallbackResult',
        outcome: 'UNREACHABLE',
        url: 'https://abc123.ngrok-free.app/sinchCallbacks',
        auth: 'hmac',
        secretId: 'current',
        batchId: 'TESTCALLBACK1',
        recipient: '+46700000000',
        existingRecipient: false,
        httpStatus: null,
        responseBody: null,
        error: 'fetch failed: ENOTFOUND',
        durationMs: 12,
        summary: 'Unreachable: https://abc123.ngrok-free.app/sinchCallbacks did not answer (fetch failed: ENOTFOUND).',
        callbackEvent: null,
        rejection: null,
      },
    }))
    render(<CallbacksPage />)
    fireEvent.click(screen.getByRole('button', { name: 'Send a test callback' }))
    expect(await screen.findByText('✗ Unreachable: fetch failed: ENOTFOUND')).toBeInTheDocument()
  })
})
