import { useEffect, useRef } from 'react'

import { FieldError, Form, Label, PasswordField, Submit, TextField } from '@redwoodjs/forms'

export type Credentials = { email: string; password: string }

type Props = {
  onSubmit: (c: Credentials) => void
  submitLabel: string
  busy: boolean
  error?: string | null
  /** A new password (sign-up): the api's rules for it, checked before it is sent. */
  newPassword?: { minLength: number }
}

const input =
  'mt-1 block w-full rounded border border-slate-300 px-3 py-2 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500'

/** Email and password, as login and first-user signup both need them. */
const CredentialsForm = ({ onSubmit, submitLabel, busy, error, newPassword }: Props) => {
  const emailRef = useRef<HTMLInputElement>(null)
  useEffect(() => emailRef.current?.focus(), [])
  return (
    <Form<Credentials> onSubmit={onSubmit} className="space-y-4">
      {error && (
        <p role="alert" className="rounded bg-rose-50 p-3 text-sm text-rose-900">
          {error}
        </p>
      )}
      <div>
        <Label name="email" className="text-sm font-medium">
          Email
        </Label>
        <TextField
          name="email"
          ref={emailRef}
          autoComplete="username"
          className={input}
          validation={{ required: { value: true, message: 'Enter your email' } }}
        />
        <FieldError name="email" className="mt-1 block text-sm text-rose-700" />
      </div>
      <div>
        <Label name="password" className="text-sm font-medium">
          Password
        </Label>
        <PasswordField
          name="password"
          autoComplete={newPassword ? 'new-password' : 'current-password'}
          className={input}
          validation={{
            required: { value: true, message: 'Enter your password' },
            ...(newPassword
              ? {
                  minLength: {
                    value: newPassword.minLength,
                    message: `Use at least ${newPassword.minLength} characters`,
                  },
                }
              : {}),
          }}
        />
        <FieldError name="password" className="mt-1 block text-sm text-rose-700" />
      </div>
      <Submit
        disabled={busy}
        className="w-full rounded bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
      >
        {busy ? 'Please wait…' : submitLabel}
      </Submit>
    </Form>
  )
}

export default CredentialsForm
