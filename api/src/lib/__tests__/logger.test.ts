import { maskTokensInLogLine } from 'src/lib/logger'

describe('maskTokensInLogLine', () => {
  it('masks ?token= and &token= wherever they are in a JSON log line', () => {
    const line = JSON.stringify({
      level: 30,
      req: { method: 'POST', url: '/sinchCallbacks?token=s3cr3t-value-123&x=1' },
      msg: 'incoming request to /sinchCallbacks?a=b&token=another-one',
    })
    const masked = maskTokensInLogLine(line)
    expect(masked).not.toContain('s3cr3t-value-123')
    expect(masked).not.toContain('another-one')
    expect(JSON.parse(masked)).toEqual({
      level: 30,
      req: { method: 'POST', url: '/sinchCallbacks?token=…&x=1' },
      msg: 'incoming request to /sinchCallbacks?a=b&token=…',
    })
  })

  it('leaves other lines alone', () => {
    const line = '{"msg":"csrf-token rotated","tokens":3}\n'
    expect(maskTokensInLogLine(line)).toBe(line)
  })
})
