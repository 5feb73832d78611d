/**
 * /auth and /graphql with the desk's session rules: one message for an
 * unknown user and a wrong password, throttling in Postgres, a forgot-password
 * answer that says nothing, sessions that end server-side (sign out
 * everywhere, password reset, age), and a forged cookie that is simply no
 * session.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda'

import { hashToken } from '@redwoodjs/auth-dbauth-api'

import { cookieName, getCurrentUser } from 'src/lib/auth'
import { resetConfigForTests } from 'src/lib/config'
import { db } from 'src/lib/db'
import { DeskAuthHandler, FORGOT_PASSWORD_ANSWER, SIGN_IN_FAILED } from 'src/lib/deskAuthHandler'
import { SESSION_CLAIM_FIELDS } from 'src/lib/session'
import { upsertStaffUser } from 'src/services/staff/staff'

import { handler as auth } from '../auth'
import { handler as graphql } from '../graphql'

const PASSWORD = 'correct-horse-battery'

// Every sign-in hashes a password with scrypt (tens of ms each, on a shared machine).
jest.setTimeout(60_000)

function event(
  body: Record<string, unknown> | null,
  options: {
    cookie?: string
    ip?: string
    method?: string
    query?: Record<string, string>
    headers?: Record<string, string>
  } = {}
): APIGatewayProxyEvent {
  return {
    httpMethod: options.method ?? 'POST',
    path: '/auth',
    headers: {
      'content-type': 'application/json',
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...options.headers,
    },
    multiValueHeaders: {},
    queryStringParameters: options.query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: body ? JSON.stringify(body) : null,
    isBase64Encoded: false,
    resource: '/auth',
    requestContext: { requestId: 'test', identity: { sourceIp: options.ip ?? '198.51.100.1' } },
  } as unknown as APIGatewayProxyEvent
}

const call = async (e: APIGatewayProxyEvent) =>
  (await auth(e, {} as Context)) as APIGatewayProxyResult & { multiValueHeaders?: Record<string, string[]> }

const setCookies = (res: Awaited<ReturnType<typeof call>>): string[] =>
  res.multiValueHeaders?.['Set-Cookie'] ?? res.multiValueHeaders?.['set-cookie'] ?? []

/** The session cookie (name=value) a login answer sets. */
function sessionCookieOf(res: Awaited<ReturnType<typeof call>>): string {
  const session = setCookies(res).find((c) => c.startsWith('session_'))
  if (!session) throw new Error(`no session cookie in ${JSON.stringify(res)}`)
  return session.split(';')[0]
}

const logIn = (email: string, password: string, ip?: string) =>
  call(event({ method: 'login', username: email, password }, { ip }))

const errorOf = (res: APIGatewayProxyResult) => (JSON.parse(res.body) as { error?: string }).error

/** What Redwood's web client sends with every GraphQL request (the user id as "token"; the cookie decides). */
const AS_THE_WEB_SENDS = { 'auth-provider': 'dbAuth', authorization: 'Bearer 1' }

async function currentUserQuery(cookie: string) {
  const res = (await graphql(
    {
      ...event({ query: '{ redwood { currentUser } }' }, { cookie, headers: AS_THE_WEB_SENDS }),
      path: '/graphql',
    },
    {} as Context
  )) as APIGatewayProxyResult
  return { statusCode: res.statusCode, body: JSON.parse(res.body) }
}

async function messagesQuery(cookie: string) {
  const res = (await graphql(
    {
      ...event({ query: '{ messages { items { id } } }' }, { cookie, headers: AS_THE_WEB_SENDS }),
      path: '/graphql',
    },
    {} as Context
  )) as APIGatewayProxyResult
  return { statusCode: res.statusCode, body: JSON.parse(res.body) }
}

beforeEach(async () => {
  await db.signInAttempt.deleteMany()
  await db.user.deleteMany({ where: { email: { endsWith: '@auth.test' } } })
  await upsertStaffUser({ email: 'ana@auth.test', password: PASSWORD })
  await upsertStaffUser({ email: 'bo@auth.test', password: PASSWORD })
})

