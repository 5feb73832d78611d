import { fireEvent, render, screen, waitFor } from '@redwoodjs/testing/web'

import { signInAs } from 'src/lib/testing/staff'

import WhatsAppTemplatesPage from './WhatsAppTemplatesPage'

// Signed in as an admin: every action is shown (roles hide some, see src/lib/permissions.ts).
beforeEach(() => signInAs('admin'))

describe('WhatsAppTemplatesPage', () => {
  it('adds a template with its parameter labels, and shows a refusal', async () => {
    const created: unknown[] = []
    mockGraphQLQuery('WhatsAppTemplateListQuery', () => ({ whatsAppTemplates: [] }))
    mockGraphQLMutation('CreateWhatsAppTemplateMutation', (variables, { ctx }) => {
      created.push(variables)
      if (created.length > 1) ctx.errors([{ message: 'order_shipped (en_US) is already configured.' }])
      return {
        createWhatsAppTemplate: { __typename: 'WhatsAppTemplate', id: 3, name: 'order_shipped', languageCode: 'en_US' },
      }
    })
    render(<WhatsAppTemplatesPage />)
    fireEvent.change(screen.getByLabelText('Name at Meta'), { target: { value: 'order_shipped' } })
    fireEvent.change(screen.getByLabelText('Body preview'), { target: { value: 'Your order {{1}} ships {{2}}.' } })
    fireEvent.change(screen.getByLabelText('Parameter labels, comma-separated'), {
      target: { value: 'order number, delivery day,' },
    })
    fireEvent.click(screen.getByRole('button', { name: 'Add template' }))
    await waitFor(() =>
      expect(created).toEqual([
        {
          input: {
            name: 'order_shipped',
            languageCode: 'en_US',
            body: 'Your order {{1}} ships {{2}}.',
            parameterNames: ['order number', 'delivery day'],
          },
        },
      ])
    )
    await waitFor(() => expect(screen.getByLabelText('Name at Meta')).toHaveValue(''))
    fireEvent.change(screen.getByLabelText('Name at Meta'), { target: { value: 'order_shipped' } })
    fireEvent.change(screen.getByLabelText('Body preview'), { target: { value: 'x' } })
    fireEvent.click(screen.getByRole('button', { name: 'Add template' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('order_shipped (en_US) is already configured.')
  })

  it('speaks to staff in their words; the wire format is an admin detail', () => {
    mockGraphQLQuery('WhatsAppTemplateListQuery', () => ({ whatsAppTemplates: [] }))
    signInAs('sender')
    const { container, unmount } = render(<WhatsAppTemplatesPage />)
    expect(container).not.toHaveTextContent('body[1]text')
    expect(container).toHaveTextContent('with its parameters in the order of {{1}}, {{2}}… in its text')
    unmount()
    signInAs('admin')
    render(<WhatsAppTemplatesPage />)
    expect(screen.getByTestId('template-wire-format')).toHaveTextContent('body[1]text')
  })
})
