import { gzipSync } from 'node:zlib';

import { freshPaymentToken } from '../helpers/captures';
import { requestsTo, useTestbed } from '../helpers/testbed';
import { notifyTrigger } from '../helpers/triggerCall';

/*
 * Promise 3: a body over 64 KB is refused (400) and not looked up. n8n's rawBodyReader
 * (packages/cli/src/middlewares/body-parser.ts) gunzips/inflates a request with
 * Content-Encoding gzip/deflate: req.rawBody and req.body are the DECODED body, while the
 * Content-Length header still gives the compressed size.
 */
describe('the 64 KB limit', () => {
	const testbed = useTestbed({ paidAfterMs: 0 });

	test('a gzip-encoded notification whose decoded body is 1 MB: 400, nothing looked up', async () => {
		const paymentToken = freshPaymentToken();
		testbed.emulator.preAuthorize({ paymentToken, amount: '10.00' });
		const body = { payment_token: paymentToken, padding: 'x'.repeat(1_000_000) };
		const rawText = JSON.stringify(body);
		const compressed = gzipSync(rawText);
		expect(compressed.length).toBeLessThan(64 * 1024);

		const answer = await notifyTrigger(testbed.credentials, {
			workflowId: `wf-${paymentToken}`,
			body,
			rawText,
			// What n8n's request carries: the compressed length, and the decoded rawBody.
			headers: { 'content-encoding': 'gzip', 'content-length': String(compressed.length) },
			parameters: { options: { includeNotificationBody: true } },
		});

		expect(answer.status).toBe(400);
		expect(answer.emitted).toBeUndefined();
		expect(requestsTo(testbed.emulator, '/transactionDetails')).toHaveLength(0);
	});
});
