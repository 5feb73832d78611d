import { ConfigError, loadConfig, parseSecrets, secretFingerprint } from 'src/lib/config'

const BASE = {
  DATABASE_URL: 'postgresql://u:p@127.0.0.1:5432/desk',
  SESSION_SECRET: 'x'.repeat(44),
} satisfies NodeJS.ProcessEnv

/** The problems a configuration is refused for, one line each. */
function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as ConfigError).problems
  }
  throw new Error('configuration was accepted')
}

describe('loadConfig', () => {
  it('runs against the sandbox with nothing but a database and a session secret', () => {
    const config = loadConfig(BASE)
    expect(config.sandbox).toBe(true)
    expect(config.sinch.smsBaseUrl).toBe('http://127.0.0.1:8912')
    expect(config.callbacks.auth).toBe('hmac')
    expect(config.callbacks.secrets.map((s) => s.id)).toEqual(['sandbox'])
    expect(config.callbacks.toleranceSeconds).toBe(300)
    expect(config.callbacks.maxBodyBytes).toBe(256 * 1024)
  })

  it('reads the opt-out and opt-in keywords, upper-cased, with STOP and START by default', () => {
    expect(loadConfig(BASE)).toMatchObject({
      optOutKeywords: ['STOP', 'STOPP', 'UNSUBSCRIBE', 'END', 'CANCEL'],
      optInKeywords: ['START', 'UNSTOP'],
    })
    expect(loadConfig({ ...BASE, OPT_OUT_KEYWORDS: ' stop, Arret ', OPT_IN_KEYWORDS: 'go' })).toMatchObject({
      optOutKeywords: ['STOP', 'ARRET'],
      optInKeywords: ['GO'],
    })
    expect(problems({ ...BASE, OPT_OUT_KEYWORDS: ' , ' })).toEqual([
      expect.stringMatching(/^OPT_OUT_KEYWORDS lists no keyword/),
    ])
    expect(problems({ ...BASE, OPT_IN_KEYWORDS: 'START,stop' })).toEqual([
      expect.stringMatching(/^OPT_IN_KEYWORDS must not repeat an opt-out keyword \(STOP/),
    ])
  })

  it('names a missing DATABASE_URL and SESSION_SECRET and says how to fix them', () => {
    const found = problems({})
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^DATABASE_URL is required: a postgresql:\/\/ URL/),
        expect.stringMatching(/^SESSION_SECRET is required: .*yarn rw g secret/),
      ])
    )
  })

  it('keeps at least one unmatched report per callback (a report racing its message waits as one)', () => {
    expect(problems({ ...BASE, SINCH_CALLBACK_MAX_UNMATCHED_REPORTS: '0' })).toEqual([
      expect.stringMatching(/^SINCH_CALLBACK_MAX_UNMATCHED_REPORTS/),
    ])
    expect(loadConfig({ ...BASE, SINCH_CALLBACK_MAX_UNMATCHED_REPORTS: '1' }).callbacks.maxUnmatchedReports).toBe(1)
  })

  it('refuses the placeholder and short session secrets', () => {
    expect(problems({ ...BASE, SESSION_SECRET: 'replace-with-output-of-yarn-rw-g-secret' })).toEqual([
      expect.stringMatching(/^SESSION_SECRET is still the placeholder/),
    ])
    expect(problems({ ...BASE, SESSION_SECRET: 'short' })).toEqual([
      expect.stringMatching(/^SESSION_SECRET must be at least 32/),
    ])
  })

  it('refuses malformed values, naming each variable', () => {
    const found = problems({
      ...BASE,
      DATABASE_URL: 'mysql://x',
      SINCH_REGION: 'mars',
      SINCH_CALLBACK_TOLERANCE_SECONDS: 'soon',
      PHONE_DEFAULT_REGION: 'usa',
      SINCH_CALLBACK_URL: 'ftp://example.com',
    })
    for (const name of [
      'DATABASE_URL',
      'SINCH_REGION',
      'SINCH_CALLBACK_TOLERANCE_SECONDS',
      'PHONE_DEFAULT_REGION',
      'SINCH_CALLBACK_URL',
    ]) {
      expect(found.some((p) => p.startsWith(`${name} `))).toBe(true)
    }
  })

  it('wants both halves of a credential pair', () => {
    expect(problems({ ...BASE, SINCH_SERVICE_PLAN_ID: 'plan' })).toEqual([
      expect.stringMatching(/^SINCH_API_TOKEN is required together/),
    ])
    expect(problems({ ...BASE, SINCH_PROJECT_ID: 'proj' })).toEqual([
      expect.stringMatching(/^SINCH_KEY_ID is required for OAuth2/),
      expect.stringMatching(/^SINCH_KEY_SECRET is required for OAuth2/),
    ])
  })

  it('with real credentials, HMAC needs a configured secret (no sandbox fallback)', () => {
    expect(problems({ ...BASE, SINCH_SERVICE_PLAN_ID: 'plan', SINCH_API_TOKEN: 'token' })).toEqual([
      expect.stringMatching(/^SINCH_CALLBACK_SECRETS is required when SINCH_CALLBACK_AUTH=hmac/),
    ])
    const config = loadConfig({
      ...BASE,
      SINCH_SERVICE_PLAN_ID: 'plan',
      SINCH_API_TOKEN: 'token',
      SINCH_REGION: 'eu',
      SINCH_CALLBACK_SECRETS: 'new=0123456789abcdef,old=fedcba9876543210',
    })
    expect(config.sandbox).toBe(false)
    expect(config.sinch.smsBaseUrl).toBe('https://eu.sms.api.sinch.com')
    expect(config.callbacks.secrets.map((s) => s.id)).toEqual(['new', 'old'])
  })

  it('uses the zt. host for OAuth2 project keys', () => {
    const config = loadConfig({
      ...BASE,
      SINCH_PROJECT_ID: 'p',
      SINCH_KEY_ID: 'k',
      SINCH_KEY_SECRET: 's',
      SINCH_CALLBACK_AUTH: 'token',
      SINCH_CALLBACK_TOKEN: 't'.repeat(24),
    })
    expect(config.sinch.credentials.mode).toBe('oauth2')
    expect(config.sinch.smsBaseUrl).toBe('https://zt.us.sms.api.sinch.com')
  })

  it('token and basic callback auth need strong values', () => {
    expect(problems({ ...BASE, SINCH_CALLBACK_AUTH: 'token', SINCH_CALLBACK_TOKEN: 'short' })).toEqual([
      expect.stringMatching(/^SINCH_CALLBACK_TOKEN must be at least 24/),
    ])
    expect(problems({ ...BASE, SINCH_CALLBACK_AUTH: 'basic', SINCH_CALLBACK_BASIC: 'user:short' })).toEqual([
      expect.stringMatching(/^SINCH_CALLBACK_BASIC must be user:password/),
    ])
  })
})

describe('parseSecrets', () => {
  it('names unnamed secrets by a fingerprint, never the secret', () => {
    const [named, unnamed] = parseSecrets('current=0123456789abcdef, fedcba9876543210')
    expect(named).toEqual({ id: 'current', secret: '0123456789abcdef' })
    expect(unnamed.id).toBe(secretFingerprint('fedcba9876543210'))
    expect(unnamed.id).toMatch(/^sha256:[0-9a-f]{8}$/)
    expect(unnamed.id).not.toContain('fedcba')
  })

  it('refuses an empty list and short secrets', () => {
    expect(() => parseSecrets(' , ')).toThrow('lists no secret')
    expect(() => parseSecrets('id=short')).toThrow('shorter than 8')
  })
})
