import type {
  KyselyPlugin,
  OperationNode,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';

/**
 * Tables that are not scoped by tenant. Every other table must carry `tenant_id`, and every
 * query that touches one must constrain or set it: a forgotten tenant filter would mix the data
 * of two client companies, so it fails loudly instead of returning rows.
 */
export const GLOBAL_TABLES = new Set([
  'tenants',
  'kysely_migration',
  'kysely_migration_lock',
  'job_runs',
  'job_locks',
  'audit_signing_keys',
  'crypto_root_secrets',
]);

export class TenantScopeError extends Error {
  constructor(table: string, operation: string) {
    super(`${operation} on tenant table "${table}" without a tenant_id condition`);
    this.name = 'TenantScopeError';
  }
}

type AnyNode = OperationNode & Record<string, unknown>;

function tableName(node: unknown): string | undefined {
  const n = node as AnyNode | undefined;
  if (!n) return undefined;
  if (n.kind === 'TableNode') return ((n.table as AnyNode).identifier as AnyNode).name as string;
  if (n.kind === 'AliasNode') return tableName(n.node);
  return undefined;
}

/** Values (Buffers of ciphertext, dates) are leaves: never walk into their bytes. */
const isLeaf = (node: unknown): boolean =>
  !node || typeof node !== 'object' || ArrayBuffer.isView(node) || node instanceof Date;

/**
 * Node kinds that hold names, operators or data, never another node that could be or hold a
 * query: the walks below skip them (a ValueNode's value is data, which may be any object). A
 * ColumnNode is looked at before this check where it matters.
 */
const LEAF_KINDS = new Set([
  'ValueNode',
  'PrimitiveValueListNode',
  'IdentifierNode',
  'SchemableIdentifierNode',
  'OperatorNode',
  'ColumnNode',
  'TableNode',
]);

function mentionsTenantColumn(node: unknown): boolean {
  if (isLeaf(node)) return false;
  if (Array.isArray(node)) return node.some(mentionsTenantColumn);
  const n = node as AnyNode;
  if (n.kind === 'ColumnNode' && (n.column as AnyNode).name === 'tenant_id') return true;
  // A nested query scopes its own tables; it does not scope the outer one.
  if (n.kind === 'SelectQueryNode' || LEAF_KINDS.has(n.kind)) return false;
  // for...in, not Object.values: every query is walked, and the arrays add up (ingest's hot path).
  for (const key in n) if (mentionsTenantColumn(n[key])) return true;
  return false;
}

function scopedTables(node: AnyNode): string[] {
  const tables: string[] = [];
  const from = node.from as AnyNode | undefined;
  for (const t of (from?.froms as unknown[]) ?? []) tables.push(tableName(t) ?? '');
  for (const j of (node.joins as AnyNode[]) ?? []) tables.push(tableName(j.table) ?? '');
  if (node.kind === 'UpdateQueryNode') tables.push(tableName(node.table) ?? '');
  if (node.kind === 'InsertQueryNode') tables.push(tableName(node.into) ?? '');
  return tables.filter((t) => t !== '' && !GLOBAL_TABLES.has(t));
}

function checkQuery(node: AnyNode): void {
  const tables = scopedTables(node);
  if (tables.length === 0) return;
  if (node.kind === 'InsertQueryNode') {
    const columns = (node.columns as AnyNode[] | undefined) ?? [];
    if (!columns.some((c) => (c.column as AnyNode).name === 'tenant_id')) {
      throw new TenantScopeError(tables[0]!, 'insert');
    }
    return;
  }
  const where = node.where;
  const joinConditions = ((node.joins as AnyNode[]) ?? []).map((j) => j.on);
  if (!mentionsTenantColumn(where) && !mentionsTenantColumn(joinConditions)) {
    const operation = node.kind.replace('QueryNode', '').toLowerCase();
    throw new TenantScopeError(tables[0]!, operation);
  }
}

const QUERY_KINDS = new Set(['SelectQueryNode', 'InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode']);

function walk(node: unknown): void {
  if (isLeaf(node)) return;
  if (Array.isArray(node)) {
    for (const child of node) walk(child);
    return;
  }
  const n = node as AnyNode;
  if (LEAF_KINDS.has(n.kind)) return;
  if (QUERY_KINDS.has(n.kind)) checkQuery(n);
  // Literal inserted rows carry no query (a batch of rows is most of the tree); `insert ... select` is walked.
  for (const key in n) {
    const child = n[key];
    if (isLeaf(child) || (key === 'values' && (child as AnyNode).kind === 'ValuesNode')) continue;
    walk(child);
  }
}

/** Kysely plugin enforcing invariant 4 (tenants never mix) on every built query. */
export class TenantGuardPlugin implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    walk(args.node);
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
