import { DNS1123_LABEL_PATTERN } from '../names';
import { PLATFORM_PATTERN } from '../platform';
import type { CustomResourceDefinitionManifest, JSONSchemaProps } from './crd-types';
import { COMMIT_PATTERN, DEFAULT_HISTORY_LIMIT, IMAGE_BY_DIGEST_PATTERN, MIN_IMPORT_INTERVAL_SECONDS, STREAM_IMAGE_PATTERN } from '../imagestream';
import { API_GROUP, API_VERSION, SYSTEM_LABELS } from '../group';
import { MAX_REPOSITORY_TAGS } from '../repository-import';

/**
 * Spec tags per stream. OpenShift sets no bound, but etcd's object size does (each tag's history lives in
 * the same object); the bound is what lets the API server accept the per-tag validation rules (CEL
 * rules are costed by how many times they may run).
 */
export const MAX_SPEC_TAGS = 1000;

const str = (description: string, extra: JSONSchemaProps = {}): JSONSchemaProps => ({ type: 'string', description, ...extra });
const RFC3339 = { format: 'date-time' } as const;

const tagReference: JSONSchemaProps = {
  type: 'object',
  description: 'Where a tag points: an image (DockerImage), another tag (ImageStreamTag, "stream:tag") or an image of a stream\'s history (ImageStreamImage, "stream@sha256:…").',
  required: ['kind', 'name'],
  properties: {
    kind: str('DockerImage, ImageStreamTag or ImageStreamImage.', { enum: ['DockerImage', 'ImageStreamTag', 'ImageStreamImage'] }),
    name: str('An image reference, "stream:tag", or "stream@sha256:…".', { minLength: 1, maxLength: 1024 }),
    namespace: str("For ImageStreamTag and ImageStreamImage: the target stream's namespace (default: this stream's)."),
    // The rest of Kubernetes' ObjectReference, which OpenShift's `from` is: kept and ignored, as OpenShift does.
    uid: str('Ignored, as OpenShift ignores it here.'),
    apiVersion: str('Ignored, as OpenShift ignores it here.'),
    resourceVersion: str('Ignored, as OpenShift ignores it here.'),
    fieldPath: str('Ignored, as OpenShift ignores it here.'),
  },
  'x-kubernetes-validations': [
    { rule: `self.kind != 'ImageStreamImage' || self.name.matches('${STREAM_IMAGE_PATTERN}')`, message: 'from.name of an ImageStreamImage must be stream@sha256:<64 hex digits> (an image of that stream\'s history); to follow a tag use kind ImageStreamTag, to pin an external image use kind DockerImage with repository@sha256:…' },
  ],
};

const importPolicy: JSONSchemaProps = {
  type: 'object',
  properties: {
    scheduled: { type: 'boolean', description: 'Re-import this tag on a schedule.' },
    intervalSeconds: { type: 'integer', minimum: MIN_IMPORT_INTERVAL_SECONDS, description: 'Seconds between scheduled imports (default 900).' },
    insecure: { type: 'boolean', description: 'Plain http, or https without certificate verification.' },
    importMode: str('Legacy: one platform of a manifest list; PreserveOriginal: the list itself.', { enum: ['Legacy', 'PreserveOriginal'] }),
    preferredPlatform: str('os/arch[/variant] that Legacy picks (default linux/amd64).', { pattern: PLATFORM_PATTERN }),
    paused: { type: 'boolean', description: 'Hold the tag where it is (set by rollback); no scheduled imports.' },
  },
};

const order: JSONSchemaProps = { type: 'object', properties: { order: str('asc (default): the highest; desc: the lowest.', { enum: ['asc', 'desc'] }) } };

const tagPolicy: JSONSchemaProps = {
  type: 'object',
  description: "Follow the tag of from's repository this policy chooses from the registry's tag list (Flux's ImagePolicy): exactly one of semver, alphabetical, numerical.",
  properties: {
    filterTags: {
      type: 'object',
      required: ['pattern'],
      description: 'Only tags matching pattern (RE2 syntax) count; with extract ($name, ${name}, $1) the policy orders what it extracts.',
      properties: { pattern: str('A regular expression.', { minLength: 1, maxLength: 512 }), extract: str('A template of the groups.', { maxLength: 256 }) },
    },
    semver: {
      type: 'object',
      required: ['range'],
      description: 'The highest version in range.',
      properties: { range: str("A semver range: '>=1.27.0 <1.28.0', '^1.27', '1.x'.", { minLength: 1, maxLength: 256 }), prereleases: { type: 'boolean', description: 'Let every pre-release in the range count.' } },
    },
    alphabetical: order,
    numerical: order,
  },
  'x-kubernetes-validations': [{ rule: '(has(self.semver) ? 1 : 0) + (has(self.alphabetical) ? 1 : 0) + (has(self.numerical) ? 1 : 0) == 1', message: 'exactly one of semver, alphabetical or numerical' }],
};

