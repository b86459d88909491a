import { ApiObject, App, Chart, Duration, Testing } from 'cdk8s';
import {
  AppBase, BuildConfig, BuildOutput, BuildSource, BuildStrategy, BuildTrigger, GitApp, ImageStream, ImageStreamTag, Notifier, RegistryCa,
  RegistryReceiver, StreamRegistry, System, TagPolicy,
} from '../../constructs';

/** What a row acts on: an app with a System (and an external registry), the chart 'apps' of namespace 'team', and its stream 'web'. */
export interface Scene {
  readonly app: App;
  readonly chart: Chart;
  readonly web: ImageStream;
}

export function scene(): Scene {
  const app = Testing.app();
  new System(app, 'imagestreams', { registry: StreamRegistry.external({ host: 'registry.example.com', pushSecret: 'push' }) });
  const chart = new Chart(app, 'apps', { namespace: 'team' });
  const web = new ImageStream(chart, 'web');
  web.importTag('latest', { from: 'nginx:1.27' });
  return { app, chart, web };
}

/** A hand-written wrong input to the constructs, and what its error must say (where, the prop, the value). */
export type ConstructRow = readonly [what: string, act: (s: Scene) => unknown, says: string];

const bad = <T>(x: unknown) => x as T;
const git = () => BuildSource.git({ uri: 'https://github.com/example/web.git' });
const bc = (s: Scene, props: object) => new BuildConfig(s.chart, 'b', { source: git(), strategy: BuildStrategy.dockerfile(), output: BuildOutput.image('registry.example.com/team/web:1'), ...props } as never);
const stream = (s: Scene, props: object, id = 's') => new ImageStream(s.chart, id, bad(props));
const importTag = (s: Scene, options: object, tag = 'a') => s.web.importTag(tag, bad(options));
const receiver = (s: Scene, props: object) => new RegistryReceiver(s.chart, 'hook', bad({ type: 'Quay', secretName: 'quay-hook', ...props }));
const notifier = (s: Scene, props: object) => new Notifier(s.chart, 'notify', bad({ type: 'Webhook', secretName: 'hook', ...props }));
const gitApp = (s: Scene, props: object, id = 'app') => new GitApp(s.chart, id, bad({ git: { uri: 'https://github.com/example/app.git' }, ...props }));
const system = (props: object) => new System(Testing.app(), 'imagestreams', bad(props));
const deployment = (s: Scene, namespace = 'team') => new ApiObject(s.chart, 'deploy', {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace },
  spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'main', image: 'x' }] } } },
});
const long = (n: number, c = 'a') => c.repeat(n);

