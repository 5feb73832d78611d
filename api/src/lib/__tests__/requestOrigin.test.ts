import { isLoopbackPlainHttp } from 'src/lib/requestOrigin'

describe('isLoopbackPlainHttp', () => {
  it.each([['localhost:8910'], ['127.0.0.1:8911'], ['[::1]:8910'], ['LOCALHOST']])(
    'is true for %s over plain HTTP',
    (host) => {
      expect(isLoopbackPlainHttp({ host })).toBe(true)
    }
  )

  it('is false for any other host, or behind a TLS proxy', () => {
    expect(isLoopbackPlainHttp({ host: 'desk.example.com' })).toBe(false)
    expect(isLoopbackPlainHttp({ host: 'localhost.example.com' })).toBe(false)
    expect(isLoopbackPlainHttp({ host: '10.0.0.5:8911' })).toBe(false)
    expect(isLoopbackPlainHttp({ host: 'localhost:8911', 'X-Forwarded-Proto': 'https' })).toBe(false)
    expect(isLoopbackPlainHttp({ host: 'localhost:8911', 'x-forwarded-host': 'abc.ngrok-free.app' })).toBe(false)
    expect(isLoopbackPlainHttp({})).toBe(false)
  })
})
