import type { Duration } from 'cdk8s';
import type { ContainerResources } from 'cdk8s-plus-27';
import type { RunPolicy } from '../../lib/api/buildconfig';
import type { BuildOutput } from './output';
import type { BuildSource } from './source';
import type { BuildStrategy } from './strategy';
import type { BuildTrigger } from './trigger';

export interface BuildConfigProps {
  /**
   * The BuildConfig's name, also its Pipeline's: at most 63 characters, as Tekton uses it in labels.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The namespace the builds run in.
   * @default - the chart's namespace (one of the two is required)
   */
  readonly namespace?: string;
  /** What is built: `BuildSource.git({ uri })` or `BuildSource.dockerfile(text)`. */
  readonly source: BuildSource;
  /** How: `BuildStrategy.dockerfile()`, `.sourceToImage()` or `.buildpacks({ builder })`. */
  readonly strategy: BuildStrategy;
  /** Where the image goes: `BuildOutput.imageStreamTag(stream.tag('latest'))` or `BuildOutput.image(ref)`. */
  readonly output: BuildOutput;
  /**
   * What starts builds. `[]` means only manual builds.
   * @default - imageChange on the strategy's base when it is a stream tag, plus configChange (as `oc new-build`)
   */
  readonly triggers?: readonly BuildTrigger[];
  /**
   * How builds of this BuildConfig share time: one at a time, all at once, or one at a time skipping to the newest.
   * @default 'Serial'
   */
  readonly runPolicy?: RunPolicy;
  /**
   * Successful builds (PipelineRuns) kept.
   * @default 5
   */
  readonly successfulBuildsHistoryLimit?: number;
  /**
   * Failed builds (PipelineRuns) kept.
   * @default 5
   */
  readonly failedBuildsHistoryLimit?: number;
  /**
   * Compute resources of the build step (buildah, or the buildpacks lifecycle).
   * @default - none: the namespace's defaults
   */
  readonly resources?: ContainerResources;
  /**
   * Nodes the build pods may run on.
   * @default - any node
   */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /**
   * The longest a build may run (the PipelineRun timeout).
   * @default - Tekton's default (one hour)
   */
  readonly timeout?: Duration;
  /**
   * The ServiceAccount build pods run as, by name.
   * @default - 'imagestreams-builder', generated in the namespace with no RBAC at all and no token
   */
  readonly serviceAccount?: string;
  /**
   * Run the build pods in a user namespace (`hostUsers: false`, Kubernetes >= 1.33): root in the
   * build is not root on the node.
   * @default false
   */
  readonly userNamespace?: boolean;
}
