import { MIRROR_FAILED_REASON } from '../../api/mirror';
import type { ImportReport } from './import-stream';
import type { EventRecorder } from '../machinery/events';
import type { Logger } from '../machinery/logger';

/**
 * What the controller says about an import it made: a Warning Event per pull secret it could not use
 * and per failed tag (`ImportFailed`; `MirrorFailed` when its image could not be copied into the
 * stream's registry), and a log line per tag that moved.
 */
export async function reportImport(events: EventRecorder, log: Logger, key: string, report: ImportReport, cause?: string): Promise<void> {
  for (const warning of report.warnings) await events.record(report.object, 'Warning', 'PullSecretNotUsed', warning);
  const repository = report.repository;
  if (repository?.status === 'False') await events.record(report.object, 'Warning', 'ImportFailed', `spec.dockerImageRepository ${repository.repository}: ${repository.reason}: ${repository.message}`);
  else if (repository) log.log('info', 'imported repository', { stream: key, repository: repository.repository, tags: repository.tags?.length ?? 0 });
  for (const result of report.results) {
    if (!result.ok) {
      // A tag whose image could not be copied into the stream's registry: its own reason, and the registry's.
      const mirror = result.reason === MIRROR_FAILED_REASON;
      await events.record(report.object, 'Warning', mirror ? MIRROR_FAILED_REASON : 'ImportFailed', `${result.tag}: ${mirror ? result.cause : result.reason}: ${result.message}`);
    } else if (report.moved.includes(result.tag)) {
      const mirror = result.mirror ? { mirror: result.mirror.reference, copiedBytes: result.mirror.bytes } : {};
      log.log('info', 'imported', { stream: key, tag: result.tag, image: result.dockerImageReference, ...mirror, ...(cause ? { cause } : {}) });
    }
  }
}
