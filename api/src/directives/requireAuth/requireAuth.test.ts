import { mockRedwoodDirective, getDirectiveName } from '@redwoodjs/testing/api'

import requireAuth from './requireAuth'

describe('requireAuth directive', () => {
  it('declares the directive sdl as schema, with the correct name', () => {
    expect(requireAuth.schema).toBeTruthy()
    expect(getDirectiveName(requireAuth.schema)).toBe('requireAuth')
  })

  it('lets a logged-in user through', () => {
    const mockExecution = mockRedwoodDirective(requireAuth, {
      context: {
        currentUser: { id: 1, email: 'staff@example.com', name: null, roles: ['viewer'], permissions: ['read'] },
      },
    })
    expect(mockExecution).not.toThrow()
  })

  it('with roles: lets those roles through and refuses the others', () => {
    const as = (role: 'admin' | 'sender' | 'viewer') =>
      mockRedwoodDirective(requireAuth, {
        directiveArgs: { roles: ['admin', 'sender'] },
        context: { currentUser: { id: 1, email: 'staff@example.com', name: null, roles: [role], permissions: [] } },
      })
    expect(as('sender')).not.toThrow()
    expect(as('admin')).not.toThrow()
    expect(as('viewer')).toThrow("You don't have access to do that.")
  })

  it('refuses an anonymous caller', () => {
    const mockExecution = mockRedwoodDirective(requireAuth, { context: {} })
    expect(mockExecution).toThrow("You don't have permission to do that.")
  })
})
