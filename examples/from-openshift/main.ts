// Converted by `imagestreams convert openshift` from 6 OpenShift objects.
// Each TODO(convert) names a field that has no equivalent here, and why. Check with `imagestreams check`,
// synthesize with `imagestreams synth`.

import { ApiObject, App, Chart, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { BuildConfig, BuildOutput, BuildSource, BuildStrategy, BuildTrigger, ImageStream, StreamRegistry, System } from 'cdk8s-imagestreams';

/**
 * OpenShift admitted every pod under its restricted-v2 SecurityContextConstraints, which set what the
 * manifests leave out: no privilege escalation, every capability dropped, a non-root user (OpenShift
 * picked a uid of the namespace's range; an image whose USER is root needs `user` set here) and a
 * writable root filesystem. Written out for Kubernetes, where they pass Pod Security "restricted".
 */
const openshiftRestricted: kplus.ContainerSecurityContextProps = { ensureNonRoot: true, readOnlyRootFilesystem: false, allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ['ALL' as kplus.Capability] } };

const app = new App();
// OpenShift's internal registry → a registry behind streams, where builds push and nodes pull: here one that the
// System deploys, pulled through a NodePort (see StreamRegistry for the trade-offs; StreamRegistry.external for yours).
new System(app, 'imagestreams', { registry: StreamRegistry.inCluster({ nodePort: 32000 }) });

const foo = new Chart(app, 'foo', { namespace: 'foo' });

// ImageStream jdk8 (openshift/foo.yaml)
const jdk8Stream = new ImageStream(foo, 'jdk8');
jdk8Stream.importTag('latest', { from: 'docker.io/library/eclipse-temurin:8-jdk' });

// ImageStream foo (openshift/foo.yaml)
const fooStream = new ImageStream(foo, 'foo');
fooStream.resource.metadata.addLabel('app', 'foo');

// BuildConfig foo (openshift/foo.yaml)
const fooBuild = new BuildConfig(foo, 'foo-build', {
  name: 'foo',
  source: BuildSource.git({ uri: 'https://github.com/example/foo.git', ref: 'main' }),
  strategy: BuildStrategy.dockerfile({ from: jdk8Stream.tag('latest') }),
  output: BuildOutput.imageStreamTag(fooStream.tag('latest')),
  triggers: [BuildTrigger.imageChange(), BuildTrigger.configChange(), BuildTrigger.webhook({ type: 'GitHub', secret: 'foo-github-webhook' })],
  resources: { memory: { limit: Size.gibibytes(2) } },
  postCommit: { script: './gradlew test' },
});
fooBuild.resource.metadata.addLabel('app', 'foo');

// Service foo (openshift/foo.yaml)
const fooService = new kplus.Service(foo, 'foo-service', {
  metadata: { name: 'foo', labels: { app: 'foo' } },
  ports: [
    { name: '8080-tcp', port: 8080, targetPort: 8080 },
  ],
});
fooService.selectLabel('deploymentconfig', 'foo');

// DeploymentConfig foo (openshift/foo.yaml)
// TODO(convert): spec.strategy.rollingParams.pre: the pre lifecycle hook has no equivalent in a Deployment: run it as a Job (an Argo CD or Helm hook), or an init container for per-pod work
const fooDeployment = new kplus.Deployment(foo, 'foo-deployment', {
  metadata: { name: 'foo', labels: { app: 'foo' } },
  replicas: 2,
  select: false,
  strategy: kplus.DeploymentStrategy.rollingUpdate({ maxSurge: kplus.PercentOrAbsolute.percent(25), maxUnavailable: kplus.PercentOrAbsolute.absolute(0) }),
  progressDeadline: Duration.seconds(600),
  podMetadata: { labels: { app: 'foo', deploymentconfig: 'foo' } },
  containers: [
    {
      name: 'foo',
      image: fooStream.tag('latest').pullSpec() ?? fooStream.tag('latest').name,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      ports: [{ number: 8080 }],
      resources: { cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.units(1) }, memory: { request: Size.mebibytes(768), limit: Size.gibibytes(1) } },
      readiness: kplus.Probe.fromHttpGet('/health', { port: 8080, initialDelaySeconds: Duration.seconds(15) }),
      securityContext: openshiftRestricted,
    },
  ],
});
fooDeployment.select(kplus.LabelSelector.of({ labels: { deploymentconfig: 'foo' } }));
// Fields that cdk8s-plus has no prop for.
ApiObject.of(fooDeployment).addJsonPatch(
  JsonPatch.add('/spec/template/spec/containers/0/env', [
    { name: 'JAVA_OPTS', value: '-Xmx512m' },
    { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'foo-db', key: 'password' } } },
  ]),
  JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
);
fooStream.tag('latest').deployTo(fooDeployment, { container: 'foo' });

// Route foo (openshift/foo.yaml)
// TODO(convert): spec.tls.insecureEdgeTerminationPolicy: Redirect for http is your ingress controller's setting (ingress-nginx redirects to https when the Ingress has tls; nginx.ingress.kubernetes.io/ssl-redirect turns it off)
// NOTE: the Route used the router's default certificate: create the kubernetes.io/tls Secret foo-tls (or let cert-manager do it).
new kplus.Ingress(foo, 'foo-route', {
  metadata: { name: 'foo', labels: { app: 'foo' } },
  rules: [{ host: 'foo.apps.example.com', path: '/', pathType: kplus.HttpIngressPathType.PREFIX, backend: kplus.IngressBackend.fromService(fooService, { port: 8080 }) }],
  tls: [{ hosts: ['foo.apps.example.com'], secret: kplus.Secret.fromSecretName(foo, 'foo-tls-secret', 'foo-tls') }],
});

app.synth();
