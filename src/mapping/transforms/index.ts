/**
 * The transform registry with every built-in family registered. One file per family; a new built-in goes into the
 * family it belongs to, a project-specific one is a `registerTransform(name, fn, argsSchema)` call at start-up.
 */
import './text.js';
import './names.js';
import './identifiers.js';
import './contact.js';
import './address.js';
import './dates.js';
import './numbers.js';
import './lookup.js';
import './suppressed.js';

export {
  defineTransform,
  getTransform,
  listTransforms,
  registerTransform,
  unregisterTransform,
  SUPPRESSED,
  TransformConfigError,
  type ApplyContext,
  type SourceRow,
  type TransformContext,
  type TransformDefinition,
  type TransformEnv,
  type TransformFn,
  type TransformWarning,
} from './registry.js';
