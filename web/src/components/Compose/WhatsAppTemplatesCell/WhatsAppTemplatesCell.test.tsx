import { useState } from 'react'

import { fireEvent, render, screen } from '@redwoodjs/testing/web'

import { Empty, Failure, Loading, Success, type TemplateChoice } from './WhatsAppTemplatesCell'
import { standard } from './WhatsAppTemplatesCell.mock'

const Picker = ({ seen }: { seen: TemplateChoice[] }) => {
  const [choice, setChoice] = useState<TemplateChoice>({ templateId: null, parameters: [] })
  return (
    <Success
      {...standard()}
      choice={choice}
      onChange={(c) => {
        seen.push(c)
        setChoice(c)
      }}
    />
  )
}

describe('WhatsAppTemplatesCell', () => {
  it('Loading, Empty and Failure say what they mean', () => {
    render(<Loading />)
    expect(screen.getByText('Loading WhatsApp templates…')).toBeInTheDocument()
    render(<Empty />)
    expect(screen.getByTestId('no-templates')).toHaveTextContent(
      'No WhatsApp templates are configured, so only free text can be sent'
    )
    render(<Failure error={new Error('Nope')} />)
    expect(screen.getByRole('alert')).toHaveTextContent('Could not load the WhatsApp templates: Nope')
  })

  it('Success: free text by default; choosing a template asks for its parameters and previews it', () => {
    const seen: TemplateChoice[] = []
    render(<Picker seen={seen} />)
    const select = screen.getByLabelText('Template') as HTMLSelectElement
    expect(select.value).toBe('')
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual([
      'Free text (only to numbers that replied in the last 24 hours)',
      'hello (en)',
      'order_shipped (en_US)',
    ])
    fireEvent.change(select, { target: { value: '2' } })
    expect(seen[seen.length - 1]).toEqual({ templateId: 2, parameters: ['', ''] })
    expect(screen.getByTestId('template-preview')).toHaveTextContent('Your order {{1}} ships {{2}}.')
    fireEvent.change(screen.getByLabelText('{{1}} order number'), { target: { value: 'ORD-42' } })
    fireEvent.change(screen.getByLabelText('{{2}} delivery day'), { target: { value: 'Tuesday' } })
    expect(seen[seen.length - 1]).toEqual({ templateId: 2, parameters: ['ORD-42', 'Tuesday'] })
    expect(screen.getByTestId('template-preview')).toHaveTextContent('Your order ORD-42 ships Tuesday.')
    fireEvent.change(select, { target: { value: '1' } })
    expect(screen.getByText('This template takes no parameters.')).toBeInTheDocument()
  })
})
