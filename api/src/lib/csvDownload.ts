import type { APIGatewayProxyEvent, Context } from 'aws-lambda'

import { createAuthDecoder } from '@redwoodjs/auth-dbauth-api'
import { useRequireAuth } from '@redwoodjs/graphql-server'

import { cookieName, getCurrentUser } from 'src/lib/auth'

/** A CSV file as a download response: never cached, since exports carry staff-only data. */
export const csvDownload = (filename: string, csv: string) => ({
  statusCode: 200,
  headers: {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${filename}"`,
    'Cache-Control': 'no-store',
  },
  body: csv,
})

/** Wraps a plain function handler so it sees the dbAuth session cookie's user (context.currentUser). */
export const withSession = <R>(handlerFn: (event: APIGatewayProxyEvent, context: Context) => Promise<R>) =>
  useRequireAuth({ handlerFn, getCurrentUser, authDecoder: createAuthDecoder(cookieName) })
