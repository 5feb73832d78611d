import { render, screen } from '@redwoodjs/testing/web'

import LiveIndicator from './LiveIndicator'

describe('LiveIndicator', () => {
  it.each([
    ['live', 'Live'],
    ['connecting', 'Connecting…'],
    ['paused', 'Paused (tab hidden)'],
    ['offline', 'Offline: retrying'],
  ] as const)('announces the %s state as "%s"', (state, text) => {
    render(<LiveIndicator state={state} />)
    const status = screen.getByRole('status')
    expect(status).toHaveTextContent(text)
    expect(status).toHaveAttribute('data-live', state)
  })
})
