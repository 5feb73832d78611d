import { render, screen } from '@redwoodjs/testing/web'

import StatusBadge from './StatusBadge'

describe('StatusBadge', () => {
  it('shows the status with its meaning as a tooltip', () => {
    render(<StatusBadge status="Delivered" title="Delivered to the handset" />)
    const badge = screen.getByText('Delivered')
    expect(badge).toHaveAttribute('title', 'Delivered to the handset')
    expect(badge).toHaveAttribute('data-status', 'Delivered')
  })

  it.each([
    ['Delivered', 'bg-emerald-100'],
    ['READ', 'bg-emerald-100'],
    ['Dispatched', 'bg-sky-100'],
    ['Pending', 'bg-slate-100'],
    ['Unknown', 'bg-amber-100'],
    ['Failed', 'bg-rose-100'],
    ['Expired', 'bg-rose-100'],
  ])('colours %s as %s', (status, tone) => {
    render(<StatusBadge status={status} />)
    expect(screen.getByText(status)).toHaveClass(tone)
  })
})
