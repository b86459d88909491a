import { ApiObject, Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { buildahBuildTask, buildpacksTask, gitFetchTask } from '../../../lib/api/build-pipeline/tasks';
import { enforcedLevel, podSecurityWarning, restrictedProblems } from '../../../constructs/buildconfig/pod-security-warning';

describe('restrictedProblems', () => {
  it('lists what keeps each step from "restricted"', () => {
    expect(restrictedProblems('git-fetch', gitFetchTask())).toEqual(['git-fetch step clone runs as root']);
    expect(restrictedProblems('buildah-build', buildahBuildTask())).toEqual([
      'buildah-build step build runs as root', 'buildah-build step build adds CHOWN, FOWNER, SETFCAP, SETGID, SETUID', 'buildah-build step build sets no seccomp profile',
      'buildah-build step push runs as root', 'buildah-build step push adds CHOWN, FOWNER, SETFCAP, SETGID, SETUID', 'buildah-build step push sets no seccomp profile',
    ]);
    expect(restrictedProblems('buildpacks', buildpacksTask())).toEqual([]);
  });
});

describe('enforcedLevel', () => {
  it('reads the enforce label of the app\'s own Namespace object, if any', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    new ApiObject(chart, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'seed', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } });
    new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } });
    expect(enforcedLevel(chart, 'seed')).toBe('restricted');
    expect(enforcedLevel(chart, 'other')).toBeUndefined();
  });
});

describe('podSecurityWarning', () => {
  it('warns only for "restricted" namespaces and Tasks that need more', () => {
    const tasks = { 'git-fetch-1': gitFetchTask() };
    expect(podSecurityWarning('c/bc', 'seed', 'baseline', tasks)).toBeUndefined();
    expect(podSecurityWarning('c/bc', 'seed', 'restricted', { cnb: buildpacksTask() })).toBeUndefined();
    expect(podSecurityWarning('c/bc', 'seed', 'restricted', tasks)).toBe(
      '[c/bc] namespace \'seed\' enforces Pod Security "restricted", but the build\'s pods need "baseline" (git-fetch-1 step clone runs as root): label the namespace pod-security.kubernetes.io/enforce=baseline or build in another namespace',
    );
  });
});
