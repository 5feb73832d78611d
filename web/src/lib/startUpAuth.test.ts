import { createDbAuthClient } from '@redwoodjs/auth-dbauth-web'

import { EARLY_AUTH_GLOBAL, earlyAuthScript } from '../../config/earlyAuth'

import { withOneRoundTripStartUp } from './startUpAuth'

/** A fetch whose answers the test releases one by one, recording what was asked. */
function heldFetch() {
  const asked: { what: string; release: (body: string) => void }[] = []
  const fetch = jest.fn((_url: string, init?: RequestInit) => {
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
const dbAuth = () => createDbAuthClient({ dbAuthUrl: '/.redwood/functions/auth' })

const USER = { id: 1, email: 'a@example.com', roles: ['sender'] }
const currentUserBody = (user: unknown) => JSON.stringify({ data: { redwood: { currentUser: user } } })
const tick = () => new Promise((r) => setTimeout(r, 0))
const currentUserRequests = (fetch: jest.Mock) =>
  fetch.mock.calls.filter(([, init]) => String(init?.body).includes('currentUser'))

/** What Redwood's AuthProvider does at start-up: restoreAuthState, getToken, then (with a token) getCurrentUser and getUserMetadata. */
async function startUp(
  client: ReturnType<typeof withOneRoundTripStartUp>['client'],
  getCurrentUser: () => Promise<unknown>
) {
  await client.restoreAuthState()
  const token = await client.getToken()
  if (!token) return { token, user: null }
  const user = await getCurrentUser()
  await client.getUserMetadata()
  return { token, user }
}

describe('the start-up of dbAuth', () => {
  let held: ReturnType<typeof heldFetch>
  beforeEach(() => {
    held = heldFetch()
    globalThis.fetch = held.fetch as unknown as typeof fetch
    ;(globalThis as unknown as { RWJS_API_GRAPHQL_URL: string }).RWJS_API_GRAPHQL_URL = '/.redwood/functions/graphql'
  })

  it('is one request: the current user, whose id is the token', async () => {
    const { client, getCurrentUser } = withOneRoundTripStartUp(dbAuth())
    const started = startUp(client, getCurrentUser)
    await tick()
    expect(held.asked.map((a) => a.what)).toEqual(['currentUser'])
    await held.answer('currentUser', currentUserBody(USER))
    expect(await started).toEqual({ token: '1', user: USER })
    // Nothing else was asked: no getToken before it, no second currentUser, no getToken for the metadata.
    expect(held.fetch).toHaveBeenCalledTimes(1)
    const [url, init] = held.fetch.mock.calls[0]
    expect(url).toBe('/.redwood/functions/graphql')
    expect(init).toMatchObject({ method: 'POST', credentials: 'include' })
    expect(init?.headers).toMatchObject({ 'auth-provider': 'dbAuth' })
    // The first queries' getToken: answered from the start-up, as dbAuth's 5 s cache would.
    expect(await client.getToken()).toBe('1')
    expect(held.fetch).toHaveBeenCalledTimes(1)
  })

  it('takes the request index.html started, and asks nothing of its own', async () => {
    // What the production build's index.html runs before the app's code (web/config/earlyAuth.ts).
    new Function(earlyAuthScript('/.redwood/functions/graphql'))()
    expect((globalThis as Record<string, unknown>)[EARLY_AUTH_GLOBAL]).toBeDefined()
    expect(held.asked.map((a) => a.what)).toEqual(['currentUser'])
    const [url, init] = held.fetch.mock.calls[0]
    expect(url).toBe('/.redwood/functions/graphql')
    expect(init).toMatchObject({ method: 'POST', credentials: 'include' })
    expect(init?.headers).toMatchObject({ 'auth-provider': 'dbAuth', 'content-type': 'application/json' })

    const { client, getCurrentUser } = withOneRoundTripStartUp(dbAuth())
    const started = startUp(client, getCurrentUser)
    await tick()
    await held.answer('currentUser', currentUserBody(USER))
    expect(await started).toEqual({ token: '1', user: USER })
    // Taken once: the global is gone, and nothing more was asked.
    expect((globalThis as Record<string, unknown>)[EARLY_AUTH_GLOBAL]).toBeUndefined()
    expect(held.fetch).toHaveBeenCalledTimes(1)
  })

  it('signed out: no token, the answer is thrown away, and logging in asks again', async () => {
    new Function(earlyAuthScript('/.redwood/functions/graphql'))()
    const { client, getCurrentUser } = withOneRoundTripStartUp(dbAuth())
    const started = startUp(client, getCurrentUser)
    await held.answer('currentUser', currentUserBody(null))
    expect(await started).toEqual({ token: null, user: null })

    const login = client.login({ username: 'a@example.com', password: 'x' })
    await tick()
    await held.answer('login', JSON.stringify({ id: 1 }))
    await login
    // What the AuthProvider does after a login: getToken (now dbAuth's own request), then the user.
    const token = client.getToken()
    await tick()
    await held.answer('getToken', '1')
    expect(await token).toBe('1')
    const user = getCurrentUser()
    await tick()
    await held.answer('currentUser', currentUserBody(USER))
    expect(await user).toEqual(USER)
    expect(currentUserRequests(held.fetch)).toHaveLength(2)
  })

  it('after the start-up every getCurrentUser is a request of its own', async () => {
    const { client, getCurrentUser } = withOneRoundTripStartUp(dbAuth())
    const started = startUp(client, getCurrentUser)
    await held.answer('currentUser', currentUserBody(USER))
    await started
    const again = getCurrentUser()
    await tick()
    await held.answer('currentUser', currentUserBody({ ...USER, roles: ['viewer'] }))
    expect(await again).toEqual({ ...USER, roles: ['viewer'] })
  })

  it('a start-up token is good for 5 s, as dbAuth caches its own; then dbAuth asks', async () => {
    const now = jest.spyOn(Date, 'now')
    try {
      now.mockReturnValue(1_000_000)
      const { client, getCurrentUser } = withOneRoundTripStartUp(dbAuth())
      const started = startUp(client, getCurrentUser)
      await held.answer('currentUser', currentUserBody(USER))
      await started
      now.mockReturnValue(1_004_900)
      expect(await client.getToken()).toBe('1')
      expect(held.fetch).toHaveBeenCalledTimes(1)
      now.mockReturnValue(1_005_100)
      const later = client.getToken()
      await tick()
      await held.answer('getToken', '1')
      expect(await later).toBe('1')
      expect(held.fetch).toHaveBeenCalledTimes(2)
    } finally {
      now.mockRestore()
    }
  })
})
