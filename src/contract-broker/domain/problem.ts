/**
 * A request the broker refuses, as data: the HTTP status and, per field, what is wrong and how to
 * fix it. Rendered as Pact Broker's `{ "errors": { field: [message] } }`, which the Pact CLI prints.
 */
export class BrokerProblem extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422,
    readonly errors: Readonly<Record<string, readonly string[]>>,
  ) {
    super(
      Object.entries(errors)
        .map(([field, messages]) => `${field}: ${messages.join(' ')}`)
        .join('; '),
    );
    this.name = 'BrokerProblem';
  }
}

export function problem(status: BrokerProblem['status'], field: string, message: string): BrokerProblem {
  return new BrokerProblem(status, { [field]: [message] });
}

export function notFound(what: string, fix: string): BrokerProblem {
  return problem(404, 'resource', `${what} was not found. ${fix}`);
}
