/**
 * The OpenShift 4 BuildConfig fields and forms we don't support, each in a manifest written from
 * OpenShift's API reference and applied to our CRD on the real API server with only the apiVersion
 * changed: each is refused, and the refusal names the field and what to write instead. A field
 * OpenShift doesn't have fails loudly (strict field validation) instead of being pruned.
 */
import { describe, expect, it } from 'vitest';
import { KubectlError } from '../../support/cluster';
import { useTestKube } from '../../support/kube';
import { create, ours, refusal } from './support';

const kube = useTestKube('compat-bc-refused');

const bc = (name: string, spec: string): string => `
apiVersion: build.openshift.io/v1
kind: BuildConfig
metadata:
  name: ${name}
spec:
${spec}`;

const GIT = `
  source:
    git:
      uri: https://git.example.com/team/app.git`;

/** [what, manifest, the refusal's causes exactly (field: message)] */
const REFUSED: [string, string, string[]][] = [
  ['the Custom strategy', bc('custom', `${GIT}
  strategy:
    customStrategy:
      from:
        kind: DockerImage
        name: registry.example.com/builders/custom:1
      exposeDockerSocket: true
      buildAPIVersion: v1
`), ['spec.strategy.customStrategy: Invalid value: "object": the Custom strategy is not supported (deprecated in OpenShift 4): use dockerStrategy, sourceStrategy or a Pipeline of your own via spec.pipelineRef']],
  ['the Custom strategy with its type', bc('custom-typed', `${GIT}
  strategy:
    type: Custom
    customStrategy:
      from:
        kind: DockerImage
        name: registry.example.com/builders/custom:1
`), [
    'spec.strategy.customStrategy: Invalid value: "object": the Custom strategy is not supported (deprecated in OpenShift 4): use dockerStrategy, sourceStrategy or a Pipeline of your own via spec.pipelineRef',
    'spec.strategy.type: Invalid value: "object": strategy types Custom and JenkinsPipeline are not supported (deprecated in OpenShift 4): use Docker, Source or Buildpacks, or a Pipeline of your own via spec.pipelineRef',
  ]],
  ['the JenkinsPipeline strategy', bc('jenkins', `${GIT}
  strategy:
    jenkinsPipelineStrategy:
      jenkinsfilePath: ci/Jenkinsfile
      env:
      - name: STAGE
        value: test
`), ['spec.strategy.jenkinsPipelineStrategy: Invalid value: "object": the JenkinsPipeline strategy is not supported (deprecated in OpenShift 4): write the pipeline as a Tekton Pipeline and name it with spec.pipelineRef']],
  ['strategy type JenkinsPipeline alone', bc('jenkins-type', `${GIT}
  strategy:
    type: JenkinsPipeline
`), ['spec.strategy.type: Invalid value: "object": strategy types Custom and JenkinsPipeline are not supported (deprecated in OpenShift 4): use Docker, Source or Buildpacks, or a Pipeline of your own via spec.pipelineRef']],
  ['env valueFrom', bc('env-value-from', `${GIT}
  strategy:
    dockerStrategy:
      env:
      - name: TOKEN
        valueFrom:
          secretKeyRef:
            name: tokens
            key: token
`), ['spec.strategy.dockerStrategy.env[0].valueFrom: Invalid value: "object": valueFrom is not supported in a build\'s env or buildArgs: give a literal value, or the Secret\'s files with source.secrets (or source.configMaps)']],
  ['buildArgs valueFrom (which OpenShift ignores)', bc('arg-value-from', `${GIT}
  strategy:
    dockerStrategy:
      buildArgs:
      - name: VERSION
        value: "1"
      - name: REGION
        valueFrom:
          configMapKeyRef:
            name: settings
            key: region
`), ['spec.strategy.dockerStrategy.buildArgs[1].valueFrom: Invalid value: "object": valueFrom is not supported in a build\'s env or buildArgs: give a literal value, or the Secret\'s files with source.secrets (or source.configMaps)']],
  ['Source strategy env valueFrom', bc('s2i-value-from', `${GIT}
  strategy:
    sourceStrategy:
      from:
        kind: ImageStreamTag
        name: ruby:3.3
      env:
      - name: POD
        valueFrom:
          fieldRef:
            fieldPath: metadata.name
`), ['spec.strategy.sourceStrategy.env[0].valueFrom: Invalid value: "object": valueFrom is not supported in a build\'s env or buildArgs: give a literal value, or the Secret\'s files with source.secrets (or source.configMaps)']],
  ['dockerStrategy.volumes', bc('docker-volumes', `${GIT}
  strategy:
    dockerStrategy:
      volumes:
      - name: settings
        source:
          type: Secret
          secret:
            secretName: maven-settings
        mounts:
        - destinationPath: /var/run/maven
`), ['spec.strategy.dockerStrategy.volumes: Invalid value: "object": dockerStrategy.volumes is not supported: give the build the files of a Secret or ConfigMap with source.secrets or source.configMaps']],
  ['sourceStrategy.volumes', bc('s2i-volumes', `${GIT}
  strategy:
    sourceStrategy:
      from:
        kind: ImageStreamTag
        name: ruby:3.3
      volumes:
      - name: gems
        source:
          type: ConfigMap
          configMap:
            name: gemrc
        mounts:
        - destinationPath: /opt/gemrc
`), ['spec.strategy.sourceStrategy.volumes: Invalid value: "object": sourceStrategy.volumes is not supported: give the build the files of a Secret or ConfigMap with source.secrets or source.configMaps']],
  ['git httpProxy, httpsProxy and noProxy', bc('git-proxy', `
  source:
    git:
      uri: https://git.example.com/team/app.git
      httpProxy: http://proxy.example.com:3128
      httpsProxy: http://proxy.example.com:3128
      noProxy: .cluster.local
  strategy:
    dockerStrategy: {}
`), ['spec.source.git: Invalid value: "object": source.git.httpProxy, httpsProxy and noProxy are not supported: builds clone without a proxy here; let the cluster reach the repository, or clone from a mirror it reaches']],
  ['an inline Dockerfile together with git', bc('dockerfile-and-git', `
  source:
    git:
      uri: https://git.example.com/team/app.git
    dockerfile: "FROM scratch\\n"
  strategy:
    dockerStrategy: {}
`), ['spec.source.dockerfile: Invalid value: "object": source.dockerfile together with source.git is not supported: commit the Dockerfile to the repository and name it with strategy.dockerStrategy.dockerfilePath']],
  ['an inline Dockerfile together with binary', bc('dockerfile-and-binary', `
  source:
    type: Binary
    binary: {}
    dockerfile: "FROM scratch\\n"
  strategy:
    dockerStrategy: {}
`), [
    'spec.source.dockerfile: Invalid value: "object": source.dockerfile together with source.binary is not supported: put the Dockerfile in the uploaded sources and name it with strategy.dockerStrategy.dockerfilePath',
    'spec.source.type: Invalid value: "object": source.type disagrees with the source present (git: Git, else dockerfile: Dockerfile, binary: Binary, images: Image, nothing: None): make them agree, or leave type out (it is inferred)',
  ]],
  ['binary together with git', bc('binary-and-git', `
  source:
    binary: {}
    git:
      uri: https://git.example.com/team/app.git
  strategy:
    dockerStrategy: {}
`), ['spec.source.binary: Invalid value: "object": source.binary together with source.git: a build takes one of them; keep git to build the repository, or binary to build what start-build uploads']],
  ['a source type that disagrees with the source present', bc('source-type-mismatch', `
  source:
    type: Git
    dockerfile: "FROM scratch\\n"
  strategy:
    dockerStrategy: {}
`), ['spec.source.type: Invalid value: "object": source.type disagrees with the source present (git: Git, else dockerfile: Dockerfile, binary: Binary, images: Image, nothing: None): make them agree, or leave type out (it is inferred)']],
  ['source.images[].as', bc('image-as', `${GIT}
    images:
    - from:
        kind: ImageStreamTag
        name: nginx:latest
      as:
      - nginx:latest
      paths:
      - sourcePath: /etc/nginx/.
        destinationDir: nginx
  strategy:
    dockerStrategy: {}
`), ['spec.source.images[0].as: Invalid value: "object": source.images[].as is not supported: name the stage in the Dockerfile (FROM image AS name) and give its image with strategy.dockerStrategy.stages']],
  ['source.images naming two pullSecrets', bc('image-two-secrets', `${GIT}
    images:
    - from:
        kind: DockerImage
        name: registry.example.com/a:1
      paths:
      - sourcePath: /a
        destinationDir: a
      pullSecret:
        name: one
    - from:
        kind: DockerImage
        name: quay.example.com/b:1
      paths:
      - sourcePath: /b
        destinationDir: b
      pullSecret:
        name: two
  strategy:
    dockerStrategy: {}
`), ['spec.source.images: Invalid value: "array": source.images name two pullSecrets: the image sources are pulled with one Secret; merge the registries\' credentials into one kubernetes.io/dockerconfigjson Secret and name it in each']],
  ['source.images with the Buildpacks strategy', bc('image-buildpacks', `${GIT}
    images:
    - from:
        kind: DockerImage
        name: registry.example.com/a:1
      paths:
      - sourcePath: /a
        destinationDir: a
  strategy:
    buildpacksStrategy:
      builder: registry.example.com/builder:1
`), ['spec.source.images: Invalid value: "object": source.images is for the Docker and Source strategies: a Buildpacks build reads only its sources; copy the files in with a Docker build, or remove source.images']],
  ['revision', bc('revision', `${GIT}
  revision:
    type: Git
    git:
      commit: ${'a'.repeat(40)}
      author:
        name: Dev
        email: dev@example.com
      message: fix
  strategy:
    dockerStrategy: {}
`), ['spec.revision: Invalid value: "object": revision is a build\'s record of the commit it built, not a BuildConfig setting: pin a commit with source.git.ref']],
  ['mountTrustedCA: true', bc('trusted-ca', `${GIT}
  mountTrustedCA: true
  strategy:
    dockerStrategy: {}
`), ['spec.mountTrustedCA: Invalid value: "object": mountTrustedCA: true is not supported (there is no cluster-wide trusted CA bundle here): give each registry\'s CA with spec.registries[].ca']],
  ['a strategy type that disagrees with the options present', bc('strategy-mismatch', `${GIT}
  strategy:
    type: Source
    dockerStrategy: {}
`), ['spec.strategy.type: Invalid value: "object": strategy.type disagrees with the strategy options present: Docker takes dockerStrategy, Source sourceStrategy, Buildpacks buildpacksStrategy; set the type of the options you give, or leave type out (it is inferred)']],
  ['a strategy without type and without options', bc('strategy-empty', `${GIT}
  strategy: {}
`), ['spec.strategy: Invalid value: "object": strategy needs exactly one of dockerStrategy, sourceStrategy or buildpacksStrategy (its type is then inferred), or a type']],
  ['a strategy without type and with two options', bc('strategy-two', `${GIT}
  strategy:
    dockerStrategy: {}
    sourceStrategy:
      from:
        kind: ImageStreamTag
        name: ruby:3.3
`), ['spec.strategy: Invalid value: "object": strategy needs exactly one of dockerStrategy, sourceStrategy or buildpacksStrategy (its type is then inferred), or a type']],
  ['strategy type Buildpacks without its builder', bc('buildpacks-bare', `${GIT}
  strategy:
    type: Buildpacks
`), ['spec.strategy.type: Invalid value: "object": strategy.type Buildpacks needs buildpacksStrategy.builder']],
  ['a GitHub trigger with neither secret nor secretReference', bc('hook-no-secret', `${GIT}
  strategy:
    dockerStrategy: {}
  triggers:
  - type: GitHub
    github: {}
`), ['spec.triggers[0].type: Invalid value: "object": a GitHub trigger needs github.secretReference (a Secret whose key WebHookSecretKey holds the shared secret) or github.secret']],
  ['a legacy generic trigger without its settings', bc('hook-no-settings', `${GIT}
  strategy:
    dockerStrategy: {}
  triggers:
  - type: generic
`), ['spec.triggers[0].type: Invalid value: "object": a Generic trigger needs generic.secretReference (a Secret whose key WebHookSecretKey holds the shared secret) or generic.secret']],
  ['allowEnv on a GitLab webhook', bc('hook-allow-env', `${GIT}
  strategy:
    dockerStrategy: {}
  triggers:
  - type: GitLab
    gitlab:
      secret: s3cr3t
      allowEnv: true
`), ['spec.triggers[0].gitlab.allowEnv: Invalid value: "object": gitlab.allowEnv: only a Generic webhook\'s payload can set env; a GitLab webhook cannot']],
  ['a trigger whose settings are of another type', bc('hook-wrong-field', `${GIT}
  strategy:
    dockerStrategy: {}
  triggers:
  - type: Bitbucket
    bitbucket:
      secret: s3cr3t
    github:
      secret: s3cr3t
`), ['spec.triggers[0].github: Invalid value: "object": github holds the settings of a GitHub trigger: set type GitHub, or give those settings a trigger of their own']],
  ['imageChange.lastTriggeredImageID', bc('last-triggered', `${GIT}
  strategy:
    dockerStrategy:
      from:
        kind: ImageStreamTag
        name: base:1
  triggers:
  - type: ImageChange
    imageChange:
      lastTriggeredImageID: registry.example.com/base@sha256:${'1'.repeat(64)}
`), ['spec.triggers[0].imageChange.lastTriggeredImageID: Invalid value: "object": imageChange.lastTriggeredImageID is OpenShift\'s own record (deprecated): remove it; status.imageChangeTriggers[].lastTriggeredImage records it here']],
  ['an imageChange trigger from a DockerImage', bc('trigger-docker-image', `${GIT}
  strategy:
    dockerStrategy: {}
  triggers:
  - type: ImageChange
    imageChange:
      from:
        kind: DockerImage
        name: registry.example.com/base/busybox:1.36
`), ['spec.triggers[0].imageChange.from.kind: Invalid value: "object": imageChange.from must be an ImageStreamTag (stream:tag), as in OpenShift: builds follow a stream\'s tag; to follow an external image, import it into a stream']],
  ['postCommit with both script and command', bc('hook-both', `${GIT}
  strategy:
    dockerStrategy: {}
  postCommit:
    script: rake test
    command: ["rake", "test"]
`), ['spec.postCommit.command: Invalid value: "object": postCommit takes script or command, not both (args go to either)']],
  ['resources.claims', bc('claims', `${GIT}
  strategy:
    dockerStrategy: {}
  resources:
    claims:
    - name: gpu
`), ['spec.resources.claims: Invalid value: "object": resources.claims is not supported: a build step takes requests and limits only']],
  ['an output to an ImageStreamImage', bc('output-stream-image', `${GIT}
  strategy:
    dockerStrategy: {}
  output:
    to:
      kind: ImageStreamImage
      name: app@sha256:${'2'.repeat(64)}
`), ['spec.output.to.kind: Invalid value: "object": output.to cannot be an ImageStreamImage (an image already in a stream\'s history): push to an ImageStreamTag or a DockerImage']],
  ['an ImageStreamImage whose name is not stream@sha256:…', bc('bad-stream-image', `${GIT}
  strategy:
    dockerStrategy:
      from:
        kind: ImageStreamImage
        name: base:1
`), ['spec.strategy.dockerStrategy.from.name: Invalid value: "object": the name of an ImageStreamImage is stream@sha256:<64 hex digits> (one image of that stream\'s history); to follow a tag use kind ImageStreamTag, for an external image kind DockerImage']],
];

