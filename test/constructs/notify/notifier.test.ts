import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ImageStream, Notifier, System } from '../../../constructs';
import { synthApp } from '../../support/synth-app';

describe('Notifier', () => {
  it('emits a Notifier with its events and sources, and makes the controller send (--notifications) with the rights it needs', () => {
    const app = synthApp(({ chart }) => {
      const c = chart('team');
      const jdk = new ImageStream(c, 'jdk');
      jdk.importTag('latest', { from: 'eclipse-temurin:8-jdk' });
      new Notifier(c, 'slack', { type: 'Slack', secretName: 'slack-webhook', events: ['ImageImported', 'BuildFailed', 'ImageImported'], sources: [jdk, { buildConfigName: 'foo', namespace: 'team' }] });
      new Notifier(chart('imagestreams-system'), 'everything', { type: 'CloudEvents', secretName: 'sink', allNamespaces: true });
    });
    expect(app.find('Notifier').map((n) => [n.metadata, n.spec])).toEqual([
      [{ name: 'slack', namespace: 'team' }, { type: 'Slack', secretRef: { name: 'slack-webhook' }, events: ['ImageImported', 'BuildFailed'], sources: [{ kind: 'ImageStream', name: 'jdk' }, { kind: 'BuildConfig', name: 'foo' }] }],
      [{ name: 'everything', namespace: 'imagestreams-system' }, { type: 'CloudEvents', secretRef: { name: 'sink' }, allNamespaces: true }],
    ]);
    const container = app.one('Deployment', 'imagestreams-controller').spec.template.spec.containers[0];
    expect(container.command).toContain('--notifications');
    expect(container.command).toContain('imagestreams-system,team');
    const rules = (ns: string) => app.find('Role', 'imagestreams-controller').find((r) => r.metadata.namespace === ns)!.rules;
    expect(rules('team')).toContainEqual({ apiGroups: ['imagestreams.dev'], resources: ['notifiers'], verbs: ['list', 'watch'] });
    expect(rules('team')).toContainEqual({ apiGroups: [''], resources: ['secrets'], resourceNames: ['slack-webhook'], verbs: ['get'] });
    expect(rules('imagestreams-system')).toContainEqual({ apiGroups: [''], resources: ['secrets'], resourceNames: ['sink'], verbs: ['get'] });
  });

  it('leaves the controller without --notifications when the app has no Notifier', () => {
    const app = synthApp(({ chart }) => new ImageStream(chart('apps'), 'web').importTag('latest', { from: 'nginx:1.27' }));
    expect(app.one('Deployment', 'imagestreams-controller').spec.template.spec.containers[0].command).not.toContain('--notifications');
  });

  describe('refuses at synth time', () => {
    const make = (props: Partial<ConstructorParameters<typeof Notifier>[2]>, namespace = 'team') => () => {
      const app = Testing.app();
      new System(app, 'imagestreams');
      new Notifier(new Chart(app, 'c', { namespace }), 'hook', { type: 'Webhook', secretName: 'hook', ...props });
    };
    it.each([
      [{ type: 'Email' as never }, "[c/hook] 'type' (Email) must be one of Webhook, Slack, CloudEvents"],
      [{ events: ['BuildQueued' as never] }, "[c/hook] 'events' holds 'BuildQueued': use ImageImported, BuildStarted, BuildSucceeded, BuildFailed, RolledOut"],
      [{ secretName: 'Hook' }, "[c/hook] 'secretName' holds 'Hook', which is not an object name: use lower-case letters, digits, '-' and '.', at most 253"],
      [{ allNamespaces: true }, "[c/hook] 'allNamespaces' is only for a notifier in the System's namespace 'imagestreams-system' (this one is in 'team'): a tenant may not hear another's events"],
      [{ sources: [{ streamName: 'jdk', namespace: 'other' }] }, "[c/hook] 'sources' holds ImageStream 'other/jdk', but a notifier hears only its own namespace 'team'"],
      [{ namespace: 'Team_A' }, "[c/hook] 'namespace' (Team_A) is not a namespace name: use at most 63 lower-case letters, digits and '-'"],
    ])('%j', (props, message) => {
      expect(make(props)).toThrowError(message);
    });
  });
});
