// More info at https://redwoodjs.com/docs/project-configuration-dev-test-build

// dbAuth and the config check need a session secret; tests never use it to
// protect anything (yarn start writes a real random one to .env).
process.env.SESSION_SECRET ||= 'jest-only-session-secret-not-used-for-anything-real'

const config = {
  rootDir: '../',
  preset: '@redwoodjs/testing/config/jest/api',
  globalSetup: '<rootDir>/api/jest.globalSetup.js',
}

module.exports = config
