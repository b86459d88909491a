/**
 * OpenShift 4's BuildConfig (build.openshift.io/v1), each documented field and form in a manifest of
 * its own written from OpenShift's API reference, applied to our CRD on the real API server with only
 * the apiVersion changed and strict field validation: each is accepted and read back as written (no
 * field pruned), but for the server defaults listed in SERVER_DEFAULTS.
 */
import { describe, expect, it } from 'vitest';
import { useTestKube } from '../../support/kube';
import { SERVER_DEFAULTS, createAndRead, written } from './support';

const kube = useTestKube('compat-bc-ok');
const DIGEST = `sha256:${'5c'.repeat(32)}`;

/** A BuildConfig named `name` whose spec is `spec` (YAML, indented by two). */
const bc = (name: string, spec: string): string => `
apiVersion: build.openshift.io/v1
kind: BuildConfig
metadata:
  name: ${name}
  labels:
    app: ${name}
spec:
${spec}`;

const ACCEPTED: [string, string][] = [
  ['a Docker strategy with every option, from a git source, to an ImageStreamTag', bc('docker-full', `
  source:
    git:
      uri: https://git.example.com/team/app.git
      ref: release-1.4
    contextDir: services/api
    sourceSecret:
      name: git-credentials
  strategy:
    dockerStrategy:
      from:
        kind: ImageStreamTag
        name: base:1.4
        namespace: shared-images
      pullSecret:
        name: pull-credentials
      noCache: true
      forcePull: true
      dockerfilePath: build/Dockerfile.release
      env:
      - name: GOFLAGS
        value: -mod=vendor
      - name: EMPTY
      buildArgs:
      - name: VERSION
        value: 1.4.0
      imageOptimizationPolicy: SkipLayers
  output:
    to:
      kind: ImageStreamTag
      name: api:1.4
    pushSecret:
      name: push-credentials
    imageLabels:
    - name: io.example.team
      value: platform
    - name: io.example.version
      value: 1.4.0
`)],
  ['strategy type Docker and source type Git written out', bc('docker-typed', `
  source:
    type: Git
    git:
      uri: https://git.example.com/team/app.git
  strategy:
    type: Docker
    dockerStrategy:
      imageOptimizationPolicy: None
  output:
    to:
      kind: ImageStreamTag
      name: app:latest
`)],
  ['imageOptimizationPolicy SkipLayersAndWarn', bc('skip-warn', `
  source:
    git:
      uri: https://git.example.com/team/app.git
  strategy:
    dockerStrategy:
      imageOptimizationPolicy: SkipLayersAndWarn
`)],
  ['a Source (S2I) strategy with every option', bc('s2i-full', `
  source:
    type: Git
    git:
      uri: https://git.example.com/team/ruby-app.git
  strategy:
    type: Source
    sourceStrategy:
      from:
        kind: ImageStreamTag
        name: ruby:3.3
        namespace: openshift
      pullSecret:
        name: pull-credentials
      env:
      - name: RACK_ENV
        value: production
      scripts: image:///usr/libexec/s2i
      incremental: true
      forcePull: true
  output:
    to:
      kind: ImageStreamTag
      name: ruby-app:latest
`)],
  ['an inferred Source strategy from a DockerImage builder', bc('s2i-inferred', `
  source:
    git:
      uri: https://git.example.com/team/node-app.git
  strategy:
    sourceStrategy:
      from:
        kind: DockerImage
        name: registry.example.com/builders/nodejs:20
  output:
    to:
      kind: DockerImage
      name: registry.example.com/team/node-app:latest
`)],
  ['an inline Dockerfile (source type Dockerfile)', bc('dockerfile-typed', `
  source:
    type: Dockerfile
    dockerfile: |
      FROM registry.example.com/base/busybox:1.36
      RUN echo hello > /hello
  strategy:
    type: Docker
    dockerStrategy:
      from:
        kind: DockerImage
        name: registry.example.com/base/busybox:1.37
  output:
    to:
      kind: ImageStreamTag
      name: hello:latest
`)],
  ['an inline Dockerfile, source type inferred', bc('dockerfile-inferred', `
  source:
    dockerfile: "FROM scratch\\nCOPY . /\\n"
  strategy:
    dockerStrategy: {}
`)],
  ['a Binary source with asFile (type Binary)', bc('binary-file', `
  source:
    type: Binary
    binary:
      asFile: app.war
  strategy:
    sourceStrategy:
      from:
        kind: ImageStreamTag
        name: tomcat:10
  output:
    to:
      kind: ImageStreamTag
      name: webapp:latest
`)],
  ['a Binary source of an archive, type inferred', bc('binary-archive', `
  source:
    binary: {}
    contextDir: app
  strategy:
    dockerStrategy: {}
  output:
    to:
      kind: ImageStreamTag
      name: uploaded:latest
`)],
  ['an Image source (type Image) copying paths, with a pull secret', bc('image-source', `
  source:
    type: Image
    images:
    - from:
        kind: ImageStreamTag
        name: artifacts:latest
      paths:
      - sourcePath: /opt/app/build/.
        destinationDir: app
      - sourcePath: /opt/app/config.yaml
        destinationDir: config
      pullSecret:
        name: pull-credentials
  strategy:
    dockerStrategy: {}
`)],
  ['image sources added to a git source, one an ImageStreamImage and one a DockerImage', bc('git-and-images', `
  source:
    git:
      uri: https://git.example.com/team/app.git
    images:
    - from:
        kind: ImageStreamImage
        name: artifacts@${DIGEST}
      paths:
      - sourcePath: /artifacts/lib.jar
        destinationDir: libs
    - from:
        kind: DockerImage
        name: registry.example.com/tools/cli:2
      paths:
      - sourcePath: /usr/bin/cli
        destinationDir: bin
  strategy:
    dockerStrategy: {}
`)],
  ['source type None with a Source strategy', bc('none-typed', `
  source:
    type: None
  strategy:
    sourceStrategy:
      from:
        kind: DockerImage
        name: registry.example.com/builders/generator:1
`)],
  ['no source at all (type None inferred)', bc('no-source', `
  strategy:
    sourceStrategy:
      from:
        kind: DockerImage
        name: registry.example.com/builders/generator:1
`)],
  ['build secrets and config maps with their destination directories', bc('build-inputs', `
  source:
    git:
      uri: https://git.example.com/team/app.git
    secrets:
    - secret:
        name: maven-settings
      destinationDir: .m2
    configMaps:
    - configMap:
        name: npmrc
      destinationDir: config/npm
  strategy:
    dockerStrategy: {}
`)],
  ['the strategy from as an ImageStreamImage (one image of a stream\'s history)', bc('from-stream-image', `
  source:
    git:
      uri: https://git.example.com/team/app.git
  strategy:
    dockerStrategy:
      from:
        kind: ImageStreamImage
        name: base@${DIGEST}
        namespace: shared-images
`)],
  ['a DockerImage output', bc('docker-output', `
  source:
    git:
      uri: https://git.example.com/team/app.git
  strategy:
    dockerStrategy: {}
  output:
    to:
      kind: DockerImage
      name: registry.example.com/team/app:latest
    pushSecret:
      name: push-credentials
`)],
  ['an output without to (built, not pushed), with labels', bc('output-no-to', `
  source:
    git:
      uri: https://git.example.com/team/app.git
  strategy:
    dockerStrategy: {}
  output:
    imageLabels:
    - name: verified
      value: "true"
`)],
  ['an empty output', bc('output-empty', `
  source:
    git:
      uri: https://git.example.com/team/app.git
  strategy:
    dockerStrategy: {}
  output: {}
`)],
  ['no output', bc('no-output', `
  source:
    git:
      uri: https://git.example.com/team/app.git
  strategy:
    dockerStrategy: {}
`)],
  ['each trigger type, webhooks with secretReference', bc('triggers', `
  source:
    git:
      uri: https://git.example.com/team/app.git
  strategy:
    dockerStrategy:
      from:
        kind: ImageStreamTag
        name: base:1
  triggers:
  - type: GitHub
    github:
      secretReference:
        name: github-hook
  - type: GitLab
    gitlab:
      secretReference:
        name: gitlab-hook
  - type: Bitbucket
    bitbucket:
      secretReference:
        name: bitbucket-hook
  - type: Generic
    generic:
      secretReference:
        name: generic-hook
      allowEnv: true
  - type: ImageChange
    imageChange: {}
  - type: ImageChange
    imageChange:
      from:
        kind: ImageStreamTag
        name: tools:2
        namespace: shared-images
      paused: true
  - type: ConfigChange
`)],
  ['webhooks with an inline secret, and the legacy spellings github, generic, imageChange', bc('legacy-triggers', `
  source:
    git:
      uri: https://git.example.com/team/app.git
  strategy:
    sourceStrategy:
      from:
        kind: ImageStreamTag
        name: python:3.12
  triggers:
  - type: github
    github:
      secret: s3cr3t-github
  - type: generic
    generic:
      secret: s3cr3t-generic
  - type: GitLab
    gitlab:
      secret: s3cr3t-gitlab
  - type: Bitbucket
    bitbucket:
      secret: s3cr3t-bitbucket
      allowEnv: false
  - type: imageChange
    imageChange: {}
  - type: ImageChange
`)],
  ['an empty trigger list', bc('no-triggers', `
  source:
    git:
      uri: https://git.example.com/team/app.git
  strategy:
    dockerStrategy: {}
  triggers: []
`)],
  ['postCommit as a script', bc('hook-script', `
  source:
    git:
      uri: https://git.example.com/team/app.git
  strategy:
    dockerStrategy: {}
  postCommit:
    script: bundle exec rake test
`)],
  ['postCommit as a command', bc('hook-command', `
  source:
    git:
      uri: https://git.example.com/team/app.git
  strategy:
    dockerStrategy: {}
  postCommit:
    command: ["rake", "test", "--verbose"]
`)],
  ['postCommit as args to the entrypoint', bc('hook-args', `
  source:
    git:
      uri: https://git.example.com/team/app.git
  strategy:
    dockerStrategy: {}
  postCommit:
    args: ["rake", "test", "--verbose"]
`)],
  ['postCommit as a script with args', bc('hook-script-args', `
  source:
    git:
      uri: https://git.example.com/team/app.git
  strategy:
    dockerStrategy: {}
  postCommit:
    script: rake test $1
    args: ["--verbose"]
`)],
  ['postCommit as a command with args', bc('hook-command-args', `
  source:
    git:
      uri: https://git.example.com/team/app.git
  strategy:
    dockerStrategy: {}
  postCommit:
    command: ["rake", "test"]
    args: ["--verbose"]
`)],
  ['resources, nodeSelector, completionDeadlineSeconds, serviceAccount, runPolicy and history limits', bc('pod-settings', `
  runPolicy: SerialLatestOnly
  successfulBuildsHistoryLimit: 2
  failedBuildsHistoryLimit: 1
  serviceAccount: builder
  completionDeadlineSeconds: 1800
  nodeSelector:
    node-role.kubernetes.io/builds: ""
    kubernetes.io/arch: amd64
  resources:
    requests:
      cpu: 500m
      memory: 512Mi
    limits:
      cpu: "2"
      memory: 2Gi
      ephemeral-storage: 10Gi
  source:
    git:
      uri: https://git.example.com/team/app.git
  strategy:
    dockerStrategy: {}
`)],
  ['runPolicy Parallel, integer quantities, mountTrustedCA false', bc('parallel', `
  runPolicy: Parallel
  mountTrustedCA: false
  resources:
    limits:
      cpu: 1
  source:
    git:
      uri: https://git.example.com/team/app.git
  strategy:
    dockerStrategy: {}
`)],
  ['the empty fields `oc get bc -o yaml` prints', bc('exported', `
  nodeSelector: {}
  output: {}
  postCommit: {}
  resources: {}
  runPolicy: Serial
  successfulBuildsHistoryLimit: 5
  failedBuildsHistoryLimit: 5
  source:
    type: Git
    git:
      uri: https://git.example.com/team/app.git
  strategy:
    type: Docker
    dockerStrategy: {}
  triggers:
  - type: ConfigChange
`)],
];

