import { act, fireEvent, render, screen, waitFor } from '@redwoodjs/testing/web'

import { standard } from 'src/components/Messages/MessagesCell/MessagesCell.mock'

import MessagesPage from './MessagesPage'

type Asked = Record<string, unknown>

/** Every MessagesQuery the page sends, with its variables. */
function recordQueries(answer: () => Record<string, unknown> = standard) {
  const asked: Asked[] = []
  mockGraphQLQuery('MessagesQuery', (variables) => {
    asked.push(variables)
    return answer()
  })
  return asked
}

beforeEach(() => {
  window.history.replaceState({}, '', '/')
  mockGraphQLQuery('MessageSendersQuery', () => ({
    messageSenders: [{ __typename: 'StaffUser', id: 3, email: 'ops@example.com', name: 'Ops' }],
  }))
})

describe('MessagesPage', () => {
  it('filters by any status the api knows, SMS or WhatsApp', async () => {
    const asked = recordQueries()
    render(<MessagesPage />)
    const select = screen.getByLabelText('Recipient status')
    await waitFor(() => expect(screen.getByRole('option', { name: 'Cancelled' })).toBeInTheDocument())
    for (const status of ['Cancelled', 'Deleted', 'READ', 'SWITCHING_CHANNEL']) {
      fireEvent.change(select, { target: { value: status } })
      await waitFor(() => expect(asked.map((v) => v.status)).toContain(status))
    }
    fireEvent.change(select, { target: { value: '' } })
    await waitFor(() => expect(asked[asked.length - 1].status).toBeNull())
  })

  it('reads its search and filters from the URL, so a reload shows the same list', async () => {
    window.history.replaceState({}, '', '/?q=parcel&failed=1&channel=WHATSAPP&sentBy=3&code=402')
    const asked = recordQueries()
    render(<MessagesPage />)
    await waitFor(() => expect(asked.length).toBeGreaterThan(0))
    expect(asked[0]).toMatchObject({
      search: 'parcel',
      failed: true,
      channel: 'WHATSAPP',
      sentBy: 3,
      failureCode: 402,
    })
    expect(screen.getByRole('searchbox', { name: /Search/ })).toHaveValue('parcel')
    expect(screen.getByRole('checkbox', { name: 'Any failure' })).toBeChecked()
    expect(screen.getByRole('combobox', { name: 'Channel' })).toHaveValue('WHATSAPP')
    await waitFor(() => expect(screen.getByRole('combobox', { name: 'Sent by' })).toHaveValue('3'))
    expect(screen.getByText('402')).toBeInTheDocument()
    // A message found by its failure code opens on the recipients that failed with it.
    expect(await screen.findByRole('link', { name: /Your parcel arrives today/ })).toHaveAttribute(
      'href',
      '/messages/msg-1?code=402'
    )
  })

  it('puts a chosen filter in the URL, and Back takes it away again', async () => {
    const asked = recordQueries()
    render(<MessagesPage />)
    fireEvent.click(screen.getByRole('checkbox', { name: 'Any failure' }))
    await waitFor(() => expect(window.location.search).toBe('?failed=1'))
    await waitFor(() => expect(asked[asked.length - 1].failed).toBe(true))
    fireEvent.change(screen.getByRole('combobox', { name: 'Channel' }), { target: { value: 'SMS' } })
    await waitFor(() => expect(window.location.search).toBe('?channel=SMS&failed=1'))

    act(() => window.history.back())
    await waitFor(() => expect(window.location.search).toBe('?failed=1'))
    await waitFor(() => expect(screen.getByRole('combobox', { name: 'Channel' })).toHaveValue(''))
    expect(screen.getByRole('checkbox', { name: 'Any failure' })).toBeChecked()
    await waitFor(() => expect(asked[asked.length - 1]).toMatchObject({ failed: true, channel: null }))
  })

  it('searches once per pause in typing, not once per keystroke', async () => {
    const asked = recordQueries()
    render(<MessagesPage />)
    await waitFor(() => expect(asked.length).toBe(1))
    const box = screen.getByRole('searchbox', { name: /Search/ })
    for (const text of ['p', 'pa', 'par', 'parc', 'parce', 'parcel']) fireEvent.change(box, { target: { value: text } })
    await waitFor(() => expect(window.location.search).toBe('?q=parcel'))
    await waitFor(() => expect(asked[asked.length - 1].search).toBe('parcel'))
    // Wait past another pause: nothing more is asked.
    await new Promise((r) => setTimeout(r, 700))
    expect(asked.map((v) => v.search)).toEqual([null, 'parcel'])
    // Typing replaced the URL rather than adding a history entry per pause.
    for (const text of ['parcel 4', 'parcel 42']) fireEvent.change(box, { target: { value: text } })
    await waitFor(() => expect(asked[asked.length - 1].search).toBe('parcel 42'))
    expect(asked.map((v) => v.search)).toEqual([null, 'parcel', 'parcel 42'])
  })

  it('does not search with fewer characters than the api needs, and says why', async () => {
    const asked = recordQueries()
    render(<MessagesPage />)
    fireEvent.change(screen.getByRole('searchbox', { name: /Search/ }), { target: { value: 'pa' } })
    expect(await screen.findByText('Type at least 3 characters.')).toBeInTheDocument()
    expect(asked.every((v) => v.search === null)).toBe(true)
    expect(screen.getByRole('searchbox', { name: /Search/ })).toHaveAttribute('maxlength', '100')
  })

  it('says nothing matches the filters, with a way to clear them, when a filtered list is empty', async () => {
    window.history.replaceState({}, '', '/?q=nothing-like-this')
    recordQueries(() => ({ messages: { __typename: 'MessagePage', nextCursor: null, items: [] } }))
    render(<MessagesPage />)
    expect(await screen.findByText('Nothing matches these filters.')).toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'Clear the filters' })).toHaveAttribute('href', '/')
    expect(screen.queryByText('No messages here yet.')).not.toBeInTheDocument()
  })
})
