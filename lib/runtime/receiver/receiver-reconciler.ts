import { RECEIVERS } from '../../api/group';
import { streamInformer } from '../caches/informers';
import type { ImageStreamObject } from '../../api/imagestream';
import type { RegistryReceiverObject } from '../../api/receiver';
import type { KubeObject } from '../kube/types';
import type { EventRecorder } from '../machinery/events';
import type { Informer } from '../machinery/informer';
import { objectKey } from '../machinery/object-store';
import type { Reconciler, SetupContext } from '../machinery/reconciler';
import { TokenUnavailableError, type TokenCache } from './tokens';

type Receiver = RegistryReceiverObject & KubeObject;
type Stream = ImageStreamObject & KubeObject;

/**
 * The caches the receiver reads (RegistryReceivers and ImageStreams, filled on every replica), and,
 * on the leader, a check of each receiver: a Warning Event `ReceiverNotReady` on it while its Secret
 * or token is missing, since every delivery is refused until then.
 */
export class ReceiverReconciler implements Reconciler {
  readonly name = 'receivers';
  private receivers!: Informer<Receiver>;
  private streamCache!: Informer<Stream>;
  private events!: EventRecorder;

  constructor(private readonly tokens: TokenCache) {}

  setup(ctx: SetupContext): void {
    this.events = ctx.events;
    this.receivers = ctx.informer<Receiver>({ ...RECEIVERS });
    this.streamCache = streamInformer(ctx);
    ctx.watch(this.receivers, (receiver) => [objectKey(receiver)]);
  }

  receiver(namespace: string, name: string): RegistryReceiverObject | undefined {
    return this.receivers.get(namespace, name);
  }

  streams(): Iterable<ImageStreamObject> {
    return this.streamCache.store.list();
  }

  async reconcile(key: string): Promise<void> {
    const [namespace, name] = key.split('/');
    const receiver = this.receivers.get(namespace, name);
    if (!receiver) return;
    try {
      await this.tokens.token(namespace, receiver.spec.secretRef.name);
    } catch (error) {
      if (!(error instanceof TokenUnavailableError)) throw error;
      await this.events.record(receiver, 'Warning', 'ReceiverNotReady', `${error.message}: every delivery is refused until it is there`);
    }
  }
}
