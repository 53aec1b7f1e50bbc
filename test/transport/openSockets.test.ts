import type { LetpayEmulator } from '../letpayEmulator';
import { useTestbed } from '../helpers/testbed';

/*
 * n8n's request helper opens a connection per request and closes it after the answer. A node
 * that asked for keep-alive (`agentOptions: { keepAlive: true }`) would get a new keep-alive
 * agent per request instead, whose idle socket nobody reuses or closes: 1,000 captures, 1,000
 * sockets left open at Letpay until its idle timeout (Node's default: 5 s). Counted at the
 * emulator, which sees every connection a client opens.
 */
async function openConnectionsAfterAWhile(emulator: LetpayEmulator): Promise<number> {
	// Well inside the server's 5 s keep-alive timeout: sockets still open here were left open.
	for (let waited = 0; waited < 1000 && emulator.openConnections > 0; waited += 50) {
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	return emulator.openConnections;
}

const tokens = Array.from({ length: 40 }, (_v, index) => `socket-pay-${index}`);

describe('connections: none left open after a run', () => {
	const testbed = useTestbed();
	beforeEach(() => tokens.forEach((paymentToken) => testbed.emulator.preAuthorize({ paymentToken, amount: '10.00' })));

	test('40 captures at concurrency 10: every connection opened is closed', async () => {
		const { success } = await testbed.run({
			orders: tokens.map((paymentToken) => ({ paymentToken, amount: 10 })),
			parameters: { options: { concurrency: 10 } },
		});

		expect(success).toHaveLength(40);
		// One connection per request (the sign-in and 40 captures): n8n does not reuse them.
		expect(testbed.emulator.connectionsOpened).toBe(41);
		expect(await openConnectionsAfterAWhile(testbed.emulator)).toBe(0);
	});

	test('look-ups (Get) close theirs too', async () => {
		const { success } = await testbed.run({
			orders: tokens.slice(0, 10).map((paymentToken) => ({ paymentToken })),
			parameters: { operation: 'get', options: { concurrency: 5 } },
		});

		expect(success).toHaveLength(10);
		expect(await openConnectionsAfterAWhile(testbed.emulator)).toBe(0);
	});

	test('a capture whose answer never came: its connection is closed when the timeout passes', async () => {
		testbed.emulator.injectFault(tokens[0], { kind: 'hang', captured: true });

		const { failed } = await testbed.run({
			orders: [{ paymentToken: tokens[0], amount: 10 }],
			parameters: { options: { timeout: 300 } },
			onError: 'continueErrorOutput',
		});

		expect(failed[0].json.error).toMatchObject({ outcome: 'unknown' });
		expect(await openConnectionsAfterAWhile(testbed.emulator)).toBe(0);
	});
});
