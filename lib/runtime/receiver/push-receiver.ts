import type { ImageStreamObject } from '../../api/imagestream';
import { DEFAULT_RECEIVER_DEBOUNCE_MS, DEFAULT_RECEIVER_MAX_AGE_SECONDS, RECEIVER_AUTH, RECEIVER_TYPES, type RegistryReceiverObject } from '../../api/receiver';
import type { Logger } from '../machinery/logger';
import { authenticate } from './authenticate';
import { Debouncer } from './debouncer';
import { matchingTags } from './match';
import { PARSERS, PayloadError, type Headers, type PushEvent } from './payloads';
import { ReplayGuard } from './replay-guard';
import type { NudgedTag } from './push-importer';
import type { DeliveryAnswer, HookRoute } from './server';
import { TokenUnavailableError } from './tokens';

export interface PushReceiverOptions {
  /** The receiver of that name, from the controller's cache. */
  readonly receiver: (namespace: string, name: string) => RegistryReceiverObject | undefined;
  /** Every stream the controller caches. */
  readonly streams: () => Iterable<ImageStreamObject>;
  readonly tokens: { token(namespace: string, secret: string): Promise<string> };
  /** Imports these tags now (PushImporter.nudge), each with the digest its event named, if any (a hint). */
  readonly nudge: (namespace: string, stream: string, tags: readonly NudgedTag[]) => void;
  /** @default - a guard of its own */
  readonly replay?: ReplayGuard;
  /** Identical nudges (same stream tag) within this window make one import, plus one at its end. @default 2000 */
  readonly debounceMs?: number;
  readonly log: Logger;
}

/** Counts of what a delivery held, in its answer: never which streams it reached. */
interface Tally {
  events: number;
  fresh: number;
  replayed: number;
  stale: number;
  nudged: number;
}

/**
 * Takes a delivery from a sender: finds its RegistryReceiver, checks the sender's proof with the
 * receiver's token (401 when it fails: forged), reads the sender's format (400 when it can't), refuses
 * events seen before or outside the receiver's window (replays: 409, or 200 to a distribution
 * registry, whose notification queue would otherwise retry the refused delivery forever and hold
 * every later event behind it), and nudges the imports of the stream tags that follow each fresh
 * event's repository and tag (202). An event never says what digest to record: the import asks the
 * registry, and verifies what it answers.
 */
export class PushReceiver {
  private readonly replay: ReplayGuard;
  private readonly debouncer: Debouncer;
  /** The digest the latest event of each stream tag named (a hint of when the registry has caught up). */
  private readonly hints = new Map<string, string | undefined>();

  constructor(private readonly options: PushReceiverOptions) {
    this.replay = options.replay ?? new ReplayGuard();
    this.debouncer = new Debouncer(options.debounceMs ?? DEFAULT_RECEIVER_DEBOUNCE_MS, (key) => {
      const slash = key.indexOf('/');
      const colon = key.indexOf(':', slash);
      const digest = this.hints.get(key);
      this.hints.delete(key);
      options.nudge(key.slice(0, slash), key.slice(slash + 1, colon), [{ tag: key.slice(colon + 1), ...(digest ? { digest } : {}) }]);
    });
  }

  close(): void {
    this.debouncer.close();
    this.hints.clear();
  }

  async deliver(route: HookRoute, headers: Headers, body: Buffer): Promise<DeliveryAnswer> {
    const receiver = this.options.receiver(route.namespace, route.name);
    const auth = receiver && RECEIVER_TYPES.includes(receiver.spec.type) ? RECEIVER_AUTH[receiver.spec.type] : undefined;
    // A token in the path of a receiver that authenticates otherwise is a wrong URL, not a credential.
    if (!receiver || !auth || ((auth === 'path') !== (route.pathToken !== undefined))) return { status: 404, body: { error: 'no such receiver' } };
    const where = { namespace: route.namespace, receiver: route.name, type: receiver.spec.type };
    let token: string;
    try {
      token = await this.options.tokens.token(route.namespace, receiver.spec.secretRef.name);
    } catch (error) {
      if (!(error instanceof TokenUnavailableError)) throw error;
      this.options.log.log('warn', 'receiver has no token: deliveries refused', { ...where, error: error.message });
      return { status: 503, body: { error: 'the receiver has no token to check deliveries with' } };
    }
    if (!authenticate(auth, token, { headers, body, pathToken: route.pathToken })) {
      this.options.log.log('warn', 'delivery refused: not authenticated', where);
      return { status: 401, body: { error: 'not authenticated' } };
    }
    let events: PushEvent[];
    try {
      events = PARSERS[receiver.spec.type](body.toString('utf8'), headers);
    } catch (error) {
      if (!(error instanceof PayloadError)) throw error;
      this.options.log.log('warn', 'delivery refused: unreadable payload', { ...where, error: error.message });
      return { status: 400, body: { error: error.message } };
    }
    const tally = this.act(receiver, events);
    if (tally.replayed + tally.stale > 0) this.options.log.log('warn', 'delivery refused: replayed or outside the window', { ...where, replayed: tally.replayed, stale: tally.stale });
    const refused = tally.events > 0 && tally.fresh === 0;
    const status = refused ? (receiver.spec.type === 'Distribution' ? 200 : 409) : tally.nudged > 0 ? 202 : 200;
    return { status, body: { ...tally } };
  }

  private act(receiver: RegistryReceiverObject, events: readonly PushEvent[]): Tally {
    const namespace = receiver.metadata.namespace ?? '';
    const windowMs = (receiver.spec.maxAgeSeconds ?? DEFAULT_RECEIVER_MAX_AGE_SECONDS) * 1000;
    const tally: Tally = { events: events.length, fresh: 0, replayed: 0, stale: 0, nudged: 0 };
    for (const event of events) {
      const verdict = this.replay.check(`${namespace}/${receiver.metadata.name}`, event, windowMs);
      tally[verdict]++;
      if (verdict !== 'fresh') continue;
      for (const match of matchingTags(this.options.streams(), receiver, event)) {
        for (const tag of match.tags) {
          const key = `${match.namespace}/${match.stream}:${tag}`;
          // The newest event's hint wins; a tag policy may choose another tag than the pushed one: no hint.
          this.hints.set(key, match.policyTags.includes(tag) ? undefined : event.digest);
          this.debouncer.push(key);
          tally.nudged++;
        }
      }
    }
    return tally;
  }
}
