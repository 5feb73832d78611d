import { fireEvent, render, screen, waitFor } from '@redwoodjs/testing/web'

import { standard as message } from 'src/components/Messages/MessageCell/MessageCell.mock'
import { standard as recipients } from 'src/components/Messages/RecipientsCell/RecipientsCell.mock'

import MessagePage from './MessagePage'

describe('MessagePage', () => {
  it("filters the recipients by any status the api knows, WhatsApp's included", async () => {
    const asked: unknown[] = []
    mockGraphQLQuery('MessageChangeTokenQuery', () => ({
      messageChangeToken: { __typename: 'MessageChangeToken', messageId: 'msg-1', token: 't1' },
    }))
    mockGraphQLQuery('FindMessageQuery', () => message())
    mockGraphQLQuery('MessageRecipientsQuery', (variables) => {
      asked.push(variables.status)
      return recipients()
    })
    render(<MessagePage id="msg-1" />)
    const select = screen.getByRole('combobox', { name: 'Status' })
    await waitFor(() => expect(screen.getByRole('option', { name: 'DELIVERED' })).toBeInTheDocument())
    for (const status of ['Deleted', 'DELIVERED', 'FAILED']) {
      fireEvent.change(select, { target: { value: status } })
      await waitFor(() => expect(asked).toContain(status))
    }
  })
})
