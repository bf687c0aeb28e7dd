import { dependenciesFromEnv } from '../../adapters/dependencies-from-env.js';
import { acceptsCsv } from '../../http/content-negotiation.js';
import { httpHandler } from '../../http/http-handler.js';
import { falseContactQuerySchema } from '../../http/schemas.js';
import { getFalseContactReport } from '../../use-cases/reports.js';

export const handler = httpHandler({
  route: 'get-false-contact-report',
  query: falseContactQuerySchema,
  run: async ({ query, caller, headers }) => {
    const csv = acceptsCsv(headers);
    const body = await getFalseContactReport(dependenciesFromEnv(), caller, query.quarter, csv ? 'csv' : 'json');
    return { statusCode: 200, body, ...(csv ? { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="false-contact-${query.quarter}.csv"` } } : {}) };
  },
});
