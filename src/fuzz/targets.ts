// Every fuzz target, in one list: the envelope parsers and frame → record, the body parsers and their
// registry, the RFC 6587 and RELP framers. `npm run fuzz` runs them all; a new parser joins here.
import { bodyTargets } from './targets-body.js';
import { envelopeTargets } from './targets-envelope.js';
import { framingTargets } from './targets-framing.js';
import type { FuzzTarget } from './target.js';

export const FUZZ_TARGETS: readonly FuzzTarget[] = [...framingTargets, ...envelopeTargets, ...bodyTargets];

export const targetById = (id: string): FuzzTarget | undefined => FUZZ_TARGETS.find((t) => t.id === id);
