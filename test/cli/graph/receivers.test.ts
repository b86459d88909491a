import { Duration } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ImageStream, RegistryReceiver, TagPolicy } from '../../../constructs';
import { workflowGraph } from '../../../lib/cli/graph/from-manifests';
import type { ObjectManifest } from '../../../lib/cli/graph/manifests';
import { synthApp } from '../../support/synth-app';

describe('the graph of push events, tag policies and promotions', () => {
  const app = synthApp(({ chart }) => {
    const team = chart('team');
    const web = new ImageStream(team, 'web');
    web.importTag('stable', { from: 'nginx', policy: TagPolicy.semver('>=1.27.0 <1.28.0') });
    web.importTag('main', { from: 'registry.example.com:5000/team/web', scheduled: false, policy: TagPolicy.numerical().filter('^main-(?P<ts>[0-9]+)$', { extract: '$ts' }) });
    web.importTag('ghcr', { from: 'ghcr.io/acme/web:edge' });
    web.promoteTag('prod', web.tag('stable'), { soak: Duration.minutes(30), requireRollout: true });
    new RegistryReceiver(team, 'hub', { type: 'DockerHub', secretName: 'hub' });
    new RegistryReceiver(team, 'registry', { type: 'Distribution', secretName: 'registry', registries: ['registry.example.com:5000'] });
    new ImageStream(chart('other'), 'web').importTag('stable', { from: 'nginx:1.27' });
  });
  const { graph } = workflowGraph(app.objects as unknown as ObjectManifest[]);
  const edge = (to: string) => graph.edges.filter((e) => e.to === `tag:${to}`).map((e) => [e.from, e.label, e.propagates]);

  it('labels each import with its policy and the receivers whose pushes nudge it (of its namespace and registry)', () => {
    expect(edge('team/web:stable')).toEqual([['image:docker.io/library/nginx', "policy: semver '>=1.27.0 <1.28.0', push (DockerHub: team/hub), scheduled import every 15m", true]]);
    expect(edge('team/web:main')).toEqual([['image:registry.example.com:5000/team/web', 'policy: numerical asc of /^main-(?P<ts>[0-9]+)$/ → $ts, push (Distribution: team/registry), import (once)', true]]);
    expect(edge('team/web:ghcr')).toEqual([['image:ghcr.io/acme/web:edge', 'scheduled import every 15m', true]]);
    expect(edge('other/web:stable')).toEqual([['image:docker.io/library/nginx:1.27', 'scheduled import every 15m', true]]);
  });

  it('draws a promotion from its source tag, with its gate', () => {
    expect(edge('team/web:prod')).toEqual([['tag:team/web:stable', 'promotes after 30m soak and rollout', true]]);
  });
});
