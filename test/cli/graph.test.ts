import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import { Duration } from 'cdk8s';
import { stringify } from 'yaml';
import { BuildConfig, BuildOutput, BuildSource, BuildStrategy, BuildTrigger, ImageStream, StreamRegistry } from '../../constructs';
import { affectedBy } from '../../lib/cli/graph/affected';
import { findStart } from '../../lib/cli/graph/find-node';
import { workflowGraph } from '../../lib/cli/graph/from-manifests';
import { parseManifests } from '../../lib/cli/graph/manifests';
import { toMermaid } from '../../lib/cli/graph/mermaid';
import { cli, type CliRun } from '../support/cli';
import { synthApp } from '../support/synth-app';
import { REPO_ROOT } from '../support/temp-app';

beforeAll(() => {
  process.env.IMAGESTREAMS_CACHE_DIR = join(tmpdir(), `imagestreams-graph-cache-${process.pid}`);
});

interface ParsedGraph {
  readonly nodes: Map<string, string>;
  /** `from label --edge label--> to label`, dashed edges marked with `-.->`. */
  readonly edges: string[];
}

/** Reads a Mermaid flowchart back: node ids to labels, and edges by their nodes' labels. */
function parseMermaid(text: string): ParsedGraph {
  const lines = text.trimEnd().split('\n');
  expect(lines[0]).toBe('flowchart LR');
  const nodes = new Map<string, string>();
  const edges: [string, string, string, string][] = [];
  for (const line of lines.slice(1)) {
    const node = /^ {2}(\w+)(\(\[|\[\(|\[\[|\{\{|\[)"([^"]*)"(\]\)|\)\]|\]\]|\}\}|\])$/.exec(line);
    const edge = /^ {2}(\w+) (-->|-\.->)\|"([^"]*)"\| (\w+)$/.exec(line);
    if (node) nodes.set(node[1], node[3]);
    else if (edge) edges.push([edge[1], edge[2], edge[3], edge[4]]);
    else throw new Error(`not a node or an edge: ${line}`);
  }
  return { nodes, edges: edges.map(([from, arrow, label, to]) => `${labelOf(nodes, from)} ${arrow} ${label} ${arrow} ${labelOf(nodes, to)}`) };
}

/** Reads `dot` output back the same way. */
function parseDot(text: string): ParsedGraph {
  const lines = text.trimEnd().split('\n');
  expect(lines.slice(0, 2)).toEqual(['digraph workflow {', '  rankdir=LR;']);
  expect(lines.at(-1)).toBe('}');
  const nodes = new Map<string, string>();
  const edges: string[] = [];
  for (const line of lines.slice(2, -1)) {
    const node = /^ {2}(\w+) \[label="([^"]*)", shape=\w+\];$/.exec(line);
    const edge = /^ {2}(\w+) -> (\w+) \[label="([^"]*)"(, style=dashed)?\];$/.exec(line);
    if (node) nodes.set(node[1], node[2]);
    else if (edge) edges.push(`${labelOf(nodes, edge[1])} ${edge[4] ? '-.->' : '-->'} ${edge[3]} ${edge[4] ? '-.->' : '-->'} ${labelOf(nodes, edge[2])}`);
    else throw new Error(`not a node or an edge: ${line}`);
  }
  return { nodes, edges };
}

function labelOf(nodes: Map<string, string>, id: string): string {
  const label = nodes.get(id);
  if (label === undefined) throw new Error(`edge to undeclared node ${id}`);
  return label;
}

const SEED = join(REPO_ROOT, 'examples/seed/main.ts');
const FOO_DEPLOYMENT = /^Deployment seed\/foo$/;

/** The rows of the --affected table, without the header. */
function affectedRows(run: CliRun): string[][] {
  const [header, ...rows] = run.stdout.trimEnd().split('\n');
  expect(header.split(/ {2,}/)).toEqual(['STEP', 'WHAT', 'HOW']);
  return rows.map((row) => row.split(/ {2,}/));
}

describe('imagestreams graph on the seed example', () => {
  let mermaid: CliRun;
  beforeAll(async () => {
    mermaid = await cli(REPO_ROOT, 'graph', SEED);
  }, 60_000);

  it('draws the seed workflow as a Mermaid flowchart: import → jdk8 → foo build → foo:latest → Deployment', () => {
    // GIVEN the seed app WHEN it is graphed (Mermaid is the default)
    expect(mermaid).toMatchObject({ code: 0, stderr: '' });
    const { nodes, edges } = parseMermaid(mermaid.stdout);
    // THEN its nodes include the external image, the stream tags, the build and the workloads
    const labels = [...nodes.values()];
    expect(labels).toEqual(expect.arrayContaining([
      'docker.io/library/eclipse-temurin:8-jdk', 'seed/jdk8:latest', 'BuildConfig seed/foo', 'seed/foo:latest',
      'docker.io/nginxinc/nginx-unprivileged:1.27-alpine', 'platform/nginx:1.27', 'platform/nginx:stable',
    ]));
    expect(labels.filter((l) => FOO_DEPLOYMENT.test(l))).toHaveLength(1);
    expect(labels.filter((l) => /^Deployment web\/(shop|blog|docs)$/.test(l))).toHaveLength(3);
    // AND the edges carry the trigger kinds
    const foo = labels.find((l) => FOO_DEPLOYMENT.test(l));
    expect(edges).toEqual(expect.arrayContaining([
      'docker.io/library/eclipse-temurin:8-jdk --> scheduled import every 15m --> seed/jdk8:latest',
      'seed/jdk8:latest --> image change --> BuildConfig seed/foo',
      'BuildConfig seed/foo -.-> config change -.-> BuildConfig seed/foo',
      'BuildConfig seed/foo --> pushes --> seed/foo:latest',
      `seed/foo:latest --> deploys --> ${foo}`,
      'docker.io/nginxinc/nginx-unprivileged:1.27-alpine --> scheduled import every 1h --> platform/nginx:1.27',
      'platform/nginx:1.27 --> alias --> platform/nginx:stable',
    ]));
    expect(edges.filter((e) => /^platform\/nginx:stable --> deploys --> Deployment web\//.test(e))).toHaveLength(3);
    // AND the git source starts the foo build (by a webhook once the example has one, else it is only its source)
    expect(edges.filter((e) => e.startsWith('git https://github.com/example/foo.git#main ') && e.endsWith(' BuildConfig seed/foo')).length).toBeGreaterThan(0);
  });

  it('draws the same graph in dot, and the same text every time', async () => {
    // WHEN the seed is graphed as dot, and as Mermaid again
    const [dot, again] = await Promise.all([cli(REPO_ROOT, 'graph', SEED, '--format', 'dot'), cli(REPO_ROOT, 'graph', SEED)]);
    // THEN dot has exactly the nodes and edges of the Mermaid chart, and the output is byte-identical
    expect(dot.code).toBe(0);
    const fromDot = parseDot(dot.stdout);
    const fromMermaid = parseMermaid(mermaid.stdout);
    expect([...fromDot.nodes.values()]).toEqual([...fromMermaid.nodes.values()]);
    expect(fromDot.edges).toEqual(fromMermaid.edges);
    expect(again.stdout).toBe(mermaid.stdout);
  }, 60_000);

  it('--affected jdk8:latest lists jdk8:latest → foo build → foo:latest → foo Deployment, in that order', async () => {
    // WHEN asked what a new jdk8:latest sets off
    const run = await cli(REPO_ROOT, 'graph', SEED, '--affected', 'jdk8:latest');
    // THEN exactly the trigger chain, in order, with the trigger that carries each step
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const rows = affectedRows(run);
    expect(rows.map((r) => r[0])).toEqual(['1', '2', '3', '4']);
    expect(rows.map((r) => r[1]).slice(0, 3)).toEqual(['seed/jdk8:latest', 'BuildConfig seed/foo', 'seed/foo:latest']);
    expect(rows[3][1]).toMatch(FOO_DEPLOYMENT);
    expect(rows.map((r) => r[2])).toEqual(['changed', 'rebuilds (image change)', 'moves (pushes)', 'rolls out (deploys)']);
  }, 60_000);

  it('--affected with an external image (short form) follows imports and aliases to every app', async () => {
    // WHEN asked about the nginx image the platform imports, written as Docker's short form
    const run = await cli(REPO_ROOT, 'graph', SEED, '--affected', 'nginxinc/nginx-unprivileged:1.27-alpine');
    // THEN the import, the alias and the three web Deployments follow
    const rows = affectedRows(run);
    expect(rows.slice(0, 3).map((r) => r.slice(1))).toEqual([
      ['docker.io/nginxinc/nginx-unprivileged:1.27-alpine', 'changed'],
      ['platform/nginx:1.27', 'moves (scheduled import every 1h)'],
      ['platform/nginx:stable', 'moves (alias)'],
    ]);
    expect(rows.slice(3).map((r) => [r[1], r[2]])).toEqual([
      ['Deployment web/blog', 'rolls out (deploys)'],
      ['Deployment web/docs', 'rolls out (deploys)'],
      ['Deployment web/shop', 'rolls out (deploys)'],
    ]);
  }, 60_000);

  it('--affected with something the app does not have exits 1 and lists what it has', async () => {
    const run = await cli(REPO_ROOT, 'graph', SEED, '--affected', 'nosuch:tag');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^error: 'nosuch:tag' is neither a stream tag nor an image of this app \(it has: docker\.io\/library\/eclipse-temurin:8-jdk, .*seed\/jdk8:latest.*\)\n$/);
  }, 60_000);
});

describe('imagestreams graph usage', () => {
  it('--help prints the options and exits 0', async () => {
    const run = await cli(REPO_ROOT, 'graph', '--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: imagestreams graph [ENTRY] [options]');
    expect(run.stdout).toContain('--affected WHAT');
  });

  it('rejects an unknown format with exit 2', async () => {
    expect(await cli(REPO_ROOT, 'graph', SEED, '--format', 'svg')).toEqual({
      code: 2, stdout: '', stderr: "error: --format must be 'mermaid' or 'dot', not 'svg'\nsee 'imagestreams graph --help'\n",
    });
  });

  it('rejects a second entry with exit 2', async () => {
    expect((await cli(REPO_ROOT, 'graph', 'a.ts', 'b.ts')).stderr).toBe("error: unexpected argument 'b.ts'\nsee 'imagestreams graph --help'\n");
  });
});

/** Manifests as synthesized, covering every edge kind: webhooks, polls, bases without triggers, paused triggers. */
const MANIFESTS = `
apiVersion: imagestreams.dev/v1alpha1
kind: ImageStream
metadata: { name: base, namespace: ci }
spec:
  tags:
    - { name: "1", from: { kind: DockerImage, name: "registry.example.com/os/base:1" }, importPolicy: { scheduled: true, intervalSeconds: 5400 } }
    - { name: pinned, from: { kind: DockerImage, name: "registry.example.com/os/base@sha256:aa" } }
    - { name: current, from: { kind: ImageStreamTag, name: "base:1" } }
---
apiVersion: imagestreams.dev/v1alpha1
kind: BuildConfig
metadata: { name: api, namespace: ci }
spec:
  source: { type: Git, git: { uri: "https://git.example.com/api.git" } }
  strategy: { type: Docker, dockerStrategy: { from: { kind: ImageStreamTag, name: "base:current" } } }
  output: { to: { kind: ImageStreamTag, name: "api:latest", namespace: prod } }
  triggers:
    - { type: ImageChange, imageChange: {} }
    - { type: GitHub, github: { secretReference: { name: hook } } }
    - { type: GitPoll, gitPoll: { interval: 5m0s } }
---
apiVersion: imagestreams.dev/v1alpha1
kind: BuildConfig
metadata: { name: tools, namespace: ci }
spec:
  source: { type: Git, git: { uri: "https://git.example.com/tools.git", ref: main } }
  strategy: { type: Docker, dockerStrategy: { from: { kind: DockerImage, name: "docker.io/library/debian:12" } } }
  output: { to: { kind: ImageStreamTag, name: "tools:latest" } }
  triggers: [{ type: ConfigChange, configChange: {} }]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: prod
  annotations:
    imagestreams.dev/triggers: '[{"from":{"kind":"ImageStreamTag","name":"api:latest"},"fieldPath":"spec.template.spec.containers[?(@.name==\\"api\\")].image"}]'
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
  namespace: prod
  annotations:
    image.openshift.io/triggers: '[{"from":{"kind":"ImageStreamTag","name":"tools:latest","namespace":"ci"},"fieldPath":"spec.jobTemplate.spec.template.spec.containers[?(@.name==\\"r\\")].image","paused":true}]'
---
apiVersion: v1
kind: ConfigMap
metadata: { name: unrelated, namespace: prod }
`;

describe('the workflow graph of manifests', () => {
  const { graph, warnings } = workflowGraph(parseManifests(MANIFESTS));

  it('renders every kind of edge, dashed where nothing starts by itself (snapshot)', () => {
    // GIVEN manifests with imports, an alias, webhooks, a poll, a config change and a paused trigger
    const text = toMermaid(graph);
    // THEN the edges that matter say what carries the change, and those that start nothing are dashed
    const { edges } = parseMermaid(text);
    expect(edges).toContain('git https://git.example.com/api.git --> webhook (GitHub) --> BuildConfig ci/api');
    expect(edges).toContain('git https://git.example.com/api.git --> git poll every 5m --> BuildConfig ci/api');
    expect(edges).toContain('docker.io/library/debian:12 -.-> base image -.-> BuildConfig ci/tools');
    expect(edges).toContain('registry.example.com/os/base@sha256:aa -.-> import (once) -.-> ci/base:pinned');
    expect(edges).toContain('ci/tools:latest -.-> deploys (paused) -.-> CronJob prod/report');
    expect(edges).toContain('BuildConfig ci/api --> pushes --> prod/api:latest');
    expect(edges).not.toContain(expect.stringContaining('unrelated'));
    expect(warnings).toEqual([]);
    // AND the whole chart is exactly this (node order: images, sources, tags, builds, workloads)
    expect(text).toBe(`flowchart LR
  image_docker_io_library_debian_12(["docker.io/library/debian:12"])
  image_registry_example_com_os_base_1(["registry.example.com/os/base:1"])
  image_registry_example_com_os_base_sha256_aa(["registry.example.com/os/base@sha256:aa"])
  source_https_git_example_com_api_git[("git https://git.example.com/api.git")]
  source_https_git_example_com_tools_git_main[("git https://git.example.com/tools.git#main")]
  tag_ci_base_1["ci/base:1"]
  tag_ci_base_current["ci/base:current"]
  tag_ci_base_pinned["ci/base:pinned"]
  tag_ci_tools_latest["ci/tools:latest"]
  tag_prod_api_latest["prod/api:latest"]
  build_ci_api[["BuildConfig ci/api"]]
  build_ci_tools[["BuildConfig ci/tools"]]
  workload_CronJob_prod_report{{"CronJob prod/report"}}
  workload_Deployment_prod_api{{"Deployment prod/api"}}
  build_ci_api -->|"pushes"| tag_prod_api_latest
  build_ci_tools -.->|"config change"| build_ci_tools
  build_ci_tools -->|"pushes"| tag_ci_tools_latest
  image_docker_io_library_debian_12 -.->|"base image"| build_ci_tools
  image_registry_example_com_os_base_1 -->|"scheduled import every 1h30m"| tag_ci_base_1
  image_registry_example_com_os_base_sha256_aa -.->|"import (once)"| tag_ci_base_pinned
  source_https_git_example_com_api_git -->|"git poll every 5m"| build_ci_api
  source_https_git_example_com_api_git -->|"webhook (GitHub)"| build_ci_api
  source_https_git_example_com_tools_git_main -.->|"source"| build_ci_tools
  tag_ci_base_1 -->|"alias"| tag_ci_base_current
  tag_ci_base_current -->|"image change"| build_ci_api
  tag_ci_tools_latest -.->|"deploys (paused)"| workload_CronJob_prod_report
  tag_prod_api_latest -->|"deploys"| workload_Deployment_prod_api
`);
  });

  it('a dry run follows aliases and image changes across namespaces, and stops at paused triggers and one-time imports', () => {
    const chain = (what: string) => affectedBy(graph, findStart(graph, what)).map((s) => `${s.node.label}${s.via.length ? ` (${s.via.join(', ')})` : ''}`);
    expect(chain('registry.example.com/os/base:1')).toEqual([
      'registry.example.com/os/base:1', 'ci/base:1 (scheduled import every 1h30m)', 'ci/base:current (alias)',
      'BuildConfig ci/api (image change)', 'prod/api:latest (pushes)', 'Deployment prod/api (deploys)',
    ]);
    expect(chain('ci/tools:latest')).toEqual(['ci/tools:latest']);
    expect(chain('registry.example.com/os/base@sha256:aa')).toEqual(['registry.example.com/os/base@sha256:aa']);
    expect(chain('debian:12')).toEqual(['docker.io/library/debian:12']);
  });

  it('names a tag in several namespaces only with its namespace', () => {
    const twice = workflowGraph(parseManifests(`${MANIFESTS}
---
apiVersion: imagestreams.dev/v1alpha1
kind: ImageStream
metadata: { name: api, namespace: ci }
spec: { tags: [{ name: latest }] }
`)).graph;
    expect(() => findStart(twice, 'api:latest')).toThrowError("'api:latest' is a tag in several namespaces (ci/api:latest, prod/api:latest): name one as namespace/stream:tag");
    expect(findStart(twice, 'prod/api:latest').label).toBe('prod/api:latest');
  });

  it('warns about an unreadable trigger annotation and draws the rest', () => {
    const { graph: g, warnings: w } = workflowGraph(parseManifests(`
apiVersion: apps/v1
kind: Deployment
metadata: { name: broken, namespace: prod, annotations: { imagestreams.dev/triggers: 'not json' } }
`));
    expect(g.nodes).toEqual([]);
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/^Deployment prod\/broken: annotation 'imagestreams.dev\/triggers': invalid JSON: /);
  });
});

describe('the workflow graph of an app synthesized by the constructs', () => {
  it("labels a git poll with its interval as the constructs write it: 'git poll every 5m' (not 'every 0h5m')", () => {
    // GIVEN a BuildConfig polling main every 5 minutes, synthesized and written as YAML as synth writes it
    const app = synthApp(({ chart }) => {
      const ci = chart('ci');
      const base = new ImageStream(ci, 'base');
      base.importTag('1', { from: 'registry.example.com/os/base:1', interval: Duration.minutes(90) });
      const api = new ImageStream(ci, 'api');
      new BuildConfig(ci, 'api-build', {
        name: 'api',
        source: BuildSource.git({ uri: 'https://git.example.com/api.git', ref: 'main' }),
        strategy: BuildStrategy.dockerfile({ from: base.tag('1') }),
        output: BuildOutput.imageStreamTag(api.tag('latest')),
        triggers: [BuildTrigger.gitPoll({ interval: Duration.minutes(5) })],
      });
    });
    const yaml = app.objects.map((o) => stringify(o)).join('---\n');
    // WHEN graphed
    const { graph, warnings } = workflowGraph(parseManifests(yaml));
    // THEN the poll edge says every 5m, and the import every 1h30m
    const { edges } = parseMermaid(toMermaid(graph));
    expect(edges).toContain('git https://git.example.com/api.git#main --> git poll every 5m --> BuildConfig ci/api');
    expect(edges).toContain('registry.example.com/os/base:1 --> scheduled import every 1h30m --> ci/base:1');
    expect(edges.filter((e) => e.includes('git poll'))).toEqual(['git https://git.example.com/api.git#main --> git poll every 5m --> BuildConfig ci/api']);
    expect(warnings).toEqual([]);
  });
});

describe('the workflow graph of a mirrored tag', () => {
  it("names the internal copy on the import edge of a referencePolicy Local tag, and only there", () => {
    // GIVEN jdk8:latest mirrored into the in-cluster registry, and nginx imported as usual
    const app = synthApp(({ chart }) => {
      const seed = chart('seed');
      new ImageStream(seed, 'jdk8').importTag('latest', { from: 'eclipse-temurin:8-jdk', referencePolicy: 'Local' });
      new ImageStream(seed, 'nginx').importTag('1.27', { from: 'nginx:1.27' });
    }, { registry: StreamRegistry.inCluster({ nodePort: 32000 }) });
    // WHEN graphed from the YAML synth writes
    const { graph } = workflowGraph(parseManifests(app.objects.map((o) => stringify(o)).join('---\n')));
    // THEN the mirrored tag's edge says where its images are copied; the other's doesn't
    const { edges } = parseMermaid(toMermaid(graph));
    expect(edges).toContain('docker.io/library/eclipse-temurin:8-jdk --> scheduled import every 15m, copied into imagestreams-registry.imagestreams-system.svc:5000/seed/jdk8 --> seed/jdk8:latest');
    expect(edges).toContain('docker.io/library/nginx:1.27 --> scheduled import every 15m --> seed/nginx:1.27');
  });
});

describe('the workflow graph of an OpenShift stream with an ImageStreamImage tag', () => {
  it('draws the tag pinned to that image of the named stream, by a dashed edge, and nothing from the stream\'s tags', () => {
    // GIVEN app:latest imported, and a stream whose known-good tag is pinned to one image of app's history (OpenShift YAML)
    const digest = `sha256:${'ab'.repeat(32)}`;
    const yaml = [
      { apiVersion: 'imagestreams.dev/v1alpha1', kind: 'ImageStream', metadata: { name: 'app', namespace: 'team' }, spec: { tags: [{ name: 'latest', from: { kind: 'DockerImage', name: 'registry.example.com/team/app:latest' }, importPolicy: { scheduled: true } }] } },
      { apiVersion: 'imagestreams.dev/v1alpha1', kind: 'ImageStream', metadata: { name: 'pins', namespace: 'team' }, spec: { tags: [{ name: 'known-good', from: { kind: 'ImageStreamImage', name: `app@${digest}` } }] } },
    ].map((o) => stringify(o)).join('---\n');
    // WHEN graphed
    const { graph } = workflowGraph(parseManifests(yaml));
    // THEN the pinned tag comes from the image, dashed, and app:latest leads nowhere
    const { edges } = parseMermaid(toMermaid(graph));
    expect(edges).toContain(`team/app@${digest} -.-> pinned (ImageStreamImage) -.-> team/pins:known-good`);
    expect(edges.filter((e) => e.includes('team/app:latest ')).filter((e) => !e.endsWith('team/app:latest'))).toEqual([]);
  });
});
