import { fireEvent, render, screen, waitFor } from '@redwoodjs/testing/web'

import ReplyBox from './ReplyBox'

const props = {
  phoneNumber: '+12025550441',
  defaultChannel: 'SMS' as const,
  windowOpen: false,
  refusedBecause: null,
  maySend: true,
}

describe('ReplyBox', () => {
  it('sends SMS text as the reply', async () => {
    const sent: unknown[] = []
    mockGraphQLMutation('ReplyToConversationMutation', (variables) => {
      sent.push(variables)
      return { replyToConversation: { __typename: 'Message', id: 'm1', submitState: 'SUBMITTED', submitError: null } }
    })
    render(<ReplyBox {...props} />)
    fireEvent.change(screen.getByLabelText('Your reply'), { target: { value: 'On my way' } })
    fireEvent.click(screen.getByRole('button', { name: 'Send reply' }))
    await waitFor(() =>
      expect(sent).toEqual([{ input: { phoneNumber: '+12025550441', channel: 'SMS', body: 'On my way' } }])
    )
    await waitFor(() => expect(screen.getByLabelText('Your reply')).toHaveValue(''))
  })

  it('outside the window sends the chosen WhatsApp template with its parameters, no text', async () => {
    const sent: unknown[] = []
    mockGraphQLQuery('WhatsAppTemplatesQuery', () => ({
      whatsAppTemplates: [
        {
          __typename: 'WhatsAppTemplate',
          id: 7,
          name: 'follow_up',
          languageCode: 'en',
          body: 'About {{1}}',
          parameterNames: ['topic'],
        },
      ],
    }))
    mockGraphQLMutation('ReplyToConversationMutation', (variables) => {
      sent.push(variables)
      return { replyToConversation: { __typename: 'Message', id: 'm2', submitState: 'SUBMITTED', submitError: null } }
    })
    render(<ReplyBox {...props} defaultChannel="WHATSAPP" />)
    fireEvent.change(await screen.findByLabelText('Template'), { target: { value: '7' } })
    fireEvent.change(screen.getByLabelText('{{1}} topic'), { target: { value: 'your order' } })
    expect(screen.getByTestId('template-preview')).toHaveTextContent('About your order')
    fireEvent.click(screen.getByRole('button', { name: 'Send reply' }))
    await waitFor(() =>
      expect(sent).toEqual([
        {
          input: {
            phoneNumber: '+12025550441',
            channel: 'WHATSAPP',
            body: null,
            templateId: 7,
            templateParameters: ['your order'],
          },
        },
      ])
    )
  })

  it('shows the api’s refusal in words', async () => {
    mockGraphQLMutation('ReplyToConversationMutation', (_variables, { ctx }) => {
      ctx.errors([{ message: 'Not sent: +12025550441 opted out (replied STOP on 2026-11-24).' }])
    })
    render(<ReplyBox {...props} />)
    fireEvent.change(screen.getByLabelText('Your reply'), { target: { value: 'Hello?' } })
    fireEvent.click(screen.getByRole('button', { name: 'Send reply' }))
    expect(await screen.findByTestId('reply-error')).toHaveTextContent(
      'Not sent: +12025550441 opted out (replied STOP on 2026-11-24).'
    )
  })
})
