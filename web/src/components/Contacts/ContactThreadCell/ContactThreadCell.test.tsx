import { render, screen, within } from '@redwoodjs/testing/web'

import { Empty, Failure, Loading, Success } from './ContactThreadCell'
import { closed, standard } from './ContactThreadCell.mock'

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

  it('Success shows replies next to sent messages, in order, with statuses and reasons explained', () => {
    render(<Success {...standard()} phoneNumber="+12025550441" />)
    const items = screen.getAllByRole('listitem').filter((li) => li.hasAttribute('data-direction'))
    expect(items.map((li) => li.getAttribute('data-direction'))).toEqual(['OUTBOUND', 'INBOUND', 'OUTBOUND'])
    expect(items[0]).toHaveTextContent('template order_shipped')
    expect(items[0]).toHaveTextContent('Your order ORD-42 ships Tue 4 March.')
    expect(within(items[0]).getByText('DELIVERED', { selector: '[data-status]' })).toHaveAttribute(
      'data-status',
      'DELIVERED'
    )
    expect(items[0]).toHaveTextContent('The channel reports it reached the user')
    const history = within(items[0]).getAllByRole('listitem')
    expect(history[0]).toHaveTextContent(
      /SWITCHING_CHANNEL \(WhatsApp\) — RECIPIENT_NOT_REACHABLE: The recipient cannot be reached on this channel$/
    )
    expect(history[1]).toHaveTextContent(/DELIVERED \(SMS\)$/)
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
    render(<Success {...closed()} phoneNumber="+12025550441" />)
    expect(screen.getByTestId('window')).toHaveTextContent(
      'WhatsApp window closed: this number has never replied on WhatsApp. Only a template may be sent until they reply.'
    )
  })
})
