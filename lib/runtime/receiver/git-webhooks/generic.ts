import { parse as parseYaml } from 'yaml';
import { isVariableName } from '../../../api/buildconfig';
import { isCommit } from '../../../api/git-webhook';
import { at, isObject, PayloadError, type Headers } from '../payloads/event';
import { info, mediaType, type GitDelivery, type PushedRef } from './push';

const SENDER = 'generic webhook';
/** More env than a build would ever take from a webhook is a mistake or an attack. */
const MAX_ENV = 100;

/**
 * OpenShift's generic webhook: the body is optional, JSON or YAML, `{ git: { uri, ref, commit,
 * author: { name, email }, committer, message } | { refs: [{ ref, commit, … }] }, env: [{ name,
 * value }] }`, or this project's own `{ ref, commit, pusher }` (what the Tekton Triggers Generic
 * trigger reads). As OpenShift does, a call without a body, with another Content-Type or with a body it
 * can't read builds the BuildConfig's ref (with a warning); a payload naming another branch builds
 * nothing. `env` counts only when the trigger has `allowEnv`. A commit, when given, must be a full id.
 * @see https://docs.openshift.com/container-platform/latest/cicd/builds/triggering-builds-build-hooks.html#builds-using-generic-webhooks_triggering-builds-build-hooks
 */
export function parseGeneric(headers: Headers, body: string): GitDelivery {
  if (body.trim().length === 0) return { kind: 'build' };
  const type = mediaType(headers);
  if (type !== 'application/json' && type !== 'application/yaml') return { kind: 'build', warning: 'invalid Content-Type on payload, ignoring payload and continuing with build' };
  let payload: unknown;
  try {
    payload = type === 'application/json' ? JSON.parse(body) : parseYaml(body, { maxAliasCount: 0 });
  } catch {
    return { kind: 'build', warning: 'the payload could not be read, ignoring payload and continuing with build' };
  }
  const env = envOf(at(payload, 'env'));
  const git = at(payload, 'git');
  // This project's own generic format (Tekton Triggers' Generic trigger): `{ ref, commit, pusher }`.
  if (!isObject(git) && isObject(payload) && typeof payload.ref === 'string') {
    return { kind: 'push', refs: [pushedRef(payload.ref, payload.commit)], ...(env ? { env } : {}), pusher: info(payload.pusher) };
  }
  if (!isObject(git)) return { kind: 'build', ...(env ? { env } : {}), warning: 'no git information found in payload, ignoring and continuing with build' };
  const refs: PushedRef[] = Array.isArray(git.refs)
    ? git.refs.slice(0, 100).map((r) => pushedRef(at(r, 'ref'), at(r, 'commit')))
    : [pushedRef(git.ref, git.commit)];
  return {
    kind: 'push', refs, ...(env ? { env } : {}),
    pusher: info(at(git, 'author.name') ?? at(git, 'committer.name')), repository: info(git.uri),
  };
}

function pushedRef(ref: unknown, commit: unknown): PushedRef {
  if (commit !== undefined && commit !== null && commit !== '' && !isCommit(commit)) throw new PayloadError(`${SENDER} payload's git.commit is not a full commit id`);
  return { ref: typeof ref === 'string' ? ref : '', ...(isCommit(commit) ? { commit } : {}) };
}

function envOf(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length > MAX_ENV) throw new PayloadError(`${SENDER} payload's env must be a list of at most ${MAX_ENV} { name, value }`);
  const env: Record<string, string> = {};
  for (const item of value) {
    const name = at(item, 'name');
    const text = at(item, 'value') ?? '';
    if (typeof name !== 'string' || !isVariableName(name) || typeof text !== 'string') {
      throw new PayloadError(`${SENDER} payload's env holds an item that is not { name, value } with a variable name and a string value`);
    }
    env[name] = text;
  }
  return env;
}
