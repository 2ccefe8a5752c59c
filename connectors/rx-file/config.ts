import { z } from 'zod';
import { requireOneSource } from '../../src/sdk/file-source.js';
import { SftpPickupSchema } from '../../src/sdk/sftp-pickup.js';
import { ColumnSchema } from './columns.js';

export const RX_LAYOUTS = ['cms-part-d', 'delimited', 'fixed-width'] as const;

export const RxFileConfigSchema = z
  .strictObject({
    /** One file, relative to the workspace: a snapshot re-read whole on every run. */
    path: z.string().min(1).optional(),
    /** An inbox folder, relative to the workspace: each delivered file read once, then archived. */
    folder: z.string().min(1).optional(),
    /** Feed the `folder` inbox from an SFTP server (src/sdk/sftp-pickup.ts). */
    sftp: SftpPickupSchema.optional(),
    /** The stream name: with the connector id it names the mapping `<connector>.<stream>.yaml`. */
    stream: z.string().min(1).default('rx'),
    /** `cms-part-d` (preset), or a layout declared in `columns`. */
    layout: z.enum(RX_LAYOUTS),
    /** Delimited: `,`, `|`, `\t` ... (cms-part-d: found from the header line). */
    delimiter: z.string().min(1).max(2).optional(),
    /** Delimited: the quote character; empty for none. */
    quote: z.string().max(1).default('"'),
    /** Delimited: the first line names the columns. Without one, `columns` gives the names in order. */
    header: z.boolean().default(true),
    /** Fixed-width: lines to skip at the start of each file (a header record). */
    skipLines: z.number().int().min(0).default(0),
    /** Fixed-width: lines matching this regular expression are skipped (header or trailer records, `^TRL`). */
    skipPattern: z.string().min(1).optional(),
    encoding: z.enum(['utf8', 'latin1']).default('utf8'),
    /** Declared columns: names and types (delimited), positions too (fixed-width). */
    columns: z.array(ColumnSchema).default([]),
    /** The period grain of the feed's rows, handed to the mapping as `_periodGrain`. */
    period: z.strictObject({ grain: z.enum(['week', 'month']) }).optional(),
    /** cms-part-d: the data year (the file has no year column); default: from the file name (`_DY22_`, `2021`). */
    dataYear: z.number().int().min(2013).max(2100).optional(),
    /** A longer line is rejected (fixed-width: skipped; delimited: reading stops there, said so). */
    maxLineLength: z.number().int().min(256).max(64 * 1024 * 1024).default(1024 * 1024),
  })
  .superRefine((config, ctx) => {
    requireOneSource(config, ctx);
    if (config.skipPattern) {
      try {
        new RegExp(config.skipPattern);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `not a regular expression: ${(error as Error).message}`, path: ['skipPattern'] });
      }
    }
    if (config.layout === 'fixed-width') {
      if (config.columns.length === 0) ctx.addIssue({ code: 'custom', message: 'a fixed-width layout needs `columns` with start and length', path: ['columns'] });
      config.columns.forEach((c, i) => {
        if (c.start === undefined || c.length === undefined) ctx.addIssue({ code: 'custom', message: `column ${c.name} needs start (1-based) and length`, path: ['columns', i] });
      });
    }
    if (config.layout === 'delimited' && !config.header && config.columns.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'a delimited file without a header needs `columns` naming its fields in order', path: ['columns'] });
    }
    const names = new Set<string>();
    config.columns.forEach((c, i) => {
      if (names.has(c.name)) ctx.addIssue({ code: 'custom', message: `column ${c.name} is declared twice`, path: ['columns', i, 'name'] });
      names.add(c.name);
      if (c.format === 'YYYYMM' && c.type !== 'date') ctx.addIssue({ code: 'custom', message: 'format applies to date columns', path: ['columns', i, 'format'] });
    });
  });
export type RxFileConfig = z.infer<typeof RxFileConfigSchema>;