const tagSpec: JSONSchemaProps = {
  type: 'object',
  required: ['name'],
  properties: {
    name: str('The tag.', { pattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$' }),
    annotations: { type: 'object', additionalProperties: { type: 'string' }, description: "OpenShift's tag annotations (description, tags, supports, sampleRepo, display names): kept, shown by describe." },
    from: tagReference,
    generation: { type: 'integer', format: 'int64', minimum: 0, description: "OpenShift's spec tag generation: newer than the generation of the tag's last import asks for a new import." },
    importPolicy,
    referencePolicy: { type: 'object', properties: { type: str("Source (the default; '' means Source, as in OpenShift) or Local.", { enum: ['', 'Source', 'Local'] }) } },
    reference: { type: 'boolean', description: 'Reference-only: point at `from` without importing it.' },
    tagPolicy,
    promotion: {
      type: 'object',
      required: ['from'],
      description: 'Promote the images of another tag into this one once the gate passes (soak time, rollout).',
      properties: {
        from: { type: 'object', required: ['name'], properties: { name: str('stream:tag.', { minLength: 3 }), namespace: str("The source stream's namespace (default: this one).") } },
        soakSeconds: { type: 'integer', minimum: 0, maximum: 31_536_000, description: "How long the source's image must have been its newest." },
        requireRollout: { type: 'boolean', description: "The source namespace's workloads following it must run the image, rolled out and available." },
      },
    },
  },
};

const tagEvent: JSONSchemaProps = {
  type: 'object',
  required: ['dockerImageReference', 'image', 'created'],
  properties: {
    dockerImageReference: str('repository@sha256:…'),
    image: str('The digest.', { pattern: '^[a-z0-9]+:[a-f0-9]{32,}$' }),
    created: str('When the item was recorded.', RFC3339),
    generation: { type: 'integer', description: "The stream's generation when recorded." },
    indexDigest: str('Legacy imports of a manifest list: the digest of the list the image was picked from.', { pattern: '^[a-z0-9]+:[a-f0-9]{32,}$' }),
    platform: str('With indexDigest: the platform picked, os/arch[/variant].'),
    promotedFrom: str('A promoted item: the tag it was promoted from, namespace/stream:tag.'),
    build: str('A built item: the build (PipelineRun) that pushed it, namespace/name.'),
    commit: str('A built item: the commit built.', { pattern: COMMIT_PATTERN }),
    baseImage: str('A built item: the image its last stage starts from, repository@sha256:….', { pattern: IMAGE_BY_DIGEST_PATTERN }),
  },
};

const condition: JSONSchemaProps = {
  type: 'object',
  required: ['type', 'status'],
  properties: {
    type: str('ImportSuccess.'),
    status: str('True, False or Unknown.', { enum: ['True', 'False', 'Unknown'] }),
    reason: str('CamelCase reason.'),
    message: str('Human-readable detail.'),
    lastTransitionTime: str('When status last changed.', RFC3339),
    generation: { type: 'integer' },
  },
};

const schema: JSONSchemaProps = {
  type: 'object',
  description: 'A named set of tags, each pointing at an image by digest, with history.',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      // `oc create imagestream` writes none: a stream without spec reads as one without tags.
      default: {},
      properties: {
        tags: { type: 'array', items: tagSpec, maxItems: MAX_SPEC_TAGS, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] },
        dockerImageRepository: {
          ...str("OpenShift's deprecated field: this repository's tags are imported into the stream's status (the first 50 as OpenShift orders them), besides spec.tags.", { minLength: 1, maxLength: 1024 }),
          'x-kubernetes-validations': [{ rule: "!self.contains('@') && !self.matches(':[^/]*$')", message: 'spec.dockerImageRepository names a repository, without a tag or digest (registry/namespace/name): to import one tag, write a spec tag with from kind DockerImage' }],
        },
        historyLimit: { type: 'integer', minimum: 1, maximum: 1000, default: DEFAULT_HISTORY_LIMIT, description: 'History items kept per tag.' },
        pullSecrets: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } },
        grants: {
          type: 'array',
          description: 'Namespaces besides its own that may use this stream: Pull (read its tags) or Push (also record builds into them).',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['namespace'],
          items: {
            type: 'object',
            required: ['namespace', 'access'],
            properties: {
              namespace: str('A namespace.', { pattern: DNS1123_LABEL_PATTERN, maxLength: 63 }),
              access: str('Pull or Push (which includes Pull).', { enum: ['Pull', 'Push'] }),
            },
          },
        },
        imageRepository: str('Where builds push this stream\'s images.'),
        publicImageRepository: str('Where nodes pull them from, when different.'),
        imageRepositoryInsecure: { type: 'boolean', description: 'imageRepository speaks plain http, or https whose certificate is not verified (for copies of Local tags).' },
        lookupPolicy: {
          type: 'object',
          description: 'local: workloads of this namespace may name its tags by short name (stream:tag): resolved at synth time by the constructs, and by the controller in workloads applied as YAML.',
          required: ['local'],
          properties: { local: { type: 'boolean' } },
        },
      },
    },
    status: {
      type: 'object',
      properties: {
        observedGeneration: { type: 'integer' },
        // OpenShift's, in manifests exported with `oc get -o yaml`: accepted so they apply (a create drops status); spec.imageRepository says it here.
        dockerImageRepository: str("OpenShift's: where its internal registry holds the stream. Not written here (spec.imageRepository)."),
        publicDockerImageRepository: str("OpenShift's: the same, from outside the cluster. Not written here (spec.publicImageRepository)."),
        repositoryImport: {
          type: 'object',
          description: 'The last import of spec.dockerImageRepository: which tags it brought into status, or why it failed.',
          required: ['repository', 'status', 'reason', 'message', 'lastImportAttempt'],
          properties: {
            repository: str('The repository imported.'),
            generation: { type: 'integer', description: "The stream's generation it was imported at." },
            status: str('True or False.', { enum: ['True', 'False'] }),
            reason: str('Imported, or the registry\'s reason.'),
            message: str('Human-readable detail.'),
            lastImportAttempt: str('When.', RFC3339),
            tags: { type: 'array', items: { type: 'string' }, maxItems: MAX_REPOSITORY_TAGS, description: "The repository's tags imported into status." },
          },
        },
        tags: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['tag'],
          items: {
            type: 'object',
            required: ['tag'],
            properties: {
              tag: str('The tag.'),
              items: { type: 'array', items: tagEvent, description: 'Newest first.' },
              conditions: { type: 'array', items: condition },
              lastImportAttempt: str('When the last import was tried.', RFC3339),
              policy: {
                type: 'object',
                description: 'A tag with a tagPolicy: the tag it chose at the last import, and why.',
                required: ['tag'],
                properties: { tag: str('The chosen tag.'), reason: str('Why it won.'), candidates: { type: 'integer', description: 'Tags that counted.' } },
              },
            },
          },
        },
      },
    },
  },
};

/** The ImageStream CRD: structural schema, status subresource, and columns like `oc get is`. */
export function imageStreamCrd(): CustomResourceDefinitionManifest {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `imagestreams.${API_GROUP}`, labels: { ...SYSTEM_LABELS } },
    spec: {
      group: API_GROUP,
      names: { kind: 'ImageStream', listKind: 'ImageStreamList', plural: 'imagestreams', singular: 'imagestream', shortNames: ['is'], categories: ['imagestreams'] },
      scope: 'Namespaced',
      versions: [{
        name: API_VERSION,
        served: true,
        storage: true,
        schema: { openAPIV3Schema: schema },
        subresources: { status: {} },
        additionalPrinterColumns: [
          { name: 'Tags', type: 'string', jsonPath: '.spec.tags[*].name', description: 'The tags of the stream.' },
          { name: 'Image', type: 'string', jsonPath: '.status.tags[0].items[0].dockerImageReference', description: 'The first tag\'s current image.' },
          { name: 'Updated', type: 'date', jsonPath: '.status.tags[0].items[0].created', description: 'When the first tag last moved.' },
          { name: 'Repository', type: 'string', jsonPath: '.spec.publicImageRepository', priority: 1 },
        ],
      }],
    },
  };
}