afterAll(async () => {
  await db.signInAttempt.deleteMany()
  await db.user.deleteMany({ where: { email: { endsWith: '@auth.test' } } })
})

describe('signing in', () => {
  it('says the same for an unknown user and a wrong password', async () => {
    const unknown = await logIn('nobody@auth.test', 'whatever-password')
    const wrong = await logIn('ana@auth.test', 'not-the-password')
    expect(unknown.statusCode).toBe(400)
    expect(wrong.statusCode).toBe(400)
    expect(errorOf(unknown)).toBe(SIGN_IN_FAILED)
    expect(errorOf(wrong)).toBe(SIGN_IN_FAILED)
    expect(unknown.body).toBe(wrong.body)
    expect((await logIn('ana@auth.test', PASSWORD)).statusCode).toBe(200)
  })

  it('locks an account after 5 failures, whatever the address, with a clear message; other accounts still sign in', async () => {
    for (let i = 0; i < 5; i++) {
      expect(errorOf(await logIn('ana@auth.test', `wrong-${i}`, `203.0.113.${i}`))).toBe(SIGN_IN_FAILED)
    }
    const locked = await logIn('ana@auth.test', PASSWORD, '203.0.113.99')
    expect(locked.statusCode).toBe(400)
    expect(errorOf(locked)).toBe('Too many failed sign-ins for this account. Try again in 15 minutes.')
    expect(setCookies(locked).some((c) => c.startsWith('session_') && !c.startsWith('session_8911=;'))).toBe(false)
    expect((await logIn('bo@auth.test', PASSWORD, '203.0.113.99')).statusCode).toBe(200)
    // An unknown email locks the same way: the lockout tells nothing about which accounts exist.
    for (let i = 0; i < 5; i++) await logIn('nobody@auth.test', `wrong-${i}`, `203.0.113.${i}`)
    expect(errorOf(await logIn('nobody@auth.test', 'x-password'))).toMatch(/^Too many failed sign-ins for this account/)
    expect(await db.signInAttempt.groupBy({ by: ['outcome'], _count: true, orderBy: { outcome: 'asc' } })).toEqual([
      { outcome: 'failed', _count: 10 },
      { outcome: 'succeeded', _count: 1 },
      { outcome: 'throttled', _count: 2 },
    ])
  })

  it('a success clears the account count, not the address count', async () => {
    for (let i = 0; i < 4; i++) await logIn('ana@auth.test', `wrong-${i}`)
    expect((await logIn('ana@auth.test', PASSWORD)).statusCode).toBe(200)
    for (let i = 0; i < 4; i++) await logIn('ana@auth.test', `wrong-${i}`)
    expect((await logIn('ana@auth.test', PASSWORD)).statusCode).toBe(200)
  })

  it('locks a client address after 20 failures across accounts; other addresses are not affected', async () => {
    for (let i = 0; i < 20; i++) await logIn(`guess${i}@auth.test`, 'wrong-password', '192.0.2.7')
    const locked = await logIn('ana@auth.test', PASSWORD, '192.0.2.7')
    expect(errorOf(locked)).toBe('Too many failed sign-ins from your network address. Try again in 15 minutes.')
    expect((await logIn('ana@auth.test', PASSWORD, '192.0.2.8')).statusCode).toBe(200)
  })

  it('20 wrong passwords at once: only 5 are checked, the rest are refused unchecked', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => logIn('ana@auth.test', `wrong-${i}`, `203.0.113.${i}`))
    )
    expect(answers.filter((a) => errorOf(a) !== SIGN_IN_FAILED && !/^Too many/.test(errorOf(a) ?? ''))).toEqual([])
    expect(answers.filter((a) => errorOf(a) === SIGN_IN_FAILED)).toHaveLength(5)
    expect(answers.filter((a) => /^Too many/.test(errorOf(a) ?? ''))).toHaveLength(15)
    expect(await db.signInAttempt.count({ where: { outcome: 'failed' } })).toBe(5)
  })
})

