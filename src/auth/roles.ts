import { z } from 'zod';

/**
 * Roles nest: a steward can do what a viewer can, an admin what a steward can.
 * - viewer: reads everything (masters, review queue, runs, audit log);
 * - steward: decides review items, merges, unmerges, pins and unpins attribute values;
 * - admin: connectors (test, enable, disable, run now), runs (retry), quarantine replay, users and keys.
 */
export const ROLES = ['viewer', 'steward', 'admin'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

export function hasRole(actual: Role, required: Role): boolean {
  return ROLES.indexOf(actual) >= ROLES.indexOf(required);
}
