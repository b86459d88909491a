/**
 * `imagestreams describe` of an OpenShift sample-style stream applied as YAML (only its apiVersion
 * changed): the tag annotations OpenShift's sample streams carry are shown as `oc describe is` shows
 * them, and a tag from an ImageStreamImage says what it points at.
 */
import { describe, expect, it } from 'vitest';
import { cli } from '../../support/cli';
import { useTestKube } from '../../support/kube';

const kube = useTestKube('compat-is-describe');
const DIGEST = `sha256:${'5c'.repeat(32)}`;

const SAMPLE = `
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata:
  name: example
spec:
  tags:
  - name: "3.2"
    annotations:
      openshift.io/display-name: Example 3.2
      description: Build and run example applications on version 3.2.
      tags: builder,example
      supports: example:3.2,example
      sampleRepo: https://git.example.com/samples/example-app.git
    from:
      kind: DockerImage
      name: registry.example.com/runtimes/example:3.2
  - name: known-good
    from:
      kind: ImageStreamImage
      name: example@${DIGEST}
`.replace('apiVersion: image.openshift.io/v1\n', 'apiVersion: imagestreams.dev/v1alpha1\n');

describe('imagestreams describe of an OpenShift sample stream', () => {
  it("shows each tag's description, tags, supports and example repository, as oc describe is does", async () => {
    // GIVEN the stream applied as users apply YAML
    await kube.cluster.kubectl(['apply', '-n', kube.namespace, '-f', '-'], { input: SAMPLE });
    // WHEN it is described
    const run = await cli(process.cwd(), 'describe', 'is/example', '--kubeconfig', kube.kubeconfigPath);
    // THEN the annotated tag shows them under its source, the ImageStreamImage tag names the image
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const text = run.stdout.replace(/\t+/g, ' ');
    expect(text).toContain([
      '3.2',
      '  tagged from registry.example.com/runtimes/example:3.2 (imported once)',
      '',
      '  Build and run example applications on version 3.2.',
      '  Tags: builder, example',
      '  Supports: example:3.2, example',
      '  Example Repo: https://git.example.com/samples/example-app.git',
      '  no image yet',
    ].join('\n'));
    expect(text).toContain(['known-good', `  tagged from example@${DIGEST} (an image of that stream's history)`].join('\n'));
  });

  it("shows spec.dockerImageRepository, what its last import brought, and the tags it brought into status", async () => {
    // GIVEN an OpenShift stream naming a repository, whose import recorded two of its tags (as the controller writes them)
    await kube.cluster.kubectl(['apply', '-n', kube.namespace, '-f', '-'], { input: `
apiVersion: imagestreams.dev/v1alpha1
kind: ImageStream
metadata:
  name: legacy
spec:
  dockerImageRepository: registry.example.com/team/legacy
` });
    const stream = await kube.streams().get('legacy');
    const created = new Date().toISOString();
    const item = (d: string) => ({ dockerImageReference: `registry.example.com/team/legacy@${d}`, image: d, created });
    await kube.streams().updateStatus({ ...stream, status: {
      tags: [{ tag: 'latest', items: [item(DIGEST)] }, { tag: '1.0', items: [item(DIGEST)] }],
      repositoryImport: { repository: 'registry.example.com/team/legacy', generation: 1, status: 'True', reason: 'Imported', message: 'imported 2 of the 2 tags', lastImportAttempt: created, tags: ['latest', '1.0'] },
    } });
    // WHEN it is described
    const run = await cli(process.cwd(), 'describe', 'is/legacy', '--kubeconfig', kube.kubeconfigPath);
    // THEN the repository, its import and each tag's source are shown
    const text = run.stdout.replace(/\d+[smhd] ago/g, 'AGO').replace(/\t+/g, ' ');
    expect(text).toContain('Docker Repository: registry.example.com/team/legacy (2 tags imported AGO)');
    expect(text).toContain(['latest', '  imported from registry.example.com/team/legacy:latest (spec.dockerImageRepository)', '', `  * registry.example.com/team/legacy@${DIGEST}`].join('\n'));
    expect(text).toContain(['1.0', '  imported from registry.example.com/team/legacy:1.0 (spec.dockerImageRepository)'].join('\n'));
  });
});
