import { render, screen } from '@redwoodjs/testing/web'

import DeliveryAlarmBanner from './DeliveryAlarmBanner'

describe('DeliveryAlarmBanner', () => {
  it('shows nothing while all is well', () => {
    const { container } = render(<DeliveryAlarmBanner alarm={null} />)
    expect(container).toBeEmptyDOMElement()
  })

  it('says what is wrong and lists the likely causes', () => {
    render(
      <DeliveryAlarmBanner
        alarm={{
          active: true,
          summary:
            '3 recipients are waiting for delivery reports, and no callback has been stored for 10 minutes or more.',
          causes: ['No callback reaches the desk: the tunnel may be down.'],
          lastCallbackAt: null,
        }}
      />
    )
    expect(screen.getByRole('region', { name: 'Delivery reports have stalled' })).toBeInTheDocument()
    expect(screen.getByText(/3 recipients are waiting/)).toBeInTheDocument()
    expect(screen.getByRole('listitem')).toHaveTextContent('the tunnel may be down')
  })
})
