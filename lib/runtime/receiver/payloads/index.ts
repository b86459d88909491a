import type { ReceiverType } from '../../../api/receiver';
import { parseDistribution } from './distribution';
import { parseDockerHub } from './docker-hub';
import type { PayloadParser } from './event';
import { parseGhcr } from './ghcr';
import { parseHarbor } from './harbor';
import { parseQuay } from './quay';

export { PayloadError, type PushEvent, type Headers } from './event';

/** The payload parser of each sender. */
export const PARSERS: Readonly<Record<ReceiverType, PayloadParser>> = Object.freeze({
  Distribution: parseDistribution,
  DockerHub: parseDockerHub,
  Harbor: parseHarbor,
  Quay: parseQuay,
  GHCR: parseGhcr,
});
