import type * as v from 'valibot';
import type { Problem } from '../schema/common.ts';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** An error a handler throws to answer with an RFC 9457 problem; its text is meant for the client. */
export class ApiError extends Error {
  readonly status: number;
  readonly detail: string;
  readonly extra: {
    errors?: { path: string; message: string }[];
    headers?: Record<string, string>;
    [k: string]: unknown;
  };
  constructor(status: number, detail: string, extra: ApiError['extra'] = {}) {
    super(detail);
    this.status = status;
    this.detail = detail;
    this.extra = extra;
  }
}

export const problemType = (status: number) => `https://clientfolio.dev/problems/${status}`;

export function problemResponse(
  status: number,
  detail: string,
  extra: ApiError['extra'] = {},
): Response {
  const { headers, ...fields } = extra;
  const body: Problem & Record<string, unknown> = {
    type: problemType(status),
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    ...fields,
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  });
}

/** Dotted paths (`events.3.amount`) for every valibot issue, so a client can point at each field. */
export function issuesToErrors(
  issues: readonly v.BaseIssue<unknown>[],
  prefix = '',
): { path: string; message: string }[] {
  return issues.map((issue) => {
    const keys = (issue.path ?? []).map((p) => String(p.key));
    const path = [prefix, ...keys].filter((k) => k !== '').join('.') || '(body)';
    return { path, message: issue.message };
  });
}

export const validationError = (issues: readonly v.BaseIssue<unknown>[], prefix = '') => {
  const errors = issuesToErrors(issues, prefix);
  const fields = [...new Set(errors.map((e) => e.path))];
  return new ApiError(
    400,
    `Invalid ${fields.slice(0, 5).join(', ')}${fields.length > 5 ? ` and ${fields.length - 5} more` : ''}`,
    { errors },
  );
};
