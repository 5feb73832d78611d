import { fireEvent, render, screen, waitFor } from '@redwoodjs/testing/web'

import ContactPage from './ContactPage'

describe('ContactPage', () => {
  it('names the number and loads its thread', async () => {
    mockGraphQLMutation('MarkConversationReadMutation', () => ({ markConversationRead: 1 }))
    mockGraphQLQuery('ContactThreadQuery', (variables) => ({
      contactThread: {
        __typename: 'ContactThread',
        phoneNumber: variables.phoneNumber,
        latestInboundId: 1,
        optOut: null,
        window: {
          __typename: 'ConversationWindow',
          phoneNumber: variables.phoneNumber,
          open: false,
          lastInboundAt: null,
          closesAt: null,
        },
        entries: [
          {
            __typename: 'ThreadEntry',
            id: 'inbound-1',
            direction: 'INBOUND',
            channel: 'WHATSAPP',
            at: '2026-11-24T10:00:00.000Z',
            body: 'Hi from WhatsApp',
            contentType: 'text',
            messageId: null,
            templateName: null,
            status: null,
            statusMeaning: null,
            reasonCode: null,
            reasonMeaning: null,
            timeline: null,
          },
        ],
      },
    }))
    render(<ContactPage phoneNumber="+12025550441" />)
    expect(screen.getByRole('heading', { name: 'Conversation with +12025550441' })).toBeInTheDocument()
    expect(await screen.findByText('Hi from WhatsApp')).toBeInTheDocument()
    expect(screen.getByTestId('window')).toHaveTextContent('WhatsApp window closed')
  })

  it('opens another number, and says so when none is typed rather than opening nothing', async () => {
    window.history.replaceState({}, '', '/contacts/%2B12025550441')
    mockGraphQLMutation('MarkConversationReadMutation', () => ({ markConversationRead: 1 }))
    mockGraphQLQuery('ContactThreadQuery', (variables) => ({
      contactThread: {
        __typename: 'ContactThread',
        phoneNumber: variables.phoneNumber,
        latestInboundId: null,
        optOut: null,
        window: {
          __typename: 'ConversationWindow',
          phoneNumber: variables.phoneNumber,
          open: false,
          lastInboundAt: null,
          closesAt: null,
        },
        entries: [],
      },
    }))
    render(<ContactPage phoneNumber="+12025550441" />)
    const box = screen.getByRole('textbox', { name: 'Another number' })
    fireEvent.change(box, { target: { value: '  ' } })
    fireEvent.click(screen.getByRole('button', { name: 'Open' }))
    expect(await screen.findByText('Enter a phone number.')).toBeInTheDocument()
    expect(box).toHaveFocus()
    await new Promise((r) => setTimeout(r, 100))
    expect(window.location.pathname).toBe('/contacts/%2B12025550441')

    fireEvent.change(box, { target: { value: ' +46 70 123 45 67 ' } })
    fireEvent.click(screen.getByRole('button', { name: 'Open' }))
    await waitFor(() => expect(window.location.pathname).toBe('/contacts/+46%2070%20123%2045%2067'))
    expect(box).toHaveValue('')
  })
})
