import { fireEvent, render, screen, waitFor } from '@redwoodjs/testing/web'

import { standard as message } from 'src/components/Messages/MessageCell/MessageCell.mock'
import { standard as recipients } from 'src/components/Messages/RecipientsCell/RecipientsCell.mock'

import MessagePage from './MessagePage'

beforeEach(() => window.history.replaceState({}, '', '/messages/msg-1'))

function mockMessage() {
  const asked: Record<string, unknown>[] = []
  mockGraphQLQuery('FindMessageQuery', () => message())
  mockGraphQLQuery('MessageRecipientsQuery', (variables) => {
    asked.push(variables)
    return recipients()
  })
  return asked
}

describe('MessagePage', () => {
  it('searches recipients by number once per pause, and keeps the search and filters in the URL', async () => {
    window.history.replaceState({}, '', '/messages/msg-1?code=402&status=Failed')
    const asked = mockMessage()
    render(<MessagePage id="msg-1" />)
    await waitFor(() => expect(asked.length).toBe(1))
    expect(asked[0]).toMatchObject({ failureCode: 402, status: 'Failed', search: null })
    const box = screen.getByRole('searchbox', { name: 'Number' })
    for (const text of ['4', '46', '467', '4670', '46702']) fireEvent.change(box, { target: { value: text } })
    await waitFor(() => expect(asked[asked.length - 1].search).toBe('46702'))
    await new Promise((r) => setTimeout(r, 700))
    expect(asked.map((v) => v.search)).toEqual([null, '46702'])
    expect(new URLSearchParams(window.location.search).get('q')).toBe('46702')
    expect(window.location.search).toContain('code=402')
  })

  it("filters the recipients by any status the api knows, WhatsApp's included", async () => {
    const asked: unknown[] = []
    mockGraphQLQuery('FindMessageQuery', () => message())
    mockGraphQLQuery('MessageRecipientsQuery', (variables) => {
      asked.push(variables.status)
      return recipients()
    })
    render(<MessagePage id="msg-1" />)
    const select = await screen.findByRole('combobox', { name: 'Status' })
    await waitFor(() => expect(screen.getByRole('option', { name: 'Queued on channel' })).toBeInTheDocument())
    for (const status of ['Deleted', 'DELIVERED', 'FAILED']) {
      fireEvent.change(select, { target: { value: status } })
      await waitFor(() => expect(asked).toContain(status))
    }
  })

  it('an id that names no message: no live dot, no recipients, a way back', async () => {
    mockGraphQLQuery('FindMessageQuery', () => ({ message: null }))
    render(<MessagePage id="nope" />)
    expect(await screen.findByRole('heading', { name: 'No such message' })).toBeInTheDocument()
    expect(screen.queryByText('Live')).not.toBeInTheDocument()
    expect(screen.queryByRole('heading', { name: 'Recipients' })).not.toBeInTheDocument()
    expect(screen.queryByRole('combobox', { name: 'Status' })).not.toBeInTheDocument()
  })
})
