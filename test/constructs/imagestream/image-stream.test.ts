import { App, Chart, Duration, Testing } from 'cdk8s';
import { beforeEach, describe, expect, it } from 'vitest';
import { runtimeFiles } from '../../../constructs/system/runtime-bundle';
import { ImageStream, ImageStreamTag, System } from '../../../constructs';

let app: App;
let chart: Chart;
beforeEach(() => {
  app = Testing.app();
  new System(app, 'imagestreams');
  chart = new Chart(app, 'apps', { namespace: 'team' });
});

type Obj = { kind: string; metadata: { name: string; namespace?: string }; spec?: any; rules?: any[] };
const synth = (c: Chart = chart) => Testing.synth(c) as Obj[];
const find = (kind: string, c: Chart = chart) => synth(c).filter((o) => o.kind === kind);

describe('ImageStream', () => {
  it('renders imported, aliased, pinned and reference tags, normalising Docker Hub names', () => {
    // GIVEN
    const jdk = new ImageStream(chart, 'jdk8', { historyLimit: 3, pullSecrets: ['hub'] });
    // WHEN
    jdk.importTag('latest', { from: 'eclipse-temurin:8-jdk', interval: Duration.minutes(30) });
    jdk.importTag('multi', { from: 'quay.io/org/app:1', scheduled: false, importMode: 'PreserveOriginal' });
    jdk.aliasTag('stable', jdk.tag('latest'));
    jdk.pinTag('v1', `busybox@sha256:${'a'.repeat(64)}`);
    jdk.referenceTag('ref', 'localhost:5000/x/y:2');
    // THEN
    const [stream] = find('ImageStream');
    expect(stream.metadata).toEqual({ name: 'jdk8', namespace: 'team' });
    expect(stream.spec).toEqual({
      historyLimit: 3,
      pullSecrets: [{ name: 'hub' }],
      tags: [
        { name: 'latest', from: { kind: 'DockerImage', name: 'docker.io/library/eclipse-temurin:8-jdk' }, importPolicy: { scheduled: true, intervalSeconds: 1800, importMode: 'Legacy' }, referencePolicy: { type: 'Source' } },
        { name: 'multi', from: { kind: 'DockerImage', name: 'quay.io/org/app:1' }, importPolicy: { scheduled: false, intervalSeconds: 900, importMode: 'PreserveOriginal' }, referencePolicy: { type: 'Source' } },
        { name: 'stable', from: { kind: 'ImageStreamTag', name: 'jdk8:latest' }, referencePolicy: { type: 'Source' } },
        { name: 'v1', from: { kind: 'DockerImage', name: `docker.io/library/busybox@sha256:${'a'.repeat(64)}` }, importPolicy: { scheduled: false }, referencePolicy: { type: 'Source' } },
        { name: 'ref', from: { kind: 'DockerImage', name: 'localhost:5000/x/y:2' }, reference: true },
      ],
    });
  });

  it('pins a digest on an insecure registry (imported as soon as it is applied, over plain http)', () => {
    new ImageStream(chart, 'local').pinTag('v1', `localhost:5000/team/app@sha256:${'b'.repeat(64)}`, { insecure: true });
    expect(find('ImageStream')[0].spec.tags).toEqual([
      { name: 'v1', from: { kind: 'DockerImage', name: `localhost:5000/team/app@sha256:${'b'.repeat(64)}` }, importPolicy: { scheduled: false, insecure: true }, referencePolicy: { type: 'Source' } },
    ]);
  });

  it('counts tags added after construction (the spec is rendered at synth time)', () => {
    const s = new ImageStream(chart, 'late');
    synth();
    s.importTag('later', { from: 'nginx:1.27' });
    expect(find('ImageStream')[0].spec.tags.map((t: { name: string }) => t.name)).toEqual(['later']);
  });

  it('aliases a tag of a stream in another namespace with its namespace', () => {
    const other = new ImageStream(new Chart(app, 'base', { namespace: 'base' }), 'nginx');
    other.importTag('1.27', { from: 'nginx:1.27' });
    other.allowPull('team');
    const s = new ImageStream(chart, 'web');
    s.aliasTag('current', other.tag('1.27'));
    expect(find('ImageStream')[0].spec.tags[0].from).toEqual({ kind: 'ImageStreamTag', name: 'nginx:1.27', namespace: 'base' });
  });

  it('refuses an alias into a stream of another namespace that grants it nothing, naming the fix', () => {
    // GIVEN base/nginx, which grants nothing, and team/web aliasing it
    const other = new ImageStream(new Chart(app, 'base', { namespace: 'base' }), 'nginx');
    other.importTag('1.27', { from: 'nginx:1.27' });
    new ImageStream(chart, 'web').aliasTag('current', other.tag('1.27'));
    // WHEN synthesized THEN the alias is refused
    expect(() => Testing.synth(chart)).toThrowError(/alias 'current' follows base\/nginx:1\.27: namespace 'team' may not pull from ImageStream 'base\/nginx': .*stream\.allowPull\('team'\) in the constructs/);
  });

  it('refuses a history that could outgrow what etcd stores, saying what fits', () => {
    const s = new ImageStream(chart, 'busy', { historyLimit: 1000 });
    for (const tag of ['a', 'b', 'c']) s.importTag(tag, { from: `nginx:${tag}` });
    expect(() => Testing.synth(chart)).toThrowError("[apps/busy] 'historyLimit' (1000) × 3 tags can grow this stream past 1 MiB (etcd refuses objects over 1.5 MiB, and its status could not be written again): keep historyLimit × tags at most 1997, e.g. historyLimit: 665");
  });

  it('grants other namespaces Pull or Push, sorted, Push including Pull, its own namespace needing none', () => {
    const s = new ImageStream(chart, 'shared');
    s.allowPull('b-readers').allowPush('a-builders').allowPull('a-builders').allowPull('team');
    expect(find('ImageStream')[0].spec.grants).toEqual([{ namespace: 'a-builders', access: 'Push' }, { namespace: 'b-readers', access: 'Pull' }]);
    expect([s.grantsAccess('a-builders', 'Pull'), s.grantsAccess('b-readers', 'Push'), s.grantsAccess('team', 'Push'), s.grantsAccess('other', 'Pull')]).toEqual([true, false, true, false]);
    expect(() => s.allowPull('Not_A_Namespace')).toThrowError("[apps/shared] allowPull('Not_A_Namespace'): not a namespace name: use at most 63 lower-case letters, digits and '-'");
  });

  it('renders the pull spec of an imported tag for other constructs', () => {
    const s = new ImageStream(chart, 'jdk8');
    s.importTag('latest', { from: 'eclipse-temurin:8-jdk' });
    expect(s.tag('latest').pullSpec()).toBe('docker.io/library/eclipse-temurin:8-jdk');
    expect(s.tag('latest').name).toBe('jdk8:latest');
    expect(s.tag('latest').toString()).toBe('team/jdk8:latest');
  });
});

