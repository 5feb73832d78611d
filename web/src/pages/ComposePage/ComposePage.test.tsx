import { act, fireEvent, render, screen, waitFor, within } from '@redwoodjs/testing/web'

import ComposePage from './ComposePage'

const optedOut = {
  __typename: 'RecipientProblem',
  input: '+46701234567',
  reason: 'opted out (replied STOP on 2025-03-01)',
}

describe('ComposePage', () => {
  beforeEach(() => {
    mockGraphQLQuery('CheckRecipientsQuery', () => ({
      checkRecipients: {
        __typename: 'RecipientCheck',
        valid: ['+12025550123'],
        duplicatesRemoved: 0,
        invalid: [optedOut],
      },
    }))
  })

  it('renders the form', () => {
    render(<ComposePage />)
    expect(screen.getByRole('heading', { name: 'Compose an SMS' })).toBeInTheDocument()
    expect(screen.getByLabelText('Message')).toBeInTheDocument()
    expect(screen.getByLabelText('Recipients')).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Send' })).toBeInTheDocument()
    // A list or a spreadsheet is sent from another page: Compose says where.
    expect(screen.getByRole('link', { name: 'Send to many' })).toHaveAttribute('href', '/send-to-many')
  })

  it('shows an opted-out recipient under Recipients while typing', async () => {
    render(<ComposePage />)
    fireEvent.change(screen.getByLabelText('Recipients'), { target: { value: '+12025550123\n+46701234567' } })
    const check = await screen.findByTestId('recipient-check', {}, { timeout: 2000 })
    expect(check).toHaveTextContent('1 valid recipient, 1 invalid (nothing is sent until they are fixed)')
    expect(within(check).getByRole('listitem')).toHaveTextContent(
      '+46701234567: opted out (replied STOP on 2025-03-01)'
    )
  })

  it('says nothing was sent and lists each refused entry when the send is refused', async () => {
    const sent: unknown[] = []
    mockGraphQLMutation('SendMessageMutation', (variables) => {
      sent.push(variables)
      return { sendMessage: { __typename: 'SendMessageResult', message: null, invalid: [optedOut] } }
    })
    render(<ComposePage />)
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'Hello' } })
    fireEvent.change(screen.getByLabelText('Recipients'), { target: { value: '+12025550123\n+46701234567' } })
    fireEvent.click(screen.getByRole('button', { name: 'Send' }))

    const alert = await screen.findByRole('alert')
    expect(alert).toHaveTextContent('Nothing was sent: 1 recipient is invalid or opted out.')
    expect(within(alert).getByRole('listitem')).toHaveTextContent(
      '+46701234567: opted out (replied STOP on 2025-03-01)'
    )
    await waitFor(() =>
      expect(sent).toEqual([
        { input: { body: 'Hello', recipients: '+12025550123\n+46701234567', clientReference: null } },
      ])
    )
  })
})

