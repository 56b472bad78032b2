// jest.config.js
module.exports = {
  globalSetup: 'herald/jest/global-setup',
  globalTeardown: 'herald/jest/global-teardown',
  testEnvironment: 'herald/jest/environment', // jest 29: lets `await using` dispose brokers and captures
};
