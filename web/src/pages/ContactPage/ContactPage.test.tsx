import { render, screen } from '@redwoodjs/testing/web'

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
})
