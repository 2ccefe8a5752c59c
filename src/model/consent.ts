import { z } from 'zod';

export const ConsentChannelSchema = z.enum(['email', 'phone', 'fax', 'visit', 'mail', 'pdrp']);
export type ConsentChannel = z.infer<typeof ConsentChannelSchema>;

/**
 * A consent or opt-out for one channel. `pdrp` is the AMA Physician Data Restriction Program: an opted-out
 * physician's prescribing data must not reach sales representatives. Survivorship treats these
 * most-restrictive-wins, through every merge.
 */
export const ConsentSchema = z.object({
  channel: ConsentChannelSchema,
  status: z.enum(['opted_in', 'opted_out', 'unknown']),
  source: z.string().optional(),
  date: z.string().optional(),
});
export type Consent = z.infer<typeof ConsentSchema>;
