/**
 * The first account and sign-in, through the real auth function (dbAuth) on
 * the test database: the web signup creates nothing without the setup token,
 * the token works once even when two requests race with it, and every
 * sign-in and failed sign-in lands in the audit log.
 */
import type { APIGatewayProxyEvent, Context } from 'aws-lambda'

import { hashPassword } from '@redwoodjs/auth-dbauth-api'
import { mockHttpEvent } from '@redwoodjs/testing/api'

import { db } from 'src/lib/db'
import { announceSetupToken } from 'src/services/staff/staff'

import { handler } from '../auth'

const SETUP_TOKEN = 'a-setup-token-of-at-least-24-characters'

function authRequest(body: object, sourceIp: string): APIGatewayProxyEvent {
  const event = mockHttpEvent({
    httpMethod: 'POST',
    path: '/auth',
    headers: { 'content-type': 'application/json', host: '127.0.0.1:8911' },
    payload: JSON.stringify(body),
  })
  return { ...event, requestContext: { identity: { sourceIp } } } as unknown as APIGatewayProxyEvent
}

const invoke = async (body: object, sourceIp = '203.0.113.9') => {
  const response = await handler(authRequest(body, sourceIp), {} as Context)
  return { statusCode: response.statusCode, body: JSON.parse(response.body || '{}') }
}

const signup = (email: string, setupToken?: string) =>
  invoke({ method: 'signup', username: email, password: 'a-long-password', ...(setupToken ? { setupToken } : {}) })

afterEach(async () => {
  delete process.env.SETUP_TOKEN
  await db.userToken.deleteMany()
  await db.auditEvent.deleteMany()
  await db.user.deleteMany()
})

describe('the first account', () => {
  it('/signup without the setup token, or with a wrong one, creates nothing', async () => {
    process.env.SETUP_TOKEN = SETUP_TOKEN
    const missing = await signup('first@example.com')
    expect(missing.statusCode).toBe(400)
    expect(missing.body.error).toMatch(/setup token/)
    const wrong = await signup('first@example.com', `${SETUP_TOKEN}x`)
    expect(wrong.statusCode).toBe(400)
    expect(await db.user.count()).toBe(0)
  })

  it('SETUP_TOKEN: of two signups racing with the token, exactly one creates an admin; later ones are refused', async () => {
    process.env.SETUP_TOKEN = SETUP_TOKEN
    const [a, b] = await Promise.all([signup('a@example.com', SETUP_TOKEN), signup('b@example.com', SETUP_TOKEN)])
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 400])
    const users = await db.user.findMany()
    expect(users).toHaveLength(1)
    expect(users[0]).toMatchObject({ role: 'admin' })
    expect(users[0].activatedAt).not.toBeNull()
    const later = await signup('c@example.com', SETUP_TOKEN)
    expect(later.statusCode).toBe(400)
    expect(later.body.error).toMatch(/Signup is closed/)
    expect(await db.user.count()).toBe(1)
    expect(await db.auditEvent.count({ where: { action: 'first_admin_created' } })).toBe(1)
  })

  it('a generated token (printed at start-up, stored hashed) works once, from any instance', async () => {
    const printed: string[] = []
    expect(await announceSetupToken((line) => printed.push(line))).toBe('generated')
    const token = /token[^:]*:\s+(\S+)/.exec(printed.join('\n'))![1]
    expect(await db.userToken.count({ where: { purpose: 'SETUP', tokenHash: token } })).toBe(0)
    const results = await Promise.all([signup('a@example.com', token), signup('b@example.com', token)])
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 400])
    expect(await db.user.count()).toBe(1)
    expect(await db.userToken.count({ where: { purpose: 'SETUP', usedAt: null } })).toBe(0)
    // Once a user exists, start-up prints nothing.
    expect(await announceSetupToken(() => undefined)).toBe('none-needed')
  })
})

describe('sign-in', () => {
  beforeEach(async () => {
    const [hashedPassword, salt] = hashPassword('the-right-password')
    await db.user.create({
      data: { email: 'ana@example.com', hashedPassword, salt, role: 'sender', activatedAt: new Date() },
    })
  })

  it('audits sign-ins and failed sign-ins (the email as typed, the client address, never the password)', async () => {
    expect(
      (await invoke({ method: 'login', username: 'ana@example.com', password: 'the-right-password' })).statusCode
    ).toBe(200)
    expect(
      (await invoke({ method: 'login', username: 'ana@example.com', password: 'wrong-password' })).statusCode
    ).toBe(400)
    expect(
      (await invoke({ method: 'login', username: 'nobody@example.com', password: 'whatever-pw' })).statusCode
    ).toBe(400)
    const events = await db.auditEvent.findMany({ orderBy: { id: 'asc' } })
    expect(events.map((e) => [e.action, e.actorEmail, e.clientAddress])).toEqual([
      ['sign_in', 'ana@example.com', '203.0.113.9'],
      ['sign_in_failed', 'ana@example.com', '203.0.113.9'],
      ['sign_in_failed', 'nobody@example.com', '203.0.113.9'],
    ])
    expect(events[2].actorId).toBeNull()
    expect(JSON.stringify(events)).not.toMatch(/wrong-password|whatever-pw|the-right-password/)
  })

  it('audits at most 30 failed sign-ins per client address and minute (what an outsider can make us store)', async () => {
    for (let i = 0; i < 35; i++) {
      expect(
        (await invoke({ method: 'login', username: `guess${i}@example.com`, password: 'whatever-pw' }, '198.51.100.7'))
          .statusCode
      ).toBe(400)
    }
    expect(await db.auditEvent.count({ where: { action: 'sign_in_failed' } })).toBe(30)
    // (Sign-in throttling locks the address after 20 failures; the refusals after it are failures too.)
    // A successful sign-in from elsewhere is still recorded.
    await invoke({ method: 'login', username: 'ana@example.com', password: 'the-right-password' }, '198.51.100.8')
    expect(await db.auditEvent.count({ where: { action: 'sign_in' } })).toBe(1)
    // 36 sign-ins hash 36 passwords: seconds of CPU on a loaded machine, more than Jest's default 5 s.
  }, 60_000)

  it('a disabled account cannot sign in', async () => {
    await db.user.updateMany({ data: { disabledAt: new Date() } })
    const refused = await invoke(
      { method: 'login', username: 'ana@example.com', password: 'the-right-password' },
      '198.51.100.9'
    )
    expect(refused.statusCode).toBe(400)
    expect(refused.body.error).toMatch(/disabled/)
    expect(await db.auditEvent.count({ where: { action: 'sign_in_failed' } })).toBe(1)
  })
})
