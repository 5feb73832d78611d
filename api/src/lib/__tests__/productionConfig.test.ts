import { ConfigError, loadConfig } from 'src/lib/config'

/** A production configuration that passes every check. */
const SAFE = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgresql://u:p@db.internal:5432/desk',
  SESSION_SECRET: 'kX9vQ2mB7rT4yL1nP8sD3fG6hJ0wZ5cV2bN7mQ4x',
  SINCH_SERVICE_PLAN_ID: 'plan',
  SINCH_API_TOKEN: 'token',
  SINCH_CALLBACK_SECRETS: `current=${'s3'.repeat(16)}`,
  LOG_LEVEL: 'info',
} satisfies NodeJS.ProcessEnv

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as ConfigError).problems
  }
  return []
}

describe('production refuses to start unsafe', () => {
  it('accepts a safe production configuration', () => {
    expect(problems(SAFE)).toEqual([])
    expect(loadConfig(SAFE).session).toEqual({ maxAgeMs: 7 * 86_400_000, cookieSecure: true })
  })

  const cases: [string, NodeJS.ProcessEnv, string, RegExp][] = [
    [
      'sandbox mode (no Sinch credentials)',
      { SINCH_SERVICE_PLAN_ID: '', SINCH_API_TOKEN: '' },
      'sandbox',
      /^SINCH_SERVICE_PLAN_ID is not set .* sandbox .*Fix: set SINCH_SERVICE_PLAN_ID and SINCH_API_TOKEN/,
    ],
    ['SINCH_CALLBACK_AUTH=none', { SINCH_CALLBACK_AUTH: 'none' }, 'callback-auth-none', /^SINCH_CALLBACK_AUTH is none/],
    [
      'the published sandbox secret',
      { SINCH_CALLBACK_SECRETS: 'sandbox-callback-secret' },
      'weak-callback-secret',
      /^SINCH_CALLBACK_SECRETS is not safe: secret sha256:\w+ is the sandbox secret/,
    ],
    [
      'a callback secret shorter than 32 characters',
      { SINCH_CALLBACK_SECRETS: `current=${'a'.repeat(40)},previous=short-but-over-8` },
      'weak-callback-secret',
      /^SINCH_CALLBACK_SECRETS is not safe: secret previous has 16 characters/,
    ],
    [
      'a short callback token',
      { SINCH_CALLBACK_AUTH: 'token', SINCH_CALLBACK_TOKEN: 't'.repeat(24), SINCH_CALLBACK_SECRETS: '' },
      'weak-callback-secret',
      /^SINCH_CALLBACK_TOKEN is shorter than 32/,
    ],
    [
      'a placeholder SESSION_SECRET',
      { SESSION_SECRET: 'jest-only-session-secret-not-used-for-anything-real' },
      'placeholder-session-secret',
      /^SESSION_SECRET is a published placeholder/,
    ],
    [
      'a SESSION_SECRET of one repeated character',
      { SESSION_SECRET: 'x'.repeat(44) },
      'placeholder-session-secret',
      /^SESSION_SECRET is a published placeholder/,
    ],
    ['LOG_LEVEL=debug', { LOG_LEVEL: 'debug' }, 'verbose-logging', /^LOG_LEVEL is debug/],
    ['LOG_LEVEL=trace', { LOG_LEVEL: 'trace' }, 'verbose-logging', /^LOG_LEVEL is trace/],
  ]
  for (const [name, change, check, message] of cases) {
    it(`refuses ${name}, says how to fix it, and starts when ALLOW_UNSAFE_PRODUCTION names ${check}`, () => {
      const found = problems({ ...SAFE, ...change })
      expect(found).toEqual([expect.stringMatching(message)])
      expect(found[0]).toContain('refused because NODE_ENV=production. Fix: ')
      expect(found[0]).toContain(`add ${check} to ALLOW_UNSAFE_PRODUCTION`)
      expect(problems({ ...SAFE, ...change, ALLOW_UNSAFE_PRODUCTION: check })).toEqual([])
      // Another check's name does not allow it.
      const other = check === 'sandbox' ? 'verbose-logging' : 'sandbox'
      expect(problems({ ...SAFE, ...change, ALLOW_UNSAFE_PRODUCTION: other })).toEqual([expect.stringMatching(message)])
      // Outside production, the same configuration is fine.
      expect(problems({ ...SAFE, ...change, NODE_ENV: 'development' })).toEqual([])
    })
  }

  it('lists every problem at once, and refuses an override that names no check', () => {
    const found = problems({
      NODE_ENV: 'production',
      DATABASE_URL: SAFE.DATABASE_URL,
      SESSION_SECRET: 'replace-me-with-something-longer-than-32-characters',
      LOG_LEVEL: 'debug',
      ALLOW_UNSAFE_PRODUCTION: 'everything',
    })
    expect(found).toEqual([
      expect.stringMatching(/^ALLOW_UNSAFE_PRODUCTION names "everything", which is no check/),
      expect.stringMatching(/^SINCH_SERVICE_PLAN_ID /),
      expect.stringMatching(/^SINCH_CALLBACK_SECRETS is not safe: SINCH_CALLBACK_SECRETS is unset/),
      expect.stringMatching(/^SESSION_SECRET /),
      expect.stringMatching(/^LOG_LEVEL /),
    ])
  })

  it('what the e2e and fault suites allow: the sandbox with its secret, nothing else', () => {
    const env = { ...SAFE, SINCH_SERVICE_PLAN_ID: '', SINCH_API_TOKEN: '', SINCH_CALLBACK_SECRETS: '' }
    expect(problems({ ...env, ALLOW_UNSAFE_PRODUCTION: 'sandbox,weak-callback-secret' })).toEqual([])
    expect(problems({ ...env, LOG_LEVEL: 'debug', ALLOW_UNSAFE_PRODUCTION: 'sandbox, weak-callback-secret' })).toEqual([
      expect.stringMatching(/^LOG_LEVEL /),
    ])
  })

  it('takes the Secure cookie flag from SESSION_COOKIE_SECURE in production (default true), not elsewhere', () => {
    expect(loadConfig({ ...SAFE, SESSION_COOKIE_SECURE: 'false' }).session.cookieSecure).toBe(false)
    expect(loadConfig({ ...SAFE, NODE_ENV: 'development' }).session.cookieSecure).toBeUndefined()
    expect(problems({ ...SAFE, SESSION_COOKIE_SECURE: 'maybe' })).toEqual([
      expect.stringMatching(/^SESSION_COOKIE_SECURE /),
    ])
  })

  it('caps the session lifetime at 7 days', () => {
    expect(loadConfig({ ...SAFE, SESSION_MAX_AGE_HOURS: '12' }).session.maxAgeMs).toBe(12 * 3_600_000)
    expect(problems({ ...SAFE, SESSION_MAX_AGE_HOURS: '169' })).toEqual([
      expect.stringMatching(/^SESSION_MAX_AGE_HOURS must be at most 168 hours/),
    ])
  })
})