describe('ComposePage: WhatsApp', () => {
  beforeEach(() => {
    mockGraphQLQuery('CheckRecipientsQuery', () => ({
      checkRecipients: { __typename: 'RecipientCheck', valid: ['+12025550441'], duplicatesRemoved: 0, invalid: [] },
    }))
    mockGraphQLQuery('WhatsAppTemplatesQuery', () => ({
      whatsAppTemplates: [
        {
          __typename: 'WhatsAppTemplate',
          id: 2,
          name: 'order_shipped',
          languageCode: 'en_US',
          body: 'Your order {{1}} ships {{2}}.',
          parameterNames: ['order number', 'delivery day'],
        },
      ],
    }))
  })

  it('free text to a closed window: nothing sent, the number listed with the reason', async () => {
    const sent: unknown[] = []
    const reason = 'no reply from this number in the last 24 hours: choose a template'
    mockGraphQLQuery('ConversationWindowsQuery', () => ({
      conversationWindows: [
        {
          __typename: 'ConversationWindow',
          phoneNumber: '+12025550441',
          open: false,
          lastInboundAt: null,
          closesAt: null,
        },
      ],
    }))
    mockGraphQLMutation('SendMessageMutation', (variables) => {
      sent.push(variables)
      return {
        sendMessage: {
          __typename: 'SendMessageResult',
          message: null,
          invalid: [{ __typename: 'RecipientProblem', input: '+12025550441', reason }],
        },
      }
    })
    render(<ComposePage />)
    fireEvent.click(screen.getByLabelText('WhatsApp'))
    expect(screen.getByRole('heading', { name: 'Compose a WhatsApp message' })).toBeInTheDocument()
    await screen.findByLabelText('Template')
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'Hello' } })
    fireEvent.change(screen.getByLabelText('Recipients'), { target: { value: '+12025550441' } })
    // Warned while typing, before anything is sent.
    expect(await screen.findByTestId('window-check', {}, { timeout: 2000 })).toHaveTextContent(
      '1 of 1 number outside the 24-hour window'
    )
    fireEvent.click(screen.getByRole('button', { name: 'Send' }))
    const alert = await screen.findByRole('alert')
    expect(alert).toHaveTextContent(
      'Nothing was sent: 1 recipient is invalid or opted out, or outside the WhatsApp 24-hour window.'
    )
    expect(within(alert).getByRole('listitem')).toHaveTextContent(`+12025550441: ${reason}`)
    expect(sent).toEqual([
      {
        input: {
          body: 'Hello',
          recipients: '+12025550441',
          clientReference: null,
          channel: 'WHATSAPP',
          smsFallback: false,
        },
      },
    ])
  })

  it('a template with parameters and SMS fallback: the body field goes away and the template is sent', async () => {
    const sent: unknown[] = []
    mockGraphQLMutation('SendMessageMutation', (variables) => {
      sent.push(variables)
      return { sendMessage: { __typename: 'SendMessageResult', message: null, invalid: [] } }
    })
    render(<ComposePage />)
    fireEvent.click(screen.getByLabelText('WhatsApp'))
    fireEvent.change(await screen.findByLabelText('Template'), { target: { value: '2' } })
    expect(screen.queryByLabelText('Message')).not.toBeInTheDocument()
    fireEvent.change(screen.getByLabelText('{{1}} order number'), { target: { value: 'ORD-42' } })
    fireEvent.change(screen.getByLabelText('{{2}} delivery day'), { target: { value: 'Tuesday' } })
    expect(screen.getByTestId('template-preview')).toHaveTextContent('Your order ORD-42 ships Tuesday.')
    fireEvent.click(screen.getByLabelText('Fall back to SMS when WhatsApp cannot deliver'))
    fireEvent.change(screen.getByLabelText('Recipients'), { target: { value: '+12025550441' } })
    fireEvent.click(screen.getByRole('button', { name: 'Send' }))
    await waitFor(() =>
      expect(sent).toEqual([
        {
          input: {
            body: '',
            recipients: '+12025550441',
            clientReference: null,
            channel: 'WHATSAPP',
            smsFallback: true,
            templateId: 2,
            templateParameters: ['ORD-42', 'Tuesday'],
          },
        },
      ])
    )
  })
})

