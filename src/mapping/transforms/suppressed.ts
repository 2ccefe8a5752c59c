import { z } from 'zod';
import { asText, defineTransform, SUPPRESSED } from './registry.js';

const SuppressedArgs = z
  .strictObject({
    markers: z.array(z.string().min(1)).min(1).default(['*', '#']),
    /** A separate flag column (CMS `GE65_Sprsn_Flag`): when it holds a marker, this measure is suppressed. */
    flagField: z.string().min(1).optional(),
  })
  .optional()
  .transform((args) => ({ markers: new Set(args?.markers ?? ['*', '#']), flagField: args?.flagField }));

/**
 * CMS suppresses small cells (fewer than 11 claims) with `*` or `#`. A suppressed measure is neither zero nor
 * missing: it becomes null and its name is listed in the fact's `suppressed`.
 */
defineTransform({
  name: 'suppressed',
  description: 'marks a measure suppressed when it (or `flagField`) holds a CMS marker (* or #): null, and listed in `suppressed`',
  args: SuppressedArgs,
  runOnEmpty: true,
  fieldArgs: (args) => (args.flagField ? [args.flagField] : []),
  create: ({ markers, flagField }) => (value, ctx) => {
    const own = asText(value);
    if (own !== undefined && markers.has(own)) return SUPPRESSED;
    if (flagField !== undefined) {
      const flag = asText(ctx.row[flagField]);
      if (flag !== undefined && markers.has(flag)) return SUPPRESSED;
    }
    return value;
  },
});
