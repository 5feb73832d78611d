import { render, screen } from '@redwoodjs/testing/web'

import { days, Failure, Success } from './StorageRetentionCell'
import { standard } from './StorageRetentionCell.mock'

describe('StorageRetentionCell', () => {
  it('says how long callbacks and unmatched reports are kept, as the api says', () => {
    render(<Success {...standard()} />)
    expect(screen.getByTestId('storage-retention')).toHaveTextContent(
      'Kept for 30 days; reports that never found their message are deleted after 14 days. Delivery history is kept.'
    )
  })

  it('names the longer window of unmatched and failed callbacks when there is one', () => {
    render(
      <Success
        storageRetention={{ __typename: 'StorageRetention', callbackDays: 7, unmatchedDays: 14, reprocessableDays: 14 }}
      />
    )
    expect(screen.getByTestId('storage-retention')).toHaveTextContent(
      'Kept for 7 days (unmatched and failed ones 14 days, so they can be re-processed); reports that never found their message are deleted after 14 days.'
    )
  })

  it('writes days in words', () => {
    expect(days(1)).toBe('1 day')
    expect(days(0.5)).toBe('0.5 days')
  })

  it('shows the error on failure', () => {
    render(<Failure error={new Error('Boom')} />)
    expect(screen.getByRole('alert')).toHaveTextContent('Boom')
  })
})
