import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one worker per core but one, i.e. a single worker on the 2-core reference
    // machine; most files wait on sockets, databases and spawned CLIs, so two run side by side.
    maxWorkers: 2,
  },
})
