import type { z } from 'zod';
import { OrganizationSchema } from '../../../src/model/organization.js';
import { PhysicianSchema } from '../../../src/model/physician.js';
import { parseSurvivorshipConfig, type SurvivorshipConfig, type SurvivorshipMember } from '../../../src/survivorship/index.js';

/** Test members: a physician draft (defaults filled by the schema) from one connector, received on a day of January 2025. */
export function hcp(sourceRecordId: number, connector: string, day: number, draft: z.input<typeof PhysicianSchema>): SurvivorshipMember {
  return {
    sourceRecordId,
    connector,
    stream: connector === 'nppes' ? 'npi' : 'accounts',
    receivedAt: `2025-01-${String(day).padStart(2, '0')}T00:00:00.000Z`,
    draft: PhysicianSchema.parse(draft),
  };
}

export function hco(sourceRecordId: number, connector: string, day: number, draft: z.input<typeof OrganizationSchema>): SurvivorshipMember {
  return { ...hcp(sourceRecordId, connector, day, {}), draft: OrganizationSchema.parse(draft) };
}

/** A config from YAML text; fails the test with every issue when it does not parse. */
export function config(yaml: string): SurvivorshipConfig {
  const result = parseSurvivorshipConfig(yaml, 'test.yaml');
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return result.config;
}

/** All orders of a short list. */
export function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}
