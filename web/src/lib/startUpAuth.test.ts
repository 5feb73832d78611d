import { createDbAuthClient } from '@redwoodjs/auth-dbauth-web'

import { EARLY_AUTH_GLOBAL, earlyAuthScript } from '../../config/earlyAuth'

import { withOneRoundTripStartUp } from './startUpAuth'

/** A fetch whose answers the test releases one by one, recording what was asked and when. */
function heldFetch() {
  const asked: { what: string; release: (body: string) => void }[] = []
  const fetch = jest.fn((url: string, init?: RequestInit) => {
    const body = String(init?.body ?? '')
    const what = body.includes('currentUser') ? 'currentUser' : body.includes('"login"') ? 'login' : 'getToken'
    return new Promise<Response>((resolve) => {
      asked.push({
        what,
        release: (body) =>
          resolve(new Response(body, { status: 200, headers: { 'content-type': 'application/json' } })),
      })
    })
  })
  const answer = async (what: string, body: string) => {
    const request = asked.find((a) => a.what === what)
    if (!request) throw new Error(`nothing asked for ${what}; asked: ${asked.map((a) => a.what).join(', ')}`)
    asked.splice(asked.indexOf(request), 1)
    request.release(body)
    await new Promise((r) => setTimeout(r, 0))
  }
  return { fetch, asked, answer }
}

/** Redwood's own dbAuth client (its getToken shares one request between callers and caches it 5 s). */
const fakeDbAuth = () => createDbAuthClient({ dbAuthUrl: '/.redwood/functions/auth' })

const USER = { id: 1, email: 'a@example.com', roles: ['sender'] }
const currentUserBody = (user: unknown) => JSON.stringify({ data: { redwood: { currentUser: user } } })