describe('ImageStream: errors at construct time', () => {
  it.each([
    [(s: ImageStream) => s.importTag('latest', { from: 'Invalid_Upper/Name:1' }), "[apps/s] 'from' (Invalid_Upper/Name:1) is not a valid image reference"],
    [(s: ImageStream) => s.importTag('bad tag', { from: 'nginx:1' }), `'tag' ("bad tag") is not a valid tag: use letters, digits, '_', '.' and '-', starting with a letter, digit or '_', at most 128 characters`],
    [(s: ImageStream) => { s.importTag('a', { from: 'nginx:1' }); s.importTag('a', { from: 'nginx:2' }); }, "[apps/s] tag 'a' is defined twice: give each tag of a stream its own name"],
    [(s: ImageStream) => s.importTag('a', { from: 'nginx:1', interval: Duration.seconds(30) }), "[apps/s] 'interval' of tag 'a' (30s) is below the floor of 1 minute: use Duration.minutes(1) or more"],
    [(s: ImageStream) => s.importTag('a', { from: 'nginx:1', preferredPlatform: 'arm64' }), "[apps/s] 'preferredPlatform' of tag 'a' (arm64) must look like os/arch or os/arch/variant, e.g. linux/arm64"],
    [(s: ImageStream) => s.pinTag('a', 'nginx:1'), "[apps/s] 'image' of pinned tag 'a' (nginx:1) has no digest: write it as repository@sha256:…, or use importTag() to follow a tag"],
  ])('%#: %s', (act, message) => {
    const s = new ImageStream(chart, 's');
    expect(() => act(s)).toThrowError(message);
  });

  it.each([
    [(s: ImageStream) => s.importTag('a', { from: 'nginx:1', interval: 15 as any }), "[apps/s] importTag('a'): 'interval' (15) must be a cdk8s Duration, e.g. Duration.minutes(15)"],
    [(s: ImageStream) => s.importTag('a', 'nginx:1' as any), `[apps/s] importTag('a', "nginx:1"): the second argument is an options object: write importTag('a', { from: "nginx:1" })`],
    [(s: ImageStream) => s.importTag('a', { from: 'nginx:1', intervall: Duration.minutes(5) } as any), "[apps/s] importTag('a'): the options has an unknown key 'intervall': did you mean 'interval'?"],
    [(s: ImageStream) => s.importTag('a', {} as any), "[apps/s] importTag('a'): 'from' is missing: name the image to import, e.g. { from: 'docker.io/library/nginx:1.27' }"],
    [(s: ImageStream) => s.importTag('a', { from: 42 } as any), "[apps/s] importTag('a'): 'from' (42) must be a string, e.g. 'docker.io/library/nginx:1.27'"],
    [(s: ImageStream) => s.importTag('a', { from: 'nginx:1', scheduled: 'no' } as any), `[apps/s] importTag('a'): 'scheduled' ("no") must be true or false`],
    [(s: ImageStream) => s.importTag('a', { from: 'nginx:1', importMode: 'preserve' } as any), `[apps/s] importTag('a'): 'importMode' ("preserve") must be one of 'Legacy', 'PreserveOriginal'`],
    [(s: ImageStream) => s.importTag('a', { from: 'nginx', policy: { semver: '^1' } } as any), "[apps/s] importTag('a'): 'policy' (an object) must be a TagPolicy: TagPolicy.semver(range), .alphabetical() or .numerical()"],
    [(s: ImageStream) => s.importTag(7 as any, { from: 'nginx:1' }), "[apps/s] 'tag' (7) must be a string, a tag name such as 'latest'"],
    [(s: ImageStream) => s.pinTag('a', `nginx@sha256:${'a'.repeat(64)}`, { insecure: 1 } as any), "[apps/s] pinTag('a'): 'insecure' (1) must be true or false"],
    [(s: ImageStream) => s.referenceTag('a', undefined as any), "[apps/s] referenceTag('a'): 'image' (undefined) must be a string, e.g. 'docker.io/library/nginx:1.27'"],
    [(s: ImageStream) => s.allowPull(3 as any), '[apps/s] allowPull(3): not a namespace name'],
    [() => ImageStreamTag.external(42 as any), "ImageStreamTag.external(): 'reference' (42) must be a string such as 'namespace/stream:tag'"],
    [() => ImageStreamTag.external('web:latest', 'Team'), "ImageStreamTag.external(): 'defaultNamespace' (Team) is not a namespace name"],
  ])('names the call, the prop, the value and the fix for a wrong type or key (%#)', (act, message) => {
    const s = new ImageStream(chart, 's');
    expect(() => act(s)).toThrowError(message);
  });

  it.each([
    [{ namespace: 'Team_A' }, "[apps/x] 'namespace' (Team_A) is not a namespace name: use at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit (a DNS-1123 label)"],
    [{ namespace: 'a'.repeat(64) }, `[apps/x] 'namespace' (${'a'.repeat(64)}) is not a namespace name`],
    [{ pullSecrets: ['hub', 'team/hub'] }, "[apps/x] 'pullSecrets[1]' (team/hub) must be the name of a Secret: lowercase letters, digits, '-' and '.'"],
    [{ pullSecrets: 'hub' }, `[apps/x] 'pullSecrets' ("hub") must be a list, e.g. ['docker-hub']`],
    [{ histroyLimit: 3 }, "[apps/x] props has an unknown key 'histroyLimit': did you mean 'historyLimit'? (known: name, namespace, historyLimit, pullSecrets, lookupPolicy)"],
    [{ historyLimit: '3' }, `[apps/x] 'historyLimit' ("3") must be a number, e.g. 10`],
    [{ lookupPolicy: { local: 'true' } }, `[apps/x] 'lookupPolicy.local' ("true") must be true or false`],
    [{ lookupPolicy: { locale: true } }, "[apps/x] 'lookupPolicy' has an unknown key 'locale': did you mean 'local'?"],
    [{ name: 12 }, "[apps/x] 'name' (12) must be a string, e.g. 'jdk8'"],
  ])('refuses props %j, naming where, the prop, the value and the fix', (props, message) => {
    expect(() => new ImageStream(chart, 'x', props as any)).toThrowError(message);
  });

  it("refuses a chart whose namespace is no namespace name, naming the chart and both fixes", () => {
    const bad = new Chart(app, 'bad', { namespace: 'Team A' });
    expect(() => new ImageStream(bad, 'x')).toThrowError("[bad/x] the namespace of chart 'bad' (Team A) is not a namespace name: use at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit (a DNS-1123 label); fix the chart's 'namespace', or set this construct's 'namespace' prop");
  });

  it('shortens a long stream name to a label value with a stable hash, distinct for names sharing a prefix', () => {
    // GIVEN two 100-character names that differ only at the end
    const long = (end: string) => `${'a'.repeat(99)}${end}`;
    for (const end of ['1', '2']) new ImageStream(chart, end, { name: long(end) }).importTag('latest', { from: 'nginx:1' });
    // WHEN
    const labels = find('CronJob').map((c) => c.spec.jobTemplate.spec.template.metadata.labels['imagestreams.dev/stream']);
    // THEN each fits in 63 characters, is a label value, and differs; synthesizing again gives the same
    expect(labels.map((l: string) => l.length)).toEqual([63, 63]);
    expect(labels.every((l: string) => /^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/.test(l))).toBe(true);
    expect(new Set(labels).size).toBe(2);
    expect(find('CronJob').map((c) => c.spec.jobTemplate.spec.template.metadata.labels['imagestreams.dev/stream'])).toEqual(labels);
    expect(find('ImageStream').map((s) => s.metadata.name)).toEqual([long('1'), long('2')]);
  });

  it('rejects an invalid stream name, naming the prop', () => {
    expect(() => new ImageStream(chart, 'Upper')).toThrowError("'id' (Upper) is not a valid ImageStream name: use lower-case letters, digits, '-' and '.' (a DNS-1123 subdomain), or set the 'name' prop");
    expect(() => new ImageStream(chart, 'x', { name: 'a_b' })).toThrowError("'name' (a_b) is not a valid ImageStream name: use lower-case letters, digits, '-' and '.' (a DNS-1123 subdomain)");
  });

  it('rejects a history limit out of range', () => {
    expect(() => new ImageStream(chart, 'x', { historyLimit: 0 })).toThrowError("'historyLimit' (0) must be a whole number from 1 to 1000");
  });

  it('needs a namespace', () => {
    expect(() => new ImageStream(new Chart(app, 'nons'), 'x')).toThrowError("[nons/x] an ImageStream needs a namespace: set the 'namespace' prop or the chart's namespace");
  });

  it('needs a System in the app for scheduled imports', () => {
    const lonely = new Chart(Testing.app(), 'c', { namespace: 'n' });
    expect(() => new ImageStream(lonely, 'x').importTag('a', { from: 'nginx:1' })).toThrowError("[c/x] needs the cdk8s-imagestreams System in its app: add `new System(app, 'imagestreams')`");
  });
});

