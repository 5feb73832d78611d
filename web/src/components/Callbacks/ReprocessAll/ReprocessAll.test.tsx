import { fireEvent, render, screen } from '@redwoodjs/testing/web'
import { Toaster } from '@redwoodjs/web/toast'

import ReprocessAll, { describeReprocessAll } from './ReprocessAll'

const summary = { __typename: 'ReprocessSummary' as const, total: 3, processed: 1, unmatched: 1, failed: 1 }

describe('ReprocessAll', () => {
  it('describes the outcome', () => {
    expect(describeReprocessAll(summary)).toBe(
      'Re-processed 3 callbacks: 1 processed, 1 still unmatched, 1 still failed.'
    )
    expect(describeReprocessAll({ ...summary, total: 1, processed: 1, unmatched: 0, failed: 0 })).toBe(
      'Re-processed 1 callback: 1 processed.'
    )
    expect(describeReprocessAll({ ...summary, total: 0, processed: 0, unmatched: 0, failed: 0 })).toBe(
      'No unmatched or failed callback to re-process.'
    )
  })

  it('re-processes every unmatched and failed callback on click', async () => {
    mockGraphQLMutation('ReprocessCallbacksMutation', () => ({ reprocessCallbacks: summary }))
    render(
      <>
        <Toaster />
        <ReprocessAll />
      </>
    )
    fireEvent.click(screen.getByRole('button', { name: 'Re-process all unmatched/failed' }))
    expect(
      await screen.findByText('Re-processed 3 callbacks: 1 processed, 1 still unmatched, 1 still failed.')
    ).toBeInTheDocument()
  })
})
