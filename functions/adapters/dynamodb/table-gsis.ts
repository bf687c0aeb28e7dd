import { AUDIT_INDEXES, AUDIT_SORT_KEY } from './audit-index-keys.js';
import { UNPAID_INDEX, WORK_INDEX } from './table-keys.js';

export interface TableGsi {
  readonly name: string;
  readonly pk: string;
  readonly sk: string;
}

/**
 * Every global secondary index of the single table, in declaration order (all string keys,
 * all attributes projected): the CDK stack and the local table are both built from this list.
 */
export const TABLE_GSIS: readonly TableGsi[] = [
  { name: WORK_INDEX, pk: 'workPk', sk: 'workSk' },
  // The audit indexes: keys carried by the event items themselves (no extra write request).
  ...Object.values(AUDIT_INDEXES).map((index) => ({ name: index.name, pk: index.pk, sk: AUDIT_SORT_KEY })),
  // Sparse: only view items of commissions not yet paid, forfeited or deferred for good (sharded key).
  { name: UNPAID_INDEX, pk: 'unpaidPk', sk: 'unpaidSk' },
];
