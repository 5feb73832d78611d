import type { APIGatewayProxyEvent, Context } from 'aws-lambda'

import { PasswordValidationError } from '@redwoodjs/auth-dbauth-api'
import type { DbAuthHandlerOptions, UserType } from '@redwoodjs/auth-dbauth-api'

import { cookieName } from 'src/lib/auth'
import { config } from 'src/lib/config'
import { db } from 'src/lib/db'
import { DeskAuthHandler, SIGN_IN_FAILED } from 'src/lib/deskAuthHandler'
import { SESSION_CLAIM_FIELDS, sessionCookieSecure } from 'src/lib/session'
import { endAllSessions } from 'src/services/sessions/sessions'
import { auditSignIn, refuseDisabled } from 'src/services/staff/signIn'
import { createFirstUser, MIN_PASSWORD_LENGTH } from 'src/services/staff/staff'

export const handler = async (event: APIGatewayProxyEvent, context: Context) => {
  const forgotPasswordOptions: DbAuthHandlerOptions['forgotPassword'] = {
    // handler() is invoked after verifying that a user was found with the given
    // username. This is where you can send the user an email with a link to
    // reset their password. With the default dbAuth routes and field names, the
    // URL to reset the password will be:
    //
    // https://example.com/reset-password?resetToken=${user.resetToken}
    //
    // Whatever is returned from this function will be returned from
    // the `forgotPassword()` function that is destructured from `useAuth()`.
    // You could use this return value to, for example, show the email
    // address in a toast message so the user will know it worked and where
    // to look for the email.
    //
    // Note that this return value is sent to the client in *plain text*
    // so don't include anything you wouldn't want prying eyes to see. The
    // `user` here has been sanitized to only include the fields listed in
    // `allowedUserFields` so it should be safe to return as-is.
    handler: (user, _resetToken) => {
      // The desk sends no email and has no reset page: a staff member's
      // password is reset by an admin with `yarn rw exec createUser --email …
      // --password …`. The token is never returned to the browser.

      return user
    },

    // How long the resetToken is valid for, in seconds (default is 24 hours)
    expires: 60 * 60 * 24,

    errors: {
      // for security reasons you may want to be vague here rather than expose
      // the fact that the email address wasn't found (prevents fishing for
      // valid email addresses)
      usernameNotFound: 'Username not found',
      // if the user somehow gets around client validation
      usernameRequired: 'Username is required',
    },
  }

  const loginOptions: DbAuthHandlerOptions['login'] = {
    // handler() is called after finding the user that matches the
    // username/password provided at login, but before actually considering them
    // logged in. The `user` argument will be the user in the database that
    // matched the username/password.
    //
    // If you want to allow this user to log in simply return the user.
    //
    // If you want to prevent someone logging in for another reason (maybe they
    // didn't validate their email yet), throw an error and it will be returned
    // by the `logIn()` function from `useAuth()` in the form of:
    // `{ message: 'Error message' }`
    handler: (user) => refuseDisabled(user),

    errors: {
      usernameOrPasswordMissing: 'Both username and password are required',
      // One message for both (DeskAuthHandler makes sure of it).
      usernameNotFound: SIGN_IN_FAILED,
      incorrectPassword: SIGN_IN_FAILED,
    },

    // How long a user will remain logged in, in seconds (SESSION_MAX_AGE_HOURS,
    // also checked server-side against the sign-in time in the cookie).
    expires: Math.floor(config().session.maxAgeMs / 1000),
  }

  const resetPasswordOptions: DbAuthHandlerOptions['resetPassword'] = {
    // handler() is invoked after the password has been successfully updated in
    // the database. Returning anything truthy will automatically log the user
    // in. Return `false` otherwise, and in the Reset Password page redirect the
    // user to the login page.
    // A new password ends every session of the user; they sign in again with it.
    handler: async (user) => {
      await endAllSessions(user.id as number)
      return false
    },

    // If `false` then the new password MUST be different from the current one
    allowReusedPassword: true,

    errors: {
      // the resetToken is valid, but expired
      resetTokenExpired: 'resetToken is expired',
      // no user was found with the given resetToken
      resetTokenInvalid: 'resetToken is invalid',
      // the resetToken was not present in the URL
      resetTokenRequired: 'resetToken is required',
      // new password is the same as the old password (apparently they did not forget it)
      reusedPassword: 'Must choose a new password',
    },
  }

  interface UserAttributes {
    name?: string
    setupToken?: string
  }

  const signupOptions: DbAuthHandlerOptions<UserType, UserAttributes>['signup'] = {
    // Whatever you want to happen to your data on new user signup. Redwood will
    // check for duplicate usernames before calling this handler. At a minimum
    // you need to save the `username`, `hashedPassword` and `salt` to your
    // user table. `userAttributes` contains any additional object members that
    // were included in the object given to the `signUp()` function you got
    // from `useAuth()`.
    //
    // If you want the user to be immediately logged in, return the user that
    // was created.
    //
    // If this handler throws an error, it will be returned by the `signUp()`
    // function in the form of: `{ error: 'Error message' }`.
    //
    // If this returns anything else, it will be returned by the
    // `signUp()` function in the form of: `{ message: 'String here' }`.
    // Only the first admin signs up here, with the one-time setup token
    // (src/services/staff/staff.ts); everyone else is invited by an admin.
    handler: ({ username, hashedPassword, salt, userAttributes }) =>
      createFirstUser({
        email: username,
        hashedPassword,
        salt,
        name: userAttributes?.name,
        setupToken: userAttributes?.setupToken,
      }),

    passwordValidation: (password) => {
      if (password.length < MIN_PASSWORD_LENGTH) {
        throw new PasswordValidationError(`Use at least ${MIN_PASSWORD_LENGTH} characters.`)
      }
      return true
    },

    errors: {
      // `field` will be either "username" or "password"
      fieldMissing: '${field} is required',
      usernameTaken: 'Username `${username}` already in use',
    },
  }

  const authHandler = new DeskAuthHandler(event, context, {
    // Provide prisma db client
    db: db,

    // The name of the property you'd call on `db` to access your user table.
    // i.e. if your Prisma model is named `User` this value would be `user`, as in `db.user`
    authModelAccessor: 'user',

    // A map of what dbAuth calls a field to what your database calls it.
    // `id` is whatever column you use to uniquely identify a user (probably
    // something like `id` or `userId` or even `email`)
    authFields: {
      id: 'id',
      username: 'email',
      hashedPassword: 'hashedPassword',
      salt: 'salt',
      resetToken: 'resetToken',
      resetTokenExpiresAt: 'resetTokenExpiresAt',
    },

    // A list of fields on your user object that are safe to return to the
    // client when invoking a handler that returns a user (like forgotPassword
    // and signup). This list should be as small as possible to be sure not to
    // leak any sensitive information to the client.
    allowedUserFields: ['id', 'email', ...SESSION_CLAIM_FIELDS],

    // Specifies attributes on the cookie that dbAuth sets in order to remember
    // who is logged in. See https://developer.mozilla.org/en-US/docs/Web/HTTP/Cookies#restrict_access_to_cookies
    cookie: {
      attributes: {
        HttpOnly: true,
        Path: '/',
        SameSite: 'Lax',
        // Production: SESSION_COOKIE_SECURE (default true). Elsewhere Secure
        // except plain HTTP to localhost (yarn rw dev). See src/lib/session.ts.
        Secure: sessionCookieSecure(event),

        // If you need to allow other domains (besides the api side) access to
        // the dbAuth session cookie:
        // Domain: 'example.com',
      },
      name: cookieName,
    },

    forgotPassword: forgotPasswordOptions,
    login: loginOptions,
    resetPassword: resetPasswordOptions,
    signup: signupOptions,
  })

  // Sign-ins and failed sign-ins go to the audit log.
  return auditSignIn(event, await authHandler.invoke())
}
