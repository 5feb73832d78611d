import { fireEvent, render, screen, waitFor } from '@redwoodjs/testing/web'

import { signInAs } from 'src/lib/testing/staff'

import { Empty, Failure, Loading, Success } from './WhatsAppTemplateListCell'
import { standard } from './WhatsAppTemplateListCell.mock'

// Signed in as an admin: every action is shown (roles hide some, see src/lib/permissions.ts).
beforeEach(() => signInAs('admin'))

describe('WhatsAppTemplateListCell', () => {
  it('Loading, Empty, Failure', () => {
    render(<Loading />)
    expect(screen.getByText('Loading templates…')).toBeInTheDocument()
    render(<Empty />)
    expect(
      screen.getByText(/Without one, WhatsApp can only reach numbers that replied in the last 24 hours/)
    ).toBeInTheDocument()
    render(<Failure error={new Error('Down')} />)
    expect(screen.getByRole('alert')).toHaveTextContent('Could not load the templates: Down')
  })

  it('Success lists templates with their parameters, and Remove deletes one', async () => {
    const deleted: unknown[] = []
    mockGraphQLMutation('DeleteWhatsAppTemplateMutation', (variables) => {
      deleted.push(variables)
      return { deleteWhatsAppTemplate: { __typename: 'WhatsAppTemplate', id: 2, name: 'order_shipped' } }
    })
    render(<Success {...standard()} />)
    const rows = screen.getAllByRole('row').slice(1)
    expect(rows[0]).toHaveTextContent(
      'order_shippeden_USYour order {{1}} ships {{2}}.{{1}} order number, {{2}} delivery day'
    )
    expect(rows[1]).toHaveTextContent('helloenHello!—')
    fireEvent.click(screen.getByRole('button', { name: 'Remove order_shipped (en_US)' }))
    await waitFor(() => expect(deleted).toEqual([{ id: 2 }]))
  })
})
