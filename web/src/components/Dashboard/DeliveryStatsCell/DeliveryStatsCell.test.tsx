import { render, screen, within } from '@redwoodjs/testing/web'

import DeliveryStatsCell from 'src/components/Dashboard/DeliveryStatsCell'

import { Empty, Failure, formatBucket, Loading, Success } from './DeliveryStatsCell'
import { standard } from './DeliveryStatsCell.mock'

// jsdom has no layout: report a fixed size so recharts' ResponsiveContainer draws the chart.
class FixedSizeResizeObserver {
  constructor(private readonly callback: ResizeObserverCallback) {}
  observe(target: Element) {
    this.callback(
      [{ target, contentRect: { width: 800, height: 288 } } as unknown as ResizeObserverEntry],
      this as unknown as ResizeObserver
    )
  }
  unobserve() {}
  disconnect() {}
}
beforeAll(() => {
  global.ResizeObserver = FixedSizeResizeObserver as unknown as typeof ResizeObserver
})

/** What a stat card shows under its label. */
const stat = (label: string) => screen.getByText(label, { selector: 'dt' }).parentElement!
const cells = (row: HTMLElement) => Array.from(row.querySelectorAll('th, td'), (c) => c.textContent)

describe('DeliveryStatsCell', () => {
  it('shows a loading message', () => {
    render(<Loading />)
    expect(screen.getByText('Loading delivery stats…')).toBeInTheDocument()
  })

  it('says when nothing was sent in the period, with a link to compose', () => {
    render(<Empty />)
    expect(screen.getByText('No messages were sent in this period.')).toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'compose a message' })).toHaveAttribute('href', '/compose')
  })

  it('shows the error on failure', () => {
    render(<Failure error={new Error('The period can be at most 366 days long.')} />)
    expect(screen.getByRole('alert')).toHaveTextContent(
      'Could not load delivery stats: The period can be at most 366 days long.'
    )
  })

  describe('success', () => {
    beforeEach(() => {
      render(<Success {...standard()} from="2025-03-01T00:00:00.000Z" to="2025-03-02T00:00:00.000Z" timeZone="UTC" />)
    })

    it('shows the delivery rate and the median and p95 times to deliver', () => {
      expect(stat('Delivery rate')).toHaveTextContent('47.1%')
      expect(stat('Delivery rate')).toHaveTextContent('8 delivered of 17 with a final status')
      expect(stat('Median time to deliver')).toHaveTextContent('3.5 s')
      expect(stat('Median time to deliver')).toHaveTextContent('over 8 delivered')
      expect(stat('95th percentile time to deliver')).toHaveTextContent('8.6 s')
    })

    it('shows the recipient counts', () => {
      expect(stat('Recipients')).toHaveTextContent(/^Recipients20$/)
      expect(stat('Delivered')).toHaveTextContent(/^Delivered8$/)
      expect(stat('Failed')).toHaveTextContent(/^Failed9$/)
      expect(stat('In flight')).toHaveTextContent(/^In flight3$/)
    })

    it('lists the counts by final status', () => {
      const region = screen.getByRole('region', { name: 'Final statuses' })
      expect(
        within(region)
          .getAllByRole('listitem')
          .map((li) => li.textContent)
      ).toEqual(['Delivered8', 'Failed5', 'Expired2', 'Unknown2'])
    })

    it('tables the top failure codes with their meanings', () => {
      const table = within(screen.getByRole('region', { name: 'Top failure codes' })).getByRole('table')
      const rows = within(table).getAllByRole('row')
      expect(rows.map(cells)).toEqual([
        ['Code', 'What it means', 'Recipients'],
        [
          '402',
          'Message unroutable: Unroutable: the operator refused it; retrying will probably fail the same way',
          '5',
        ],
        ['—', 'The failure report carried no code', '2'],
        ['406', 'Internal expiry: Expired inside Sinch before reaching the operator', '2'],
      ])
    })

    it("links each failure code to the period's messages whose recipients failed with it", () => {
      const table = within(screen.getByRole('region', { name: 'Top failure codes' })).getByRole('table')
      // The list filters by whole days in the browser's zone: the days this UTC day touches there.
      const day = (iso: string) => {
        const d = new Date(iso)
        return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
      }
      const period = `from=${day('2025-03-01T00:00:00.000Z')}&to=${day('2025-03-01T23:59:59.999Z')}`
      expect(within(table).getByRole('link', { name: '402' })).toHaveAttribute('href', `/?code=402&${period}`)
      expect(within(table).getByRole('link', { name: '5' })).toHaveAttribute('href', `/?code=402&${period}`)
      // No code: the period's messages with any failure.
      expect(within(table).getByRole('link', { name: '—' })).toHaveAttribute('href', `/?failed=1&${period}`)
    })

    it('draws the series as a stacked bar chart', () => {
      const figure = screen.getByRole('figure', { name: 'Recipients by hour sent, by where they stand now' })
      // One stacked bar segment per non-zero count: hour 0 (2), hour 10 (2), hour 12 (3).
      expect(figure.querySelectorAll('.recharts-bar-rectangle path')).toHaveLength(7)
      const legend = figure.querySelector<HTMLElement>('.recharts-legend-wrapper')!
      expect(within(legend).getByText('Delivered')).toBeInTheDocument()
      expect(within(legend).getByText('Failed')).toBeInTheDocument()
      expect(within(legend).getByText('In flight')).toBeInTheDocument()
    })

    it('gives screen readers the chart as a table, one row per hour', () => {
      const table = screen.getByRole('table', { name: 'Recipients by hour sent' })
      const rows = within(table).getAllByRole('row')
      expect(rows).toHaveLength(25)
      expect(cells(rows[0])).toEqual(['Hour', 'Delivered', 'Failed', 'In flight'])
      const at = (h: number) => formatBucket(new Date(Date.UTC(2025, 2, 1, h)).toISOString(), 'HOUR', 'UTC', true)
      expect(cells(rows[1])).toEqual([at(0), '0', '2', '1'])
      expect(cells(rows[11])).toEqual([at(10), '5', '4', '0'])
      expect(cells(rows[13])).toEqual([at(12), '3', '3', '2'])
    })
  })

  it('formats hour and day buckets in the zone the api bucketed in', () => {
    expect(formatBucket('2025-03-01T14:00:00.000Z', 'HOUR', 'UTC')).toMatch(/^(02:00 PM|14:00)$/)
    expect(formatBucket('2025-03-01T14:00:00.000Z', 'HOUR', 'Asia/Kolkata')).toMatch(/^(07:30 PM|19:30)$/)
    expect(formatBucket('2025-02-28T23:00:00.000Z', 'DAY', 'Europe/Stockholm')).toMatch(/Mar 1|1 Mar/)
  })

  it('fetches and renders the stats for the period', async () => {
    mockGraphQLQuery('DeliveryStatsQuery', (variables) => {
      expect(variables).toEqual({ from: '2025-03-01T00:00:00.000Z', to: '2025-03-02T00:00:00.000Z', timeZone: 'UTC' })
      return standard()
    })
    render(<DeliveryStatsCell from="2025-03-01T00:00:00.000Z" to="2025-03-02T00:00:00.000Z" timeZone="UTC" />)
    expect(await screen.findByText('47.1%')).toBeInTheDocument()
  })

  it('shows the empty state when no recipient falls in the period', async () => {
    mockGraphQLQuery('DeliveryStatsQuery', () => {
      const data = standard()
      return {
        deliveryStats: {
          ...data.deliveryStats,
          totalRecipients: 0,
          final: 0,
          delivered: 0,
          failed: 0,
          inFlight: 0,
          deliveryRate: null,
        },
      }
    })
    render(<DeliveryStatsCell from="2025-03-01T00:00:00.000Z" to="2025-03-02T00:00:00.000Z" timeZone="UTC" />)
    expect(await screen.findByText('No messages were sent in this period.')).toBeInTheDocument()
  })
})