describe('ComposePage: what it says while typing', () => {
  beforeEach(() => {
    mockGraphQLQuery('SendLimitsQuery', () => ({
      sendLimits: {
        __typename: 'SendLimits',
        maxSmsBodyLength: 1600,
        maxWhatsAppTextLength: 4096,
        maxRecipientsTextLength: 100_000,
        maxClientReferenceLength: 128,
      },
    }))
    mockGraphQLQuery('CheckRecipientsQuery', () => ({
      checkRecipients: { __typename: 'RecipientCheck', valid: ['+12025550123'], duplicatesRemoved: 0, invalid: [] },
    }))
    mockGraphQLQuery('ConversationWindowsQuery', () => ({ conversationWindows: [] }))
    mockGraphQLQuery('WhatsAppTemplatesQuery', () => ({ whatsAppTemplates: [] }))
  })

  it('drops "Nothing was sent" as soon as the input it was about changes', async () => {
    mockGraphQLMutation('SendMessageMutation', () => ({
      sendMessage: { __typename: 'SendMessageResult', message: null, invalid: [optedOut] },
    }))
    render(<ComposePage />)
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'Hello' } })
    fireEvent.change(screen.getByLabelText('Recipients'), { target: { value: '+12025550123\n+46701234567' } })
    fireEvent.click(screen.getByRole('button', { name: 'Send' }))
    expect(await screen.findByText(/Nothing was sent/)).toBeInTheDocument()

    fireEvent.change(screen.getByLabelText('Recipients'), { target: { value: '+12025550123' } })
    expect(screen.queryByText(/Nothing was sent/)).not.toBeInTheDocument()
  })

  it('warns while typing past the limit the api gives, and will not send', async () => {
    const sent: unknown[] = []
    mockGraphQLMutation('SendMessageMutation', (variables) => {
      sent.push(variables)
      return { sendMessage: { __typename: 'SendMessageResult', message: null, invalid: [] } }
    })
    render(<ComposePage />)
    const message = screen.getByLabelText('Message')
    fireEvent.change(message, { target: { value: 'x'.repeat(1600) } })
    // Wait for the limits to arrive, then go one past them.
    await waitFor(() => expect(screen.queryByTestId('too-long')).not.toBeInTheDocument())
    fireEvent.change(message, { target: { value: 'x'.repeat(1601) } })
    expect(await screen.findByTestId('too-long')).toHaveTextContent(
      '1 character over the limit of 1,600: shorten the message to send it.'
    )
    expect(message).toHaveAttribute('aria-invalid', 'true')
    fireEvent.change(screen.getByLabelText('Recipients'), { target: { value: '+12025550123' } })
    expect(screen.getByRole('button', { name: 'Send' })).toBeDisabled()
    fireEvent.submit(screen.getByRole('button', { name: 'Send' }).closest('form')!)
    // The form checks asynchronously: give a send the time it would take to start.
    await act(() => new Promise((resolve) => setTimeout(resolve, 200)))
    expect(sent).toEqual([])
    expect(screen.getByRole('button', { name: 'Send' })).toBeInTheDocument()

    fireEvent.change(message, { target: { value: 'x'.repeat(1600) } })
    expect(screen.queryByTestId('too-long')).not.toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Send' })).toBeEnabled()
  })

  it('counts WhatsApp free text against its own limit, with no SMS parts', async () => {
    render(<ComposePage />)
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'Hello there' } })
    expect(screen.getByTestId('sms-count')).toHaveTextContent(/SMS part/)
    fireEvent.click(screen.getByLabelText('WhatsApp'))
    await waitFor(() => expect(screen.getByTestId('sms-count')).toHaveTextContent('11 characters of 4,096'))
    expect(screen.getByTestId('sms-count')).not.toHaveTextContent(/SMS|GSM|part/)
    // 1,601 characters are fine on WhatsApp.
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'x'.repeat(1601) } })
    expect(screen.queryByTestId('too-long')).not.toBeInTheDocument()
  })
})

