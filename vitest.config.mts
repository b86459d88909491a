import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One real Kubernetes control plane for the run, started when a test first asks for it.
    globalSetup: ['test/support/cluster/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Tests that start real registries, git servers and buildah share one machine of 2 cores.
    maxWorkers: 2,
  },
});
