/** A small GraphQL client: typed documents over fetch, the entries subscription over graphql-ws. */

import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { type Client, createClient } from 'graphql-ws';

export interface GraphQLErrorItem {
  message: string;
  extensions?: { code?: string } & Record<string, unknown>;
}

export class GraphQLRequestError extends Error {
  readonly errors: GraphQLErrorItem[];
  readonly status: number;
  constructor(errors: GraphQLErrorItem[], status: number) {
    super(errors.map((e) => e.message).join('; ') || `HTTP ${status}`);
    this.name = 'GraphQLRequestError';
    this.errors = errors;
    this.status = status;
  }

  /** The stable code of the first error (docs/API.md), if the server gave one. */
  get code(): string | undefined {
    return this.errors.find((e) => typeof e.extensions?.code === 'string')?.extensions?.code;
  }
}

const printed = new WeakMap<object, string>();

function source(document: TypedDocumentNode<unknown, unknown>): string {
  let text = printed.get(document);
  if (text === undefined) {
    text = print(document);
    printed.set(document, text);
  }
  return text;
}

export async function execute<TResult, TVariables>(
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
  token?: string | null,
): Promise<TResult> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch('/graphql', {
    method: 'POST',
    headers,
    body: JSON.stringify({ query: source(document as TypedDocumentNode<unknown, unknown>), variables }),
  });
  let body: { data?: TResult | null; errors?: GraphQLErrorItem[] };
  try {
    body = (await res.json()) as typeof body;
  } catch {
    const code = res.status === 401 ? 'UNAUTHENTICATED' : res.status >= 500 ? 'UNAVAILABLE' : 'BAD_REQUEST';
    throw new GraphQLRequestError([{ message: res.statusText, extensions: { code } }], res.status);
  }
  if (body.errors && body.errors.length > 0) throw new GraphQLRequestError(body.errors, res.status);
  if (!res.ok || body.data == null) {
    throw new GraphQLRequestError([{ message: res.statusText || 'no data', extensions: { code: 'INTERNAL' } }], res.status);
  }
  return body.data;
}

export function graphqlWsUrl(location: Pick<Location, 'protocol' | 'host'> = window.location): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
}

/** A graphql-transport-ws client; the token travels in connection_init as `{token}`. */
export function subscriptionClient(token: () => string | null): Client {
  return createClient({
    url: graphqlWsUrl(),
    connectionParams: () => ({ token: token() ?? '' }),
    lazy: true,
    retryAttempts: Infinity,
    shouldRetry: () => true,
  });
}

/** Subscribes with a typed document; returns the function that ends the subscription. */
export function subscribe<TResult, TVariables extends Record<string, unknown>>(
  client: Client,
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
  onData: (data: TResult) => void,
  onError: (error: unknown) => void,
): () => void {
  return client.subscribe<TResult>(
    { query: source(document as TypedDocumentNode<unknown, unknown>), variables },
    {
      next: (value) => {
        if (value.errors && value.errors.length > 0) {
          onError(new GraphQLRequestError(value.errors as GraphQLErrorItem[], 200));
        } else if (value.data) {
          onData(value.data);
        }
      },
      error: onError,
      complete: () => undefined,
    },
  );
}
