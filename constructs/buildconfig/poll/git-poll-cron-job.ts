import { ApiObject, Lazy, type Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { GIT_POLL_CAUSE } from '../../../lib/api/build-cause';
import { BUILDCONFIG_LABEL, REF_ANNOTATION } from '../../../lib/api/labels';
import { pipelineRunFor, type BuildConfigLike } from '../../../lib/api/build-run';
import { kubernetesLiteral } from '../../../lib/api/literal-params';
import { boundedName } from '../../../lib/api/names';
import { DEFAULT_IMAGES } from '../../../lib/api/build-pipeline/tasks/images';
import { importSchedule } from '../../imagestream/schedule';
import { RESTRICTED_CONTAINER_SECURITY } from '../../system/pod-security';
import { System } from '../../system/system';
import { CREATE_RUN_SCRIPT, LS_REMOTE_SCRIPT } from './git-poll-scripts';

/** Pinned images (by digest, see DEFAULT_IMAGES; through the System's imageMirror): git (alpine/git, as the git-fetch Task) and curl; both Alpine, both with /bin/sh. */
export const GIT_POLL_IMAGES = Object.freeze({ git: DEFAULT_IMAGES.git, curl: DEFAULT_IMAGES.curl });
/** Kubernetes caps CronJob names at 52 characters; PipelineRun names at 63 (Tekton labels with them). */
const CRONJOB_NAME_MAX = 52;
const RUN_NAME_MAX = 63;
/** Alpine's `nobody`: a user that exists in both images, which ssh insists on. */
const NOBODY = 65534;
const API_TOKEN_DIR = '/var/run/secrets/imagestreams/api';

export interface GitPollCronJobProps {
  readonly buildConfig: string;
  readonly namespace: string;
  readonly uri: string;
  /** `refs/heads/x`. */
  readonly branchRef: string;
  readonly interval: Duration;
  /** The source's basic-auth or ssh-auth Secret, mounted for `git ls-remote` only. */
  readonly sourceSecret?: string;
  /** ssh: connect without a known_hosts key in the source secret (the source's insecureIgnoreHostKey). @default false */
  readonly insecureIgnoreHostKey?: boolean;
  /** The BuildConfig as synthesized (triggers can be added after construction). */
  readonly resource: () => BuildConfigLike;
}

/**
 * Polls one branch: a CronJob whose Job runs `git ls-remote` (init container, git image) and then
 * creates a pending PipelineRun named after the commit (curl image). A new commit starts exactly one
 * build; an unchanged branch starts none (409 AlreadyExists), with no state of its own. Its
 * ServiceAccount may create PipelineRuns in the namespace and nothing else; only the curl container
 * gets its token.
 */
export class GitPollCronJob extends Construct {
  readonly cronJobName: string;
  readonly serviceAccountName: string;
  /** Runs are named `<prefix><first 12 hex digits of the commit>`. */
  readonly runNamePrefix: string;

  constructor(scope: Construct, id: string, private readonly props: GitPollCronJobProps) {
    super(scope, id);
    const { buildConfig, namespace } = props;
    this.cronJobName = boundedName(buildConfig, '-git-poll', CRONJOB_NAME_MAX);
    this.serviceAccountName = this.cronJobName;
    this.runNamePrefix = boundedName(buildConfig, '-poll-', RUN_NAME_MAX - 12);
    const metadata = { name: this.serviceAccountName, namespace, labels: { [BUILDCONFIG_LABEL]: buildConfig } };
    new ApiObject(this, 'ServiceAccount', { apiVersion: 'v1', kind: 'ServiceAccount', metadata, automountServiceAccountToken: false });
    new ApiObject(this, 'Role', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata,
      rules: [{ apiGroups: ['tekton.dev'], resources: ['pipelineruns'], verbs: ['create'] }],
    });
    new ApiObject(this, 'RoleBinding', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.serviceAccountName },
      subjects: [{ kind: 'ServiceAccount', name: this.serviceAccountName, namespace }],
    });
    new ApiObject(this, 'CronJob', {
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: { ...metadata, name: this.cronJobName },
      spec: Lazy.any({ produce: () => this.cronJobSpec() }),
    });
  }

  /** The PipelineRun JSON with @@COMMIT@@ and @@NAME@@ for the script to fill in. */
  runTemplate(): string {
    return JSON.stringify(pipelineRunFor(this.props.resource(), { type: GIT_POLL_CAUSE, revision: '@@COMMIT@@' }, {
      naming: { name: '@@NAME@@' },
      annotations: { [REF_ANNOTATION]: this.props.branchRef },
    }));
  }

  private cronJobSpec() {
    const { buildConfig, namespace } = this.props;
    return {
      schedule: importSchedule(this.props.interval.toSeconds(), `${namespace}/${buildConfig}/git-poll`),
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 300,
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        spec: {
          backoffLimit: 1,
          activeDeadlineSeconds: 300,
          ttlSecondsAfterFinished: 3600,
          template: {
            metadata: { labels: { [BUILDCONFIG_LABEL]: buildConfig, 'app.kubernetes.io/component': 'git-poll' } },
            spec: this.podSpec(),
          },
        },
      },
    };
  }

  private podSpec() {
    return {
      serviceAccountName: this.serviceAccountName,
      automountServiceAccountToken: false,
      restartPolicy: 'Never',
      securityContext: { runAsNonRoot: true, runAsUser: NOBODY, runAsGroup: NOBODY, fsGroup: NOBODY, seccompProfile: { type: 'RuntimeDefault' } },
      initContainers: [this.lsRemoteContainer()],
      containers: [this.createRunContainer()],
      volumes: [
        { name: 'work', emptyDir: { sizeLimit: '1Mi' } },
        { name: 'tmp', emptyDir: { sizeLimit: '16Mi' } },
        ...(this.props.sourceSecret ? [{ name: 'credentials', secret: { secretName: this.props.sourceSecret, defaultMode: 0o440 } }] : []),
        // The token only where it is used, short-lived; the CA that every namespace has.
        {
          name: 'api-token',
          projected: {
            sources: [
              { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } },
              { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            ],
          },
        },
      ],
    };
  }

  private lsRemoteContainer() {
    const secret = this.props.sourceSecret;
    return {
      name: 'ls-remote',
      image: System.mirrorFor(this)(GIT_POLL_IMAGES.git),
      command: ['/bin/sh', '-c', LS_REMOTE_SCRIPT],
      env: envList({
        GIT_URL: this.props.uri, GIT_REF: this.props.branchRef, COMMIT_FILE: '/work/commit', CREDENTIALS_DIR: secret ? '/credentials' : '', HOME: '/tmp',
        SSH_INSECURE_IGNORE_HOST_KEY: String(this.props.insecureIgnoreHostKey ?? false),
      }),
      securityContext: RESTRICTED_CONTAINER_SECURITY,
      resources: RESOURCES,
      volumeMounts: [{ name: 'work', mountPath: '/work' }, { name: 'tmp', mountPath: '/tmp' }, ...(secret ? [{ name: 'credentials', mountPath: '/credentials', readOnly: true }] : [])],
    };
  }

  private createRunContainer() {
    return {
      name: 'create-run',
      image: System.mirrorFor(this)(GIT_POLL_IMAGES.curl),
      command: ['/bin/sh', '-c', CREATE_RUN_SCRIPT],
      env: envList({
        COMMIT_FILE: '/work/commit', RUN_TEMPLATE: this.runTemplate(), RUN_NAME_PREFIX: this.runNamePrefix,
        API_SERVER: 'https://kubernetes.default.svc', NAMESPACE: this.props.namespace, SERVICE_ACCOUNT_DIR: API_TOKEN_DIR, HOME: '/tmp',
      }),
      securityContext: RESTRICTED_CONTAINER_SECURITY,
      resources: RESOURCES,
      volumeMounts: [{ name: 'work', mountPath: '/work', readOnly: true }, { name: 'tmp', mountPath: '/tmp' }, { name: 'api-token', mountPath: API_TOKEN_DIR, readOnly: true }],
    };
  }
}

const RESOURCES = { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '200m', memory: '128Mi' } };
/** Env vars, each value escaped for the kubelet, which would read `$(NAME)` and `$$` in it. */
const envList = (values: Record<string, string>) => Object.entries(values).map(([name, value]) => ({ name, value: kubernetesLiteral(value) }));
