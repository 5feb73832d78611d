/**
 * dbAuth's handler with what the desk adds to signing in (the options stay in
 * src/functions/auth.ts):
 *
 * - login: throttled per account and per client address through Postgres
 *   (src/services/signInAttempts); an unknown user and a wrong password get
 *   the same message (and take about as long: the unknown user's password is
 *   hashed too).
 * - forgotPassword: the same answer whether or not the user exists.
 * - getToken (the web asks it on every load): a revoked or expired session is
 *   logged out, as getCurrentUser treats it.
 * - every new session carries the claims of src/lib/session.ts.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda'

import type { Decoded } from '@redwoodjs/api'
import { DbAuthHandler, hashPassword, type UserType } from '@redwoodjs/auth-dbauth-api'
import * as DbAuthError from '@redwoodjs/auth-dbauth-api/dist/errors'

import { getCurrentUser } from 'src/lib/auth'
import { withSessionClaims } from 'src/lib/session'
import { beginSignInAttempt, finishSignInAttempt } from 'src/services/signInAttempts/signInAttempts'

/** The one message for an unknown email and a wrong password (in /auth's answer and so in the UI). */
export const SIGN_IN_FAILED = 'Wrong email or password.'
/** The forgot-password answer, whatever the email. */
export const FORGOT_PASSWORD_ANSWER =
  'If this email belongs to a staff account, a password reset has been requested. Ask an admin for the reset link.'

type Output = Awaited<ReturnType<DbAuthHandler<UserType>['login']>>

/** The address the request came from: fastify's request.ip (TRUST_PROXY decides whether X-Forwarded-For counts). */
export function clientAddressOf(event: APIGatewayProxyEvent | Request): string {
  return (event as APIGatewayProxyEvent).requestContext?.identity?.sourceIp || 'unknown'
}

export class DeskAuthHandler<TUser extends UserType, TAttributes = Record<string, unknown>> extends DbAuthHandler<
  TUser,
  TAttributes
> {
  async login(): Promise<Output> {
    const { username, password } = (this.normalizedRequest.jsonBody ?? {}) as Record<string, unknown>
    if (typeof username !== 'string' || typeof password !== 'string' || !username.trim() || !password.trim()) {
      return super.login() // dbAuth's "both are required"
    }
    const attemptId = await beginSignInAttempt({ email: username, clientAddress: clientAddressOf(this.event) })
    let result: Output
    try {
      result = await super.login()
    } catch (error) {
      await finishSignInAttempt(attemptId, 'failed')
      if (error instanceof DbAuthError.UserNotFoundError) {
        hashPassword(password) // as long as checking a real user's password
        throw new Error(SIGN_IN_FAILED)
      }
      if (error instanceof DbAuthError.IncorrectPasswordError) throw new Error(SIGN_IN_FAILED)
      throw error
    }
    const user = result[0] as { id?: number } | undefined
    await finishSignInAttempt(attemptId, 'succeeded', typeof user?.id === 'number' ? user.id : undefined)
    return result
  }

  async forgotPassword(): Promise<Output> {
    try {
      await super.forgotPassword()
    } catch (error) {
      if (!(error instanceof DbAuthError.UsernameNotFoundError)) throw error
    }
    return [JSON.stringify({ message: FORGOT_PASSWORD_ANSWER }), new Headers()]
  }

  /**
   * Every new session (login, the first signup, anything else dbAuth signs in
   * with) gets the claims getCurrentUser checks: the user's sessionVersion
   * (a column, so the user record has it) and the time of sign-in.
   */
  _loginResponse(user: Record<string, unknown>, statusCode?: number) {
    return super._loginResponse(withSessionClaims(user), statusCode)
  }

  async _getCurrentUser() {
    const user = await super._getCurrentUser()
    if (!(await getCurrentUser(this.session as Decoded))) throw new DbAuthError.NotLoggedInError()
    return user
  }
}
