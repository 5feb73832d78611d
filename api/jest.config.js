// More info at https://redwoodjs.com/docs/project-configuration-dev-test-build

// dbAuth and the config check need a session secret; tests never use it to
// protect anything (yarn start writes a real random one to .env).
process.env.SESSION_SECRET ||= 'jest-only-session-secret-not-used-for-anything-real'

const path = require('node:path')

const config = {
  rootDir: '../',
  preset: '@redwoodjs/testing/config/jest/api',
  // The Sinch sandbox (api/sandbox) and the test helpers (api/testing) live outside api/src so the api's build never
  // contains them; tests import them as sandbox/… and testing/…, and the sandbox's own tests and the conformance suite
  // (api/conformance) run with the api's.
  roots: [path.join(__dirname, 'src'), path.join(__dirname, 'sandbox'), path.join(__dirname, 'conformance')],
  moduleNameMapper: {
    '^sandbox/(.*)$': '<rootDir>/api/sandbox/$1',
    '^testing/(.*)$': '<rootDir>/api/testing/$1',
  },
  globalSetup: '<rootDir>/api/jest.globalSetup.js',
  // Added to the preset's own setup file: every test file starts from an empty database (see the file).
  setupFilesAfterEnv: ['<rootDir>/api/jest.fileSetup.js'],
}

module.exports = config
