import { createDbAuthClient, createAuth } from '@redwoodjs/auth-dbauth-web'

import { withOneRoundTripStartUp } from 'src/lib/startUpAuth'

// getToken and the currentUser query of the start-up go out together (src/lib/startUpAuth.ts).
const { client, getCurrentUser } = withOneRoundTripStartUp(createDbAuthClient())

export const { AuthProvider, useAuth } = createAuth(client, { useCurrentUser: getCurrentUser })