describe('OpenShift BuildConfig fields we refuse, with the field and the alternative named', () => {
  it.each(REFUSED)('refuses %s', async (_, openshift, causes) => {
    expect(await refusal(kube, openshift)).toEqual(causes);
  });

  it('refuses an unknown trigger type, listing the spellings it accepts', async () => {
    const causes = await refusal(kube, bc('cron', `${GIT}
  strategy:
    dockerStrategy: {}
  triggers:
  - type: Cron
`));
    expect(causes[0]).toBe('spec.triggers[0].type: Unsupported value: "Cron": supported values: "ImageChange", "ConfigChange", "GitPoll", "GitHub", "GitLab", "Bitbucket", "Generic", "github", "generic", "imageChange"');
  });

  it('refuses a made-up field by name (strict field validation) instead of pruning it', async () => {
    const res = await create(kube, ours(bc('made-up', `${GIT}
  strategy:
    dockerStrategy:
      squash: true
`)));
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('BuildConfig in version "v1alpha1" cannot be handled as a BuildConfig: strict decoding error: unknown field "spec.strategy.dockerStrategy.squash"');
  });

  it('shows the refusal to a user of kubectl apply', async () => {
    const manifest = JSON.stringify(ours(bc('kubectl-custom', `${GIT}
  strategy:
    customStrategy:
      from:
        kind: DockerImage
        name: registry.example.com/builders/custom:1
`)));
    const error = await kube.cluster.kubectl(['apply', '-n', kube.namespace, '-f', '-'], { input: manifest }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(KubectlError);
    expect((error as KubectlError).stderr).toContain('spec.strategy.customStrategy: Invalid value: "object": the Custom strategy is not supported (deprecated in OpenShift 4): use dockerStrategy, sourceStrategy or a Pipeline of your own via spec.pipelineRef');
  });
});
