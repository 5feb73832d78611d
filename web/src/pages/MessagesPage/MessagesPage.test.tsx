import { fireEvent, render, screen, waitFor } from '@redwoodjs/testing/web'

import { standard } from 'src/components/Messages/MessagesCell/MessagesCell.mock'

import MessagesPage from './MessagesPage'

describe('MessagesPage', () => {
  it('filters by any status the api knows, SMS or WhatsApp', async () => {
    const asked: unknown[] = []
    mockGraphQLQuery('MessagesQuery', (variables) => {
      asked.push(variables.status)
      return standard()
    })
    render(<MessagesPage />)
    const select = screen.getByLabelText('Recipient status')
    await waitFor(() => expect(screen.getByRole('option', { name: 'Cancelled' })).toBeInTheDocument())
    for (const status of ['Cancelled', 'Deleted', 'READ', 'SWITCHING_CHANNEL']) {
      fireEvent.change(select, { target: { value: status } })
      await waitFor(() => expect(asked).toContain(status))
    }
    fireEvent.change(select, { target: { value: '' } })
    await waitFor(() => expect(asked[asked.length - 1]).toBeNull())
  })
})
