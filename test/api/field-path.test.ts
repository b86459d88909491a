import { describe, expect, it } from 'vitest';
import { parseFieldPath } from '../../lib/api/field-path';
import { workloadKind } from '../../lib/api/workload-kinds';

const deployment = workloadKind('Deployment')!;
const cronJob = workloadKind('CronJob')!;

describe('parseFieldPath', () => {
  it.each([
    ['spec.template.spec.containers[?(@.name=="web")].image', { list: 'containers', name: 'web' }],
    ["spec.template.spec.containers[?(@.name=='web')].image", { list: 'containers', name: 'web' }],
    ['spec.template.spec.initContainers[?(@.name=="init")].image', { list: 'initContainers', name: 'init' }],
    ['spec.template.spec.containers[2].image', { list: 'containers', index: 2 }],
    ['spec.template.spec.initContainers[0].image', { list: 'initContainers', index: 0 }],
  ])('reads %s', (path, selector) => {
    expect(parseFieldPath(path, deployment)).toEqual(selector);
  });

  it('reads the CronJob pod spec path', () => {
    expect(parseFieldPath('spec.jobTemplate.spec.template.spec.containers[0].image', cronJob)).toEqual({ list: 'containers', index: 0 });
  });

  it('rejects a path outside the kind\'s pod spec', () => {
    expect(parseFieldPath('spec.template.spec.containers[0].image', cronJob))
      .toBe("fieldPath 'spec.template.spec.containers[0].image' must start with 'spec.jobTemplate.spec.template.spec.' for a CronJob");
  });

  it.each(['spec.template.spec.containers[0].command', 'spec.template.spec.volumes[0].image', 'spec.template.spec.containers[?(@.image=="x")].image', 'spec.template.spec.containers.image'])(
    'rejects %s, which is no container image',
    (path) => {
      expect(parseFieldPath(path, deployment)).toBe(
        `fieldPath '${path}' must name a container's image, e.g. 'spec.template.spec.containers[?(@.name=="web")].image' or 'spec.template.spec.containers[0].image'`,
      );
    },
  );
});
