import { fireEvent, render, screen, waitFor } from '@redwoodjs/testing/web'

import { signInAs } from 'src/lib/testing/staff'

import WhatsAppTemplatesPage from './WhatsAppTemplatesPage'

// Signed in as an admin: every action is shown (roles hide some, see src/lib/permissions.ts).
beforeEach(() => signInAs('admin'))
// Limits unlike the api's real ones: the form must take them from the api, not from constants of its own.
beforeEach(() =>
  mockGraphQLQuery('WhatsAppTemplateLimitsQuery', () => ({
    whatsAppTemplateLimits: {
      namePattern: '^[a-z0-9_]+$',
      maxNameLength: 512,
      languageCodePattern: '^[a-z]{2,3}(_[A-Z]{2})?$',
      maxBodyLength: 40,
      maxParameters: 2,
      maxParameterLength: 12,
    },
  }))
)

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

  it('says early what the api would refuse, field by field, and sends nothing until it is right', async () => {
    const created: unknown[] = []
    mockGraphQLQuery('WhatsAppTemplateListQuery', () => ({ whatsAppTemplates: [] }))
    mockGraphQLMutation('CreateWhatsAppTemplateMutation', (variables) => {
      created.push(variables)
      return {
        createWhatsAppTemplate: { __typename: 'WhatsAppTemplate', id: 4, name: 'order_shipped', languageCode: 'en' },
      }
    })
    render(<WhatsAppTemplatesPage />)
    await screen.findByText('At most 40 characters.')
    const add = screen.getByRole('button', { name: 'Add template' })

    fireEvent.click(add)
    expect(await screen.findByText('Enter the template’s name at Meta.')).toBeInTheDocument()
    expect(
      screen.getByText('Give a preview of the template body, with {{1}}, {{2}}... for the parameters.')
    ).toBeInTheDocument()
    expect(screen.getByLabelText('Name at Meta')).toHaveFocus()

    fireEvent.change(screen.getByLabelText('Name at Meta'), { target: { value: 'Order Shipped' } })
    fireEvent.change(screen.getByLabelText('Language'), { target: { value: 'en-US' } })
    fireEvent.change(screen.getByLabelText('Body preview'), { target: { value: 'y'.repeat(41) } })
    fireEvent.change(screen.getByLabelText('Parameter labels, comma-separated'), { target: { value: 'a, b, c' } })
    fireEvent.click(add)
    expect(
      await screen.findByText(
        'The template name is the name at Meta: lower-case letters, digits and _ (e.g. order_shipped).'
      )
    ).toBeInTheDocument()
    expect(
      screen.getByText('The language code uses an underscore, as WhatsApp requires: e.g. en_US or en.')
    ).toBeInTheDocument()
    expect(screen.getByText('The body has 41 characters; a WhatsApp template body has at most 40.')).toBeInTheDocument()
    expect(screen.getByText('Give at most 2 parameter labels, each at most 12 characters.')).toBeInTheDocument()
    await new Promise((r) => setTimeout(r, 100))
    expect(created).toEqual([])

    fireEvent.change(screen.getByLabelText('Name at Meta'), { target: { value: ' order_shipped ' } })
    fireEvent.change(screen.getByLabelText('Language'), { target: { value: 'en' } })
    fireEvent.change(screen.getByLabelText('Body preview'), { target: { value: 'Order {{1}} ships {{2}}.' } })
    fireEvent.change(screen.getByLabelText('Parameter labels, comma-separated'), {
      target: { value: 'order number, , day' },
    })
    fireEvent.click(add)
    await waitFor(() =>
      expect(created).toEqual([
        {
          input: {
            name: ' order_shipped ',
            languageCode: 'en',
            body: 'Order {{1}} ships {{2}}.',
            parameterNames: ['order number', 'day'],
          },
        },
      ])
    )
    // The language stays for the next template; the rest is cleared.
    await waitFor(() => expect(screen.getByLabelText('Name at Meta')).toHaveValue(''))
    expect(screen.getByLabelText('Language')).toHaveValue('en')
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