/** Our additions to OpenShift's spec, in the same form: kept as written too. */
const BEYOND_OPENSHIFT: [string, string][] = [
  ['pipelineRef, params, stages, workspaces, podTemplate, registries, timeout, serviceAccountName, GitPoll and configChange.onSpecChange', bc('additions', `
  pipelineRef:
    name: team-pipeline
  params:
  - name: FLAVOUR
    value: slim
  - name: TARGETS
    value: ["linux/amd64", "linux/arm64"]
  timeout: 45m0s
  serviceAccountName: builder
  podTemplate:
    nodeSelector:
      pool: builds
    hostUsers: false
    automountServiceAccountToken: false
  registries:
  - host: registry.internal:5000
    insecure: true
  - host: registry.example.com
    ca:
      configMap:
        name: registry-ca
        key: ca.crt
  workspaces:
  - name: cache
    emptyDir: {}
  - name: settings
    secret:
      secretName: maven-settings
  source:
    git:
      uri: ssh://git@git.example.com/team/app.git
      insecureIgnoreHostKey: true
  strategy:
    dockerStrategy:
      stages:
      - name: build
        from:
          kind: ImageStreamTag
          name: golang:1.23
  triggers:
  - type: GitPoll
    gitPoll:
      interval: 5m0s
  - type: ConfigChange
    configChange:
      onSpecChange: true
`)],
  ['a Buildpacks strategy (type written)', bc('buildpacks-typed', `
  source:
    git:
      uri: https://git.example.com/team/app.git
  strategy:
    type: Buildpacks
    buildpacksStrategy:
      builder: registry.example.com/buildpacks/builder@sha256:${'3d'.repeat(32)}
      env:
      - name: BP_JVM_VERSION
        value: "21"
      userId: 1001
      groupId: 1001
`)],
  ['a Buildpacks strategy (type inferred)', bc('buildpacks-inferred', `
  source:
    git:
      uri: https://git.example.com/team/app.git
  strategy:
    buildpacksStrategy:
      builder: registry.example.com/buildpacks/builder:base
`)],
  ['S2I builders by language, and noCache', bc('s2i-builders', `
  source:
    git:
      uri: https://git.example.com/team/app.git
  strategy:
    sourceStrategy:
      builders:
      - language: python
        image: registry.example.com/builders/python:3.12
      noCache: true
`)],
];

