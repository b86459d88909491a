import type { ImportReport } from './import-stream';
import type { EventRecorder } from '../machinery/events';
import type { Logger } from '../machinery/logger';

/**
 * What the controller says about an import it made: a Warning Event per pull secret it could not use
 * and per failed tag (`ImportFailed`), and a log line per tag that moved.
 */
export async function reportImport(events: EventRecorder, log: Logger, key: string, report: ImportReport, cause?: string): Promise<void> {
  for (const warning of report.warnings) await events.record(report.object, 'Warning', 'PullSecretNotUsed', warning);
  for (const result of report.results) {
    if (!result.ok) await events.record(report.object, 'Warning', 'ImportFailed', `${result.tag}: ${result.reason}: ${result.message}`);
    else if (report.moved.includes(result.tag)) log.log('info', 'imported', { stream: key, tag: result.tag, image: result.dockerImageReference, ...(cause ? { cause } : {}) });
  }
}
