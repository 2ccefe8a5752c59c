/**
 * Every validator and normalizer returns either a normalized value or a typed reason it failed,
 * never throws on bad input. Mappings turn a failure into a nulled field with a recorded issue.
 */
export type ValidationFailure = {
  ok: false;
  /** Stable machine code, e.g. `npi.check_digit`. */
  code: string;
  /** A sentence a data steward can act on. */
  message: string;
};

export type ValidationSuccess<T> = {
  ok: true;
  value: T;
  /** Weak evidence or tolerated oddities, e.g. a DEA whose name letter disagrees with the last name. */
  warnings?: string[];
};

export type ValidationResult<T = string> = ValidationSuccess<T> | ValidationFailure;

export function valid<T>(value: T, warnings?: string[]): ValidationSuccess<T> {
  return warnings && warnings.length > 0 ? { ok: true, value, warnings } : { ok: true, value };
}

export function invalid(code: string, message: string): ValidationFailure {
  return { ok: false, code, message };
}