describe('the start-up of dbAuth', () => {
  let held: ReturnType<typeof heldFetch>
  beforeEach(() => {
    held = heldFetch()
    globalThis.fetch = held.fetch as unknown as typeof fetch
    ;(globalThis as unknown as { RWJS_API_GRAPHQL_URL: string }).RWJS_API_GRAPHQL_URL = '/.redwood/functions/graphql'
  })

  it('asks for the token and the current user together, and the start-up takes that answer', async () => {
    const dbAuth = fakeDbAuth()
    const { client, getCurrentUser } = withOneRoundTripStartUp(dbAuth)

    // What Redwood's AuthProvider does: restoreAuthState, then getToken, then (with a token) getCurrentUser.
    await client.restoreAuthState()
    const token = client.getToken()
    await new Promise((r) => setTimeout(r, 0))
    // Both in flight before either is answered: one round trip, not two.
    expect(held.asked.map((a) => a.what).sort()).toEqual(['currentUser', 'getToken'])

    await held.answer('currentUser', currentUserBody(USER))
    await held.answer('getToken', '1')
    expect(await token).toBe('1')
    expect(await getCurrentUser()).toEqual(USER)
    // No second currentUser request.
    expect(held.fetch.mock.calls.filter(([, init]) => String(init?.body).includes('currentUser'))).toHaveLength(1)
    const [, init] = held.fetch.mock.calls.find(([, init]) => String(init?.body).includes('currentUser'))!
    expect(init).toMatchObject({ method: 'POST', credentials: 'include' })
    expect(init?.headers).toMatchObject({ 'auth-provider': 'dbAuth' })
  })

  it('signed out at start-up: the early answer is thrown away, and logging in asks again', async () => {
    const dbAuth = fakeDbAuth()
    const { client, getCurrentUser } = withOneRoundTripStartUp(dbAuth)
    await client.restoreAuthState()
    const token = client.getToken()
    await held.answer('currentUser', currentUserBody(null))
    await held.answer('getToken', '')
    expect(await token).toBeNull()

    const login = client.login({ username: 'a@example.com', password: 'x' })
    await new Promise((r) => setTimeout(r, 0))
    await held.answer('login', JSON.stringify({ id: 1 }))
    await login
    const user = getCurrentUser()
    await new Promise((r) => setTimeout(r, 0))
    await held.answer('getToken', '1')
    await held.answer('currentUser', currentUserBody(USER))
    expect(await user).toEqual(USER)
  })

  it('after the start-up every getCurrentUser is a request of its own', async () => {
    const dbAuth = fakeDbAuth()
    const { client, getCurrentUser } = withOneRoundTripStartUp(dbAuth)
    await client.restoreAuthState()
    await held.answer('currentUser', currentUserBody(USER))
    await held.answer('getToken', '1')
    expect(await getCurrentUser()).toEqual(USER)

    // (The token is dbAuth's cached one: within 5 s it asks nothing.)
    const again = getCurrentUser()
    await new Promise((r) => setTimeout(r, 0))
    await held.answer('currentUser', currentUserBody({ ...USER, roles: ['viewer'] }))
    expect(await again).toEqual({ ...USER, roles: ['viewer'] })
  })

  it("takes the requests index.html started, and asks nothing of its own at start-up", async () => {
    // What the production build's index.html runs before the app's code (web/config/earlyAuth.ts).
    new Function(earlyAuthScript('/.redwood/functions/auth', '/.redwood/functions/graphql'))()
    expect((globalThis as Record<string, unknown>)[EARLY_AUTH_GLOBAL]).toBeDefined()
    expect(held.asked.map((a) => a.what).sort()).toEqual(['currentUser', 'getToken'])
    // The same requests Redwood's client would make.
    const [tokenUrl, tokenInit] = held.fetch.mock.calls.find(([, init]) => !String(init?.body).includes('currentUser'))!
    expect(tokenUrl).toBe('/.redwood/functions/auth?method=getToken')
    expect(tokenInit).toMatchObject({ credentials: 'same-origin' })
    const [userUrl, userInit] = held.fetch.mock.calls.find(([, init]) => String(init?.body).includes('currentUser'))!
    expect(userUrl).toBe('/.redwood/functions/graphql')
    expect(userInit).toMatchObject({ method: 'POST', credentials: 'include' })
    expect(userInit?.headers).toMatchObject({ 'auth-provider': 'dbAuth', 'content-type': 'application/json' })

    const { client, getCurrentUser } = withOneRoundTripStartUp(fakeDbAuth())
    await client.restoreAuthState()
    const token = client.getToken()
    await held.answer('getToken', '1')
    await held.answer('currentUser', currentUserBody(USER))
    expect(await token).toBe('1')
    expect(await getCurrentUser()).toEqual(USER)
    // Taken once: the global is gone, and the first queries' getToken is answered without a request.
    expect((globalThis as Record<string, unknown>)[EARLY_AUTH_GLOBAL]).toBeUndefined()
    expect(await client.getToken()).toBe('1')
    expect(held.fetch).toHaveBeenCalledTimes(2)
  })

  it('an early signed-out answer is not used after logging in', async () => {
    new Function(earlyAuthScript('/.redwood/functions/auth', '/.redwood/functions/graphql'))()
    const { client, getCurrentUser } = withOneRoundTripStartUp(fakeDbAuth())
    await client.restoreAuthState()
    await held.answer('getToken', '')
    await held.answer('currentUser', currentUserBody(null))
    expect(await client.getToken()).toBeNull()

    const login = client.login({ username: 'a@example.com', password: 'x' })
    await new Promise((r) => setTimeout(r, 0))
    await held.answer('login', JSON.stringify({ id: 1 }))
    await login
    const token = client.getToken()
    await new Promise((r) => setTimeout(r, 0))
    await held.answer('getToken', '1')
    expect(await token).toBe('1')
    const user = getCurrentUser()
    await new Promise((r) => setTimeout(r, 0))
    await held.answer('currentUser', currentUserBody(USER))
    expect(await user).toEqual(USER)
  })
})
