import { render, screen, waitFor, within } from '@redwoodjs/testing/web'

import { signInAs } from 'src/lib/testing/staff'

import { Empty, Failure, Loading, Success } from './ContactThreadCell'
import { closed, optedOut, standard, withMedia } from './ContactThreadCell.mock'

beforeEach(() => {
  signInAs('viewer')
  mockGraphQLMutation('MarkConversationReadMutation', () => ({ markConversationRead: 1 }))
})

describe('ContactThreadCell', () => {
  it('Loading says so', () => {
    render(<Loading />)
    expect(screen.getByText('Loading the conversation…')).toBeInTheDocument()
  })

  it('Empty says a new contact starts with a template', () => {
    render(<Empty phoneNumber="+12025550100" />)
    expect(
      screen.getByText(
        /Nothing sent to or received from \+12025550100 yet\. WhatsApp to a new contact must start with a template\./
      )
    ).toBeInTheDocument()
  })

  it('Failure shows the error', () => {
    render(<Failure error={new Error('Boom')} />)
    expect(screen.getByRole('alert')).toHaveTextContent('Could not load the conversation: Boom')
  })

  it('Success shows replies next to sent messages, in order, with statuses and reasons explained', async () => {
    render(<Success {...standard()} phoneNumber="+12025550441" channel="" />)
    const items = screen.getAllByRole('listitem').filter((li) => li.hasAttribute('data-direction'))
    expect(items.map((li) => li.getAttribute('data-direction'))).toEqual(['OUTBOUND', 'INBOUND', 'OUTBOUND'])
    expect(items[0]).toHaveTextContent('template order_shipped')
    expect(items[0]).toHaveTextContent('Your order ORD-42 ships Tue 4 March.')
    // The api's label for the status (the Conversation API's capitals in sentence case), its name in data-status.
    await waitFor(() =>
      expect(within(items[0]).getByText('Delivered', { selector: '[data-status]' })).toHaveAttribute(
        'data-status',
        'DELIVERED'
      )
    )
    expect(items[0]).toHaveTextContent('The channel reports it reached the user')
    const history = within(items[0]).getAllByRole('listitem')
    expect(history[0]).toHaveTextContent(
      /Switching channel \(WhatsApp\) — RECIPIENT_NOT_REACHABLE: The recipient cannot be reached on this channel$/
    )
    expect(history[1]).toHaveTextContent(/Delivered \(SMS\)$/)
    expect(within(items[0]).getByRole('link', { name: 'message' })).toHaveAttribute('href', '/messages/msg-1')
    expect(items[1]).toHaveTextContent('Received · WhatsApp')
    expect(items[1]).toHaveTextContent('Yes, that works')
    expect(within(items[1]).queryByRole('link')).not.toBeInTheDocument()
    expect(within(items[2]).getByTestId('reason')).toHaveTextContent(
      'OUTSIDE_ALLOWED_SENDING_WINDOW: Outside the 24-hour window: only a template may be sent'
    )
    expect(screen.getByTestId('window')).toHaveTextContent(/^WhatsApp window open until .+: free text may be sent/)
  })

  it('Success says when the window is closed and that only a template may be sent', () => {
    render(<Success {...closed()} phoneNumber="+12025550441" channel="" />)
    expect(screen.getByTestId('window')).toHaveTextContent(
      'WhatsApp window closed: this number has never replied on WhatsApp. Only a template may be sent until they reply.'
    )
  })

  it('Success shows each kind of content: a thumbnail that opens the picture, why a file is missing, a map link, the chosen option, a sent document with type and size', () => {
    render(<Success {...withMedia()} phoneNumber="+12025550441" channel="" />)
    const items = screen.getAllByRole('listitem').filter((li) => li.hasAttribute('data-direction'))
    const img = within(items[0]).getByRole('img', { name: 'parcel.png' })
    expect(img).toHaveAttribute('src', '/api/media?key=photoKey0000000000001')
    expect(img.closest('a')).toHaveAttribute('href', '/api/media?key=photoKey0000000000001')
    expect(img.closest('a')).toHaveAttribute('target', '_blank')
    expect(items[0]).toHaveTextContent('parcel.png · image/png · 2 KB')
    expect(within(items[1]).getByTestId('media-failed')).toHaveTextContent(
      'File could not be fetched: the link has expired or is gone (HTTP 403)'
    )
    expect(within(items[2]).getByRole('link', { name: 'open map' })).toHaveAttribute(
      'href',
      'https://www.openstreetmap.org/?mlat=59.33&mlon=18.06#map=16/59.33/18.06'
    )
    expect(items[2]).toHaveTextContent('Depot: 59.33000, 18.06000')
    expect(within(items[3]).getByTestId('choice')).toHaveTextContent('Chose: Reschedule')
    expect(within(items[4]).getByRole('link', { name: /note\.pdf/ })).toHaveAttribute(
      'href',
      '/api/media?key=sentKey00000000000001&download=1'
    )
    expect(items[4]).toHaveTextContent('application/pdf · 4.8 MB')
  })

  it('one component per kind of entry: replies and sent messages', () => {
    render(<Success {...standard()} phoneNumber="+12025550441" channel="" />)
    const kinds = screen
      .getAllByRole('listitem')
      .filter((li) => li.hasAttribute('data-kind'))
      .map((li) => li.getAttribute('data-kind'))
    expect(kinds).toEqual(['OUTBOUND', 'INBOUND', 'OUTBOUND'])
  })

  it('marks what it shows as read for the signed-in user', async () => {
    const marked: unknown[] = []
    mockGraphQLMutation('MarkConversationReadMutation', (variables) => {
      marked.push(variables)
      return { markConversationRead: 1 }
    })
    // A number of its own: the other tests' renders mark theirs read too, and may still be in flight.
    const thread = standard()
    const own = {
      ...thread,
      contactThread: { ...thread.contactThread, phoneNumber: '+12025550999', latestInboundId: 42 },
    }
    render(<Success {...own} phoneNumber="+12025550999" channel="" />)
    await waitFor(() =>
      expect(marked.filter((m) => (m as { phoneNumber: string }).phoneNumber === '+12025550999')).toEqual([
        { phoneNumber: '+12025550999', upToInboundId: 42 },
      ])
    )
  })

  it('a viewer reads but gets no reply box', () => {
    render(<Success {...standard()} phoneNumber="+12025550441" channel="" />)
    expect(screen.getByTestId('reply-box')).toHaveTextContent(
      'You can read this conversation; senders and admins answer it.'
    )
    expect(screen.queryByRole('button', { name: 'Send reply' })).not.toBeInTheDocument()
  })

  it('a sender replies by the channel of the latest reply; inside the window WhatsApp takes free text', () => {
    signInAs('sender')
    render(<Success {...standard()} phoneNumber="+12025550441" channel="" />)
    expect(screen.getByRole('radio', { name: 'WhatsApp' })).toBeChecked()
    expect(screen.getByLabelText('Your reply')).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Send reply' })).toBeEnabled()
  })

  it('outside the window WhatsApp offers a template instead of free text; SMS still takes text', async () => {
    signInAs('sender')
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
    render(<Success {...closed()} phoneNumber="+12025550441" channel="WHATSAPP" />)
    expect(screen.getByTestId('reply-window')).toHaveTextContent(
      'The WhatsApp window is closed: free text would be refused. Choose a template.'
    )
    expect(screen.queryByLabelText('Your reply')).not.toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Send reply' })).toBeDisabled()
    expect(await screen.findByLabelText('Template')).toBeInTheDocument()

    screen.getByRole('radio', { name: 'SMS' }).click()
    await waitFor(() => expect(screen.getByLabelText('Your reply')).toBeInTheDocument())
    expect(screen.getByRole('button', { name: 'Send reply' })).toBeEnabled()
  })

  it('an opted-out number: the thread says when and why, and the box refuses with the reason', () => {
    signInAs('sender')
    render(<Success {...optedOut()} phoneNumber="+12025550441" channel="SMS" />)
    expect(screen.getByTestId('opt-out')).toHaveTextContent(
      /^Opted out since .+: opted out \(replied STOP on 2026-11-24\)\. Nothing is sent/
    )
    expect(screen.getByTestId('reply-refused')).toHaveTextContent(
      'Replies are refused: +12025550441 opted out (replied STOP on 2026-11-24).'
    )
    expect(screen.getByRole('button', { name: 'Send reply' })).toBeDisabled()
  })
})
