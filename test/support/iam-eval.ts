/**
 * A small evaluator of IAM policy documents, for what the emulator does not enforce (test/infra/ci-roles.test.ts):
 * resource scoping of services moto authorises against "*", condition operators, permissions boundaries. It follows
 * AWS's logic for identity policies: an explicit Deny in any policy wins; otherwise the request needs an Allow in
 * the identity policies and, when the role has a boundary, an Allow in the boundary too. Only the condition
 * operators the project's policies use are implemented; any other fails loudly rather than guessing.
 */

export interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}
export interface PolicyDocument {
  Statement: Statement | Statement[];
}
export interface Request {
  action: string;
  resource: string;
  /** Condition keys of the request, e.g. { "aws:RequestTag/env": "dev", "iam:PermissionsBoundary": "arn:..." }. */
  context?: Record<string, string>;
}
export type Decision = "allowed" | "explicit deny" | "implicit deny";

const list = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** IAM wildcards: * any run of characters, ? one; actions compare case-insensitively. */
function glob(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${source}$`, ignoreCase ? "i" : "").test(value);
}

function conditionHolds(
  operator: string,
  key: string,
  expected: string[],
  context: Record<string, string>,
): boolean {
  const actual = context[key];
  switch (operator) {
    case "StringEquals":
    case "ArnEquals":
      return actual !== undefined && expected.includes(actual);
    case "StringNotEquals":
      // AWS: a negated operator holds when the key is absent.
      return actual === undefined || !expected.includes(actual);
    case "StringLike":
    case "ArnLike":
      return actual !== undefined && expected.some((p) => glob(p, actual));
    default:
      throw new Error(`iam-eval: condition operator ${operator} is not implemented`);
  }
}

function applies(statement: Statement, request: Request): boolean {
  const actionMatches =
    statement.NotAction !== undefined
      ? !list(statement.NotAction).some((a) => glob(a, request.action, true))
      : list(statement.Action).some((a) => glob(a, request.action, true));
  if (!actionMatches) return false;
  if (!list(statement.Resource).some((r) => glob(r, request.resource))) return false;
  return Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, values]) =>
      conditionHolds(operator, key, list(values), request.context ?? {}),
    ),
  );
}

function effects(documents: PolicyDocument[], request: Request): Set<Statement["Effect"]> {
  const found = new Set<Statement["Effect"]>();
  for (const document of documents)
    for (const statement of list(document.Statement))
      if (applies(statement, request)) found.add(statement.Effect);
  return found;
}

/** The decision for a role's identity policies and optional permissions boundary. */
export function evaluate(
  identity: PolicyDocument[],
  boundary: PolicyDocument | undefined,
  request: Request,
): Decision {
  const own = effects(identity, request);
  const bounded = boundary ? effects([boundary], request) : new Set<Statement["Effect"]>(["Allow"]);
  if (own.has("Deny") || bounded.has("Deny")) return "explicit deny";
  return own.has("Allow") && bounded.has("Allow") ? "allowed" : "implicit deny";
}
