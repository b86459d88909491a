import { describe, expect, it } from 'vitest';
import { currentState } from '../../../../lib/runtime/controller/builds/build-state';
import { nextStatus } from '../../../../lib/runtime/controller/builds/next-status';
import { fakeBuildConfig, fakeRun, withNumbers } from './build-fixtures';

const NOW = new Date('2026-02-03T04:05:06.789Z');

describe('nextStatus', () => {
  it('lists every ImageChange trigger, records lastVersion, the condition and observedGeneration', () => {
    const bc = fakeBuildConfig({}, { generation: 2 });
    const state = currentState(bc, []);
    state.lastVersion = 1;
    state.triggers.set('default/base:latest', { from: { kind: 'ImageStreamTag', name: 'base:latest' }, lastTriggeredImage: 'r@sha256:1', lastTriggerTime: '2026-01-01T00:00:00Z' });
    expect(nextStatus(bc, state, withNumbers(fakeRun(1, 'succeeded')), { deferred: false, now: NOW })).toEqual({
      lastVersion: 1,
      imageChangeTriggers: [{ from: { kind: 'ImageStreamTag', name: 'base:latest' }, lastTriggeredImage: 'r@sha256:1', lastTriggerTime: '2026-01-01T00:00:00Z' }],
      conditions: [{ type: 'BuildSucceeded', status: 'True', reason: 'Succeeded', message: 'build app-1 succeeded', lastTransitionTime: '2026-02-03T04:05:06Z' }],
      observedGeneration: 2,
    });
  });

  it('keeps observedGeneration behind while a spec change\'s build is deferred', () => {
    const bc = fakeBuildConfig({}, { generation: 5 }, { lastVersion: 3, observedGeneration: 4 });
    expect(nextStatus(bc, currentState(bc, []), [], { deferred: true, now: NOW }).observedGeneration).toBe(4);
  });

  it('warns in condition Deprecated while the spec uses a form OpenShift deprecates, and clears it once it is gone', () => {
    // GIVEN an inline webhook secret under the legacy spelling 'github'
    const inline = fakeBuildConfig({ triggers: [{ type: 'github', github: { secret: 'x' } }] });
    const warned = nextStatus(inline, currentState(inline, []), [], { deferred: false, now: NOW }).conditions?.find((c) => c.type === 'Deprecated');
    expect(warned).toMatchObject({ status: 'True', reason: 'DeprecatedFields' });
    expect(warned?.message).toContain("triggers[0].type 'github' is a deprecated spelling: write 'GitHub'");
    expect(warned?.message).toContain('triggers[0].github.secret: an inline webhook secret is deprecated');
    // WHEN the Secret is named instead THEN the condition turns False
    const fixed = fakeBuildConfig({ triggers: [{ type: 'GitHub', github: { secretReference: { name: 'hook' } } }] }, {}, { conditions: [warned!] });
    expect(nextStatus(fixed, currentState(fixed, []), [], { deferred: false, now: NOW }).conditions?.find((c) => c.type === 'Deprecated')).toMatchObject({ status: 'False' });
    // AND a spec that never had one gets no such condition
    const plain = fakeBuildConfig({});
    expect(nextStatus(plain, currentState(plain, []), [], { deferred: false, now: NOW }).conditions).toBeUndefined();
  });

  it('records where a BuildConfig without a Pipeline pushes (status.outputDockerImageReference), and nothing for one with a Pipeline', () => {
    const bc = fakeBuildConfig({});
    expect(nextStatus(bc, currentState(bc, []), [], { deferred: false, now: NOW, outputImage: 'registry.svc:5000/web/app:latest' }).outputDockerImageReference).toBe('registry.svc:5000/web/app:latest');
    expect(nextStatus(bc, currentState(bc, []), [], { deferred: false, now: NOW })).not.toHaveProperty('outputDockerImageReference');
  });
});
