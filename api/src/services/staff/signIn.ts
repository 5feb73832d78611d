/**
 * What the auth function (dbAuth) needs from the desk at sign-in: disabled
 * accounts are refused, and every sign-in and failed sign-in is audited.
 * Kept here so that src/functions/auth.ts calls it in a line or two.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda'

import { db } from 'src/lib/db'
import { logger } from 'src/lib/logger'
import { clientAddressOf, recordAudit } from 'src/services/audit/audit'

export class AccountDisabledError extends Error {
  constructor() {
    super('This account is disabled. Ask an admin to enable it.')
    this.name = 'AccountDisabledError'
  }
}

/** dbAuth's login handler: a disabled (or never activated) account cannot sign in. */
export function refuseDisabled<T extends { disabledAt?: Date | null; activatedAt?: Date | null }>(user: T): T {
  if (user.disabledAt) throw new AccountDisabledError()
  return user
}

/** The dbAuth method and username of a request to the auth function, read as dbAuth reads them. */
function authRequest(event: APIGatewayProxyEvent): { method?: string; username?: string } {
  let body: Record<string, unknown> = {}
  try {
    const raw = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : event.body
    const parsed = raw ? JSON.parse(raw) : {}
    if (parsed && typeof parsed === 'object') body = parsed
  } catch {
    // not JSON: dbAuth answers it; nothing to audit
  }
  const method = event.queryStringParameters?.method ?? body.method
  return {
    method: typeof method === 'string' ? method : undefined,
    username: typeof body.username === 'string' ? body.username.trim().toLowerCase().slice(0, 320) : undefined,
  }
}

/** Failed sign-ins audited per client address and minute, at most. */
export const MAX_FAILED_SIGN_INS_PER_MINUTE = 30

function recentFailures(clientAddress: string | null) {
  return db.auditEvent.count({
    where: { action: 'sign_in_failed', clientAddress, at: { gt: new Date(Date.now() - 60_000) } },
  })
}

/**
 * Records a login request's outcome in the audit log: sign_in with the user,
 * or sign_in_failed with the email as typed (and the account, if there is
 * one), never the password. Returns the response unchanged; an audit failure
 * is logged and does not change the answer.
 */
export async function auditSignIn<R extends { statusCode: number; body?: string }>(
  event: APIGatewayProxyEvent,
  response: R
): Promise<R> {
  const { method, username } = authRequest(event)
  if (method !== 'login') return response
  try {
    const ok = response.statusCode >= 200 && response.statusCode < 300
    const clientAddress = clientAddressOf(event)
    // Failed sign-ins are what an outsider can make us write: at most
    // MAX_FAILED_SIGN_INS_PER_MINUTE rows per client address; beyond that, a log line.
    if (!ok && (await recentFailures(clientAddress)) >= MAX_FAILED_SIGN_INS_PER_MINUTE) {
      logger.warn({ clientAddress }, 'failed sign-ins from this address beyond the audit limit: not audited')
      return response
    }
    const user = username
      ? await db.user.findUnique({ where: { email: username }, select: { id: true, email: true } })
      : null
    let reason: string | undefined
    if (!ok) {
      try {
        reason = String(JSON.parse(response.body ?? '{}').error ?? '').slice(0, 200) || undefined
      } catch {
        reason = undefined
      }
    }
    await recordAudit(db, {
      action: ok ? 'sign_in' : 'sign_in_failed',
      actor: user ? { id: user.id, email: user.email } : username ? { id: null, email: username } : null,
      clientAddress,
      targetType: 'user',
      targetId: user?.id ?? null,
      details: ok ? {} : { knownAccount: !!user, ...(reason ? { reason } : {}) },
    })
  } catch (error) {
    logger.error({ err: error }, 'could not record a sign-in in the audit log')
  }
  return response
}
