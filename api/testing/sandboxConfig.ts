import { resetConfigForTests } from 'src/lib/config'
import { SANDBOX_CALLBACK_SECRET } from 'src/lib/sandboxCredentials'

/**
 * Points the api's config at a Sinch sandbox, with callbacks signed (HMAC) by the sandbox's secret and sent to
 * callbackUrl, plus any other variables (undefined unsets one). Returns what puts the environment back as it was.
 */
export function pointConfigAtSandbox(
  sandboxUrl: string,
  callbackUrl: string,
  extra: Record<string, string | undefined> = {}
): () => void {
  const values: Record<string, string | undefined> = {
    SINCH_SANDBOX_URL: sandboxUrl,
    SINCH_CALLBACK_URL: callbackUrl,
    SINCH_CALLBACK_SECRETS: `sandbox=${SANDBOX_CALLBACK_SECRET}`,
    SINCH_CALLBACK_AUTH: 'hmac',
    ...extra,
  }
  // Tests only: the variables are read at run time, never inlined by a build, so computed access is fine here.
  const env = process.env
  const saved = Object.fromEntries(Object.keys(values).map((k) => [k, env[k]]))
  const apply = (vars: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(vars)) {
      if (v === undefined) delete env[k]
      else env[k] = v
    }
    resetConfigForTests()
  }
  apply(values)
  return () => apply(saved)
}
