/**
 * Standard Webhooks signing (standardwebhooks.com): the secret is `whsec_` + base64 of the key
 * bytes; each message is signed with HMAC-SHA256 over `${webhook-id}.${webhook-timestamp}.${body}`
 * and the signature header is `v1,` + base64 of the MAC. WebCrypto only: nothing to bundle.
 */
const PREFIX = 'whsec_';
const encoder = new TextEncoder();

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/** A new signing secret with 24 random bytes (Standard Webhooks asks for 24 to 64). */
export function newWebhookSecret(): string {
  return PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(24)));
}

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** The three headers of one attempt; `timestamp` is the attempt's time in whole seconds. */
export async function signMessage(
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string,
): Promise<SignedHeaders> {
  const key = await crypto.subtle.importKey(
    'raw',
    fromBase64(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = await crypto.subtle.sign(
    'HMAC',
    key,
    encoder.encode(`${id}.${timestampSeconds}.${body}`),
  );
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': `v1,${toBase64(new Uint8Array(mac))}`,
  };
}