describe('ComposePage: checks before sending', () => {
  const sent: unknown[] = []
  beforeEach(() => {
    sent.length = 0
    // Small limits, so that the form's are shown to be the api's.
    mockGraphQLQuery('SendLimitsQuery', () => ({
      sendLimits: {
        __typename: 'SendLimits',
        maxSmsBodyLength: 1600,
        maxWhatsAppTextLength: 4096,
        maxRecipientsTextLength: 30,
        maxClientReferenceLength: 8,
      },
    }))
    mockGraphQLQuery('CheckRecipientsQuery', () => ({
      checkRecipients: { __typename: 'RecipientCheck', valid: ['+12025550123'], duplicatesRemoved: 0, invalid: [] },
    }))
    mockGraphQLMutation('SendMessageMutation', (variables) => {
      sent.push(variables)
      return { sendMessage: { __typename: 'SendMessageResult', message: null, invalid: [] } }
    })
  })

  it('a blank message or no recipients: says what is missing, on the field, and sends nothing', async () => {
    render(<ComposePage />)
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: '   ' } })
    fireEvent.click(screen.getByRole('button', { name: 'Send' }))

    expect(await screen.findByText('Write the message.')).toBeInTheDocument()
    expect(screen.getByText('Enter at least one recipient.')).toBeInTheDocument()
    expect(screen.getByLabelText('Message')).toHaveAttribute('aria-invalid', 'true')
    expect(screen.getByLabelText('Recipients')).toHaveAttribute('aria-invalid', 'true')
    expect(screen.getByLabelText('Recipients')).toHaveAccessibleDescription(/Enter at least one recipient\./)
    expect(sent).toEqual([])

    // Fixed, the messages go and the send goes out.
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'Hello' } })
    fireEvent.change(screen.getByLabelText('Recipients'), { target: { value: '+12025550123' } })
    await waitFor(() => expect(screen.queryByText('Enter at least one recipient.')).not.toBeInTheDocument())
    expect(screen.queryByText('Write the message.')).not.toBeInTheDocument()
    fireEvent.click(screen.getByRole('button', { name: 'Send' }))
    await waitFor(() =>
      expect(sent).toEqual([{ input: { body: 'Hello', recipients: '+12025550123', clientReference: null } }])
    )
  })

  it('refuses recipients and a client reference longer than the api takes, before sending', async () => {
    render(<ComposePage />)
    // The limits arrive with the page; the counter shows them once they have.
    fireEvent.click(screen.getByLabelText('WhatsApp'))
    await waitFor(() => expect(screen.getByTestId('sms-count')).toHaveTextContent('0 characters of 4,096'))
    fireEvent.click(screen.getByLabelText('SMS'))
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'Hello' } })
    fireEvent.change(screen.getByLabelText('Recipients'), { target: { value: '+12025550123\n'.repeat(3) } })
    fireEvent.change(screen.getByLabelText(/Client reference/), { target: { value: 'ORDER-12345' } })
    fireEvent.click(screen.getByRole('button', { name: 'Send' }))

    expect(await screen.findByText('The recipients are 39 characters long; paste at most 30.')).toBeInTheDocument()
    expect(screen.getByText('At most 8 characters.')).toBeInTheDocument()
    expect(screen.getByLabelText(/Client reference/)).toHaveAttribute('aria-invalid', 'true')
    expect(sent).toEqual([])

    fireEvent.change(screen.getByLabelText('Recipients'), { target: { value: '+12025550123' } })
    fireEvent.change(screen.getByLabelText(/Client reference/), { target: { value: 'ORD-1' } })
    fireEvent.click(screen.getByRole('button', { name: 'Send' }))
    await waitFor(() =>
      expect(sent).toEqual([{ input: { body: 'Hello', recipients: '+12025550123', clientReference: 'ORD-1' } }])
    )
  })

  it('an MMS may go with its picture alone: no message needed', async () => {
    mockGraphQLQuery('MmsLimitsQuery', () => ({
      mediaLimits: { __typename: 'MediaLimits', mmsEnabled: true, mmsTypes: ['image/png'], uploadMaxBytes: 2048 },
    }))
    const mms: unknown[] = []
    mockGraphQLMutation('SendMmsMutation', (variables) => {
      mms.push(variables)
      return { sendMms: { __typename: 'SendMessageResult', message: null, invalid: [] } }
    })
    render(<ComposePage />)
    fireEvent.click(await screen.findByLabelText('Attach a picture (MMS)'))
    fireEvent.change(screen.getByLabelText('Picture'), {
      target: { files: [new File([new Uint8Array([137, 80, 78, 71])], 'parcel.png', { type: 'image/png' })] },
    })
    fireEvent.change(screen.getByLabelText('Recipients'), { target: { value: '+12025550123' } })
    fireEvent.click(screen.getByRole('button', { name: 'Send MMS' }))
    await waitFor(() =>
      expect(mms).toEqual([
        {
          input: {
            recipients: '+12025550123',
            message: null,
            fileName: 'parcel.png',
            contentBase64: 'iVBORw==',
            clientReference: null,
          },
        },
      ])
    )
    expect(screen.queryByText('Write the message.')).not.toBeInTheDocument()
    expect(sent).toEqual([])
  })
})
