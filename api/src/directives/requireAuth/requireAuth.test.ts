import { mockRedwoodDirective, getDirectiveName } from '@redwoodjs/testing/api'

import requireAuth from './requireAuth'

describe('requireAuth directive', () => {
  it('declares the directive sdl as schema, with the correct name', () => {
    expect(requireAuth.schema).toBeTruthy()
    expect(getDirectiveName(requireAuth.schema)).toBe('requireAuth')
  })

  it('lets a logged-in user through', () => {
    const mockExecution = mockRedwoodDirective(requireAuth, {
      context: { currentUser: { id: 1, email: 'staff@example.com', name: null } },
    })
    expect(mockExecution).not.toThrow()
  })

  it('refuses an anonymous caller', () => {
    const mockExecution = mockRedwoodDirective(requireAuth, { context: {} })
    expect(mockExecution).toThrow("You don't have permission to do that.")
  })
})
