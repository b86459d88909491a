/**
 * What the push and tag-policy benches drive, loaded by tsx: the bench cluster (bench/driver.ts), the
 * controller's manager with the receiver, the importer with a tag policy, the registry fixture with
 * notifications and the fault proxy that pages tags/list.
 */
export { startBenchCluster } from './driver';
export { Manager } from '../lib/runtime/machinery/manager';
export { addReceiver } from '../lib/runtime/receiver/start';
export { importStream } from '../lib/runtime/importer/import-stream';
export { pickPolicyTag } from '../lib/runtime/importer/policy-tags';
export { chooseTag } from '../lib/api/tag-policy';
export { AuthCache } from '../lib/runtime/registry/token';
export { imageStreams } from '../lib/runtime/imagestreams/streams';
export { startRegistry } from '../test/support/registry/registry';
export { notifications } from '../test/support/registry/notifications';
export { startFaultProxy } from '../test/support/registry/fault-proxy';
