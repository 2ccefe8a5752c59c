import { readText } from './input.js';
import { invalid, valid, type ValidationResult } from './result.js';

const LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const TOP_LEVEL_DOMAIN = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/**
 * Trims, drops a `mailto:` prefix and lowercases the whole address. RFC 5321 lets the local part be case-sensitive,
 * but no mainstream mail provider treats it so, and the hub matches physicians on email: `John.Smith@` from one
 * source and `john.smith@` from another must be the same key. The syntax check covers what CRM data gets wrong
 * (spaces, missing or doubled `@`, several addresses in one field, dots in the wrong place, a missing top-level
 * domain) without trying to accept every RFC 5322 oddity such as quoted local parts.
 */
export function normalizeEmail(input: unknown): ValidationResult<string> {
  const text = readText(input, 'email', 'Email address');
  if (typeof text !== 'string') return text;
  const email = text.replace(/^mailto:/i, '').toLowerCase();
  if (/[,;\s]/.test(email) && email.split('@').length > 2) {
    return invalid('email.multiple', `Email field "${text}" holds several addresses: keep one per field`);
  }
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  const labels = email.slice(at + 1).split('.');
  const wellFormed =
    at > 0 &&
    email.length <= 254 &&
    local.length <= 64 &&
    LOCAL_PART.test(local) &&
    labels.length >= 2 &&
    labels.every((label) => DOMAIN_LABEL.test(label)) &&
    TOP_LEVEL_DOMAIN.test(labels[labels.length - 1] ?? '');
  if (!wellFormed) {
    return invalid('email.format', `Email address "${text}" is not a valid address: correct it or leave it out`);
  }
  return valid(email);
}