describe('forgot password', () => {
  it('answers the same whether or not the user exists', async () => {
    const known = await call(event({ method: 'forgotPassword', username: 'ana@auth.test' }))
    const unknown = await call(event({ method: 'forgotPassword', username: 'nobody@auth.test' }))
    expect(known.statusCode).toBe(200)
    expect(unknown.statusCode).toBe(known.statusCode)
    expect(unknown.body).toBe(known.body)
    expect(JSON.parse(known.body)).toEqual({ message: FORGOT_PASSWORD_ANSWER })
    expect(setCookies(unknown)).toEqual(setCookies(known))
  })
})

describe('sessions', () => {
  it('sign out everywhere ends every session of the user at its next request', async () => {
    const first = sessionCookieOf(await logIn('ana@auth.test', PASSWORD))
    const second = sessionCookieOf(await logIn('ana@auth.test', PASSWORD))
    const other = sessionCookieOf(await logIn('bo@auth.test', PASSWORD))
    expect((await currentUserQuery(first)).body.data.redwood.currentUser.email).toBe('ana@auth.test')

    const res = (await graphql(
      {
        ...event({ query: 'mutation { signOutEverywhere }' }, { cookie: second, headers: AS_THE_WEB_SENDS }),
        path: '/graphql',
      },
      {} as Context
    )) as APIGatewayProxyResult
    expect(JSON.parse(res.body)).toMatchObject({ data: { signOutEverywhere: true } })

    for (const cookie of [first, second]) {
      expect((await currentUserQuery(cookie)).body.data.redwood.currentUser).toBeNull()
      // The web asks /auth for a token on load: a revoked session is logged out (cookie cleared).
      const token = await call(event(null, { method: 'GET', cookie, query: { method: 'getToken' } }))
      expect(token.body).toBe('')
      expect(setCookies(token).some((c) => /^session_\d+=;/.test(c))).toBe(true)
    }
    expect((await currentUserQuery(other)).body.data.redwood.currentUser.email).toBe('bo@auth.test')
    // Signing in again works.
    const again = sessionCookieOf(await logIn('ana@auth.test', PASSWORD))
    expect((await currentUserQuery(again)).body.data.redwood.currentUser.email).toBe('ana@auth.test')
  })

  it('a password reset ends every session and does not sign in', async () => {
    const cookie = sessionCookieOf(await logIn('ana@auth.test', PASSWORD))
    await db.user.update({
      where: { email: 'ana@auth.test' },
      data: { resetToken: hashToken('reset-token-1'), resetTokenExpiresAt: new Date(Date.now() + 3_600_000) },
    })
    const reset = await call(
      event({ method: 'resetPassword', resetToken: 'reset-token-1', password: 'a-new-password-2' })
    )
    expect(reset.statusCode).toBe(200)
    expect(setCookies(reset).some((c) => /^session_\d+=[^;]/.test(c))).toBe(false)
    expect((await currentUserQuery(cookie)).body.data.redwood.currentUser).toBeNull()
    expect((await logIn('ana@auth.test', 'a-new-password-2')).statusCode).toBe(200)
  })

  it('a reset from the command line (createUser) ends every session too', async () => {
    const cookie = sessionCookieOf(await logIn('ana@auth.test', PASSWORD))
    await upsertStaffUser({ email: 'ana@auth.test', password: 'another-password-3' })
    expect((await currentUserQuery(cookie)).body.data.redwood.currentUser).toBeNull()
  })

  it('every new session carries the claims, whatever signed the user in (the first signup too)', async () => {
    // The signup handler returns the created user as stored; dbAuth signs in with it through _loginResponse.
    const user = await db.user.findUniqueOrThrow({ where: { email: 'ana@auth.test' } })
    const handler = new DeskAuthHandler(event({ method: 'signup' }), {} as Context, {
      db,
      authModelAccessor: 'user',
      authFields: {
        id: 'id',
        username: 'email',
        hashedPassword: 'hashedPassword',
        salt: 'salt',
        resetToken: 'resetToken',
        resetTokenExpiresAt: 'resetTokenExpiresAt',
      },
      allowedUserFields: ['id', 'email', ...SESSION_CLAIM_FIELDS],
      cookie: { name: cookieName },
      forgotPassword: { handler: () => null, expires: 60 },
      login: { handler: (u) => u, expires: 60 },
      resetPassword: { handler: () => false, allowReusedPassword: true },
      signup: { handler: () => null },
    })
    const [session, headers] = handler._loginResponse(user, 201)
    expect(session).toMatchObject({
      id: user.id,
      sessionVersion: user.sessionVersion,
      sessionIssuedAt: expect.any(Number),
    })
    const cookie = headers
      .get('set-cookie')!
      .split(', ')
      .find((c) => c.startsWith('session_'))!
      .split(';')[0]
    expect((await currentUserQuery(cookie)).body.data.redwood.currentUser.email).toBe('ana@auth.test')
  })

  it('a session ends SESSION_MAX_AGE_HOURS after sign-in, whatever the cookie', async () => {
    const user = await db.user.findUniqueOrThrow({ where: { email: 'ana@auth.test' } })
    const session = { id: user.id, sessionVersion: user.sessionVersion }
    const hour = 3_600_000
    expect(await getCurrentUser({ ...session, sessionIssuedAt: Date.now() - 167 * hour })).toMatchObject({
      email: 'ana@auth.test',
    })
    expect(await getCurrentUser({ ...session, sessionIssuedAt: Date.now() - 169 * hour })).toBeNull()
    expect(await getCurrentUser({ ...session, sessionIssuedAt: Date.now() + 10 * hour })).toBeNull()
    expect(await getCurrentUser(session)).toBeNull() // a cookie from before these claims existed
    process.env.SESSION_MAX_AGE_HOURS = '1'
    resetConfigForTests()
    try {
      expect(await getCurrentUser({ ...session, sessionIssuedAt: Date.now() - 2 * hour })).toBeNull()
    } finally {
      delete process.env.SESSION_MAX_AGE_HOURS
      resetConfigForTests()
    }
  })

  it('a forged or garbled cookie is an unauthenticated request, never a server error', async () => {
    for (const cookie of ['session_8911=Zm9yZ2VkLXNlc3Npb24=', 'session_8911=not|a|session', 'session_8911=']) {
      const me = await currentUserQuery(cookie)
      expect(me.statusCode).toBe(200)
      expect(me.body).toMatchObject({ data: { redwood: { currentUser: null } } })
      expect(me.body.errors).toBeUndefined()
      const guarded = await messagesQuery(cookie)
      expect(guarded.statusCode).toBe(200)
      expect(guarded.body.errors[0].extensions.code).toBe('UNAUTHENTICATED')
    }
  })
})

