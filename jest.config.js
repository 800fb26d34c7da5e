// Jest runs the TypeScript sources as ESM (ts-jest) on Node 24; `tsc --noEmit` is the type gate,
// because ts-jest with isolatedModules does not type-check.
const tsJest = {
  '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: { ignoreCodes: [151002] } }]
}
const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: tsJest
}

export default {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
      // The synchronous readers the tests use need `yaml` loaded (see the file).
      setupFiles: ['<rootDir>/__tests__/yaml/setup.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/__tests__/integration/', '<rootDir>/__tests__/conformance/']
    },
    {
      ...common,
      displayName: 'conformance',
      testMatch: ['<rootDir>/__tests__/conformance/**/*.test.ts'],
      setupFiles: ['<rootDir>/__tests__/yaml/setup.ts'],
      globalSetup: '<rootDir>/__tests__/conformance/global-setup.ts'
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/__tests__/integration/**/*.test.ts'],
      setupFiles: ['<rootDir>/__tests__/yaml/setup.ts'],
      globalSetup: '<rootDir>/__tests__/integration/global-setup.ts',
      globalTeardown: '<rootDir>/__tests__/integration/global-teardown.ts'
    }
  ]
}
