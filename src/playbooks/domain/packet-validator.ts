import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { compilePacketSchema } from './compile-packet-schema.js';
import { createIssueTranslator, createUserCheck, type PacketIssue } from './packet-issues.js';
import type { JsonSchema, TransitionDef } from './playbook.js';
import type { UserDirectory } from './user-directory.js';

export type { PacketIssue, PacketIssueCode } from './packet-issues.js';

/** Whether a packet may be submitted (`checkReadiness`) or saved (`checkDraft`), with every issue if not. */
export type Readiness = { ready: true } | { ready: false; issues: PacketIssue[] };

/** Validates packets of one transition; schemas are compiled once and reused. */
export interface PacketValidator {
  /** The JSON Schema a packet must satisfy to be submitted. */
  completeSchema: JsonSchema;
  /** The JSON Schema an in-progress packet must satisfy to be saved. */
  draftSchema: JsonSchema;
  /**
   * Is the packet complete? Lists every missing or invalid value if not, including each `user`
   * field that names no active user of the organisation (or of the field's team).
   */
  checkReadiness(packet: unknown, users: UserDirectory): Readiness;
  /** The e-mail addresses the packet's `user` fields hold: the users `checkReadiness` looks up. */
  usersNamed(packet: unknown): string[];
  /** Is the packet a well-formed draft (right types, no unknown fields)? */
  checkDraft(packet: unknown): Readiness;
}

const READY: Readiness = Object.freeze({ ready: true });
const validators = new WeakMap<TransitionDef, PacketValidator>();
let sharedAjv: Ajv2020 | undefined;

/** One Ajv instance for all packet schemas, with only the formats packets use. */
function ajv(): Ajv2020 {
  if (!sharedAjv) {
    sharedAjv = new Ajv2020({ allErrors: true, strict: true });
    // ajv-formats is CommonJS: its default export is the plugin, which also carries itself as `.default`.
    addFormats.default(sharedAjv, ['date', 'email']);
  }
  return sharedAjv;
}

/** Compiles a schema without keeping it in Ajv's cache, so validators of old playbooks can be collected. */
function compile(schema: JsonSchema): ValidateFunction {
  const instance = ajv();
  const validate = instance.compile(schema);
  instance.removeSchema(schema);
  return validate;
}

/** Freezes a schema so callers sharing the cached validator cannot alter it. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * Builds (or returns the cached) validator for a transition's packets. Valid packets cost one call of
 * the compiled Ajv function; only invalid ones pay for translating errors into plain-words issues.
 *
 * Example:
 * ```ts
 * const { checkReadiness } = createPacketValidator(transition);
 * const result = checkReadiness(packet, userDirectory(activeUsers));
 * if (!result.ready) for (const issue of result.issues) console.log(issue.path, issue.message);
 * ```
 */
export function createPacketValidator(transition: TransitionDef): PacketValidator {
  const cached = validators.get(transition);
  if (cached) return cached;

  const completeSchema = deepFreeze(compilePacketSchema(transition, 'complete'));
  const draftSchema = deepFreeze(compilePacketSchema(transition, 'draft'));
  const validateComplete = compile(completeSchema);
  const validateDraft = compile(draftSchema);
  const translate = createIssueTranslator(transition);
  const userCheck = createUserCheck(transition);

  const validator: PacketValidator = {
    completeSchema,
    draftSchema,
    checkReadiness(packet, users) {
      const valid = validateComplete(packet);
      const errors = valid ? [] : (validateComplete.errors ?? []);
      const unknown = userCheck.problems(packet, users);
      if (valid && unknown.length === 0) return READY;
      return { ready: false, issues: translate(errors, packet, 'complete', unknown) };
    },
    usersNamed: userCheck.named,
    checkDraft(packet) {
      if (validateDraft(packet)) return READY;
      return { ready: false, issues: translate(validateDraft.errors ?? [], packet, 'draft') };
    },
  };
  validators.set(transition, validator);
  return validator;
}
