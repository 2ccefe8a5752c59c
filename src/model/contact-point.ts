import { z } from 'zod';

export const ContactPointSchema = z.object({
  kind: z.enum(['phone', 'email', 'fax']),
  /** E.164 for phones and faxes, lowercase for emails. */
  value: z.string().min(1),
  use: z.enum(['work', 'mobile', 'home', 'other']).default('work'),
  primary: z.boolean().default(false),
});
export type ContactPoint = z.infer<typeof ContactPointSchema>;