describe('OpenShift BuildConfig manifests on our CRD (only the apiVersion changed)', () => {
  it.each(ACCEPTED)('keeps %s', async (_, openshift) => {
    // WHEN it is created with strict field validation, THEN the server keeps and returns every field as written
    const { created, read } = await createAndRead(kube, openshift);
    expect(created).toEqual(written(openshift));
    expect(read).toEqual(written(openshift));
  });

  it.each(BEYOND_OPENSHIFT)('keeps what we add: %s', async (_, manifest) => {
    const { read } = await createAndRead(kube, manifest);
    expect(read).toEqual(written(manifest));
  });

  it("reads `nodeSelector: null` (as `oc get -o yaml` prints one never set) as no nodeSelector, OpenShift's unset", async () => {
    const { read } = await createAndRead(kube, bc('null-selector', `
  nodeSelector: null
  source:
    git:
      uri: https://git.example.com/team/app.git
  strategy:
    dockerStrategy: {}
`));
    expect(read).toEqual({ ...SERVER_DEFAULTS, source: { git: { uri: 'https://git.example.com/team/app.git' } }, strategy: { dockerStrategy: {} } });
  });

  it('takes a manifest as `oc get bc -o yaml` prints it, status included, and leaves status to the controller', async () => {
    const exported = `
apiVersion: build.openshift.io/v1
kind: BuildConfig
metadata:
  name: exported-status
  annotations:
    openshift.io/generated-by: OpenShiftNewApp
spec:
  nodeSelector: null
  output:
    to:
      kind: ImageStreamTag
      name: exported-status:latest
  postCommit: {}
  resources: {}
  runPolicy: Serial
  source:
    git:
      uri: https://git.example.com/team/app.git
    type: Git
  strategy:
    dockerStrategy:
      from:
        kind: ImageStreamTag
        name: base:1
    type: Docker
  successfulBuildsHistoryLimit: 5
  failedBuildsHistoryLimit: 5
  triggers:
  - type: ImageChange
    imageChange: {}
status:
  lastVersion: 7
  imageChangeTriggers:
  - from:
      name: base:1
    lastTriggerTime: null
    lastTriggeredImageID: registry.example.com/base@${DIGEST}
`;
    const { read } = await createAndRead(kube, exported);
    const { nodeSelector: _, ...spec } = written(exported);
    expect(read).toEqual(spec);
    const stored = await kube.cluster.api('GET', `/apis/imagestreams.dev/v1alpha1/namespaces/${kube.namespace}/buildconfigs/exported-status`);
    expect(stored.status).toBeUndefined();
  });

  it('lists like `oc get bc`: repository, output and newest build; the written strategy type with -o wide', async () => {
    await createAndRead(kube, bc('columns', `
  source:
    git:
      uri: https://git.example.com/team/columns.git
  strategy:
    type: Docker
    dockerStrategy: {}
  output:
    to:
      kind: ImageStreamTag
      name: columns:latest
`));
    await kube.cluster.api('PATCH', `/apis/imagestreams.dev/v1alpha1/namespaces/${kube.namespace}/buildconfigs/columns/status`, { body: { status: { lastVersion: 3 } } });
    const { stdout } = await kube.cluster.kubectl(['get', 'bc', 'columns', '-n', kube.namespace, '-o', 'wide']);
    expect(stdout.trim().split('\n').map((line) => line.trim().split(/\s{2,}/))).toEqual([
      ['NAME', 'FROM', 'TO', 'LATEST', 'TYPE'],
      ['columns', 'https://git.example.com/team/columns.git', 'columns:latest', '3', 'Docker'],
    ]);
  });

  it("takes the BuildConfig of a Template's objects", async () => {
    const template = `
apiVersion: template.openshift.io/v1
kind: Template
metadata:
  name: app-template
parameters:
- name: NAME
  value: templated
objects:
- apiVersion: image.openshift.io/v1
  kind: ImageStream
  metadata:
    name: templated
- apiVersion: build.openshift.io/v1
  kind: BuildConfig
  metadata:
    name: templated
  spec:
    source:
      git:
        uri: https://git.example.com/team/templated.git
    strategy:
      sourceStrategy:
        from:
          kind: ImageStreamTag
          name: php:8.3
          namespace: openshift
    output:
      to:
        kind: ImageStreamTag
        name: templated:latest
    triggers:
    - type: ImageChange
    - type: ConfigChange
    - type: GitHub
      github:
        secretReference:
          name: templated-hook
`;
    const { read } = await createAndRead(kube, template);
    expect(read).toEqual(written(template));
    expect(read.strategy).toEqual({ sourceStrategy: { from: { kind: 'ImageStreamTag', name: 'php:8.3', namespace: 'openshift' } } });
  });
});