export const CONSTRUCT_ROWS: readonly ConstructRow[] = [
  // ImageStream props
  ['stream id not a name', (s) => new ImageStream(s.chart, 'Web'), "'id' (Web) is not a valid ImageStream name"],
  ['stream name with _', (s) => stream(s, { name: 'a_b' }), "'name' (a_b) is not a valid ImageStream name"],
  ['stream name a number', (s) => stream(s, { name: 7 }), "'name' (7) must be a string"],
  ['stream name 254 chars', (s) => stream(s, { name: long(254) }), `'name' (${long(254)}) is not a valid ImageStream name`],
  ['stream namespace upper', (s) => stream(s, { namespace: 'Team' }), "'namespace' (Team) is not a namespace name"],
  ['stream namespace 64 chars', (s) => stream(s, { namespace: long(64) }), `'namespace' (${long(64)}) is not a namespace name`],
  ['stream namespace with dot', (s) => stream(s, { namespace: 'a.b' }), "'namespace' (a.b) is not a namespace name"],
  ['stream namespace empty', (s) => stream(s, { namespace: '' }), "'namespace' () is not a namespace name"],
  ['stream namespace a number', (s) => stream(s, { namespace: 5 }), "'namespace' (5) must be a string"],
  ['stream historyLimit 0', (s) => stream(s, { historyLimit: 0 }), "'historyLimit' (0) must be a whole number from 1 to 1000"],
  ['stream historyLimit 1.5', (s) => stream(s, { historyLimit: 1.5 }), "'historyLimit' (1.5) must be a whole number"],
  ['stream historyLimit 1001', (s) => stream(s, { historyLimit: 1001 }), "'historyLimit' (1001) must be a whole number"],
  ['stream historyLimit string', (s) => stream(s, { historyLimit: '10' }), `'historyLimit' ("10") must be a number`],
  ['stream historyLimit NaN', (s) => stream(s, { historyLimit: Number.NaN }), "'historyLimit' (NaN) must be a number"],
  ['stream pullSecrets a string', (s) => stream(s, { pullSecrets: 'hub' }), `'pullSecrets' ("hub") must be a list`],
  ['stream pullSecrets ns/name', (s) => stream(s, { pullSecrets: ['team/hub'] }), "'pullSecrets[0]' (team/hub) must be the name of a Secret"],
  ['stream pullSecrets upper', (s) => stream(s, { pullSecrets: ['Hub'] }), "'pullSecrets[0]' (Hub) must be the name of a Secret"],
  ['stream pullSecrets object', (s) => stream(s, { pullSecrets: [{ name: 'hub' }] }), "'pullSecrets[0]' (an object) must be a string"],
  ['stream unknown prop typo', (s) => stream(s, { histroyLimit: 3 }), "unknown key 'histroyLimit': did you mean 'historyLimit'?"],
  ['stream unknown prop', (s) => stream(s, { tags: [] }), "unknown key 'tags'"],
  ['stream lookupPolicy bool', (s) => stream(s, { lookupPolicy: true }), "'lookupPolicy' (true) must be an object"],
  ['stream lookupPolicy.local string', (s) => stream(s, { lookupPolicy: { local: 'yes' } }), `'lookupPolicy.local' ("yes") must be true or false`],
  ['stream props a string', (s) => new ImageStream(s.chart, 's', bad('web')), `props ("web") must be an object`],
  ['chart namespace invalid', (s) => new ImageStream(new Chart(s.app, 'bad', { namespace: 'Bad NS' }), 's'), "the namespace of chart 'bad' (Bad NS) is not a namespace name"],
  ['chart without namespace', (s) => new ImageStream(new Chart(s.app, 'nons'), 's'), "an ImageStream needs a namespace: set the 'namespace' prop or the chart's namespace"],
  // importTag
  ['importTag interval number', (s) => importTag(s, { from: 'nginx:1', interval: 15 }), "'interval' (15) must be a cdk8s Duration, e.g. Duration.minutes(15)"],
  ['importTag interval string', (s) => importTag(s, { from: 'nginx:1', interval: '15m' }), `'interval' ("15m") must be a cdk8s Duration`],
  ['importTag interval 30s', (s) => importTag(s, { from: 'nginx:1', interval: Duration.seconds(30) }), "'interval' of tag 'a' (30s) is below the floor of 1 minute"],
  ['importTag options a string', (s) => s.web.importTag('a', bad('nginx:1')), "the second argument is an options object: write importTag('a', { from: \"nginx:1\" })"],
  ['importTag no from', (s) => importTag(s, {}), "'from' is missing"],
  ['importTag from a number', (s) => importTag(s, { from: 1 }), "'from' (1) must be a string"],
  ['importTag from upper', (s) => importTag(s, { from: 'Nginx:1' }), "'from' (Nginx:1) is not a valid image reference"],
  ['importTag from with space', (s) => importTag(s, { from: 'nginx 1' }), "'from' (nginx 1) is not a valid image reference"],
  ['importTag from a tag policy with tag', (s) => importTag(s, { from: 'nginx:1', policy: TagPolicy.semver('^1') }), "'from' of tag 'a' (nginx:1) names a tag, but a tag with a policy"],
  ['importTag typo key', (s) => importTag(s, { from: 'nginx:1', schedule: false }), "unknown key 'schedule': did you mean 'scheduled'?"],
  ['importTag scheduled string', (s) => importTag(s, { from: 'nginx:1', scheduled: 'false' }), `'scheduled' ("false") must be true or false`],
  ['importTag insecure number', (s) => importTag(s, { from: 'nginx:1', insecure: 1 }), "'insecure' (1) must be true or false"],
  ['importTag importMode lower', (s) => importTag(s, { from: 'nginx:1', importMode: 'legacy' }), `'importMode' ("legacy") must be one of 'Legacy', 'PreserveOriginal'`],
  ['importTag preferredPlatform arch', (s) => importTag(s, { from: 'nginx:1', preferredPlatform: 'arm64' }), "'preferredPlatform' of tag 'a' (arm64) must look like os/arch"],
  ['importTag preferredPlatform number', (s) => importTag(s, { from: 'nginx:1', preferredPlatform: 64 }), "'preferredPlatform' (64) must be a string"],
  ['importTag policy object', (s) => importTag(s, { from: 'nginx', policy: { semver: '^1' } }), "'policy' (an object) must be a TagPolicy"],
  ['importTag tag with space', (s) => importTag(s, { from: 'nginx:1' }, 'a b'), `'tag' ("a b") is not a valid tag`],
  ['importTag tag 129 chars', (s) => importTag(s, { from: 'nginx:1' }, long(129)), `'tag' ("${long(129)}") is not a valid tag: use letters, digits, '_', '.' and '-', starting with a letter, digit or '_', at most 128 characters`],
  ['importTag tag starting with .', (s) => importTag(s, { from: 'nginx:1' }, '.a'), `'tag' (".a") is not a valid tag`],
  ['importTag tag a number', (s) => s.web.importTag(bad(1), { from: 'nginx:1' }), "'tag' (1) must be a string"],
  ['importTag tag twice', (s) => importTag(s, { from: 'nginx:2' }, 'latest'), "tag 'latest' is defined twice"],
  // pin, reference, alias, tag
  ['pinTag without digest', (s) => s.web.pinTag('v1', 'nginx:1'), "'image' of pinned tag 'v1' (nginx:1) has no digest"],
  ['pinTag image a number', (s) => s.web.pinTag('v1', bad(1)), "'image' (1) must be a string"],
  ['pinTag bad digest', (s) => s.web.pinTag('v1', 'nginx@sha256:abc'), "'image' (nginx@sha256:abc) is not a valid image reference"],
  ['pinTag options typo', (s) => s.web.pinTag('v1', `nginx@sha256:${long(64)}`, bad({ insecur: true })), "unknown key 'insecur': did you mean 'insecure'?"],
  ['referenceTag image undefined', (s) => s.web.referenceTag('r', bad(undefined)), "'image' (undefined) must be a string"],
  ['referenceTag image invalid', (s) => s.web.referenceTag('r', 'UPPER/x:1'), "'image' (UPPER/x:1) is not a valid image reference"],
  ['aliasTag to missing tag', (s) => { s.web.aliasTag('stable', s.web.tag('nope')); s.app.synth(); }, "alias 'stable' points at team/web:nope, which no construct defines"],
  ['aliasTag cycle', (s) => { const a = stream(s, {}, 'a'); const b = stream(s, {}, 'b'); a.aliasTag('x', b.tag('y')); b.aliasTag('y', a.tag('x')); s.app.synth(); }, "[apps/a] alias 'x' is part of a cycle: team/a:x -> team/b:y -> team/a:x"],
  ['aliasTag a string', (s) => s.web.aliasTag('stable', bad('web:latest')), "[apps/web] 'target' of alias 'stable' must be an ImageStreamTag: use stream.tag('name')"],
  ['tag() invalid', (s) => s.web.tag('a b'), `'tag' ("a b") is not a valid tag`],
  ['allowPull invalid', (s) => s.web.allowPull('Team_B'), "allowPull('Team_B'): not a namespace name"],
  ['allowPush a number', (s) => s.web.allowPush(bad(3)), 'allowPush(3): not a namespace name'],
  ['historyLimit × tags too big', (s) => { const x = stream(s, { historyLimit: 1000 }); for (const t of ['a', 'b', 'c']) x.importTag(t, { from: 'nginx:1' }); s.app.synth(); }, "'historyLimit' (1000) × 3 tags can grow this stream past 1 MiB"],
  ['external a number', () => ImageStreamTag.external(bad(42)), "ImageStreamTag.external(): 'reference' (42) must be a string"],
  ['external without tag', () => ImageStreamTag.external('team/web'), "ImageStreamTag.external(): 'team/web' must look like stream:tag or namespace/stream:tag"],
  ['external bad namespace', () => ImageStreamTag.external('web:latest', 'Team'), "'defaultNamespace' (Team) is not a namespace name"],
  ['external no namespace', () => ImageStreamTag.external('web:latest'), "ImageStreamTag.external('web:latest'): give the namespace, as 'namespace/web:latest'"],
  // TagPolicy
  ['semver range number', () => TagPolicy.semver(bad(1)), "TagPolicy.semver(): 'range' (1) must be a string"],
  ['semver range invalid', () => TagPolicy.semver('not a range!'), "TagPolicy.semver(): invalid tag policy: 'semver.range' (not a range!) is not a semver range: write one such as"],
  ['semver options typo', () => TagPolicy.semver('^1', bad({ prerelease: true })), "unknown key 'prerelease': did you mean 'prereleases'?"],
  ['semver prereleases string', () => TagPolicy.semver('^1', bad({ prereleases: 'yes' })), `'prereleases' ("yes") must be true or false`],
  ['alphabetical options a string', () => TagPolicy.alphabetical(bad('desc')), `the options ("desc") must be an object: { order: 'desc' }`],
  ['alphabetical order invalid', () => TagPolicy.alphabetical(bad({ order: 'down' })), "TagPolicy.alphabetical(): invalid tag policy: 'alphabetical.order' (down) must be asc or desc"],
  ['numerical options typo', () => TagPolicy.numerical(bad({ ordr: 'asc' })), "unknown key 'ordr': did you mean 'order'?"],
  ['filter pattern RegExp', () => TagPolicy.numerical().filter(bad(/^v/)), "TagPolicy.filter(): 'pattern' (a RegExp) must be a string"],
  ['filter pattern invalid', () => TagPolicy.numerical().filter('('), "TagPolicy.filter(): invalid tag policy: 'filterTags.pattern' (() is not a regular expression"],
  ['filter extract unknown group', () => TagPolicy.numerical().filter('^(?P<ts>[0-9]+)$', { extract: '$nope' }), "TagPolicy.filter(): invalid tag policy: 'filterTags.extract' ($nope) names 'nope', which is no group of the pattern"],
  ['filter extract a number', () => TagPolicy.numerical().filter('^v', bad({ extract: 1 })), "'extract' (1) must be a string"],
  // BuildConfig
  ['bc namespace invalid', (s) => bc(s, { namespace: 'Team' }), "'namespace' (Team) is not a namespace name"],
  ['bc name too long', (s) => bc(s, { name: long(64) }), `'name' (${long(64)}) must be a DNS label of at most 63 characters`],
  ['bc name upper', (s) => bc(s, { name: 'Web' }), "'name' (Web) must be a DNS label"],
  ['bc name a number', (s) => bc(s, { name: 1 }), "'name' (1) must be a string"],
  ['bc source missing', (s) => bc(s, { source: undefined }), "'source' must be BuildSource.git({ uri }) or BuildSource.dockerfile(text)"],
  ['bc source a string', (s) => bc(s, { source: 'https://github.com/x/y' }), "'source' must be BuildSource.git"],
  ['bc strategy a string', (s) => bc(s, { strategy: 'Docker' }), "'strategy' must be BuildStrategy.dockerfile()"],
  ['bc output a string', (s) => bc(s, { output: 'registry.example.com/x:1' }), "'output' must be BuildOutput.imageStreamTag"],
  ['bc runPolicy', (s) => bc(s, { runPolicy: 'Queued' }), "'runPolicy' (Queued) must be one of Serial, Parallel, SerialLatestOnly"],
  ['bc history limit -1', (s) => bc(s, { failedBuildsHistoryLimit: -1 }), "'failedBuildsHistoryLimit' (-1) must be a whole number from 0 to 1000"],
  ['bc history limit string', (s) => bc(s, { successfulBuildsHistoryLimit: '5' }), `'successfulBuildsHistoryLimit' ("5") must be a number`],
  ['bc timeout 0', (s) => bc(s, { timeout: Duration.seconds(0) }), "'timeout' (0ms) must be positive"],
  ['bc timeout number', (s) => bc(s, { timeout: 600 }), "'timeout' (600) must be a cdk8s Duration"],
  ['bc serviceAccount upper', (s) => bc(s, { serviceAccount: 'Builder' }), "'serviceAccount' (Builder) must be the name of a ServiceAccount"],
  ['bc serviceAccount number', (s) => bc(s, { serviceAccount: 1 }), "'serviceAccount' (1) must be a string"],
  ['bc nodeSelector value', (s) => bc(s, { nodeSelector: { 'kubernetes.io/arch': 'amd 64' } }), `'nodeSelector.kubernetes.io/arch' ("amd 64") is no label value`],
  ['bc nodeSelector key', (s) => bc(s, { nodeSelector: { 'a b': 'x' } }), `'nodeSelector' has the key "a b", which is no label key`],
  ['bc nodeSelector key prefix', (s) => bc(s, { nodeSelector: { 'Example.com/x': 'y' } }), `'nodeSelector' has the key "Example.com/x"`],
  ['bc nodeSelector value bool', (s) => bc(s, { nodeSelector: { gpu: true } }), "'nodeSelector.gpu' (true) must be a string: write it quoted, 'true'"],
  ['bc nodeSelector value too long', (s) => bc(s, { nodeSelector: { x: long(64) } }), `'nodeSelector.x' ("${long(64)}") is no label value`],
  ['bc nodeSelector a list', (s) => bc(s, { nodeSelector: ['gpu'] }), "'nodeSelector' (an array of 1) must be an object of strings"],
  ['bc triggers not a list', (s) => bc(s, { triggers: BuildTrigger.configChange() }), "'triggers' (a BuildTrigger) must be a list"],
  ['bc trigger plain object', (s) => bc(s, { triggers: [{ type: 'ConfigChange' }] }), "'triggers[0]' must be made by BuildTrigger"],
  ['bc trigger twice', (s) => bc(s, { triggers: [BuildTrigger.configChange(), BuildTrigger.configChange()] }), "'triggers' has the configChange trigger twice"],
  ['bc imageChange without stream base', (s) => bc(s, { strategy: BuildStrategy.dockerfile({ from: 'alpine:3.20' }), triggers: [BuildTrigger.imageChange()] }), 'an imageChange trigger without \'from\' follows the strategy\'s base'],
  ['bc userNamespace string', (s) => bc(s, { userNamespace: 'true' }), `'userNamespace' ("true") must be true or false`],
  ['bc unknown key', (s) => bc(s, { serviceAcount: 'x' }), "unknown key 'serviceAcount': did you mean 'serviceAccount'?"],
  ['bc stream output without registry', () => { const c = new Chart(bareApp(), 'c', { namespace: 'team' }); new BuildConfig(c, 'b', { source: git(), strategy: BuildStrategy.dockerfile(), output: BuildOutput.imageStreamTag(new ImageStream(c, 'web').tag('latest')) }); }, 'the System has no registry to push to'],
  ['bc output to an external stream', () => BuildOutput.imageStreamTag(ImageStreamTag.external('team/web:latest')), "'team/web:latest' is a tag of a stream this app does not define"],
  ['bc base tag undefined', (s) => { bc(s, { strategy: BuildStrategy.dockerfile({ from: s.web.tag('17') }) }); s.app.synth(); }, "'team/web:17' is not a tag of its stream"],
  ['bc short name in another namespace', (s) => { stream({ ...s, chart: new Chart(s.app, 'base', { namespace: 'base' }) }, {}, 'jdk').importTag('8', { from: 'eclipse-temurin:8' }); bc(s, { strategy: BuildStrategy.dockerfile({ from: 'jdk:8' }) }); }, "'from' (jdk:8) reads two ways: the Docker Hub image docker.io/library/jdk:8, or tag '8' of ImageStream base/jdk"],
  ['bc short name stream defined later', (s) => { bc(s, { strategy: BuildStrategy.dockerfile({ from: 'later:1' }) }); stream(s, {}, 'later').importTag('1', { from: 'busybox:1' }); s.app.synth(); }, "'from' (later:1) reads two ways"],
  ['bc pulls from ungranted namespace', (s) => { const other = new ImageStream(new Chart(s.app, 'o', { namespace: 'other' }), 'base'); other.importTag('1', { from: 'busybox:1' }); bc(s, { strategy: BuildStrategy.dockerfile({ from: other.tag('1') }) }); s.app.synth(); }, "namespace 'team' may not pull from ImageStream 'other/base'"],
  // BuildSource, BuildStrategy, BuildOutput, BuildTrigger, RegistryCa
  ['git uri with password', () => BuildSource.git({ uri: 'https://user:pw@github.com/x/y.git' }), "BuildSource.git(): 'uri' has credentials in it: remove them"],
  ['git uri not a uri', () => BuildSource.git({ uri: 'github.com x' }), "BuildSource.git(): 'uri' (github.com x) is not a git URL: use https://host/org/repo.git"],
  ['git ref invalid', () => BuildSource.git({ uri: 'https://github.com/x/y.git', ref: 'a..b' }), "BuildSource.git(): 'ref' (a..b) is not a valid git ref"],
  ['git contextDir escapes', () => BuildSource.git({ uri: 'https://github.com/x/y.git', contextDir: '../up' }), "BuildSource.git(): 'contextDir' (../up) must stay inside the repository"],
  ['git sourceSecret upper', () => BuildSource.git({ uri: 'https://github.com/x/y.git', sourceSecret: 'Creds' }), "'sourceSecret' (Creds)"],
  ['git secrets input upper', () => BuildSource.git({ uri: 'https://github.com/x/y.git', secrets: [{ secret: 'Npm', destinationDir: 'npm' }] }), "BuildSource.git(): 'secrets[0].secret' (Npm) must be the name of a Secret"],
  ['dockerfile empty', () => BuildSource.dockerfile(''), 'BuildSource.dockerfile()'],
  ['dockerfile strategy from no tag', () => BuildStrategy.dockerfile({ from: 'alpine' }), "'from' (alpine) has no tag or digest: pin a version"],
  ['dockerfile strategy from invalid', () => BuildStrategy.dockerfile({ from: 'Alpine:3' }), "'from' (Alpine:3) is not a valid image reference"],
  ['dockerfile strategy from object', () => BuildStrategy.dockerfile({ from: bad({ name: 'x' }) }), "'from' must be a stream tag (stream.tag('latest')) or an image reference"],
  ['dockerfile strategy stage name', () => BuildStrategy.dockerfile({ stages: { '1x': 'alpine:3' } }), "'stages' has an invalid stage name (1x)"],
  ['dockerfile strategy stage twice', () => BuildStrategy.dockerfile({ stages: { build: 'alpine:3', Build: 'alpine:3' } }), "'stages' names stage 'build' twice"],
  ['dockerfile strategy buildArgs name', () => BuildStrategy.dockerfile({ buildArgs: { 'A-B': '1' } }), "BuildStrategy.dockerfile(): 'buildArgs' has an invalid name (A-B): use letters, digits and '_'"],
  ['dockerfile strategy env name', () => BuildStrategy.dockerfile({ env: { '1A': 'x' } }), "BuildStrategy.dockerfile(): 'env' has an invalid name (1A)"],
  ['dockerfile strategy pullSecret', () => BuildStrategy.dockerfile({ pullSecret: 'Pull' }), "'pullSecret' (Pull)"],
  ['dockerfile strategy path escapes', () => BuildStrategy.dockerfile({ dockerfilePath: '../Dockerfile' }), "BuildStrategy.dockerfile(): 'dockerfilePath' (../Dockerfile) must be a relative path inside the context directory"],
  ['s2i builderImage no tag', () => BuildStrategy.sourceToImage({ builderImage: 'registry.access.redhat.com/ubi9/nodejs-20' }), 'has no tag or digest'],
  ['buildpacks builder no tag', () => BuildStrategy.buildpacks({ builder: 'paketobuildpacks/builder-jammy-base' }), "'builder' (paketobuildpacks/builder-jammy-base) has no tag or digest"],
  ['buildpacks userId 0', () => BuildStrategy.buildpacks({ builder: 'paketobuildpacks/builder:1', userId: 0 }), "'userId' (0) must be a non-root numeric id"],
  ['output image no tag', () => BuildOutput.image('registry.example.com/team/web'), "has no tag: name the tag to push"],
  ['output image digest', () => BuildOutput.image(`registry.example.com/team/web@sha256:${long(64)}`), 'has a digest: a build pushes to a tag'],
  ['output tag a string', () => BuildOutput.imageStreamTag(bad('web:latest')), "BuildOutput.imageStreamTag(): 'tag' must be a stream tag: use stream.tag('latest')"],
  ['webhook type', () => BuildTrigger.webhook(bad({ type: 'Gitea', secret: 'hook' })), "BuildTrigger.webhook(): 'type' (Gitea) must be one of GitHub, GitLab, Bitbucket, Generic"],
  ['webhook secret upper', () => BuildTrigger.webhook({ type: 'GitHub', secret: 'Hook' }), "BuildTrigger.webhook(): 'secret' (Hook) must be the name of a Secret"],
  ['gitPoll interval short', () => BuildTrigger.gitPoll({ interval: Duration.seconds(5) }), "BuildTrigger.gitPoll(): 'interval' (5s) must be at least 60s"],
  ['registry CA name', () => RegistryCa.fromSecret('Bad_Name'), "RegistryCa.fromSecret(): 'name' (Bad_Name) must be the name of a Secret"],
  // System and StreamRegistry
  ['system namespace invalid', () => system({ namespace: 'Imagestreams' }), "[imagestreams] 'namespace' (Imagestreams) is not a namespace name"],
  ['system unknown key', () => system({ namepsace: 'x' }), "[imagestreams] props has an unknown key 'namepsace': did you mean 'namespace'?"],
  ['system createNamespace string', () => system({ createNamespace: 'no' }), `[imagestreams] 'createNamespace' ("no") must be true or false`],
  ['system externalNamespaces a string', () => system({ externalNamespaces: 'shared' }), `[imagestreams] 'externalNamespaces' ("shared") must be a list`],
  ['system externalNamespaces invalid', () => system({ externalNamespaces: ['Shared'] }), "'externalNamespaces' holds 'Shared', which is not a namespace name"],
  ['system controller true', () => system({ controller: true }), "[imagestreams] 'controller' (true) must be false (no controller) or its options"],
  ['two Systems', (s) => new System(s.app, 'second'), "[second] the app already has a System ('imagestreams')"],
  ['system runtimeImage no tag', () => system({ runtimeImage: 'node' }), "[imagestreams] 'runtimeImage' (node) has no tag or digest: pin a version"],
  ['system runtimeImage a number', () => system({ runtimeImage: 22 }), "[imagestreams] 'runtimeImage' (22) must be a string"],
  ['system registry a string', () => system({ registry: 'registry.example.com' }), `[imagestreams] 'registry' ("registry.example.com") must be StreamRegistry.external({ host: 'registry.example.com' }) or StreamRegistry.inCluster()`],
  ['external registry host with scheme', () => StreamRegistry.external({ host: 'https://registry.example.com' }), "StreamRegistry.external(): 'host' (https://registry.example.com) must be a registry host"],
  ['external registry pushSecret upper', () => StreamRegistry.external({ host: 'registry.example.com', pushSecret: 'Push' }), "StreamRegistry.external(): 'pushSecret' (Push) must be the name of a Secret"],
  ['external registry typo', () => StreamRegistry.external(bad({ host: 'r.example.com', pushsecret: 'push' })), "StreamRegistry.external(): the options has an unknown key 'pushsecret': did you mean 'pushSecret'?"],
  ['in-cluster registry nodePort', () => StreamRegistry.inCluster({ nodePort: 80 }), "StreamRegistry.inCluster(): 'nodePort' (80) must be an integer in 30000-32767"],
  ['in-cluster registry image unpinned', () => StreamRegistry.inCluster({ image: 'registry' }), "StreamRegistry.inCluster(): 'image' (registry)"],
  ['no System in the app', () => new ImageStream(new Chart(Testing.app(), 'c', { namespace: 'team' }), 'x').importTag('a', { from: 'nginx:1' }), "needs the cdk8s-imagestreams System in its app: add `new System(app, 'imagestreams')`"],
  // deployTo
  ['deployTo undefined tag', (s) => { s.web.tag('nope').deployTo(deployment(s)); s.app.synth(); }, "the stream team/web defines no tag 'nope'"],
  ['deployTo from ungranted namespace', (s) => { s.web.tag('latest').deployTo(deployment({ ...s, chart: new Chart(s.app, 'o', { namespace: 'other' }) }, 'other')); s.app.synth(); }, "namespace 'other' may not pull from ImageStream 'team/web'"],
  ['deployTo a plain object', (s) => s.web.tag('latest').deployTo(bad({ kind: 'Deployment' })), "deployTo(team/web:latest): 'workload' (an object) must be a cdk8s ApiObject or a cdk8s-plus workload"],
  ['deployTo options typo', (s) => s.web.tag('latest').deployTo(deployment(s), bad({ containr: 'main' })), "[apps/deploy] deployTo(team/web:latest): the options has an unknown key 'containr': did you mean 'container'?"],
  // RegistryReceiver
  ['receiver type', (s) => receiver(s, { type: 'Gitea' }), "'type' (Gitea) must be one of Distribution, DockerHub, Harbor, Quay, GHCR"],
  ['receiver secretName', (s) => receiver(s, { secretName: 'Quay_Hook' }), "'secretName' holds 'Quay_Hook', which is not an object name"],
  ['receiver name', (s) => receiver(s, { name: 'My Hook' }), "'name' holds 'My Hook'"],
  ['receiver registries url', (s) => receiver(s, { registries: ['https://quay.io'] }), "'registries' holds 'https://quay.io', which is not a registry host"],
  ['receiver maxAge short', (s) => receiver(s, { maxAge: Duration.seconds(5) }), "'maxAge' (5s) must be whole seconds from 10 seconds to 24 hours"],
  ['receiver stream elsewhere', (s) => receiver(s, { streams: [{ streamName: 'web', namespace: 'other' }] }), "'streams' holds ImageStream 'other/web'"],
  ['receiver namespace', (s) => receiver(s, { namespace: 'Team' }), "'namespace' (Team) is not a namespace name"],
  ['receiver unknown key', (s) => receiver(s, { maxage: Duration.minutes(1) }), "[apps/hook] props has an unknown key 'maxage': did you mean 'maxAge'?"],
  // Notifier
  ['notifier type', (s) => notifier(s, { type: 'Email' }), "'type' (Email) must be one of Webhook, Slack, CloudEvents"],
  ['notifier event', (s) => notifier(s, { events: ['BuildQueued'] }), "'events' holds 'BuildQueued'"],
  ['notifier secretName', (s) => notifier(s, { secretName: 'Hook' }), "'secretName' holds 'Hook'"],
  ['notifier allNamespaces outside system', (s) => notifier(s, { allNamespaces: true }), "'allNamespaces' is only for a notifier in the System's namespace"],
  ['notifier source elsewhere', (s) => notifier(s, { sources: [{ streamName: 'jdk', namespace: 'other' }] }), "'sources' holds ImageStream 'other/jdk'"],
  ['notifier namespace', (s) => notifier(s, { namespace: 'a_b' }), "'namespace' (a_b) is not a namespace name"],
  ['notifier unknown key', (s) => notifier(s, { event: ['BuildFailed'] }), "[apps/notify] props has an unknown key 'event': did you mean 'events'?"],
  // GitApp and AppBase
  ['gitapp id upper', (s) => gitApp(s, {}, 'Web'), "'id' (Web) must be a DNS label"],
  ['gitapp ports twice', (s) => gitApp(s, { ports: [8080, 8080] }), "'ports' (8080, 8080) lists a port twice"],
  ['gitapp port 0', (s) => gitApp(s, { ports: [0] }), "'ports' has 0, which is not a port"],
  ['gitapp port 70000', (s) => gitApp(s, { ports: [70000] }), "'ports' has 70000, which is not a port"],
  ['gitapp dockerfilePath with Source', (s) => gitApp(s, { strategy: 'Source', dockerfilePath: 'Dockerfile.prod' }), "'dockerfilePath' is for the Docker strategy"],
  ['gitapp ingress without ports', (s) => gitApp(s, { ports: [], ingress: { host: 'web.example.com' } }), "'ingress' needs a Service, and 'ports' is empty"],
  ['gitapp namespace', (s) => gitApp(s, { namespace: '-team' }), "'namespace' (-team) is not a namespace name"],
  ['gitapp unknown key', (s) => gitApp(s, { replica: 2 }), "[apps/app] props has an unknown key 'replica': did you mean 'replicas'?"],
  ['gitapp base plain', (s) => gitApp(s, { base: 'node:22' }), "'base' must be AppBase.importImage(image)"],
  ['gitapp tag invalid', (s) => gitApp(s, { tag: 'a b' }), `[apps/app] 'tag' ("a b") is not a valid tag`],
  ['gitapp git uri', (s) => gitApp(s, { git: { uri: 'not a uri' } }), "BuildSource.git(): 'uri' (not a uri) is not a git URL"],
  ['AppBase.importImage invalid', () => AppBase.importImage('Not An Image'), "AppBase.importImage(): 'image' (Not An Image) is not a valid image reference"],
  ['AppBase.tag a string', () => AppBase.tag(bad('jdk8:latest')), "AppBase.tag(): 'tag' must be a stream tag"],
  ['AppBase.image no tag', () => AppBase.image('node'), "AppBase.image(): 'image' (node) has no tag or digest: pin a version"],
  ['AppBase.image a number', () => AppBase.image(bad(22)), "AppBase.image(): 'image' (22) must be a string"],
];

function bareApp(): App {
  const app = Testing.app();
  new System(app, 'imagestreams');
  return app;
}
