import { createHash } from 'node:crypto';
import type { KubeClient } from '../kube/client';
import { ConflictError } from '../kube/errors';
import type { KubeObject } from '../kube/types';
import { errorText, type Logger } from './logger';

export type EventType = 'Normal' | 'Warning';

/** A core/v1 Event, as much of it as we write. */
export interface CoreEvent extends KubeObject {
  involvedObject: { apiVersion: string; kind: string; name: string; namespace?: string; uid?: string; resourceVersion?: string };
  reason: string;
  message: string;
  type: EventType;
  count: number;
  firstTimestamp: string;
  lastTimestamp: string;
  source: { component: string };
  reportingComponent: string;
  reportingInstance: string;
}

/** The same event is not re-sent more often than this; a repeat only bumps `count`. */
const REPEAT_INTERVAL_MS = 60_000;
const REMEMBERED = 4096;

/**
 * Writes core/v1 Events about objects. The name is derived from (object, reason, message), so a
 * repeat, even from a restarted replica, bumps `count` on the same Event instead of piling up new
 * ones; resyncs that re-find the same problem within a minute write nothing.
 */
export class EventRecorder {
  private readonly sent = new Map<string, number>();

  constructor(
    private readonly client: KubeClient,
    private readonly component: string,
    private readonly instance: string,
    private readonly log: Logger,
  ) {}

  async record(object: KubeObject, type: EventType, reason: string, message: string): Promise<void> {
    const namespace = object.metadata.namespace ?? 'default';
    const name = `${object.metadata.name}.${createHash('sha256').update(`${object.metadata.uid}|${reason}|${message}`).digest('hex').slice(0, 16)}`;
    const last = this.sent.get(name);
    if (last !== undefined && Date.now() - last < REPEAT_INTERVAL_MS) return;
    if (this.sent.size >= REMEMBERED) this.sent.clear();
    this.sent.set(name, Date.now());
    this.log.log(type === 'Warning' ? 'warn' : 'info', message, { reason, kind: object.kind, namespace, name: object.metadata.name });
    try {
      await this.write(namespace, name, object, type, reason, message);
    } catch (error) {
      this.log.log('warn', 'could not record event', { reason, error: errorText(error) });
    }
  }

  private async write(namespace: string, name: string, object: KubeObject, type: EventType, reason: string, message: string): Promise<void> {
    const events = this.client.resource<CoreEvent>({ apiVersion: 'v1', resource: 'events', namespace });
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    try {
      await events.create({
        apiVersion: 'v1', kind: 'Event', metadata: { name, namespace },
        involvedObject: {
          apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name!, namespace: object.metadata.namespace,
          uid: object.metadata.uid, resourceVersion: object.metadata.resourceVersion,
        },
        reason, message, type, count: 1, firstTimestamp: now, lastTimestamp: now,
        source: { component: this.component }, reportingComponent: this.component, reportingInstance: this.instance,
      });
    } catch (error) {
      if (!(error instanceof ConflictError && error.alreadyExists)) throw error;
      const existing = await events.get(name);
      await events.mergePatch(name, { count: (existing.count ?? 1) + 1, lastTimestamp: now });
    }
  }
}
