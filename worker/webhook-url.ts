/**
 * Where a deployed Worker may send webhooks: https only, and never to a private, loopback,
 * link-local or otherwise internal address (the receiver is on the public internet; anything else
 * would let a caller probe the network behind us). In local development (`ENVIRONMENT` is
 * `development`, as `npm start` runs) http://127.0.0.1 and http://localhost are allowed too, so
 * people can try webhooks against a receiver on their machine. Returns why a URL is refused, or null.
 */
export function webhookUrlProblem(raw: string, environment: string | undefined): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.username || url.password) return 'must not carry credentials';
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (environment === 'development' && (host === 'localhost' || host === '127.0.0.1'))
    return url.protocol === 'http:' || url.protocol === 'https:' ? null : 'must be an http(s) URL';
  if (url.protocol !== 'https:') return 'must be an https URL';
  if (isInternalHost(host)) return 'must not point to a private or internal address';
  return null;
}

const INTERNAL_NAMES = /(^|\.)(localhost|local|internal|intranet|lan|home\.arpa)$/;

function isInternalHost(host: string): boolean {
  if (!host.includes('.') && !host.includes(':')) return true; // a bare name resolves only inside a network
  if (INTERNAL_NAMES.test(host)) return true;
  const v4 = ipv4(host);
  if (v4) return isInternalV4(v4);
  if (host.includes(':')) return isInternalV6(host);
  return false;
}

function ipv4(host: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts : null;
}

function isInternalV4([a, b]: number[]): boolean {
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b! >= 64 && b! <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b! >= 16 && b! <= 31) ||
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a! >= 224
  );
}

function isInternalV6(host: string): boolean {
  if (host === '::' || host === '::1') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
  if (mapped) return isInternalV4(ipv4(mapped[1]!) ?? [0, 0]);
  // WHATWG URL writes a mapped IPv4 address in hex (::ffff:7f00:1); any ::ffff: form is refused.
  if (host.startsWith('::ffff:')) return true;
  const first = parseInt(host.split(':')[0] || '0', 16);
  return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80;
}
