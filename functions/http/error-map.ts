import { ZodError } from 'zod';
import { BusinessRuleError } from '../domain/errors.js';
import { logger } from '../adapters/logger.js';
import { ConflictError, ForbiddenError, NotFoundError, UnauthorizedError, ValidationError } from '../use-cases/errors.js';
import { NotAcceptableError } from './content-negotiation.js';

export interface HttpErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly details: readonly unknown[] };
}

export interface HttpError {
  readonly statusCode: number;
  readonly body: HttpErrorBody;
}

const error = (statusCode: number, code: string, message: string, details: readonly unknown[] = []): HttpError => ({ statusCode, body: { error: { code, message, details } } });

/** The one place errors become HTTP (docs/api.md, Errors). Bad input never yields a 500. */
export function toHttpError(thrown: unknown, where: { readonly zodTarget?: string } = {}): HttpError {
  if (thrown instanceof ZodError) {
    const prefix = where.zodTarget ? `${where.zodTarget}` : '';
    const fieldOf = (path: readonly PropertyKey[]) => [prefix, ...path.map(String)].filter(Boolean).join('.') || '(body)';
    const details = thrown.issues.flatMap((issue): { field: string; rule: string; message: string }[] => {
      // An unknown key is itself the bad field: name it, not the object that holds it.
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => {
          const field = fieldOf([...issue.path, key]);
          return { field, rule: issue.code, message: `${field} is not a known field` };
        });
      }
      const field = fieldOf(issue.path);
      return [{ field, rule: issue.code, message: `${field} ${issue.message}` }];
    });
    return error(400, 'VALIDATION_FAILED', details.map((d) => d.message).join('; '), details);
  }
  if (thrown instanceof ValidationError) return error(400, 'VALIDATION_FAILED', thrown.message, thrown.details);
  if (thrown instanceof UnauthorizedError) return error(401, 'UNAUTHORIZED', thrown.message);
  if (thrown instanceof ForbiddenError) return error(403, thrown.code, thrown.message);
  if (thrown instanceof NotFoundError) return error(404, 'NOT_FOUND', thrown.message);
  if (thrown instanceof NotAcceptableError) return error(406, 'NOT_ACCEPTABLE', thrown.message, [{ rule: 'accept', acceptable: thrown.acceptable }]);
  if (thrown instanceof ConflictError) return error(409, thrown.code, thrown.message);
  if (thrown instanceof BusinessRuleError) return error(422, thrown.rule, thrown.message, [{ rule: thrown.rule, ...thrown.details }]);
  logger.error('unhandled error', { error: thrown });
  return error(500, 'INTERNAL', 'internal error; it has been logged');
}
