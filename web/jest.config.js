// More info at https://redwoodjs.com/docs/project-configuration-dev-test-build

const config = {
  rootDir: '../',
  preset: '@redwoodjs/testing/config/jest/web',
  // Added to the preset's own set-up (jest concatenates the two lists).
  setupFilesAfterEnv: ['<rootDir>/web/config/jest.setup.ts'],
}

module.exports = config
