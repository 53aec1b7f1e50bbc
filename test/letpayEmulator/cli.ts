import { parseArgs } from 'node:util';

import { DEFAULT_API_KEY, startLetpayEmulator } from './index';

/*
 * Start the emulator by hand:
 *   npm run emulator -- --port 8787 --ttl 300 --refresh same --preauth demo-1:100.00
 * Notifications (a trigger's URL; the body shape `flat` or `nested`; PAID this long after a capture):
 *   --notification-url 'http://localhost:5678/webhook/letpay?secret=s' --notification-shape nested --paid-after-ms 5000
 */
async function main() {
	const { values } = parseArgs({
		options: {
			port: { type: 'string', default: '8787' },
			ttl: { type: 'string', default: '300' },
			refresh: { type: 'string', default: 'same' },
			'api-key': { type: 'string', default: DEFAULT_API_KEY.apiKey },
			'api-secret': { type: 'string', default: DEFAULT_API_KEY.apiSecret },
			preauth: { type: 'string', multiple: true, default: [] },
			'notification-url': { type: 'string' },
			'notification-shape': { type: 'string', default: 'flat' },
			'paid-after-ms': { type: 'string', default: '60000' },
		},
	});
	const emulator = await startLetpayEmulator({
		port: Number(values.port),
		tokenTtlSeconds: Number(values.ttl),
		refreshTokenMode: values.refresh === 'rotate' ? 'rotate' : 'same',
		apiKeys: [{ apiKey: values['api-key'], apiSecret: values['api-secret'], merchantId: 'merchant-1' }],
		notificationUrl: values['notification-url'],
		notificationShape: values['notification-shape'] === 'nested' ? 'nested' : 'flat',
		paidAfterMs: Number(values['paid-after-ms']),
	});
	const preAuthorized = values.preauth.map((entry) => {
		const [paymentToken, amount] = entry.split(':');
		emulator.preAuthorize({ paymentToken, amount });
		return { paymentToken, amount };
	});
	console.log(`Letpay sandbox emulator listening on ${emulator.url}`);
	console.log(`API key: ${values['api-key']}  API secret: ${values['api-secret']}`);
	for (const { paymentToken, amount } of preAuthorized) console.log(`pre-authorized ${paymentToken}: ${amount}`);
	console.log(JSON.stringify({ url: emulator.url, preAuthorized }));

	const stop = () => void emulator.close().then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

void main();
