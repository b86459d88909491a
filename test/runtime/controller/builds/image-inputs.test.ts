import { describe, expect, it } from 'vitest';
import { baseInput, imageChangeInputs, streamsRead } from '../../../../lib/runtime/controller/builds/image-inputs';
import { fakeBuildConfig } from './build-fixtures';

describe('image inputs', () => {
  it('ImageChange triggers follow their own tag, else the strategy\'s base; duplicates count once', () => {
    const bc = fakeBuildConfig({
      triggers: [
        { type: 'ImageChange', imageChange: {} },
        { type: 'ImageChange', imageChange: { from: { kind: 'ImageStreamTag', name: 'base:latest' } } },
        { type: 'ImageChange', imageChange: { from: { kind: 'ImageStreamTag', name: 'tools:1', namespace: 'shared' } } },
        { type: 'ConfigChange', configChange: {} },
      ],
    });
    expect(imageChangeInputs(bc).map((i) => i.key)).toEqual(['default/base:latest', 'shared/tools:1']);
    expect(streamsRead(bc)).toEqual(['default/base', 'shared/tools']);
  });

  it('a DockerImage base is not a stream input', () => {
    const bc = fakeBuildConfig({ strategy: { type: 'Docker', dockerStrategy: { from: { kind: 'DockerImage', name: 'busybox:1' } } } });
    expect(baseInput(bc)).toBeUndefined();
    expect(imageChangeInputs(bc)).toEqual([]);
  });
});
