import { render, screen, within } from '@redwoodjs/testing/web'

import { Empty, Failure, Loading, Success } from './RecipientTimelineCell'
import { standard } from './RecipientTimelineCell.mock'

const pad = (n: number, width = 2) => String(n).padStart(width, '0')
/** The local date and wall-clock time to the millisecond, as a person reads it: 2024, 10:00:01.250. */
const localTimePattern = (iso: string) => {
  const d = new Date(iso)
  return new RegExp(
    `${d.getFullYear()}.*${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}[.,]${pad(d.getMilliseconds(), 3)}`
  )
}
const localTime = (iso: string) => expect.stringMatching(localTimePattern(iso))

describe('RecipientTimelineCell', () => {
  it('shows a loading message', () => {
    render(<Loading />)
    expect(screen.getByText('Loading the timeline…')).toBeInTheDocument()
  })

  it('says when there is no such recipient', () => {
    render(<Empty />)
    expect(screen.getByText('No such recipient.')).toBeInTheDocument()
  })

  it('shows the error message on failure', () => {
    render(<Failure error={new Error('Boom')} />)
    expect(screen.getByRole('alert')).toHaveTextContent('Could not load the timeline: Boom')
  })

  it('shows the current status and every report in event order', () => {
    render(<Success id={102} {...standard()} />)

    expect(screen.getByRole('heading', { name: 'Timeline for +46709876543' })).toBeInTheDocument()
    expect(screen.getByText(/^Now:/)).toHaveTextContent('Now: Failed Delivery failed')

    const items = within(screen.getByRole('list', { name: 'Status reports in event order' })).getAllByRole('listitem')
    expect(items).toHaveLength(2)

    expect(items[0]).toHaveTextContent('Dispatched')
    expect(items[0]).toHaveTextContent('Sent to the operator (SMSC)')
    const [event, operator, received, source] = (items[0].querySelector('p')?.textContent ?? '').split(' · ').slice(-4)
    expect(event).toEqual(expect.stringContaining('Event '))
    expect(event).toEqual(localTime('2024-05-01T10:00:01.250Z'))
    expect(operator).toBe('operator —')
    expect(received).toEqual(localTime('2024-05-01T10:00:01.900Z'))
    expect(source).toBe('pushed by Sinch')
    expect(within(items[0]).getByText('Dispatched')).toHaveAttribute('title', 'Sent to the operator')

    expect(items[1]).toHaveTextContent('Unroutable: the operator refused it; retrying will probably fail the same way')
    expect(items[1]).toHaveTextContent(localTimePattern('2024-05-01T10:00:03.000Z'))
    expect(items[1]).toHaveTextContent('fetched from Sinch')
    expect(within(items[1]).getByText(/"code": 402/)).toBeInTheDocument()
  })

  it('marks a report from a batch report, and one whose time Sinch put in the future', () => {
    const { recipient } = standard()
    const [dispatched, failed] = recipient.timeline
    render(
      <Success
        id={102}
        recipient={{
          ...recipient,
          timeline: [
            { ...dispatched, timeSource: 'CLAMPED' as const },
            { ...failed, timeSource: 'BATCH_ARRIVAL' as const },
          ],
        }}
      />
    )
    const items = within(screen.getByRole('list', { name: 'Status reports in event order' })).getAllByRole('listitem')
    expect(items[0].querySelector('[data-time-source]')).toHaveTextContent(/dated this report later than it arrived/)
    expect(items[1].querySelector('[data-time-source="BATCH_ARRIVAL"]')).toHaveTextContent(/From a batch report/)
  })

  it('says when Sinch sent no event time and the report is dated by its arrival', () => {
    const { recipient } = standard()
    const [dispatched, failed] = recipient.timeline
    render(
      <Success
        id={102}
        recipient={{ ...recipient, timeline: [dispatched, { ...failed, timeSource: 'RECEIVED' as const }] }}
      />
    )
    const items = within(screen.getByRole('list', { name: 'Status reports in event order' })).getAllByRole('listitem')
    expect(items[0].querySelector('[data-time-source]')).toBeNull()
    expect(items[1].querySelector('[data-time-source="RECEIVED"]')).toHaveTextContent(/Sinch sent no event time/)
  })

  it('says nothing more about a report with Sinch’s own time', () => {
    render(<Success id={102} {...standard()} />)
    expect(document.querySelector('[data-time-source]')).toBeNull()
  })

  it('shows why the desk ended a recipient Unknown, now and in the timeline', () => {
    const { recipient } = standard()
    const reason = 'No delivery report from the operator after 3 checks with Sinch (last status Dispatched 401)'
    const gaveUp = {
      ...recipient.timeline[1],
      id: 3,
      status: 'Unknown',
      code: null,
      codeMeaning: null,
      statusMeaning: 'Reached the operator, but no usable delivery receipt came back',
      reason,
      source: 'FETCHED' as const,
    }
    render(
      <Success
        id={102}
        recipient={{
          ...recipient,
          status: 'Unknown',
          statusMeaning: gaveUp.statusMeaning,
          statusReason: reason,
          timeline: [recipient.timeline[0], gaveUp],
        }}
      />
    )
    expect(screen.getByText(reason, { selector: '[data-status-reason]' })).toBeInTheDocument()
    const items = screen.getAllByRole('listitem')
    expect(items[1]).toHaveTextContent(reason)
    expect(items[1]).toHaveTextContent('fetched from Sinch')
  })

  it('falls back to the status meaning when a report has no code', () => {
    const { recipient } = standard()
    const [first] = recipient.timeline
    render(<Success id={102} recipient={{ ...recipient, timeline: [{ ...first, code: null, codeMeaning: null }] }} />)
    expect(screen.getByRole('listitem')).toHaveTextContent('Sent to the operator')
    expect(screen.getByRole('listitem')).not.toHaveTextContent('SMSC')
  })

  it('says so when Sinch has not reported yet', () => {
    const { recipient } = standard()
    render(
      <Success
        id={102}
        recipient={{
          ...recipient,
          status: 'Pending',
          statusMeaning: 'Saved here; no report from Sinch yet',
          timeline: [],
        }}
      />
    )
    expect(screen.getByText('No report from Sinch yet.')).toBeInTheDocument()
    expect(screen.queryByRole('list')).not.toBeInTheDocument()
  })
})
