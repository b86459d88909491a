// The objects the controller bench writes: realistic ones (a Deployment as a GitOps tool applies it,
// a few KB once the server adds managedFields and status; a stream of 10 tags with 10 history items
// each, as the importer records them) or the old tiny ones (one container, one tag, one item).
import { createHash } from 'node:crypto';

export const NAMESPACE = 'bench';
export const TAGS_PER_STREAM = 10;
export const HISTORY = 10;

export const digest = (seed) => `sha256:${createHash('sha256').update(seed).digest('hex')}`;
export const reference = (i, seed) => `registry.bench/${NAMESPACE}/s${i}@${digest(seed)}`;
const tagName = (t) => (t === 0 ? 'latest' : `v1.${t}`);
const created = (n) => new Date(Date.UTC(2026, 0, 1) + n * 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');

export function streamSpec(i, realistic) {
  if (!realistic) return {};
  return {
    tags: Array.from({ length: TAGS_PER_STREAM }, (_, t) => ({
      name: tagName(t),
      from: { kind: 'DockerImage', name: `registry.bench/${NAMESPACE}/upstream-${i}:${tagName(t)}` },
      importPolicy: { scheduled: true, interval: '15m' },
      referencePolicy: { type: 'Source' },
    })),
  };
}

/**
 * The stream's status with `latest` at `seed`. Realistic: every tag holds HISTORY items and an
 * ImportSuccess condition at generation 1 (so the controller has nothing to import), `latest`'s
 * newest item being `seed`'s.
 */
export function streamStatus(i, seed, realistic) {
  const latestItem = (s, n) => ({ dockerImageReference: reference(i, s), image: digest(s), created: created(n), generation: 1 });
  if (!realistic) return { tags: [{ tag: 'latest', items: [latestItem(seed, 0)] }] };
  return {
    observedGeneration: 1,
    tags: Array.from({ length: TAGS_PER_STREAM }, (_, t) => ({
      tag: tagName(t),
      items: t === 0
        ? [latestItem(seed, HISTORY), ...Array.from({ length: HISTORY - 1 }, (_, h) => latestItem(`${i}-old-${h}`, HISTORY - 1 - h))]
        : Array.from({ length: HISTORY }, (_, h) => latestItem(`${i}-${t}-${h}`, HISTORY - h)),
      conditions: [{ type: 'ImportSuccess', status: 'True', reason: 'Imported', message: `imported ${digest(`${i}-${t}-0`)}`, generation: 1, lastTransitionTime: created(0) }],
      lastImportAttempt: created(HISTORY),
    })),
  };
}

const TRIGGER_PATH = 'spec.template.spec.containers[?(@.name=="web")].image';

/**
 * Paused and scaled to zero: kube-controller-manager's Deployment controller then keeps their status
 * but makes no ReplicaSets (there is no kubelet, and rollouts of pods are not what is measured).
 */
export function deployment(i, realistic) {
  const annotations = { 'imagestreams.dev/triggers': JSON.stringify([{ from: { kind: 'ImageStreamTag', name: `s${i}:latest` }, fieldPath: TRIGGER_PATH }]) };
  const selector = { matchLabels: { app: `d${i}` } };
  const web = { name: 'web', image: `s${i}:latest` };
  if (!realistic) {
    return {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `d${i}`, namespace: NAMESPACE, annotations },
      spec: { replicas: 0, paused: true, selector, template: { metadata: { labels: { app: `d${i}` } }, spec: { containers: [web] } } },
    };
  }
  const labels = {
    app: `d${i}`, 'app.kubernetes.io/name': `d${i}`, 'app.kubernetes.io/instance': `d${i}-prod`, 'app.kubernetes.io/version': '1.4.2',
    'app.kubernetes.io/part-of': 'storefront', 'app.kubernetes.io/managed-by': 'argocd', team: `team-${i % 40}`,
  };
  const env = Array.from({ length: 10 }, (_, e) => ({ name: `SETTING_${e}`, value: `value-${e}-of-deployment-${i}` }));
  const resources = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } };
  const restricted = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } };
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: {
      name: `d${i}`, namespace: NAMESPACE, labels,
      annotations: { ...annotations, 'argocd.argoproj.io/tracking-id': `storefront:apps/Deployment:${NAMESPACE}/d${i}`, 'description': `The storefront's service number ${i}, as deployed by the platform team.` },
    },
    spec: {
      replicas: 0, paused: true, revisionHistoryLimit: 5, progressDeadlineSeconds: 600,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      selector,
      template: {
        metadata: { labels, annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9090' } },
        spec: {
          serviceAccountName: `d${i}`, terminationGracePeriodSeconds: 30,
          securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              ...web, ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }, { name: 'metrics', containerPort: 9090, protocol: 'TCP' }],
              env, resources, securityContext: restricted,
              livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10, failureThreshold: 3 },
              readinessProbe: { httpGet: { path: '/readyz', port: 'http' }, periodSeconds: 5, failureThreshold: 3 },
              volumeMounts: [{ name: 'config', mountPath: '/etc/app', readOnly: true }, { name: 'tmp', mountPath: '/tmp' }],
            },
            {
              name: 'log-shipper', image: 'registry.bench/platform/log-shipper:2.1.0', args: ['--input=/var/log/app', '--output=loki'],
              resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } }, securityContext: restricted,
              volumeMounts: [{ name: 'tmp', mountPath: '/var/log/app' }],
            },
          ],
          volumes: [{ name: 'config', configMap: { name: `d${i}-config` } }, { name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };
}
