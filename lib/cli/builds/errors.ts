import { CommandError } from '../cluster-session';

/** A build operation refused for a reason the user can fix (no BuildConfig, no Tekton, a finished build): exit 1, no stack. */
export class BuildError extends CommandError {}
