import { render, screen, waitFor, within } from '@redwoodjs/testing/web'

import StatusOptions from './StatusOptions'

describe('StatusOptions', () => {
  it('offers every status the api knows, SMS and WhatsApp, grouped by channel', async () => {
    render(
      <label>
        Status
        <select defaultValue="">
          <StatusOptions />
        </select>
      </label>
    )
    const select = screen.getByLabelText('Status')
    expect(within(select).getByRole('option', { name: 'Any' })).toHaveValue('')
    await waitFor(() => expect(within(select).getByRole('option', { name: 'Cancelled' })).toBeInTheDocument())
    const group = (label: string) =>
      within(screen.getByRole('group', { name: label }))
        .getAllByRole('option')
        .map((o) => o.textContent)
    expect(group('Any channel')).toEqual(['Pending'])
    expect(group('SMS')).toEqual([
      'Queued',
      'Dispatched',
      'Delivered',
      'Aborted',
      'Cancelled',
      'Rejected',
      'Deleted',
      'Failed',
      'Expired',
      'Unknown',
    ])
    expect(group('WhatsApp')).toEqual(['QUEUED_ON_CHANNEL', 'SWITCHING_CHANNEL', 'DELIVERED', 'READ', 'FAILED'])
    expect(within(select).getByRole('option', { name: 'Deleted' })).toHaveAttribute('title', 'The operator deleted it')
  })
})
