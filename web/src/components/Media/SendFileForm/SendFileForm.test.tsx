import { fireEvent, render, screen, waitFor } from '@redwoodjs/testing/web'

import SendFileForm from './SendFileForm'

const limits = () => ({
  mediaLimits: { __typename: 'MediaLimits', uploadMaxBytes: 2048, allowedTypes: ['image/png', 'application/pdf'] },
  whatsAppTemplates: [
    { __typename: 'WhatsAppTemplate', id: 7, name: 'delivery_note', languageCode: 'en', parameterNames: ['order'] },
  ],
})

describe('SendFileForm', () => {
  beforeEach(() => mockGraphQLQuery('MediaLimitsQuery', limits))

  it('takes the size limit and types from the api, and refuses a file over it before sending', async () => {
    render(<SendFileForm phoneNumber="+12025550100" windowOpen />)
    await screen.findByText('at most 2 KB')
    const input = screen.getByLabelText('Send a picture or document')
    expect(input).toHaveAttribute('accept', 'image/png,application/pdf')
    fireEvent.change(input, { target: { files: [new File([new Uint8Array(3000)], 'big.pdf')] } })
    expect(screen.getByRole('alert')).toHaveTextContent('big.pdf is 3 KB: too large')
    expect(screen.getByRole('button', { name: 'Send file' })).toBeDisabled()
  })

  it('with the window closed, a file goes only as the header of a template, with its values', async () => {
    render(<SendFileForm phoneNumber="+12025550100" windowOpen={false} />)
    await screen.findByText('at most 2 KB')
    fireEvent.change(screen.getByLabelText('Send a picture or document'), {
      target: { files: [new File(['%PDF-1.4'], 'note.pdf')] },
    })
    expect(screen.getByRole('button', { name: 'Send file' })).toBeDisabled()
    fireEvent.change(screen.getByLabelText('As'), { target: { value: '7' } })
    await waitFor(() => expect(screen.getByLabelText('{{1}} order')).toBeInTheDocument())
    expect(screen.getByRole('button', { name: 'Send file' })).toBeEnabled()
  })
})
