import { formatReference, parseReference } from '../../lib/api/image-reference';
import { isDnsLabel } from '../../lib/api/names';
import { checkObjectName } from '../_names';

/**
 * Checks of what users write in BuildConfig props. Each error names where (`at`), the prop in
 * quotes, echoes the value and says what a good value looks like.
 */

/** https://host/path, ssh://[user@]host[:port]/path, file:///path (local mirrors and tests). */
const URL_URI = /^(https|ssh|file):\/\/[^\s]+$/;
/** scp-like ssh: `git@github.com:org/repo.git` (no scheme, a ':' before the first '/'). */
const SCP_URI = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\s/][^\s]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Tekton object names become label values, at most 63 characters. */
export const MAX_TEKTON_NAME = 63;

export function checkSecretName(at: string, prop: string, name: string, kind = 'Secret'): string {
  return checkObjectName(at, prop, name, kind);
}

export function checkGitUri(at: string, uri: string): string {
  // The URI is written into the BuildConfig, the Pipeline and the image's labels: no secrets in it.
  const credentials = credentialsIn(uri);
  if (credentials) {
    const ssh = uri.startsWith('ssh://') || !/^[a-z][a-z0-9+.-]*:\/\//i.test(uri);
    const secret = ssh
      ? 'a kubernetes.io/ssh-auth Secret (keys ssh-privatekey, known_hosts)'
      : 'a kubernetes.io/basic-auth Secret (keys username, password)';
    throw new Error(`${at} 'uri' has ${credentials === 'password' ? 'a password' : 'credentials'} in it: remove them and put them in ${secret} named by 'sourceSecret'`);
  }
  if (URL_URI.test(uri) || SCP_URI.test(uri)) return uri;
  throw new Error(`${at} 'uri' (${uri}) is not a git URL: use https://host/org/repo.git, ssh://git@host/org/repo.git or git@host:org/repo.git`);
}

/**
 * Credentials written into a git URL in any of its forms: any user info in http(s) (a token is
 * often the user name), a password in ssh://, file:// or scp-like `user:password@host:path`.
 * The user name alone of ssh (`git@`) is not a secret.
 */
function credentialsIn(uri: string): 'credentials' | 'password' | undefined {
  const url = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)/i.exec(uri);
  if (url) {
    const userInfo = url[2].includes('@') ? url[2].slice(0, url[2].lastIndexOf('@')) : undefined;
    if (userInfo === undefined) return undefined;
    if (/^https?$/i.test(url[1])) return 'credentials';
    return userInfo.includes(':') ? 'password' : undefined;
  }
  // scp-like: user[:password]@host:path, before the first '/'.
  const scp = /^([^/@]*)@[^/:]*:/.exec(uri);
  return scp && scp[1].includes(':') ? 'password' : undefined;
}

/** Whether the URI is an ssh one (ssh:// or scp-like `git@host:path`): host keys must be known. */
export function isSshUri(uri: string): boolean {
  return uri.startsWith('ssh://') || SCP_URI.test(uri);
}

/** The rules of `git check-ref-format` that matter for a branch, tag or commit. */
export function checkGitRef(at: string, ref: string): string {
  const bad = ref === '' || ref === '@' || /[\s~^:?*[\\\x00-\x1f\x7f]/.test(ref) || ref.includes('..') || ref.includes('@{')
    || ref.includes('//') || /^[-/.]/.test(ref) || /(\/|\.|\.lock)$/.test(ref) || ref.split('/').some((part) => part.startsWith('.'));
  if (bad) {
    throw new Error(`${at} 'ref' (${ref}) is not a valid git ref: use a branch, tag or commit such as 'main', 'v1.2.0' or refs/heads/main (git check-ref-format)`);
  }
  // REVISION is the one run param that travels unencoded (webhooks and the git poll fill it in).
  if (ref.includes('$')) {
    throw new Error(`${at} 'ref' (${ref}) has a '$', which Kubernetes and Tekton would rewrite on its way to git: rename the branch or tag, or use its commit`);
  }
  return ref;
}

/** A relative path inside the repository, written without './' noise. */
export function checkContextDir(at: string, dir: string): string {
  const parts = dir.split('/').filter((part) => part !== '' && part !== '.');
  if (dir.startsWith('/') || parts.includes('..')) {
    throw new Error(`${at} 'contextDir' (${dir}) must stay inside the repository: use a relative path without '..', e.g. 'services/api'`);
  }
  return parts.length === 0 ? '.' : parts.join('/');
}

/** An image reference, normalised (`busybox` → `docker.io/library/busybox:latest`). */
export function checkImage(at: string, prop: string, image: string): string {
  try {
    return formatReference(parseReference(image));
  } catch (e) {
    const why = (e as Error).message.replace(/^invalid image reference "[^"]*": /, '');
    throw new Error(`${at} '${prop}' (${image}) is not a valid image reference: ${why}`);
  }
}

/** An image to push to: it needs a tag, and cannot be a digest (the registry computes that). */
export function checkPushImage(at: string, prop: string, image: string): string {
  const normalised = checkImage(at, prop, image);
  const lastSegment = image.split('/').pop() ?? '';
  if (image.includes('@')) throw new Error(`${at} '${prop}' (${image}) has a digest: a build pushes to a tag, e.g. registry.example.com/team/app:latest`);
  if (!lastSegment.includes(':')) throw new Error(`${at} '${prop}' (${image}) has no tag: name the tag to push, e.g. ${image}:latest`);
  return normalised;
}

export function checkVariableNames(at: string, prop: string, values: Readonly<Record<string, string>> | undefined): Record<string, string> {
  for (const name of Object.keys(values ?? {})) {
    if (!ENV_NAME.test(name)) throw new Error(`${at} '${prop}' has an invalid name (${name}): use letters, digits and '_', not starting with a digit`);
  }
  return { ...(values ?? {}) };
}

export function checkTektonName(at: string, prop: string, name: string): string {
  if (name.length > MAX_TEKTON_NAME || !isDnsLabel(name)) {
    throw new Error(`${at} '${prop}' (${name}) must be a DNS label of at most ${MAX_TEKTON_NAME} characters (lowercase letters, digits and '-'), as Tekton puts it in label values: set a shorter 'name'`);
  }
  return name;
}

/** `NAME=value` items, sorted by name so the output is stable. */
export function keyValueItems(values: Readonly<Record<string, string>>): string[] {
  return Object.keys(values).sort().map((name) => `${name}=${values[name]}`);
}
