import { render, screen, within } from '@redwoodjs/testing/web'

import WindowCheck from './WindowCheck'

describe('WindowCheck', () => {
  it('names the numbers whose window is closed, with why', async () => {
    mockGraphQLQuery('CheckRecipientsQuery', () => ({
      checkRecipients: {
        __typename: 'RecipientCheck',
        valid: ['+12025550441', '+12025550100'],
        duplicatesRemoved: 0,
        invalid: [],
      },
    }))
    mockGraphQLQuery('ConversationWindowsQuery', (variables) => {
      expect(variables).toEqual({ phoneNumbers: ['+12025550441', '+12025550100'] })
      return {
        conversationWindows: [
          {
            __typename: 'ConversationWindow',
            phoneNumber: '+12025550441',
            open: true,
            lastInboundAt: '2026-11-24T10:00:00.000Z',
            closesAt: '2026-11-25T10:00:00.000Z',
          },
          {
            __typename: 'ConversationWindow',
            phoneNumber: '+12025550100',
            open: false,
            lastInboundAt: null,
            closesAt: null,
          },
        ],
      }
    })
    render(<WindowCheck entries={'+12025550441\n+12025550100'} />)
    const check = await screen.findByTestId('window-check', {}, { timeout: 2000 })
    expect(check).toHaveTextContent(
      '1 of 2 numbers outside the 24-hour window: free text will be refused; choose a template.'
    )
    expect(within(check).getByRole('listitem')).toHaveTextContent(
      '+12025550100: no reply from this number in the last 24 hours: choose a template'
    )
  })

  it('says free text reaches every number when all windows are open', async () => {
    mockGraphQLQuery('CheckRecipientsQuery', () => ({
      checkRecipients: { __typename: 'RecipientCheck', valid: ['+12025550441'], duplicatesRemoved: 0, invalid: [] },
    }))
    mockGraphQLQuery('ConversationWindowsQuery', () => ({
      conversationWindows: [
        {
          __typename: 'ConversationWindow',
          phoneNumber: '+12025550441',
          open: true,
          lastInboundAt: '2026-11-24T10:00:00.000Z',
          closesAt: '2026-11-25T10:00:00.000Z',
        },
      ],
    }))
    render(<WindowCheck entries="+12025550441" />)
    expect(await screen.findByTestId('window-check', {}, { timeout: 2000 })).toHaveTextContent(
      'Every number replied on WhatsApp in the last 24 hours: free text reaches it.'
    )
  })
})