describe('the session cookie', () => {
  afterEach(() => {
    for (const k of ['NODE_ENV', 'SESSION_COOKIE_SECURE', 'ALLOW_UNSAFE_PRODUCTION']) delete process.env[k]
    process.env.NODE_ENV = 'test'
    resetConfigForTests()
  })

  it('is Secure in production from configuration, not from request headers', async () => {
    process.env.NODE_ENV = 'production'
    process.env.ALLOW_UNSAFE_PRODUCTION = 'sandbox,weak-callback-secret,placeholder-session-secret,verbose-logging'
    resetConfigForTests()
    const loopback = { host: 'localhost:8911' }
    const res = await call(
      event({ method: 'login', username: 'ana@auth.test', password: PASSWORD }, { headers: loopback })
    )
    expect(setCookies(res).find((c) => c.startsWith('session_'))).toMatch(/;Secure(;|$)/)

    process.env.SESSION_COOKIE_SECURE = 'false'
    resetConfigForTests()
    const https = { host: 'desk.example.com', 'x-forwarded-proto': 'https' }
    const plain = await call(
      event({ method: 'login', username: 'ana@auth.test', password: PASSWORD }, { headers: https })
    )
    expect(setCookies(plain).find((c) => c.startsWith('session_'))).not.toMatch(/Secure/)
  })
})
