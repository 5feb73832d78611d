import { render, screen, waitFor, within } from '@redwoodjs/testing/web'

import { DELIVERY_STATUS_CATALOG } from '../../../../../api/src/lib/deliveryStatusCatalog'

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
    // Exactly the api's list, in its order (the api's tests pin that list).
    const api = (channel: string | null) =>
      DELIVERY_STATUS_CATALOG.filter((s) => s.channel === channel).map((s) => s.label)
    expect(group('Any channel')).toEqual(api(null))
    expect(group('SMS')).toEqual(api('SMS'))
    expect(group('WhatsApp')).toEqual(api('WHATSAPP'))
    expect(group('SMS')).toEqual(expect.arrayContaining(['Cancelled', 'Deleted', 'Unknown']))
    expect(group('WhatsApp')).toEqual(expect.arrayContaining(['Switching channel', 'Read', 'Failed']))
    expect(within(select).getByRole('option', { name: 'Deleted' })).toHaveAttribute('title', 'The operator deleted it')
    // The value is the api's status name; what staff read is its label.
    expect(
      within(screen.getByRole('group', { name: 'WhatsApp' })).getByRole('option', { name: 'Queued on channel' })
    ).toHaveValue('QUEUED_ON_CHANNEL')
  })
})
