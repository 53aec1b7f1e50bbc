import {
	emulatorAccount,
	HARMLESS_WEBHOOK_PROBE,
	preAuthorizeReferenceOrders,
	preAuthorizeScheduledOrders,
	SETTLED_WEBHOOK_PATH,
	prepareN8n,
	type LetpayAccount,
} from './lib/examples';
import { buildAndPack } from './lib/pack';
import { preferredPort, progress } from './lib/processes';
import { ensureN8n } from './lib/runtimes';
import { startLetpayEmulator, type LetpayEmulator } from '../test/letpayEmulator';

/*
 * npm run demo: the Letpay sandbox emulator (or Letpay's real sandbox when LETPAY_API_KEY and
 * LETPAY_API_SECRET are set) and a real n8n 2.x with this package installed from its tarball,
 * the credential and the example workflows imported, one webhook capture performed.
 * Runs until Ctrl-C, then stops everything it started.
 */
const WEBHOOK_DEMO_TOKENS = ['shop-order-3001', 'shop-order-3002', 'shop-order-3003'];
const DEMO_PAID_AFTER_MS = 5_000;

async function letpayAccount(): Promise<{ account: LetpayAccount; emulator?: LetpayEmulator }> {
	const { LETPAY_API_KEY, LETPAY_API_SECRET, LETPAY_BASE_URL } = process.env;
	if (LETPAY_API_KEY && LETPAY_API_SECRET) {
		const baseUrl = LETPAY_BASE_URL ?? 'https://api-sandbox.letpay.io';
		progress(`using Letpay at ${baseUrl} with the API key from LETPAY_API_KEY`);
		return { account: { baseUrl, apiKey: LETPAY_API_KEY, apiSecret: LETPAY_API_SECRET } };
	}
	const emulator = await startLetpayEmulator({ port: await preferredPort(8787) });
	preAuthorizeScheduledOrders(emulator);
	preAuthorizeReferenceOrders(emulator);
	for (const paymentToken of WEBHOOK_DEMO_TOKENS) emulator.preAuthorize({ paymentToken, amount: '49.90' });
	progress(`Letpay sandbox emulator on ${emulator.url}`);
	return { account: emulatorAccount(emulator), emulator };
}

async function main() {
	const tarball = await buildAndPack();
	const runtime = await ensureN8n('v2');
	const { account, emulator } = await letpayAccount();
	progress(`preparing n8n ${runtime.version} (package, credential, examples)...`);
	const n8n = await prepareN8n(runtime, tarball, account, await preferredPort(5678));
	await n8n.activate('letpayWebhook001');
	await n8n.activate('letpaySettled001');
	const triggerUrl = `${n8n.url}/webhook/${SETTLED_WEBHOOK_PATH}`;
	// The emulator notifies the trigger as Letpay would a payment's notification_url: PROCESSING at
	// the capture, PAID a few seconds later.
	emulator?.configure({ notificationUrl: triggerUrl, paidAfterMs: DEMO_PAID_AFTER_MS });
	progress('starting n8n...');
	await n8n.start();
	await n8n.waitForWebhook('letpay-capture', HARMLESS_WEBHOOK_PROBE);
	await n8n.waitForWebhook(SETTLED_WEBHOOK_PATH, {});

	const stop = async () => {
		progress('stopping n8n and the emulator...');
		await n8n.stop();
		await emulator?.close();
		process.exit(0);
	};
	process.on('SIGINT', () => void stop());
	process.on('SIGTERM', () => void stop());

	const webhookUrl = `${n8n.url}/webhook/letpay-capture`;
	const demoToken = process.env.LETPAY_DEMO_PAYMENT_TOKEN ?? (emulator ? WEBHOOK_DEMO_TOKENS[0] : undefined);
	const demoAmount = Number(process.env.LETPAY_DEMO_AMOUNT ?? '49.90');
	const curl = (token: string) =>
		`curl -s -X POST ${webhookUrl} -H 'Content-Type: application/json' -d '{"paymentToken":"${token}","amount":${demoAmount}}'`;

	let result = 'skipped: set LETPAY_DEMO_PAYMENT_TOKEN to a pre-authorized payment of your sandbox';
	if (demoToken) {
		const response = await fetch(webhookUrl, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ paymentToken: demoToken, amount: demoAmount }),
		});
		result = `HTTP ${response.status} ${await response.text()}`;
	}

	process.stdout.write(
		[
			'',
			'n8n-nodes-letpay demo is running',
			`  n8n editor:   ${n8n.url}  (create the owner account on first visit; the Letpay node is in the node list)`,
			`  workflows:    "Letpay: capture when the shop fulfils an order" (active), "Letpay: act when a capture settles" (active),`,
			`                "Letpay: capture yesterday's shipped orders", "Letpay: payments of my orders"`,
			`  webhook URL:  ${webhookUrl}`,
			`  trigger URL:  ${triggerUrl}  (Letpay Trigger: put it in your payments' notification_url${emulator ? '; the emulator notifies it, PAID ' + DEMO_PAID_AFTER_MS / 1000 + ' s after a capture' : ''})`,
			`  Letpay:       ${account.baseUrl}${emulator ? ' (sandbox emulator)' : ''}`,
			...(emulator
				? [
						`  demo tokens:  ${WEBHOOK_DEMO_TOKENS.join(', ')} (pre-authorized for 49.90; the first one was just captured)`,
						`                demo-pay-1001..1005 are the orders of the scheduled example`,
						`                order-5001 (two payments) and order-5002 are the references of the payments example`,
					]
				: []),
			`  capture:      ${result}`,
			'',
			'Try it (captures a pre-authorized demo payment):',
			`  ${curl(emulator ? WEBHOOK_DEMO_TOKENS[1] : '<your pre-authorized payment token>')}`,
			'',
			'Press Ctrl-C to stop n8n and the emulator.',
			'',
		].join('\n'),
	);
}

main().catch((error: Error) => {
	process.stderr.write(`demo failed: ${error.stack ?? error.message}\n`);
	process.exit(1);
});
