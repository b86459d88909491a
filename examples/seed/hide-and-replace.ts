// "Hide and replace": several apps run nginx, but none of them names an nginx image. They follow the
// tag `nginx:stable` of an ImageStream, and the stream decides which image that is.
//
// To replace the image behind every consumer at once, change one line below and re-synthesize:
//   - point the alias elsewhere: `aliasTag('stable', nginx.tag('1.28'))` (after importing 1.28), or
//   - change what the aliased tag imports: `importTag('1.27', { from: 'registry.example.com/patched/nginx:1.27' })`.
// Either way the stream's `stable` tag gets a new digest (at once for an alias, at the next scheduled
// import for a new source), and the controller sets that digest in every workload that follows
// `nginx:stable`: all three roll out, and nothing in the apps' own code changes. A rollback is the
// same one-line change back.
import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ImageStream } from 'cdk8s-imagestreams';

/** Adds the platform team's nginx stream and three apps that follow `nginx:stable`. */
export function addHideAndReplace(app: App): void {
  // The platform team owns the stream: the image the apps run, and when it moves.
  const platform = new Chart(app, 'platform', { namespace: 'platform' });
  const nginx = new ImageStream(platform, 'nginx');
  nginx.importTag('1.27', { from: 'docker.io/nginxinc/nginx-unprivileged:1.27-alpine', interval: Duration.hours(1) });
  const stable = nginx.aliasTag('stable', nginx.tag('1.27'));
  // The apps live in another namespace: the platform team lets it read the stream (a namespace is a
  // tenant boundary; without this grant the controller would not roll them out).
  nginx.allowPull('web');

  // The apps only say "the stable nginx". The image they write is what runs until the controller's
  // first sync replaces it with the digest of nginx:stable.
  const web = new Chart(app, 'web', { namespace: 'web' });
  for (const name of ['shop', 'blog', 'docs']) {
    const site = new kplus.Deployment(web, name, {
      metadata: { name },
      containers: [{
        name: 'nginx',
        image: 'docker.io/nginxinc/nginx-unprivileged:1.27-alpine',
        portNumber: 8080,
        // nginx writes its pid and caches under /tmp; the root filesystem stays read-only.
        volumeMounts: [{ path: '/tmp', volume: kplus.Volume.fromEmptyDir(web, `${name}-tmp`, 'tmp') }],
      }],
    });
    stable.deployTo(site, { container: 'nginx' });
  }
}
