import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One real Kubernetes control plane for the run, started when a test first asks for it.
    globalSetup: ['test/support/cluster/global-setup.ts'],
    // Real git + buildah + registry builds take seconds on an idle 2-core machine and minutes on a busy one:
    // a timeout here means a hung test, not a slow one (speed is measured in npm run bench, never here).
    testTimeout: 180_000,
    hookTimeout: 300_000,
    // Tests that start real registries, git servers and buildah share one machine of 2 cores.
    maxWorkers: 2,
  },
});
