// The seed workflow: a scheduled import of JDK 8 (stream `jdk8`) feeds the `foo` build, whose image
// rolls out the `foo` Deployment, pinned by digest.
import { ApiObject, App, Chart, Duration, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { BuildConfig, BuildOutput, BuildSource, BuildStrategy, BuildTrigger, ImageStream, StreamRegistry, System } from 'cdk8s-imagestreams';
import { addHideAndReplace } from './hide-and-replace';

const app = new App();
// Builds push to a registry that the System deploys in its namespace (see StreamRegistry for the trade-offs);
// nodes pull from it at localhost:32000, a NodePort (containerd pulls localhost over http as it is).
new System(app, 'imagestreams', { registry: StreamRegistry.inCluster({ nodePort: 32000 }) });

const seed = new Chart(app, 'seed', { namespace: 'seed' });
// A Namespace is cluster-scoped: drop the chart's namespace from it.
new ApiObject(seed, 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'seed' } })
  .addJsonPatch(JsonPatch.remove('/metadata/namespace'));

// 1. Import eclipse-temurin:8-jdk into jdk8:latest every 15 minutes, keeping the last 10 digests.
const jdk8 = new ImageStream(seed, 'jdk8');
jdk8.importTag('latest', { from: 'docker.io/library/eclipse-temurin:8-jdk', interval: Duration.minutes(15) });

// 2-4. Build foo's Dockerfile FROM jdk8:latest (by digest) into foo:latest; a new jdk8 digest rebuilds it,
// and so does each push to main that GitHub reports (HMAC-signed with the secret in Secret foo-github-webhook,
// key WebHookSecretKey, which is not part of these manifests: create it in the cluster).
const foo = new ImageStream(seed, 'foo');
new BuildConfig(seed, 'foo-build', {
  name: 'foo',
  source: BuildSource.git({ uri: 'https://github.com/example/foo.git', ref: 'main' }),
  strategy: BuildStrategy.dockerfile({ from: jdk8.tag('latest') }),
  output: BuildOutput.imageStreamTag(foo.tag('latest')),
  triggers: [
    BuildTrigger.imageChange(),
    BuildTrigger.configChange(),
    BuildTrigger.webhook({ type: 'GitHub', secret: 'foo-github-webhook' }),
  ],
});

// 5. The foo Deployment follows foo:latest: the controller sets each new build's digest as its image
// (localhost:32000/seed/foo@sha256:…, the in-cluster registry's address on every node), which rolls it out.
const fooApp = new kplus.Deployment(seed, 'foo-app', {
  metadata: { name: 'foo' },
  containers: [{ name: 'foo', image: 'localhost:32000/seed/foo:latest', portNumber: 8080 }],
});
foo.tag('latest').deployTo(fooApp, { container: 'foo' });

// The seed's other idea: every app uses the `nginx` stream; replacing the image behind it changes them all.
addHideAndReplace(app);

app.synth();
