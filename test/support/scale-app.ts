/**
 * The source of a generated platform app for the synth benchmark and the linear-shape test: a System
 * with a registry behind streams and, in each namespace (one chart each), imported base streams,
 * BuildConfigs building FROM them into streams of their own, a `stable` alias on every stream, and
 * cdk8s-plus Deployments following those aliases.
 */
export interface ScaleAppSize {
  readonly streams: number;
  readonly builds: number;
  readonly deployments: number;
  /** Namespaces (and charts) the objects are spread over, evenly. */
  readonly namespaces: number;
}

/** 1,000 streams, 300 BuildConfigs and 1,000 Deployments in 10 namespaces, times `factor`. */
export function platformSize(factor: number): ScaleAppSize {
  return { streams: 1000 * factor, builds: 300 * factor, deployments: 1000 * factor, namespaces: 10 * factor };
}

export function scaleAppSource(size: ScaleAppSize): string {
  const lines = [
    "import { App, Chart } from 'cdk8s';",
    "import * as kplus from 'cdk8s-plus-27';",
    "import { BuildConfig, BuildOutput, BuildSource, BuildStrategy, ImageStream, StreamRegistry, System } from 'cdk8s-imagestreams';",
    '',
    'const app = new App();',
    "new System(app, 'imagestreams', { registry: StreamRegistry.external({ host: 'registry.example.com', pushSecret: 'registry-push' }) });",
    '',
    'function team(namespace: string, streams: number, builds: number, deployments: number): void {',
    '  const chart = new Chart(app, namespace, { namespace });',
    '  const bases: ImageStream[] = [];',
    '  for (let i = 0; i < streams - builds; i++) {',
    '    const base = new ImageStream(chart, `base-${i}`);',
    "    base.importTag('latest', { from: `docker.io/library/base-${i}:1.${i}` });",
    "    base.aliasTag('stable', base.tag('latest'));",
    '    bases.push(base);',
    '  }',
    '  const all: ImageStream[] = [...bases];',
    '  for (let i = 0; i < builds; i++) {',
    '    const out = new ImageStream(chart, `app-${i}`);',
    '    new BuildConfig(chart, `app-${i}-build`, {',
    '      source: BuildSource.git({ uri: `https://git.example.com/${namespace}/app-${i}.git`, ref: \'main\' }),',
    "      strategy: BuildStrategy.dockerfile({ from: bases[i % bases.length].tag('latest') }),",
    "      output: BuildOutput.imageStreamTag(out.tag('latest')),",
    '    });',
    "    out.aliasTag('stable', out.tag('latest'));",
    '    all.push(out);',
    '  }',
    '  for (let i = 0; i < deployments; i++) {',
    '    const web = new kplus.Deployment(chart, `web-${i}`, {',
    "      containers: [{ image: `registry.example.com/${namespace}/web-${i}:1`, portNumber: 8080, securityContext: { ensureNonRoot: false } }],",
    '    });',
    "    all[i % all.length].tag('stable').deployTo(web);",
    '  }',
    '}',
    '',
  ];
  for (let n = 0; n < size.namespaces; n++) {
    const share = (total: number) => Math.floor(total / size.namespaces) + (n < total % size.namespaces ? 1 : 0);
    lines.push(`team('team-${n}', ${share(size.streams)}, ${share(size.builds)}, ${share(size.deployments)});`);
  }
  lines.push('', 'app.synth();', '');
  return lines.join('\n');
}
