/** The controller prunes PipelineRuns by the rule `imagestreams prune builds` uses: one copy, in lib/api. */
export { runsToPrune } from '../../../api/prune';
