/**
 * Every container image synthesized objects run: the containers of pod templates (Deployments,
 * StatefulSets, Jobs, CronJobs) and the steps of Tekton Tasks, a `$(params.X)` image read from the
 * param's default. Marked `userProvided` where the image is the user's to choose: the builders of
 * Buildpacks and S2I (base images are in Dockerfiles and params, never step images).
 */
import type { Manifest } from './synth-app';

export interface RunImage {
  /** `Kind/name/container`. */
  readonly where: string;
  readonly image: string;
  readonly userProvided: boolean;
}

/** Task params whose image is the user's: `<task base name>/<param>`. */
const USER_PROVIDED = new Set(['buildpacks/BUILDER_IMAGE', 's2i-generate/BUILDER_IMAGE']);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type PodSpec = { initContainers?: { name: string; image: string }[]; containers: { name: string; image: string }[] } & Record<string, any>;

function podSpecOf(o: Manifest): PodSpec | undefined {
  if (o.kind === 'CronJob') return o.spec.jobTemplate.spec.template.spec;
  if (['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicaSet'].includes(o.kind)) return o.spec.template.spec;
  if (o.kind === 'Pod') return o.spec;
  return undefined;
}

export function imagesOf(objects: readonly Manifest[]): RunImage[] {
  const images: RunImage[] = [];
  for (const o of objects) {
    const pod = podSpecOf(o);
    for (const c of pod ? [...(pod.initContainers ?? []), ...pod.containers] : []) {
      images.push({ where: `${o.kind}/${o.metadata.name}/${c.name}`, image: c.image, userProvided: false });
    }
    if (o.kind !== 'Task') continue;
    const base = o.metadata.name.replace(/-[0-9a-f]{8}$/, '');
    for (const step of o.spec.steps as { name: string; image: string }[]) {
      const param = /^\$\(params\.([A-Z_]+)\)$/.exec(step.image)?.[1];
      const image = param ? (o.spec.params as { name: string; default?: string }[]).find((p) => p.name === param)?.default ?? '' : step.image;
      images.push({ where: `Task/${o.metadata.name}/${step.name}`, image, userProvided: param !== undefined && USER_PROVIDED.has(`${base}/${param}`) });
    }
  }
  return images;
}
