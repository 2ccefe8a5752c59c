/** Rx analytics on stored facts: the prescriber resolution queue and physician segments. See README.md. */
export { assignDeciles, type DecileAssignment, type PrescriberVolume } from './deciles.js';
export { computeSegments, formatSegmentsCsv, listSegments, type SegmentOptions, type SegmentReport, type SegmentRow } from './segments.js';
export { listUnresolvedPrescribers, type UnresolvedPrescriber } from './unresolved.js';
