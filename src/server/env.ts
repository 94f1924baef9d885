import type { ErrorDetail } from '../kernel/errors.js';

/**
 * Reads a whole-number setting from the environment: the fallback when unset or empty; otherwise
 * a whole number from `min` to `max`, else a problem naming the variable is added to `errors`.
 */
export function envInt(
  env: NodeJS.ProcessEnv,
  errors: ErrorDetail[],
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    errors.push({
      path: name,
      message: `must be a whole number from ${min} to ${max}, not ${JSON.stringify(raw)}`,
    });
    return fallback;
  }
  return n;
}