describe('ImageStream: alias checks at synth time', () => {
  it('reports an alias to a tag no construct defines, with the fix', () => {
    const base = new ImageStream(chart, 'base');
    new ImageStream(chart, 'app').aliasTag('current', base.tag('missing'));
    expect(() => app.synth()).toThrowError("[apps/app] alias 'current' points at team/base:missing, which no construct defines: add that tag, or refer to it with ImageStreamTag.external('team/base:missing')");
  });

  it('accepts an alias to an external tag', () => {
    new ImageStream(chart, 'app').aliasTag('current', ImageStreamTag.external('shared/base:latest'));
    expect(find('ImageStream')[0].spec.tags[0].from).toEqual({ kind: 'ImageStreamTag', name: 'base:latest', namespace: 'shared' });
  });

  it('reports an alias cycle with its path', () => {
    const a = new ImageStream(chart, 'a');
    const b = new ImageStream(chart, 'b');
    a.aliasTag('x', b.tag('y'));
    b.aliasTag('y', a.tag('x'));
    expect(() => app.synth()).toThrowError("[apps/a] alias 'x' is part of a cycle: team/a:x -> team/b:y -> team/a:x");
  });
});

describe('ImageStream: the scheduled import CronJob', () => {
  it('is emitted only when a tag is scheduled', () => {
    new ImageStream(chart, 'quiet').importTag('once', { from: 'nginx:1', scheduled: false });
    expect(find('CronJob')).toEqual([]);
  });

  it('runs the importer for the stream from the System namespace, Forbid, bounded history and TTL, restricted pod, the one runtime mounted', () => {
    const s = new ImageStream(chart, 'jdk8');
    s.importTag('latest', { from: 'eclipse-temurin:8-jdk', interval: Duration.minutes(15) });
    s.importTag('daily', { from: 'eclipse-temurin:8-jre', interval: Duration.hours(24) });
    const [cron] = find('CronJob');
    expect(cron.metadata).toEqual({ name: 'team-jdk8-import', namespace: 'imagestreams-system' });
    expect(cron.spec).toMatchObject({ concurrencyPolicy: 'Forbid', successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 3, schedule: expect.stringMatching(/^\d+-59\/15 \* \* \* \*$/) });
    const job = cron.spec.jobTemplate.spec;
    expect(job.ttlSecondsAfterFinished).toBe(3600);
    const pod = job.template.spec;
    expect(pod.serviceAccountName).toBe('team-jdk8-importer');
    expect(find('ServiceAccount').map((a) => a.metadata)).toEqual([{ name: 'team-jdk8-importer', namespace: 'imagestreams-system' }]);
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].command).toEqual(['node', '/opt/imagestreams/imagestreams-runtime.js', 'import', '--namespace', 'team', '--stream', 'jdk8', '--scheduled']);
    expect(pod.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true });
    const configMaps = Testing.synth(app.node.findChild('imagestreams') as Chart).filter((o: Obj) => o.kind === 'ConfigMap') as Obj[];
    const parts = runtimeFiles().length;
    // The runtime once, in the System's namespace: none in the stream's
    expect(configMaps.map((c) => c.metadata.namespace)).toEqual(Array.from({ length: parts }, () => 'imagestreams-system'));
    expect(find('ConfigMap')).toEqual([]);
    expect(pod.volumes).toEqual([{ name: 'runtime', projected: { sources: configMaps.map((c) => ({ configMap: { name: c.metadata.name } })) } }]);
  });

  it('gives the importer only get on its stream, its status, and its named pull secrets', () => {
    new ImageStream(chart, 'jdk8', { pullSecrets: ['hub', 'quay'] }).importTag('latest', { from: 'eclipse-temurin:8-jdk' });
    const [role] = find('Role');
    expect(role.rules).toEqual([
      { apiGroups: ['imagestreams.dev'], resources: ['imagestreams'], resourceNames: ['jdk8'], verbs: ['get'] },
      { apiGroups: ['imagestreams.dev'], resources: ['imagestreams/status'], resourceNames: ['jdk8'], verbs: ['update'] },
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['hub', 'quay'], verbs: ['get'] },
    ]);
    expect(role.metadata).toEqual({ name: 'jdk8-importer', namespace: 'team' });
    // bound in the stream's namespace to the importer's ServiceAccount in the System's
    expect(find('RoleBinding')[0]).toMatchObject({ metadata: { name: 'jdk8-importer', namespace: 'team' }, roleRef: { kind: 'Role', name: 'jdk8-importer' }, subjects: [{ kind: 'ServiceAccount', name: 'team-jdk8-importer', namespace: 'imagestreams-system' }] });
  });

  it('keeps CronJob names within 52 characters for long stream names, stably', () => {
    const name = `a${'b'.repeat(60)}`;
    new ImageStream(chart, 'long', { name }).importTag('t', { from: 'nginx:1' });
    const cron = find('CronJob')[0].metadata.name;
    expect(cron.length).toBeLessThanOrEqual(52);
    expect(cron).toMatch(/^team-abbbb.*-[0-9a-f]{8}-import$/);
  });

  it('refuses two streams whose importers would have the same name in the System namespace', () => {
    // GIVEN team-a's stream b-c, and team's stream a-b-c: both '<namespace>-<stream>' are team-a-b-c
    new ImageStream(new Chart(app, 'team-a', { namespace: 'team-a' }), 'one', { name: 'b-c' }).importTag('t', { from: 'nginx:1' });
    // WHEN the second is imported THEN the error names both streams and the fix
    expect(() => new ImageStream(chart, 'two', { name: 'a-b-c' }).importTag('t', { from: 'nginx:1' })).toThrowError(
      "[apps/two/Import] ImageStream 'team/a-b-c': its import CronJob would be 'imagestreams-system/team-a-b-c-import', already the importer of ImageStream 'team-a/b-c': rename one of the streams (the CronJob is named <namespace>-<stream>-import)");
  });
});
