import { z } from 'zod';
import {
  normalizeDea,
  normalizeGln,
  normalizeHin,
  normalizeMeNumber,
  normalizeNdc,
  normalizeNpi,
  normalizeSalesforceId,
  normalizeStateLicense,
} from '../../model/identifiers/index.js';
import { asText, defineTransform } from './registry.js';

defineTransform({ name: 'npi', description: 'validates an NPI (10 digits, Luhn check digit)', create: () => (value) => normalizeNpi(value) });
defineTransform({ name: 'hin', description: 'validates a HIBCC HIN (9 alphanumerics)', create: () => (value) => normalizeHin(value) });
defineTransform({ name: 'gln', description: 'validates a GS1 GLN (13 digits, check digit)', create: () => (value) => normalizeGln(value) });
defineTransform({ name: 'ndc', description: 'normalizes an NDC to 11 digits (5-4-2)', create: () => (value) => normalizeNdc(value) });
defineTransform({ name: 'me_number', description: 'validates an AMA ME number, keeping leading zeros', create: () => (value) => normalizeMeNumber(value) });
defineTransform({
  name: 'salesforce_id',
  description: 'validates a Salesforce id and returns its 18-character form',
  create: () => (value) => normalizeSalesforceId(value),
});

defineTransform({
  name: 'dea',
  description: 'validates a DEA number; `{ dea: { lastNameField: LastName } }` also checks the name letter (a warning)',
  args: z.strictObject({ lastNameField: z.string().min(1).optional() }).optional(),
  fieldArgs: (args) => (args?.lastNameField ? [args.lastNameField] : []),
  create: (args) => {
    const lastNameField = args?.lastNameField;
    if (!lastNameField) return (value) => normalizeDea(value);
    return (value, ctx) => {
      const lastName = asText(ctx.row[lastNameField]);
      return normalizeDea(value, lastName ? { lastName } : {});
    };
  },
});

const StateLicenseArgs = z
  .strictObject({ stateField: z.string().min(1).optional(), state: z.string().min(1).optional() })
  .refine((args) => (args.stateField === undefined) !== (args.state === undefined), {
    message: 'give exactly one of `stateField` (a source field holding the state) or `state` (a fixed state code)',
  });

defineTransform({
  name: 'state_license',
  description: 'normalizes a state license number, keyed on its state: `{ state_license: { stateField: State_vod__c } }`',
  args: StateLicenseArgs,
  fieldArgs: (args) => (args.stateField ? [args.stateField] : []),
  create: (args) => (value, ctx) => {
    const state = args.stateField ? ctx.row[args.stateField] : args.state;
    const result = normalizeStateLicense(value, state);
    // The identifier's value is the number; its issuer (the state) is mapped with the `state` transform.
    return result.ok ? { ...result, value: result.value.number } : result;
  },
});
