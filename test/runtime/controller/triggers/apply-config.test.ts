import { describe, expect, it } from 'vitest';
import { imageApplyConfig, ownedImageFields } from '../../../../lib/runtime/controller/triggers/apply-config';
import { workloadKind } from '../../../../lib/api/workload-kinds';
import type { KubeObject } from '../../../../lib/runtime/kube/types';

const cronJob = workloadKind('CronJob')!;
const deployment = workloadKind('Deployment')!;

describe('imageApplyConfig', () => {
  it('holds identity, resourceVersion and only the named containers\' images along the pod spec path', () => {
    const object: KubeObject = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c', namespace: 'ns', resourceVersion: '7', labels: { a: 'b' } }, spec: { schedule: 'x' } };
    const images = new Map([['containers/web', 'r@sha256:1'], ['initContainers/init', 'r@sha256:2']]);
    expect(imageApplyConfig(object, cronJob, images)).toEqual({
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c', namespace: 'ns', resourceVersion: '7' },
      spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'web', image: 'r@sha256:1' }], initContainers: [{ name: 'init', image: 'r@sha256:2' }] } } } } },
    });
  });
});

describe('ownedImageFields', () => {
  it('finds the images our Apply entry owns, and nothing of other managers', () => {
    const fields = (name: string) => ({ 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { [`k:{"name":"${name}"}`]: { '.': {}, 'f:image': {}, 'f:name': {} } }, 'f:initContainers': { 'k:{"name":"i"}': { 'f:name': {} } } } } } });
    const object: KubeObject = {
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: 'd', managedFields: [
        { manager: 'imagestreams-controller', operation: 'Apply', fieldsV1: fields('web') },
        { manager: 'gitops', operation: 'Apply', fieldsV1: fields('other') },
        { manager: 'imagestreams-controller', operation: 'Update', fieldsV1: fields('old') },
      ] },
    };
    expect([...ownedImageFields(object, deployment)]).toEqual(['containers/web']);
  });
});
