import { CommandError } from '../cluster-session';

/** A tag operation refused for a reason the user can fix (no image yet, no such tag): exit 1, no stack. */
export class StreamTagError extends CommandError {}
