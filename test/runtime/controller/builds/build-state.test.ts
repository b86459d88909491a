import { describe, expect, it } from 'vitest';
import { currentState } from '../../../../lib/runtime/controller/builds/build-state';
import { fakeBuildConfig, fakeRun, withNumbers } from './build-fixtures';

const IMG1 = `reg/base@sha256:${'1'.repeat(64)}`;
const IMG2 = `reg/base@sha256:${'2'.repeat(64)}`;
const imageChange = (image: string) => ({ 'imagestreams.dev/cause': 'ImageChange', 'imagestreams.dev/cause-image': image, 'imagestreams.dev/cause-from': 'default/base:latest' });

describe('currentState', () => {
  it('is the status as written when no run is numbered past lastVersion', () => {
    const bc = fakeBuildConfig({}, {}, { lastVersion: 2, observedGeneration: 3, imageChangeTriggers: [{ from: { kind: 'ImageStreamTag', name: 'base:latest' }, lastTriggeredImage: IMG2 }] });
    const state = currentState(bc, withNumbers(fakeRun(1, 'succeeded', imageChange(IMG1)), fakeRun(2, 'running', imageChange(IMG2))));
    expect(state.lastVersion).toBe(2);
    expect(state.observedGeneration).toBe(3);
    expect(state.triggers.get('default/base:latest')?.lastTriggeredImage).toBe(IMG2);
  });

  it('catches up with runs created before a crash: their number, image and generation', () => {
    // GIVEN status written for build 1, but builds 2 (image change) and 3 (config change, generation 4) exist
    const bc = fakeBuildConfig({}, {}, { lastVersion: 1, observedGeneration: 1, imageChangeTriggers: [{ from: { kind: 'ImageStreamTag', name: 'base:latest' }, lastTriggeredImage: IMG1 }] });
    const runs = withNumbers(fakeRun(1, 'succeeded', imageChange(IMG1)), fakeRun(2, 'running', imageChange(IMG2)), fakeRun(3, 'pending', { 'imagestreams.dev/cause': 'ConfigChange', 'imagestreams.dev/cause-generation': '4' }));
    // WHEN the state is computed THEN the runs are the truth
    const state = currentState(bc, runs);
    expect(state.lastVersion).toBe(3);
    expect(state.triggers.get('default/base:latest')?.lastTriggeredImage).toBe(IMG2);
    expect(state.observedGeneration).toBe(4);
  });

  it('does not go back to an older run\'s image when newer runs were pruned', () => {
    const bc = fakeBuildConfig({}, {}, { lastVersion: 6, imageChangeTriggers: [{ from: { kind: 'ImageStreamTag', name: 'base:latest' }, lastTriggeredImage: IMG2 }] });
    expect(currentState(bc, withNumbers(fakeRun(5, 'failed', imageChange(IMG1)))).triggers.get('default/base:latest')?.lastTriggeredImage).toBe(IMG2);
  });
});
