// The seed workflow: a scheduled import of JDK 8 (stream `jdk8`) feeds the `foo` build, whose image
// rolls out the `foo` Deployment. This file grows with each part of the workflow.
import { ApiObject, App, Chart, Duration, JsonPatch } from 'cdk8s';
import { ImageStream, System } from 'cdk8s-imagestreams';

const app = new App();
new System(app, 'imagestreams');

const seed = new Chart(app, 'seed', { namespace: 'seed' });
// A Namespace is cluster-scoped: drop the chart's namespace from it.
new ApiObject(seed, 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'seed' } })
  .addJsonPatch(JsonPatch.remove('/metadata/namespace'));

// 1. Import eclipse-temurin:8-jdk into jdk8:latest every 15 minutes, keeping the last 10 digests.
const jdk8 = new ImageStream(seed, 'jdk8');
jdk8.importTag('latest', { from: 'docker.io/library/eclipse-temurin:8-jdk', interval: Duration.minutes(15) });

app.synth();
