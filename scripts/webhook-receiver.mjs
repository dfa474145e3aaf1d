// A webhook receiver that checks every delivery's Standard Webhooks signature before trusting it.
// Run: WEBHOOK_SECRET=whsec_… PORT=8788 node scripts/webhook-receiver.mjs
import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';

/** The verified payload; throws when the signature, the id or the timestamp (±5 min) do not check out. */
export function verifyWebhook(secret, body, headers) {
  return new Webhook(secret).verify(body, {
    'webhook-id': headers['webhook-id'],
    'webhook-timestamp': headers['webhook-timestamp'],
    'webhook-signature': headers['webhook-signature'],
  });
}

/** An HTTP receiver: 400 for anything unsigned or tampered; each `webhook-id` handled once. */
export function webhookReceiver(secret, onEvent) {
  const seen = new Set(); // a retry repeats its webhook-id: acknowledge it, do not act twice
  return createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      let event;
      try {
        event = verifyWebhook(secret, body, req.headers);
      } catch {
        res.writeHead(400).end();
        return;
      }
      const id = req.headers['webhook-id'];
      if (!seen.has(id)) {
        seen.add(id);
        onEvent(event);
      }
      res.writeHead(204).end();
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.env.PORT ?? 8788);
  webhookReceiver(process.env.WEBHOOK_SECRET, (event) => console.log(JSON.stringify(event))).listen(
    port,
    '127.0.0.1',
    () => console.log(`Receiving webhooks on http://127.0.0.1:${port}/`),
  );
}
