export { acknowledgementTypeFor, buildAcknowledgement, buildAcknowledgements, type Acknowledgement, type AcknowledgementOptions, type AcknowledgementType } from './acknowledgement.js';
