import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageStream } from '../../constructs';
import { synthApp } from './synth-app';
import { testKube, type TestKube } from './kube';

describe('the Kubernetes test fixture', () => {
  let t: TestKube;
  beforeAll(async () => { t = await testKube('fixture'); });
  afterAll(() => t?.close());

  it('serves the CRDs on the real API server and takes synthesized objects', async () => {
    // GIVEN a stream synthesized by the constructs in the test's namespace
    const app = synthApp(({ chart }) => {
      new ImageStream(chart(t.namespace), 'jdk8').importTag('latest', { from: 'eclipse-temurin:8-jdk' });
    });
    // WHEN it is applied
    await t.apply([app.one('ImageStream', 'jdk8')]);
    // THEN the real server stored it, defaulted by the CRD's schema
    const stream = await t.streams().get('jdk8');
    expect(stream.spec.tags?.[0]).toMatchObject({ name: 'latest', from: { kind: 'DockerImage', name: 'docker.io/library/eclipse-temurin:8-jdk' } });
    const version = await t.cluster.api('GET', '/version');
    expect(version.gitVersion).toMatch(/^v1\.34\./);
  });

  it('acts as a ServiceAccount with a TokenRequest token, which RBAC limits', async () => {
    const robot = await t.clientAs('robot');
    await expect(robot.resource({ apiVersion: 'v1', resource: 'secrets', namespace: t.namespace }).list()).rejects.toThrow(/forbidden/i);
  });
});
