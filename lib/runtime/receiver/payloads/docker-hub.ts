import { DOCKER_HUB } from '../../../api/image-reference';
import { at, epochSeconds, identity, mustBeString, parseJson, repositoryPath, tagName, type PayloadParser } from './event';

const SENDER = 'Docker Hub';

/**
 * Docker Hub's repository webhooks: `{ push_data: { pushed_at, pusher, tag }, repository: { repo_name,
 * namespace, name, … }, callback_url }`, one push each. Docker Hub neither signs nor sends a header of
 * the user's choosing, and carries no delivery id: the push (repository, tag, time) is its identity.
 * @see https://docs.docker.com/docker-hub/repos/manage/webhooks/
 */
export const parseDockerHub: PayloadParser = (body) => {
  const payload = parseJson(body, SENDER);
  const name = mustBeString(payload, 'repository.repo_name', SENDER);
  // Official images are named without their namespace: `nginx` is `library/nginx`.
  const repository = repositoryPath(name.includes('/') ? name : `library/${name}`, SENDER);
  const tag = tagName(mustBeString(payload, 'push_data.tag', SENDER), SENDER);
  const pushedAt = epochSeconds(at(payload, 'push_data.pushed_at'));
  return [{ id: `dockerhub:${identity(repository, tag, pushedAt)}`, at: pushedAt, host: DOCKER_HUB, repository, tag }];
};
