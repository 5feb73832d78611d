import { fireEvent, render, screen } from '@redwoodjs/testing/web'

import MmsPictureField from './MmsPictureField'

const limits = (mmsEnabled: boolean) => () => ({
  mediaLimits: {
    __typename: 'MediaLimits',
    mmsEnabled,
    mmsTypes: ['image/jpeg', 'image/png', 'image/gif'],
    uploadMaxBytes: 2048,
  },
})

describe('MmsPictureField', () => {
  it('is offered only when the api says MMS is enabled', async () => {
    mockGraphQLQuery('MmsLimitsQuery', limits(false))
    const { container } = render(<MmsPictureField onChange={() => {}} />)
    // Once the answer is in (the same wait finds the checkbox in the test below), still nothing.
    await new Promise((r) => setTimeout(r, 200))
    expect(container).toBeEmptyDOMElement()
    expect(screen.queryByLabelText('Attach a picture (MMS)')).not.toBeInTheDocument()
  })

  it('takes the types and size from the api, and passes the chosen picture on', async () => {
    mockGraphQLQuery('MmsLimitsQuery', limits(true))
    const onChange = jest.fn()
    render(<MmsPictureField onChange={onChange} />)
    fireEvent.click(await screen.findByLabelText('Attach a picture (MMS)'))
    const input = screen.getByLabelText('Picture')
    expect(input).toHaveAttribute('accept', 'image/jpeg,image/png,image/gif')
    const big = new File([new Uint8Array(3000)], 'big.png')
    fireEvent.change(input, { target: { files: [big] } })
    expect(screen.getByRole('alert')).toHaveTextContent('big.png is 3 KB: too large')
    expect(onChange).toHaveBeenLastCalledWith(big)
    fireEvent.click(screen.getByLabelText('Attach a picture (MMS)'))
    expect(onChange).toHaveBeenLastCalledWith(null)
  })
})
