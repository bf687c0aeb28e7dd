import { dependenciesFromEnv } from '../../adapters/dependencies-from-env.js';
import { acceptsCsv } from '../../http/content-negotiation.js';
import { httpHandler } from '../../http/http-handler.js';
import { monthParam, settlementQuerySchema } from '../../http/schemas.js';
import { readStatement, statementCsv } from '../../use-cases/read-settlement.js';

/** The statement as JSON, or with `Accept: text/csv` the payroll export. */
export const handler = httpHandler({
  route: 'get-settlement',
  params: { month: monthParam },
  query: settlementQuerySchema,
  run: async ({ params, query, headers }) => {
    const deps = dependenciesFromEnv();
    if (!acceptsCsv(headers)) return { statusCode: 200, body: await readStatement(deps, params.month, query.agentId) };
    const csv = await statementCsv(deps, params.month, query.agentId);
    return { statusCode: 200, headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="settlement-${params.month}.csv"` }, body: csv };
  },
});
